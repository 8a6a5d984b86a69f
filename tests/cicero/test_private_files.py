"""Secrets at rest: CICERO_HOME, the embedded Redis' files and the backups are readable by
their owner only, also when an earlier version left them readable by everyone."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.cicero.test_up import _embedded_env
from tests.conftest import run_cli


def _readable_by_others(home: Path) -> list[str]:
    """Every file or folder under `home` that a group or other user could read or write."""
    found = []
    for path in [home, *home.rglob("*")]:
        mode = path.lstat().st_mode
        if stat.S_ISSOCK(mode) or stat.S_ISLNK(mode) or (home / "postgres") in path.parents:
            continue
        if stat.S_IMODE(mode) & 0o066:
            found.append(f"{oct(stat.S_IMODE(mode))} {path.relative_to(home)}")
    return found


def test_the_home_redis_files_and_backups_are_private(cli_env: dict[str, str],
                                                      tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "redis").mkdir(parents=True, mode=0o755)
    (home / "backups").mkdir(mode=0o755)
    old_aof = home / "redis" / "appendonly.aof"  # as an earlier version left them
    old_aof.write_text("")
    old_backup = home / "backups" / "cicero-20250101-040000.dump"
    old_backup.write_bytes(b"PGDMP")
    for path in (home, home / "redis", home / "backups"):
        path.chmod(0o755)
    for path in (old_aof, old_backup):
        path.chmod(0o644)

    env = _embedded_env(cli_env, home)  # embedded PostgreSQL and Redis in this home
    backup = run_cli("db", "backup", env=env, timeout=180)
    assert backup.returncode == 0, backup.stderr
    elsewhere = tmp_path / "export.dump"
    assert run_cli("db", "backup", "--output", str(elsewhere), env=env,
                   timeout=180).returncode == 0

    assert _readable_by_others(home) == []
    # 0711 only as root: pgserver then runs PostgreSQL as its own user, who passes through
    assert stat.S_IMODE(home.stat().st_mode) == (0o711 if os.geteuid() == 0 else 0o700)
    assert stat.S_IMODE((home / "redis").stat().st_mode) == 0o700
    assert stat.S_IMODE(old_aof.stat().st_mode) == 0o600
    backups = sorted((home / "backups").glob("cicero-*.dump"))
    assert len(backups) == 2 and backups[0] == old_backup
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in [*backups, elsewhere])
    assert stat.S_IMODE((home / "redis" / "redis.log").stat().st_mode) == 0o600

"""The fake RapidAPI of a running `cicero up --demo`, for every other command.

`cicero up --demo` serves the demo's fake RapidAPI on a free loopback port and keeps its
address and key in CICERO_HOME (FILE, readable by its owner only) while it runs. A command
run beside it (`cicero fetch`, `cicero jobs run fetch-sosmed`, a replay's `{"run": …}`)
without RAPIDAPI_KEY of its own uses that fake instead of failing. A file left by a demo
that is gone (its process no longer runs) is ignored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from cicero.embedded import _pid_alive
from cicero.private_files import private_directory, private_file
from cicero.settings import Settings

FILE = "demo-rapidapi.json"


def remember(home: Path, url: str, key: str) -> Path:
    path = private_directory(home) / FILE
    path.touch(mode=0o600)
    private_file(path).write_text(json.dumps({"url": url, "key": key, "pid": os.getpid()}))
    return path


def forget(home: Path) -> None:
    """Remove the file when this process wrote it."""
    demo = _read(home)
    if demo is not None and demo.get("pid") == os.getpid():
        (home / FILE).unlink(missing_ok=True)


def _read(home: Path) -> dict | None:
    try:
        return json.loads((home / FILE).read_text())
    except (OSError, ValueError):
        return None


def running_demo(home: Path) -> dict | None:
    """{"url", "key", "pid"} of the demo running with this CICERO_HOME, if one runs."""
    demo = _read(home)
    if not demo or not isinstance(demo.get("pid"), int) or not _pid_alive(demo["pid"]):
        return None
    return demo if demo.get("url") and demo.get("key") else None


def with_running_demo(settings: Settings) -> Settings:
    """`settings`, pointed at the running demo's fake RapidAPI when they have no key."""
    if settings.rapidapi_key:
        return settings
    demo = running_demo(settings.home)
    if demo is None:
        return settings
    return settings.model_copy(update={"rapidapi_key": demo["key"],
                                       "rapidapi_instagram_url": demo["url"],
                                       "rapidapi_tiktok_url": demo["url"]})

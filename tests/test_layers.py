"""The layering of ARCHITECTURE.md, read from the source: the lower layers import nothing of
the upper ones except the ground floor and the three doors, the ground floor imports nothing
of ours, and only bot/ knows the bot's Redis keys."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = ("bot", "cicero", "conversations", "jobs", "menus", "storage", "web")
GROUND_FLOOR = ("cicero.backoff", "cicero.clock", "cicero.messages", "cicero.sessions",
                "cicero.settings", "cicero.turn_batch", "cicero.unreachable")
DOORS = ("bot.outbox", "bot.status", "jobs.queue")
LOWER = ("conversations", "menus", "storage")


def _imports(path: Path, *, with_names: bool = False) -> list[str]:
    """The modules of ours `path` imports (and `module.name` of each name imported)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
            if with_names:
                names += [f"{node.module}.{alias.name}" for alias in node.names]
    return [name for name in names if name.split(".")[0] in OURS]


def _within(name: str, modules: tuple[str, ...]) -> bool:
    return any(name == module or name.startswith(module + ".") for module in modules)


def _modules(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py"))


def test_lower_layers_import_only_the_ground_floor_and_the_doors() -> None:
    wrong = [f"{path.relative_to(ROOT)}: {name}" for path in _modules(*LOWER)
             for name in _imports(path)
             if not _within(name, LOWER + GROUND_FLOOR + DOORS)]
    assert wrong == []


def test_the_ground_floor_imports_nothing_of_ours() -> None:
    wrong = [f"{module}: {name}" for module in GROUND_FLOOR
             for name in _imports(ROOT / (module.replace(".", "/") + ".py"))
             if not _within(name, GROUND_FLOOR)]
    assert wrong == []


def test_only_the_bot_reads_its_keys() -> None:
    """web/ and the CLI read session states and the outbox through bot/status.py."""
    private = ("bot.transport", "bot.outbox.keys", "bot.outbox.consumer", "bot.redis_batch",
               "bot.outbox.GROUP", "bot.outbox.stream_key", "bot.outbox.dead_letter_key")
    wrong = [f"{path.relative_to(ROOT)}: {name}" for path in _modules("web", "cicero", "jobs")
             for name in _imports(path, with_names=True) if _within(name, private)]
    assert wrong == []

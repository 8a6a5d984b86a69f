"""What every report is: a request, a builder of structured data, renderers of that data.

A `ReportSpec` names a report (`cicero report NAME`), the storage function that
computes its data, and the pure renderers of that data. Callers (the CLI, the
WhatsApp menus, scheduled jobs, the web API) run `build` and then render; the
renderers never touch the database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import Period


@dataclass(frozen=True)
class ReportRequest:
    client_id: str
    period: Period
    generated_at: datetime
    mode: str = "all"  # e.g. ig-likes: all / done / not-done / per-content


@dataclass(frozen=True)
class ReportFile:
    filename: str
    content: bytes
    mimetype: str = "text/plain"


@dataclass
class Rendered:
    """What a person receives: messages (each within WhatsApp's limit) and files."""

    messages: list[str]
    files: list[ReportFile] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.messages)


class ReportData(Protocol):
    def to_json(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class ReportSpec:
    name: str
    description: str
    build: Callable[[AsyncEngine, ReportRequest], Awaitable[Any]]
    render: Callable[[Any, ReportRequest], Rendered]
    to_json: Callable[[Any, ReportRequest], dict[str, Any]]
    workbook: Callable[[Any, ReportRequest], ReportFile] | None = None
    modes: tuple[str, ...] = ("all",)


REPORTS: dict[str, ReportSpec] = {}


def register(spec: ReportSpec) -> ReportSpec:
    if spec.name in REPORTS:
        raise ValueError(f"report {spec.name} registered twice")
    REPORTS[spec.name] = spec
    return spec

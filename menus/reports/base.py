"""What every report is: a request, a builder of structured data, renderers of that data.

A `ReportSpec` names a report (`cicero report NAME`), the storage function that
computes its data, and the pure renderers of that data: the text and files a person
receives (`render`), the structured form (`to_json`), and optionally one Excel workbook
(`workbook`) and one PNG chart (`chart`). Callers (the CLI, the WhatsApp menus, scheduled
jobs, the web API) run `build` and then render; the renderers never touch the database.

A report says which client types it accepts (`client_types`). `register` makes the build of
a report that does not accept every type look the client up first and raise
`ClientNotAccepted` (its message is the Indonesian sentence to show) instead of computing an
empty report, e.g. a directorate recap asked for a Polres.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import Period
from storage.attendance import ClientInfo, find_client
from storage.models import ClientType


@dataclass(frozen=True)
class ReportRequest:
    client_id: str
    period: Period
    generated_at: datetime
    mode: str = "all"  # e.g. ig-likes: all / done / not-done / per-content
    # The period is "semua" (all time): from the client's first post to today; texts say so.
    all_time: bool = False


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


EVERY_CLIENT_TYPE = frozenset(ClientType)
DIRECTORATE_ONLY = frozenset({ClientType.DIRECTORATE})
CLIENT_TYPE_WORDS = {ClientType.ORG: "satker ORG (Polres)", ClientType.DIRECTORATE: "direktorat",
                     ClientType.POLDA: "Polda"}

Build = Callable[[AsyncEngine, ReportRequest], Awaitable[Any]]
FileRenderer = Callable[[Any, ReportRequest], ReportFile]


@dataclass(frozen=True)
class ReportSpec:
    name: str
    description: str
    build: Build
    render: Callable[[Any, ReportRequest], Rendered]
    to_json: Callable[[Any, ReportRequest], dict[str, Any]]
    workbook: FileRenderer | None = None  # one .xlsx
    modes: tuple[str, ...] = ("all",)
    chart: FileRenderer | None = None  # one PNG image (mimetype image/png)
    # The sentence sent instead of a workbook or chart that would be empty ("Belum ada
    # konten …"), or None when there is something to show.
    without_content: Callable[[Any, ReportRequest], str | None] | None = None
    client_types: frozenset[ClientType] = EVERY_CLIENT_TYPE

    def accepts(self, client_type: str) -> bool:
        return client_type in self.client_types


class ClientNotAccepted(Exception):
    """The report does not apply to this type of client; `message` says so in Indonesian."""

    def __init__(self, spec: ReportSpec, client: ClientInfo) -> None:
        self.report = spec.name
        self.client = client
        accepted = " atau ".join(CLIENT_TYPE_WORDS[ClientType(t)] for t in sorted(
            spec.client_types))
        self.message = (f"Laporan {spec.name} hanya untuk {accepted}; {client.name} "
                        f"({client.client_id}) adalah "
                        f"{CLIENT_TYPE_WORDS.get(ClientType(client.type), client.type)}.")
        super().__init__(self.message)


def _checking_client_type(spec: ReportSpec) -> Build:
    build = spec.build

    async def checked(engine: AsyncEngine, request: ReportRequest) -> Any:
        client = await find_client(engine, request.client_id)
        if not spec.accepts(client.type):
            raise ClientNotAccepted(spec, client)
        return await build(engine, request)

    checked.__name__ = getattr(build, "__name__", "build")
    return checked


REPORTS: dict[str, ReportSpec] = {}


def register(spec: ReportSpec) -> ReportSpec:
    if spec.name in REPORTS:
        raise ValueError(f"report {spec.name} registered twice")
    if spec.client_types != EVERY_CLIENT_TYPE:
        spec = replace(spec, build=_checking_client_type(spec))
    REPORTS[spec.name] = spec
    return spec

"""What the Penmas endpoints share: ids from the path, the workflow's refusals as HTTP
answers, the event's JSON (the reference's keys; dates in business time, `dd/mm/yyyy` in
lists), reading event fields from a body, and the WhatsApp notices a status change causes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from starlette.requests import Request

from cicero.clock import clock
from menus import penmas as texts
from menus.format import numeric_date
from storage.editorial_events import EditorialEventRecord, Outcome
from storage.editorial_workflow import (
    EDGES,
    EventLocked,
    EventNotFound,
    IllegalStatusChange,
    NotAllowed,
    Refusal,
)
from storage.identifiers import record_id
from storage.models import EventStatus
from storage.penmas_accounts import PenmasAccount, editor_numbers
from web.errors import ApiError
from web.openapi import Param
from web.requests import text_field
from web.whatsapp_notices import notify

TAGS = ["Penmas"]
ID_PARAM = Param("id", {"type": "integer", "minimum": 1}, required=True, location="path")
WRITE_RESPONSES = {200: "OK", 400: "Input tidak valid (pesan menyebut field-nya)",
                   401: "Token Penmas tidak ada/tidak valid", 403: "Bukan berita Anda / "
                   "hanya editor", 404: "ID tidak ditemukan",
                   409: "Perubahan status tidak diizinkan / berita terkunci",
                   413: "Body terlalu besar"}
_REFUSALS = {
    Refusal.NOT_YOURS: "Berita ini milik penulis lain",
    Refusal.EDITORS_ONLY: "Hanya editor yang dapat menyetujui, menolak atau mempublikasikan "
                          "berita",
}


def path_id(request: Request, name: str = "event_id") -> int:
    """The `{id}` of the path as a row id; 404 naming `name` otherwise."""
    raw = request.path_params["id"]
    value = record_id(raw)
    if value is None:
        raise ApiError(404, f"{name} {raw[:20]} tidak ditemukan")
    return value


def body_id(body: dict[str, Any], name: str) -> int:
    """A row id given in the body as a number or a string of digits; 400 naming `name`."""
    value = body.get(name)
    if value is None:
        raise ApiError(400, f"{name} wajib diisi")
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ApiError(400, f"{name} harus berupa bilangan bulat positif")
    parsed = record_id(str(value).strip())
    if parsed is None:
        raise ApiError(400, f"{name} harus berupa bilangan bulat positif")
    return parsed


def editors_only() -> ApiError:
    return ApiError(403, _REFUSALS[Refusal.EDITORS_ONLY])


@contextmanager
def editorial_errors(event_id: int) -> Iterator[None]:
    """The workflow's refusals as 403 / 404 / 409 answers."""
    try:
        yield
    except EventNotFound:
        raise ApiError(404, f"event_id {event_id} tidak ditemukan") from None
    except NotAllowed as exc:
        raise ApiError(403, _REFUSALS[exc.refusal]) from None
    except IllegalStatusChange as exc:
        allowed = sorted(status.value for status in EDGES[exc.current])
        raise ApiError(409, f"status tidak dapat berubah dari {exc.current.value} ke "
                            f"{exc.requested.value}", allowed=allowed) from None
    except EventLocked as exc:
        raise ApiError(409, f"Berita berstatus {exc.status.value} tidak dapat diubah") from None


# --- JSON and input -------------------------------------------------------------------------


def _local(moment: datetime) -> datetime:
    return moment.astimezone(clock.tz)


def event_json(event: EditorialEventRecord) -> dict[str, Any]:
    when = _local(event.event_date)
    return {"event_id": event.id, "event_date": numeric_date(when.date()),
            "event_time": when.strftime("%H:%M"), "event_datetime": when.isoformat(),
            "topic": event.topic, "judul_berita": event.title, "assignee": event.assignee,
            "status": event.status.value, "content": event.content, "summary": event.summary,
            "image_path": event.image_path, "tag": event.tags, "kategori": event.category,
            "created_by": event.created_by, "penulis": event.author,
            "updated_by": event.updated_by, "created_at": _local(event.created_at).isoformat(),
            "last_update": _local(event.updated_at).isoformat()}


# request key -> (column, maximum length)
EVENT_FIELDS: dict[str, tuple[str, int]] = {
    "topic": ("topic", 200), "judul_berita": ("title", 300), "assignee": ("assignee", 100),
    "content": ("content", 50_000), "summary": ("summary", 2_000),
    "image_path": ("image_path", 500), "tag": ("tags", 300), "kategori": ("category", 100)}
# Keys of the event's own JSON a client may send back: ignored.
READ_ONLY_KEYS = frozenset({"event_id", "created_by", "updated_by", "created_at",
                            "last_update", "penulis", "event_time", "event_datetime"})
EVENT_KEYS = frozenset({*EVENT_FIELDS, "event_date", "status", "alasan", *READ_ONLY_KEYS})
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2})[:.](\d{2}))?")
_DATE_FORMATS = "YYYY-MM-DD, YYYY-MM-DDTHH:MM atau dd/mm/yyyy [HH:MM]"


def parse_event_date(value: Any) -> datetime:
    """A moment from ISO 8601 or `dd/mm/yyyy [HH:MM]`; without an offset it is business
    time (a bare date: its midnight)."""
    if not isinstance(value, str) or not value.strip() or len(value) > 40:
        raise ApiError(400, f"event_date harus berformat {_DATE_FORMATS}")
    text = value.strip()
    try:
        match = _DMY.fullmatch(text)
        if match:
            day, month, year, hour, minute = match.groups()
            moment = datetime(int(year), int(month), int(day), int(hour or 0),
                              int(minute or 0))
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, f"event_date harus berformat {_DATE_FORMATS}") from None
    if not 2000 <= moment.year <= 2100:
        raise ApiError(400, "event_date harus antara tahun 2000 dan 2100")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=clock.tz)


def event_values(body: dict[str, Any]) -> dict[str, Any]:
    """The columns a body sets (only the keys it carries); null clears an optional field."""
    values: dict[str, Any] = {}
    for key, (column, limit) in EVENT_FIELDS.items():
        if key not in body:
            continue
        value = text_field(body, key, required=key == "topic", max_length=limit)
        values[column] = value
    if "event_date" in body:
        values["event_date"] = parse_event_date(body["event_date"])
    return values


def requested_status(body: dict[str, Any]) -> EventStatus | None:
    raw = text_field(body, "status", required=False, max_length=30)
    if raw is None:
        return None
    try:
        return EventStatus(raw.lower())
    except ValueError:
        names = ", ".join(status.value for status in EventStatus)
        raise ApiError(400, f"status harus salah satu dari: {names}") from None


def rejection_reason(body: dict[str, Any], status: EventStatus | None) -> str | None:
    """`alasan`, required (at least 3 characters) when rejecting."""
    reason = text_field(body, "alasan", required=False, max_length=500)
    if status is EventStatus.REJECTED and (reason is None or len(reason) < 3):
        raise ApiError(400, "alasan wajib diisi (minimal 3 karakter) saat menolak berita")
    return reason


# --- WhatsApp notices of a status change ----------------------------------------------------


async def announce(request: Request, outcome: Outcome, actor: PenmasAccount,
                   reason: str | None) -> None:
    """Tell the editors of a submission and the writer of a decision or publication."""
    if not outcome.status_changed:
        return
    event = outcome.event
    if event.status is EventStatus.SUBMITTED:
        body = texts.submitted(event.id, event.title, event.topic, event.summary, event.author,
                               _local(event.event_date))
        for editor_id, number in await editor_numbers(request.app.state.engine):
            if editor_id != actor.id:
                await notify(request, number, body,
                             key=f"penmas-submitted:{outcome.approval_id}:{editor_id}")
        return
    if not event.author_whatsapp or event.created_by == actor.id:
        return
    if event.status is EventStatus.APPROVED:
        body = texts.approved(event.id, event.title, event.topic, actor.username)
    elif event.status is EventStatus.REJECTED:
        body = texts.rejected(event.id, event.title, event.topic, actor.username, reason or "-")
    elif event.status is EventStatus.PUBLISHED:
        body = texts.published(event.id, event.title, event.topic)
    else:
        return
    await notify(request, event.author_whatsapp, body,
                 key=f"penmas-{event.status.value}:{event.id}:{outcome.approval_id or 0}")

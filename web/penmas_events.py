"""The Penmas editorial calendar (reference paths and keys): `/api/events` CRUD, the change
log `/api/events/{id}/logs`, and `/api/press-release-details`.

Only Penmas tokens open these routes. A writer lists, reads and changes their own events
(403 for another writer's); an editor all of them. The workflow (storage/editorial_workflow.py)
decides which status may follow which (409 otherwise) and who may move it; every change is
logged in the same transaction. A status change by `PUT /api/events/{id}` is the same as one
through `/api/approvals` and tells the editors or the writer on WhatsApp.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from storage import editorial_events as events
from storage.editorial_events import PRESS_RELEASE_COLUMNS
from storage.models import EventStatus
from web.errors import ApiError
from web.openapi import Param, documented
from web.penmas_common import (
    EVENT_FIELDS,
    EVENT_KEYS,
    ID_PARAM,
    TAGS,
    WRITE_RESPONSES,
    announce,
    body_id,
    editorial_errors,
    event_json,
    event_values,
    path_id,
    rejection_reason,
    requested_status,
)
from web.penmas_security import PenmasPrincipal, authenticate_penmas
from web.personnel_fields import reject_unknown_keys
from web.requests import json_body, text_field

_STATUS_PARAM = Param("status", {"type": "string", "enum": [s.value for s in EventStatus]},
                      description="hanya berita berstatus ini")
_TEXT = {"type": ["string", "null"]}
_EVENT_PROPERTIES: dict[str, Any] = {
    **{key: {**_TEXT, "maxLength": limit} for key, (_, limit) in EVENT_FIELDS.items()},
    "topic": {"type": "string", "minLength": 1, "maxLength": 200},
    "event_date": {"type": "string", "description": "YYYY-MM-DD[THH:MM] atau dd/mm/yyyy [HH:MM]; "
                                                    "tanpa zona = waktu bisnis (WIB)"},
    "status": {"type": "string", "enum": [s.value for s in EventStatus]},
    "alasan": {"type": "string", "maxLength": 500, "description": "wajib saat menolak"},
}


# --- events ---------------------------------------------------------------------------------


@documented(summary="Daftar berita (penulis: miliknya; editor: semua)", tags=TAGS,
            params=[_STATUS_PARAM], responses={200: "Daftar berita", 400: "status tidak valid"})
async def list_events(request: Request) -> JSONResponse:
    principal = await authenticate_penmas(request)
    raw = request.query_params.get("status")
    status = requested_status({"status": raw}) if raw else None
    rows = await events.list_events(
        request.app.state.engine, status=status,
        author_id=None if principal.account.is_editor else principal.account.id)
    return JSONResponse({"success": True, "data": [event_json(event) for event in rows]})


@documented(summary="Buat berita (selalu draft)", tags=TAGS,
            body={"type": "object", "required": ["event_date", "topic"],
                  "properties": _EVENT_PROPERTIES},
            responses={**WRITE_RESPONSES, 201: "Berita dibuat"})
async def create_event(request: Request) -> JSONResponse:
    principal = await authenticate_penmas(request)
    body = await json_body(request)
    reject_unknown_keys(body, EVENT_KEYS)
    if "event_date" not in body or body["event_date"] in (None, ""):
        raise ApiError(400, "event_date wajib diisi")
    if "topic" not in body:
        raise ApiError(400, "topic wajib diisi")
    values = event_values(body)
    status = requested_status(body)
    if status not in (None, EventStatus.DRAFT):
        raise ApiError(409, f"status berita baru selalu draft, bukan {status.value}",
                       allowed=[EventStatus.DRAFT.value])
    event = await events.create_event(request.app.state.engine, principal.actor, values)
    return JSONResponse({"success": True, "data": event_json(event)}, status_code=201)


@documented(summary="Satu berita", tags=TAGS, params=[ID_PARAM],
            responses={200: "Berita", 403: "Berita penulis lain", 404: "Tidak ditemukan"})
async def get_event(request: Request) -> JSONResponse:
    principal = await authenticate_penmas(request)
    event_id = path_id(request)
    with editorial_errors(event_id):
        event = await events.readable_event(request.app.state.engine, event_id, principal.actor)
    return JSONResponse({"success": True, "data": event_json(event)})


@documented(summary="Ubah berita dan/atau statusnya", tags=TAGS, params=[ID_PARAM],
            body={"type": "object", "properties": _EVENT_PROPERTIES},
            responses=WRITE_RESPONSES)
async def update_event(request: Request) -> JSONResponse:
    principal = await authenticate_penmas(request)
    event_id = path_id(request)
    body = await json_body(request)
    reject_unknown_keys(body, EVENT_KEYS)
    values, status = event_values(body), requested_status(body)
    reason = rejection_reason(body, status)
    if not values and status is None:
        raise ApiError(400, "Tidak ada field yang diubah")
    with editorial_errors(event_id):
        outcome = await events.change_event(request.app.state.engine, event_id,
                                            principal.actor, values, status=status,
                                            reason=reason)
    await announce(request, outcome, principal.account, reason)
    return JSONResponse({"success": True, "data": event_json(outcome.event)})


@documented(summary="Hapus berita (draft/ditolak; editor: selain yang terbit)", tags=TAGS,
            params=[ID_PARAM], responses=WRITE_RESPONSES)
async def delete_event(request: Request) -> JSONResponse:
    principal = await authenticate_penmas(request)
    event_id = path_id(request)
    with editorial_errors(event_id):
        event = await events.delete_event(request.app.state.engine, event_id, principal.actor)
    return JSONResponse({"success": True, "data": event_json(event)})


# --- change log -----------------------------------------------------------------------------


@documented(summary="Riwayat perubahan berita", tags=TAGS, params=[ID_PARAM],
            responses={200: "Riwayat, terlama dahulu", 403: "Berita penulis lain",
                       404: "Tidak ditemukan"})
async def event_logs(request: Request) -> JSONResponse:
    principal = await authenticate_penmas(request)
    event_id = path_id(request)
    engine = request.app.state.engine
    with editorial_errors(event_id):
        await events.readable_event(engine, event_id, principal.actor)
    changes = await events.event_changes(engine, event_id)
    return JSONResponse({"success": True, "data": [
        {"log_id": c.id, "event_id": c.event_id, "user_id": c.user_id, "username": c.username,
         "status": c.status.value, "changes": c.changes, "logged_at": c.logged_at.isoformat()}
        for c in changes]})


@documented(summary="Tambah catatan ke riwayat berita", tags=TAGS, params=[ID_PARAM],
            body={"type": "object", "required": ["changes"], "properties": {
                "changes": {"type": "string", "minLength": 1, "maxLength": 1000}}},
            responses={**WRITE_RESPONSES, 201: "Catatan ditambahkan"})
async def add_event_log(request: Request) -> JSONResponse:
    principal = await authenticate_penmas(request)
    event_id = path_id(request)
    body = await json_body(request)
    reject_unknown_keys(body, {"changes", "status"})
    note = text_field(body, "changes", max_length=1000)
    assert note is not None
    with editorial_errors(event_id):
        await events.add_note(request.app.state.engine, event_id, principal.actor, note)
    return JSONResponse({"success": True, "message": "Catatan ditambahkan"}, status_code=201)


# --- press-release details ------------------------------------------------------------------

_PRESS_PROPERTIES = {column: {**_TEXT, "maxLength": 10_000} for column in PRESS_RELEASE_COLUMNS}


def _press_values(body: dict[str, Any]) -> dict[str, str | None]:
    return {column: text_field(body, column, required=False, max_length=10_000)
            for column in PRESS_RELEASE_COLUMNS if column in body}


async def _save_press_release(request: Request, principal: PenmasPrincipal, event_id: int,
                              body: dict[str, Any], status_code: int) -> JSONResponse:
    values = _press_values(body)
    with editorial_errors(event_id):
        saved = await events.save_press_release(request.app.state.engine, event_id,
                                                principal.actor, values)
    return JSONResponse({"success": True, "data": {"event_id": event_id, **saved}},
                        status_code=status_code)


@documented(summary="Simpan detail siaran pers sebuah berita", tags=TAGS,
            body={"type": "object", "required": ["event_id"], "properties": {
                "event_id": {"type": "integer", "minimum": 1}, **_PRESS_PROPERTIES}},
            responses={**WRITE_RESPONSES, 201: "Detail disimpan"})
async def create_press_release(request: Request) -> JSONResponse:
    principal = await authenticate_penmas(request)
    body = await json_body(request)
    reject_unknown_keys(body, {"event_id", *PRESS_RELEASE_COLUMNS})
    return await _save_press_release(request, principal, body_id(body, "event_id"), body, 201)


@documented(summary="Detail siaran pers sebuah berita", tags=TAGS, params=[ID_PARAM],
            responses={200: "Detail", 403: "Berita penulis lain", 404: "Tidak ditemukan"})
async def get_press_release(request: Request) -> JSONResponse:
    principal = await authenticate_penmas(request)
    event_id = path_id(request)
    engine = request.app.state.engine
    with editorial_errors(event_id):
        await events.readable_event(engine, event_id, principal.actor)
    detail = await events.press_release(engine, event_id)
    if detail is None:
        raise ApiError(404, f"Detail siaran pers untuk event_id {event_id} belum ada")
    return JSONResponse({"success": True, "data": {"event_id": event_id, **detail}})


@documented(summary="Ubah detail siaran pers sebuah berita", tags=TAGS, params=[ID_PARAM],
            body={"type": "object", "properties": _PRESS_PROPERTIES}, responses=WRITE_RESPONSES)
async def update_press_release(request: Request) -> JSONResponse:
    principal = await authenticate_penmas(request)
    event_id = path_id(request)
    body = await json_body(request)
    reject_unknown_keys(body, {"event_id", *PRESS_RELEASE_COLUMNS})
    return await _save_press_release(request, principal, event_id, body, 200)


routes = [
    Route("/api/events", list_events, methods=["GET"]),
    Route("/api/events", create_event, methods=["POST"]),
    Route("/api/events/{id}", get_event, methods=["GET"]),
    Route("/api/events/{id}", update_event, methods=["PUT"]),
    Route("/api/events/{id}", delete_event, methods=["DELETE"]),
    Route("/api/events/{id}/logs", event_logs, methods=["GET"]),
    Route("/api/events/{id}/logs", add_event_log, methods=["POST"]),
    Route("/api/press-release-details", create_press_release, methods=["POST"]),
    Route("/api/press-release-details/{id}", get_press_release, methods=["GET"]),
    Route("/api/press-release-details/{id}", update_press_release, methods=["PUT"]),
]

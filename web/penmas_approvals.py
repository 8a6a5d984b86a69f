"""`/api/approvals` (reference path): the editors' queue of submitted events. Creating one is
submitting an event; deciding one is approving or rejecting it: the same status change as
`PUT /api/events/{id}` (storage/editorial_events.py), with its log row and its WhatsApp
notices. Writers list their own requests; only editors decide (403)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from storage import editorial_events as events
from storage.editorial_approvals import ApprovalRecord, approval_state, list_approvals
from storage.models import ApprovalStatus, EventStatus
from web.errors import ApiError
from web.openapi import Param, documented
from web.penmas_common import (
    ID_PARAM,
    TAGS,
    WRITE_RESPONSES,
    announce,
    body_id,
    editorial_errors,
    editors_only,
    event_json,
    path_id,
    rejection_reason,
    requested_status,
)
from web.penmas_security import authenticate_penmas
from web.personnel_fields import reject_unknown_keys
from web.requests import json_body

_ALL = "semua"
_STATUS_PARAM = Param("status", {"type": "string",
                                 "enum": [*(s.value for s in ApprovalStatus), _ALL]},
                      description="default pending; semua = seluruh riwayat")
_DECISIONS = (EventStatus.APPROVED, EventStatus.REJECTED)


def approval_json(approval: ApprovalRecord) -> dict[str, Any]:
    return {"request_id": approval.id, "event_id": approval.event_id,
            "judul_berita": approval.title, "topic": approval.topic,
            "requested_by": approval.requested_by, "penulis": approval.requester,
            "status": approval.status.value, "decided_by": approval.decided_by,
            "editor": approval.decider, "alasan": approval.reason,
            "created_at": approval.created_at.isoformat(),
            "decided_at": approval.decided_at.isoformat() if approval.decided_at else None}


@documented(summary="Permintaan persetujuan (editor: semua; penulis: miliknya)", tags=TAGS,
            params=[_STATUS_PARAM], responses={200: "Daftar, terbaru dahulu",
                                               400: "status tidak valid"})
async def list_requests(request: Request) -> JSONResponse:
    principal = await authenticate_penmas(request)
    raw = (request.query_params.get("status") or ApprovalStatus.PENDING.value).lower()
    if raw != _ALL and raw not in set(ApprovalStatus):
        raise ApiError(400, "status harus pending, approved, rejected atau semua")
    rows = await list_approvals(
        request.app.state.engine, status=None if raw == _ALL else ApprovalStatus(raw),
        requested_by=None if principal.account.is_editor else principal.account.id)
    return JSONResponse({"success": True, "data": [approval_json(row) for row in rows]})


@documented(summary="Ajukan berita untuk disetujui editor", tags=TAGS,
            body={"type": "object", "required": ["event_id"],
                  "properties": {"event_id": {"type": "integer", "minimum": 1}}},
            responses={**WRITE_RESPONSES, 201: "Diajukan; editor diberi tahu lewat WhatsApp"})
async def submit(request: Request) -> JSONResponse:
    principal = await authenticate_penmas(request)
    body = await json_body(request)
    reject_unknown_keys(body, {"event_id"})
    event_id = body_id(body, "event_id")
    with editorial_errors(event_id):
        outcome = await events.change_event(request.app.state.engine, event_id,
                                            principal.actor, {}, status=EventStatus.SUBMITTED)
    if not outcome.status_changed:
        raise ApiError(409, f"event_id {event_id} sudah menunggu persetujuan")
    await announce(request, outcome, principal.account, None)
    return JSONResponse({"success": True, "data": {
        "request_id": outcome.approval_id, "status": ApprovalStatus.PENDING.value,
        "event": event_json(outcome.event)}}, status_code=201)


@documented(summary="Setujui atau tolak (editor); penulis diberi tahu lewat WhatsApp",
            tags=TAGS, params=[ID_PARAM],
            body={"type": "object", "required": ["status"], "properties": {
                "status": {"type": "string", "enum": [s.value for s in _DECISIONS]},
                "alasan": {"type": "string", "maxLength": 500,
                           "description": "wajib saat menolak"}}},
            responses=WRITE_RESPONSES)
async def decide(request: Request) -> JSONResponse:
    principal = await authenticate_penmas(request)
    if not principal.account.is_editor:
        raise editors_only()
    request_id = path_id(request, "request_id")
    body = await json_body(request)
    reject_unknown_keys(body, {"status", "alasan"})
    status = requested_status(body)
    if status not in _DECISIONS:
        raise ApiError(400, "status harus approved atau rejected")
    reason = rejection_reason(body, status)
    engine = request.app.state.engine
    state = await approval_state(engine, request_id)
    if state is None:
        raise ApiError(404, f"request_id {request_id} tidak ditemukan")
    event_id, current = state
    if current is not ApprovalStatus.PENDING:
        raise ApiError(409, f"request_id {request_id} sudah diputuskan ({current.value})")
    with editorial_errors(event_id):
        outcome = await events.change_event(engine, event_id, principal.actor, {},
                                            status=status, reason=reason)
    if not outcome.status_changed:
        raise ApiError(409, f"request_id {request_id} sudah diputuskan")
    await announce(request, outcome, principal.account, reason)
    return JSONResponse({"success": True, "data": {
        "request_id": request_id, "status": status.value, "event": event_json(outcome.event)}})


routes = [
    Route("/api/approvals", list_requests, methods=["GET"]),
    Route("/api/approvals", submit, methods=["POST"]),
    Route("/api/approvals/{id}", decide, methods=["PUT"]),
]

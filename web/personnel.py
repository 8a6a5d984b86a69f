"""The personnel directory of the dashboard: list, create, edit, NRP change.

Scope: a person may be read or changed only when their satker is visible to the caller
(403 otherwise), and may be moved only into a visible satker. Every change is audited in
`personnel_changes` with the dashboard username (storage/personnel_admin.py).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from storage.dashboard_data import (
    PersonRecord,
    first_directorate,
    person_record,
    population_people,
)
from storage.models import DashboardRole
from storage.personnel_admin import (
    PersonnelConflict,
    PersonNotFound,
    RenameOutcome,
    create_or_reactivate,
    rename_person,
    update_person,
)
from web.data_params import CLIENT_HEADER, CLIENT_PARAM, DATA_RESPONSES, known_client
from web.errors import ApiError
from web.openapi import Param, documented
from web.personnel_fields import (
    CREATE_KEYS,
    FIELD_SCHEMAS,
    UPDATE_KEYS,
    column_values,
    existing_nrp,
    parse_nrp,
    person_json,
    reject_unknown_keys,
)
from web.requests import json_body
from web.security import Principal, authenticate, require_client, scoped_client

_CONFLICTS = {
    "user_id": "NRP/NIP sudah dipakai personel lain",
    "instagram": "Username Instagram sudah dipakai personel lain",
    "tiktok": "Username TikTok sudah dipakai personel lain",
    "whatsapp": "Nomor WhatsApp sudah dipakai personel lain",
    "email": "Email sudah dipakai personel lain",
}
_WRITE_RESPONSES = {200: "OK", 400: "Input tidak valid", 401: "Token tidak valid",
                    403: "Personel/client di luar akses", 404: "Personel tidak ditemukan",
                    409: "NRP, username, nomor WhatsApp atau email sudah dipakai"}


def _conflict(exc: PersonnelConflict) -> ApiError:
    return ApiError(409, _CONFLICTS.get(exc.column, "Data bentrok dengan personel lain"))


async def _visible_person(request: Request, principal: Principal, user_id: str) -> PersonRecord:
    """The person, when their satker is visible to the caller; 404 / 403 otherwise."""
    person = await person_record(request.app.state.engine, user_id)
    if person is None:
        raise ApiError(404, "Personel tidak ditemukan")
    await require_client(request, principal, person.client_id)
    return person


async def _target_client(request: Request, principal: Principal, client_id: str) -> None:
    """A satker a person may be put in: visible to the caller (403) and existing (400)."""
    await require_client(request, principal, client_id)
    try:
        await known_client(request.app.state.engine, client_id)
    except ApiError:
        raise ApiError(400, "client_id tidak dikenal") from None


async def _caller_directorate(engine: AsyncEngine, principal: Principal) -> str | None:
    if principal.role is not DashboardRole.DIRECTORATE:
        return None
    return await first_directorate(engine, [c for c in (principal.client_id,
                                                        *principal.client_ids) if c])


async def _person_response(engine: AsyncEngine, user_id: str, status: int = 200
                           ) -> JSONResponse:
    person = await person_record(engine, user_id)
    if person is None:  # deleted between the change and this read
        raise ApiError(404, "Personel tidak ditemukan")
    return JSONResponse({"success": True, "data": person_json(person)}, status_code=status)


# --- endpoints ------------------------------------------------------------------------------


@documented(summary="Daftar personel aktif satker/direktorat", tags=["personnel"],
            params=[CLIENT_PARAM, CLIENT_HEADER], responses=DATA_RESPONSES)
async def list_users(request: Request) -> JSONResponse:
    _, client_id = await scoped_client(request)
    engine = request.app.state.engine
    client = await known_client(engine, client_id)
    people = await population_people(engine, client)
    return JSONResponse({"success": True, "data": [person_json(p) for p in people]})


_CREATE_BODY = {
    "type": "object", "required": ["user_id", "nama"], "additionalProperties": False,
    "properties": {key: FIELD_SCHEMAS[key] for key in sorted(CREATE_KEYS)},
}


@documented(summary="Tambah personel (atau aktifkan kembali NRP yang ada)", tags=["personnel"],
            body=_CREATE_BODY,
            responses={**_WRITE_RESPONSES, 201: "Personel baru dibuat",
                       200: "NRP sudah ada: data terbaru (diaktifkan kembali bila nonaktif)"})
async def create_user(request: Request) -> JSONResponse:
    principal = await authenticate(request)
    body = await json_body(request)
    reject_unknown_keys(body, CREATE_KEYS)
    if body.get("user_id") in (None, ""):
        raise ApiError(400, "user_id wajib diisi")
    if not body.get("nama"):
        raise ApiError(400, "nama wajib diisi")
    client_id = body.get("client_id") or principal.client_id
    if not client_id:
        raise ApiError(400, "client_id wajib diisi")
    values = column_values({**body, "client_id": client_id})
    await _target_client(request, principal, values["client_id"])
    engine = request.app.state.engine
    existing = await person_record(engine, existing_nrp(body["user_id"]))
    if existing is not None:
        await require_client(request, principal, existing.client_id)
        user_id = existing.user_id
    else:
        user_id = parse_nrp("user_id", body["user_id"])
    try:
        created = await create_or_reactivate(
            engine, user_id, {k: v for k, v in values.items() if v is not None},
            directorate=await _caller_directorate(engine, principal),
            changed_by=principal.username)
    except PersonnelConflict as exc:
        raise _conflict(exc) from None
    return await _person_response(engine, user_id, 201 if created else 200)


_UPDATE_BODY = {
    "type": "object", "additionalProperties": False, "minProperties": 1,
    "properties": {key: FIELD_SCHEMAS[key] for key in sorted(UPDATE_KEYS)},
}


@documented(summary="Ubah data personel", tags=["personnel"], body=_UPDATE_BODY,
            params=[Param("user_id", {"type": "string", "maxLength": 32}, required=True,
                          location="path", description="NRP/NIP")],
            responses=_WRITE_RESPONSES)
async def update_user(request: Request) -> JSONResponse:
    principal = await authenticate(request)
    body = await json_body(request)
    reject_unknown_keys(body, UPDATE_KEYS)
    if not body:
        raise ApiError(400, "Tidak ada data yang diubah")
    person = await _visible_person(request, principal, request.path_params["user_id"])
    changes = column_values(body)
    if changes.get("client_id", person.client_id) != person.client_id:
        await _target_client(request, principal, changes["client_id"])
    new_user_id = None
    if "user_id" in body and existing_nrp(body["user_id"]) != person.user_id:
        new_user_id = parse_nrp("user_id", body["user_id"])
    engine = request.app.state.engine
    try:
        user_id = await update_person(engine, person.user_id, changes,
                                      new_user_id=new_user_id, changed_by=principal.username)
    except PersonNotFound:
        raise ApiError(404, "Personel tidak ditemukan") from None
    except PersonnelConflict as exc:
        raise _conflict(exc) from None
    return await _person_response(engine, user_id)


_RENAME_BODY = {
    "type": "object", "required": ["old_user_id", "new_user_id"],
    "properties": {"old_user_id": FIELD_SCHEMAS["user_id"],
                   "new_user_id": FIELD_SCHEMAS["user_id"]},
}


@documented(summary="Ganti NRP personel beserta seluruh data terkait", tags=["personnel"],
            body=_RENAME_BODY, responses=_WRITE_RESPONSES)
async def change_user_id(request: Request) -> JSONResponse:
    principal = await authenticate(request)
    body = await json_body(request)
    reject_unknown_keys(body, ("old_user_id", "new_user_id"))
    for key in ("old_user_id", "new_user_id"):
        if body.get(key) in (None, ""):
            raise ApiError(400, f"{key} wajib diisi")
    old = existing_nrp(body["old_user_id"])
    new = old if existing_nrp(body["new_user_id"]) == old else \
        parse_nrp("new_user_id", body["new_user_id"])
    engine = request.app.state.engine
    person = await person_record(engine, old) or await person_record(engine, new)
    if person is None:
        raise ApiError(404, "Personel tidak ditemukan")
    await require_client(request, principal, person.client_id)
    outcome = await rename_person(engine, old, new, changed_by=principal.username)
    if outcome is RenameOutcome.NOT_FOUND:
        raise ApiError(404, "Personel tidak ditemukan")
    if outcome is RenameOutcome.TAKEN:
        raise ApiError(409, _CONFLICTS["user_id"])
    return JSONResponse({"success": True, "data": {"old_user_id": old, "new_user_id": new}})


routes = [
    Route("/api/users/list", list_users, methods=["GET"]),
    Route("/api/users/create", create_user, methods=["POST"]),
    Route("/api/users/{user_id}", update_user, methods=["PUT"]),
    Route("/api/user_roles/update", change_user_id, methods=["PUT", "POST"]),
]
middleware: list = []

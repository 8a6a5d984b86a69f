"""`/api/premium-requests` (reference path): a person asks for premium with the account
holder's name, the account number and the bank, uploads the transfer proof, and confirms;
only the confirmation tells the admins on WhatsApp (with the proof attached), who decide
with `grantsub#<id>` / `denysub#<id> alasan` (conversations/premium_approval.py).

The person is the one linked to the caller's dashboard account (`dashboard_users.user_id`);
an account without a linked person gets 403. Accepts dashboard tokens only (Penmas tokens:
401). The proof is the request body itself (`Content-Type: image/jpeg|png|webp`, at most
MAX_PROOF_BYTES); its first bytes must be such an image, whatever the header says. It is kept
in PostgreSQL (storage/premium.py), never on a path the uploader names.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from cicero.clock import clock
from cicero.messages import Document
from menus import premium as texts
from menus.format import numeric_date
from storage import premium
from storage.dashboard_users import find_by_id
from storage.identifiers import phone_list, record_id
from storage.premium import PremiumRequestRecord
from web.errors import ApiError
from web.openapi import Param, documented
from web.operations import MEDIA_TYPE_KEY
from web.personnel_fields import reject_unknown_keys
from web.premium_access import UNLOCKED_BY_PREMIUM
from web.requests import json_body, read_body, text_field
from web.security import authenticate
from web.whatsapp_notices import notify

_TAGS = ["Premium"]
MAX_PROOF_BYTES = 2 * 1024 * 1024
PROOF_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
_ID_PARAM = Param("id", {"type": "integer", "minimum": 1}, required=True, location="path")
_RESPONSES = {200: "OK", 400: "Input tidak valid (pesan menyebut field-nya)",
              401: "Token dashboard tidak valid",
              403: "Akun belum terhubung dengan personel / permintaan orang lain",
              404: "request_id tidak ditemukan", 409: "Status permintaan tidak sesuai"}
_ACCOUNT_DIGITS = re.compile(r"[0-9][0-9 .-]{3,40}[0-9]")


async def _person(request: Request) -> tuple[str, str, str | None]:
    """(the caller's person, their dashboard account, its WhatsApp number); 401 / 403."""
    principal = await authenticate(request)
    account = await find_by_id(request.app.state.engine, principal.dashboard_user_id)
    if account is None:
        raise ApiError(401, "Sesi sudah berakhir, silakan login kembali")
    if account.user_id is None:
        raise ApiError(403, "Akun dashboard Anda belum terhubung dengan data personel (NRP). "
                            "Hubungi admin.")
    return account.user_id, account.id, account.whatsapp


def _request_id(request: Request) -> int:
    raw = request.path_params["id"]
    value = record_id(raw)
    if value is None:
        raise ApiError(404, f"request_id {raw[:20]} tidak ditemukan")
    return value


def request_json(record: PremiumRequestRecord) -> dict[str, Any]:
    return {
        "request_id": record.id, "user_id": record.user_id, "nama": record.name,
        "sender_name": record.sender_name, "account_number": record.account_number,
        "bank_name": record.bank_name, "status": record.status.value,
        "alasan": record.reason,
        "granted_until": numeric_date(record.granted_until) if record.granted_until else None,
        "bukti_transfer": ({"content_type": record.proof_type, "size": record.proof_size}
                           if record.proof_type else None),
        "created_at": record.created_at.isoformat(),
        "confirmed_at": record.confirmed_at.isoformat() if record.confirmed_at else None,
        "decided_at": record.decided_at.isoformat() if record.decided_at else None,
    }


def _premium_errors(request_id: int, exc: premium.PremiumError) -> ApiError:
    if isinstance(exc, premium.RequestNotFound):
        return ApiError(404, f"request_id {request_id} tidak ditemukan")
    if isinstance(exc, premium.NotYourRequest):
        return ApiError(403, "Permintaan premium ini milik orang lain")
    if isinstance(exc, premium.RequestNotOpen):
        return ApiError(409, f"Permintaan premium berstatus {exc.status.value}: bukti dan "
                             "konfirmasi hanya untuk permintaan yang belum dikonfirmasi")
    if isinstance(exc, premium.MissingProof):
        return ApiError(409, "bukti_transfer belum diunggah")
    raise exc


# --- list and create ------------------------------------------------------------------------


@documented(summary="Permintaan premium saya dan status akses premium", tags=_TAGS,
            responses={200: "Daftar permintaan, terbaru dahulu, dan status premium",
                       403: "Akun belum terhubung dengan personel"})
async def list_requests(request: Request) -> JSONResponse:
    user_id, _, _ = await _person(request)
    engine = request.app.state.engine
    until = await premium.premium_until(engine, user_id)
    rows = await premium.requests_of(engine, user_id)
    return JSONResponse({"success": True, "data": [request_json(row) for row in rows],
                         "premium": {"active": premium.is_active(until, clock.today()),
                                     "premium_until": numeric_date(until) if until else None,
                                     "unlocks": list(UNLOCKED_BY_PREMIUM)}})


_CREATE_BODY = {"type": "object", "required": ["sender_name", "account_number", "bank_name"],
                "properties": {
                    "sender_name": {"type": "string", "minLength": 3, "maxLength": 100,
                                    "description": "nama pemilik rekening pengirim"},
                    "account_number": {"type": "string", "minLength": 5, "maxLength": 42},
                    "bank_name": {"type": "string", "minLength": 2, "maxLength": 60}}}


@documented(summary="Ajukan premium (nama pemilik rekening, nomor rekening, bank)", tags=_TAGS,
            body=_CREATE_BODY,
            responses={**_RESPONSES, 201: "Permintaan dibuat; unggah bukti lalu konfirmasi",
                       409: "Masih ada permintaan yang belum selesai"})
async def create_request(request: Request) -> JSONResponse:
    user_id, account_id, account_whatsapp = await _person(request)
    body = await json_body(request)
    reject_unknown_keys(body, {"sender_name", "account_number", "bank_name"})
    sender = " ".join((text_field(body, "sender_name", max_length=100) or "").split())
    if len(sender) < 3:
        raise ApiError(400, "sender_name minimal 3 karakter")
    number = text_field(body, "account_number", max_length=42) or ""
    if not _ACCOUNT_DIGITS.fullmatch(number):
        raise ApiError(400, "account_number harus berupa nomor rekening (angka)")
    bank = " ".join((text_field(body, "bank_name", max_length=60) or "").split())
    if len(bank) < 2:
        raise ApiError(400, "bank_name minimal 2 karakter")
    try:
        record = await premium.create_request(
            request.app.state.engine, user_id, requested_by=account_id, sender_name=sender,
            account_number=re.sub(r"\D", "", number), bank_name=bank,
            fallback_whatsapp=account_whatsapp)
    except premium.OpenRequestExists as exc:
        raise ApiError(409, f"Masih ada permintaan premium yang belum selesai (request_id "
                            f"{exc.request_id})", request_id=exc.request_id) from None
    return JSONResponse({"success": True, "request": request_json(record)}, status_code=201)


# --- proof and confirmation -----------------------------------------------------------------


def image_type(content: bytes) -> str | None:
    """The image type the bytes begin with, among PROOF_TYPES."""
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(content) >= 12 and content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


_NOT_AN_IMAGE = "bukti_transfer harus berupa gambar JPEG, PNG atau WebP"


@documented(summary="Unggah bukti transfer (isi body = gambar)", tags=_TAGS, params=[_ID_PARAM],
            body={MEDIA_TYPE_KEY: list(PROOF_TYPES), "type": "string", "format": "binary"},
            responses={**_RESPONSES, 200: "Bukti tersimpan (menggantikan yang lama)",
                       413: "bukti_transfer lebih dari 2 MB",
                       415: "bukti_transfer bukan gambar JPEG/PNG/WebP"})
async def upload_proof(request: Request) -> JSONResponse:
    user_id, _, _ = await _person(request)
    request_id = _request_id(request)
    declared = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if declared not in PROOF_TYPES:
        raise ApiError(415, _NOT_AN_IMAGE)
    try:
        content = await read_body(request, MAX_PROOF_BYTES)
    except ApiError as exc:
        if exc.status == 413:
            raise ApiError(413, f"bukti_transfer terlalu besar (maksimal "
                                f"{MAX_PROOF_BYTES // (1024 * 1024)} MB)") from None
        raise
    if not content:
        raise ApiError(400, "bukti_transfer wajib diisi")
    kind = image_type(content)
    if kind is None:
        raise ApiError(415, _NOT_AN_IMAGE)
    try:
        record = await premium.store_proof(request.app.state.engine, request_id, user_id,
                                           content=content, content_type=kind,
                                           sha256=hashlib.sha256(content).hexdigest())
    except premium.PremiumError as exc:
        raise _premium_errors(request_id, exc) from None
    return JSONResponse({"success": True, "request": request_json(record)})


@documented(summary="Konfirmasi transfer: admin diberi tahu lewat WhatsApp", tags=_TAGS,
            params=[_ID_PARAM],
            responses={**_RESPONSES, 200: "Menunggu keputusan admin"})
async def confirm(request: Request) -> JSONResponse:
    user_id, _, _ = await _person(request)
    request_id = _request_id(request)
    engine = request.app.state.engine
    try:
        record = await premium.confirm_request(engine, request_id, user_id)
    except premium.PremiumError as exc:
        raise _premium_errors(request_id, exc) from None
    proof = await premium.proof_of(engine, request_id)
    assert proof is not None
    content, content_type = proof
    document = Document(f"bukti-transfer-{request_id}.{PROOF_TYPES[content_type]}", content,
                        content_type)
    for admin in phone_list(request.app.state.settings.admin_whatsapp):
        await notify(request, admin, texts.request_to_admins(record),
                     key=f"premium-request:{request_id}:{admin}", document=document)
    return JSONResponse({"success": True, "request": request_json(record)})


routes = [
    Route("/api/premium-requests", list_requests, methods=["GET"]),
    Route("/api/premium-requests", create_request, methods=["POST"]),
    Route("/api/premium-requests/{id}/proof", upload_proof, methods=["PUT"]),
    Route("/api/premium-requests/{id}/confirm", confirm, methods=["POST"]),
]

"""The claim flow: a person updates their own profile after proving, with a one-time code sent
to the e-mail address ON FILE, that the NRP is theirs. Public (no token); every answer is
`{success, data}` or `{success: false, message}`.

validate-email -> request-otp (202, code mailed by the worker) -> verify-otp (opens a
10-minute window bound to NRP + e-mail) -> user-data / update (update extends the window; a
body `otp` is accepted instead of an open window).

Unlike the reference, an e-mail is never bound by this flow: a person without an e-mail on
file gets 400 and must ask their operator to record it (weakness 11). The statuses that tell
an unknown NRP (404) or an inactive person (403) apart are kept: the client relies on them;
request counters per NRP bound what can be learnt. validate-email checks syntax only
(`email-validator`, check_deliverability=False): the servers need not reach DNS.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from email_validator import EmailNotValidError, validate_email
from redis.exceptions import RedisError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from jobs.queue import enqueue_email
from menus.claim_mail import otp_mail
from storage import claims
from storage.claims import Claimant
from storage.identifiers import (
    InvalidNrp,
    InvalidUsername,
    normalize_nrp,
    parse_instagram_username,
    parse_tiktok_username,
)
from storage.ordering import OFFICIAL_RANKS
from storage.personnel_profile import (
    RESERVED_INSTAGRAM,
    HandleTaken,
    Profile,
    ProfileField,
    load_profile,
    update_field,
    username_owner,
)
from web import rate_limit
from web.errors import ApiError
from web.openapi import documented
from web.requests import json_body, text_field

_TAGS = ["claim"]
_NAME_RE = re.compile(r"[A-Z][A-Z .,'\-]*")
_OTP_RE = re.compile(r"[0-9]{6}")
# JSON key -> profile column, in the reference's names (§2.4).
_EDITABLE: dict[str, ProfileField] = {
    "nama": ProfileField.NAME, "title": ProfileField.RANK, "divisi": ProfileField.SATFUNG,
    "jabatan": ProfileField.JABATAN, "desa": ProfileField.DESA,
    "insta": ProfileField.INSTAGRAM, "tiktok": ProfileField.TIKTOK,
}
_USERNAME_PARSERS = {ProfileField.INSTAGRAM: parse_instagram_username,
                     ProfileField.TIKTOK: parse_tiktok_username}
_SITE = {ProfileField.INSTAGRAM: "Instagram", ProfileField.TIKTOK: "TikTok"}
OTP_REQUESTS_PER_NRP = rate_limit.Limit("claim-request-otp", 5, 15 * 60)
OTP_CHECKS_PER_NRP = rate_limit.Limit("claim-verify-otp", 10, 15 * 60)

NO_EMAIL_ON_FILE = ("Email untuk NRP/NIP ini belum tercatat. Minta operator satker Anda "
                    "mencatat email Anda terlebih dahulu, lalu ulangi permintaan kode OTP.")
EMAIL_MISMATCH = "Email tidak sesuai dengan email yang tercatat untuk NRP/NIP ini."
UNKNOWN_NRP = "NRP/NIP tidak ditemukan."
INACTIVE = "Data personel ini tidak aktif. Hubungi operator satker Anda."
INACTIVE_EMAIL = "Email ini milik personel yang tidak aktif. Hubungi operator satker Anda."
BAD_EMAIL = "Format email tidak valid. Contoh yang benar: nama@domain.com."
MAIL_UNAVAILABLE = ("Pengiriman email belum dikonfigurasi di server ini, sehingga kode OTP "
                    "tidak dapat dikirim. Hubungi admin Cicero.")
QUEUE_UNAVAILABLE = "Antrean email sedang tidak tersedia. Coba lagi beberapa saat lagi."
OTP_SENT = "Kode OTP telah dikirim ke email Anda dan berlaku 5 menit."
BAD_OTP_FORMAT = "Kode OTP harus 6 digit angka."
WRONG_OTP = "Kode OTP salah atau sudah kedaluwarsa. Minta kode baru bila perlu."
NOT_VERIFIED = "Verifikasi OTP diperlukan. Minta dan masukkan kode OTP terlebih dahulu."


# --- reading the request ----------------------------------------------------------------------

def _nrp(body: dict[str, Any]) -> str:
    try:
        return normalize_nrp(text_field(body, "nrp", max_length=40) or "")
    except InvalidNrp as exc:
        raise ApiError(400, str(exc)) from None


def _email(body: dict[str, Any]) -> str:
    raw = text_field(body, "email", max_length=254) or ""
    try:
        checked = validate_email(raw, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise ApiError(400, BAD_EMAIL) from None
    return checked.normalized.lower()


def _otp(body: dict[str, Any], *, required: bool = True) -> str | None:
    code = text_field(body, "otp", required=required, max_length=12)
    if code is not None and not _OTP_RE.fullmatch(code):
        raise ApiError(400, BAD_OTP_FORMAT)
    return code


async def _claimant(request: Request, nrp: str) -> Claimant:
    """The person, or 404 (unknown) / 403 (inactive)."""
    claimant = await claims.find_claimant(request.app.state.engine, nrp)
    if claimant is None:
        raise ApiError(404, UNKNOWN_NRP)
    if not claimant.active:
        raise ApiError(403, INACTIVE)
    return claimant


def _owns_email(claimant: Claimant, email: str) -> bool:
    return claimant.email is not None and claimant.email.strip().lower() == email


async def _verified(request: Request, claimant: Claimant, email: str,
                    otp: str | None) -> bool:
    """An open window for this NRP + e-mail, or a right `otp` (which opens one)."""
    redis = request.app.state.redis
    if not _owns_email(claimant, email):
        return False
    if await claims.is_verified(redis, claimant.user_id, email):
        return True
    if otp is None:
        return False
    await rate_limit.consume(redis, OTP_CHECKS_PER_NRP, claimant.user_id)
    if not await claims.consume_code(redis, claimant.user_id, email, otp):
        return False
    await claims.open_verified_window(redis, claimant.user_id, email)
    return True


def _ok(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse({"success": True, "data": data}, status_code=status)


def _user_json(profile: Profile, email: str | None) -> dict[str, Any]:
    return {
        "user_id": profile.user_id, "nama": profile.name, "title": profile.rank,
        "divisi": profile.satfung, "jabatan": profile.jabatan, "desa": profile.desa,
        "insta": profile.instagram, "tiktok": profile.tiktok, "email": email,
        "client_id": profile.client_id, "nama_client": profile.client_name,
        "client_name": profile.client_name, "status": profile.active,
    }


# --- the profile changes ----------------------------------------------------------------------

def _upper_text(key: str, value: str) -> str:
    text = " ".join(value.upper().split())
    if key == "nama" and (len(text) < 2 or not _NAME_RE.fullmatch(text)):
        raise ApiError(400, "nama hanya boleh berisi huruf, spasi, titik, koma, apostrof "
                            "dan tanda hubung (minimal 2 karakter)")
    if key == "title" and text not in OFFICIAL_RANKS:
        raise ApiError(400, "title harus salah satu pangkat resmi: " + ", ".join(OFFICIAL_RANKS))
    return text


async def _username(request: Request, field: ProfileField, user_id: str, value: str) -> str:
    site = _SITE[field]
    try:
        username = _USERNAME_PARSERS[field](value)
    except InvalidUsername as exc:
        raise ApiError(400, str(exc)) from None
    if username in RESERVED_INSTAGRAM:
        raise ApiError(400, f"Username {site} @{username} adalah akun sistem Cicero dan "
                            "tidak boleh dipakai.")
    owner = await username_owner(request.app.state.engine, field, username)
    if owner is not None and owner != user_id:
        raise ApiError(409, f"Username {site} @{username} sudah dipakai personel lain.")
    return username


async def _changes(request: Request, body: dict[str, Any],
                   profile: Profile) -> dict[ProfileField, str]:
    """The allow-listed fields that differ from what is stored, validated. Absent or empty
    fields mean "unchanged"; a value equal to the stored one is accepted as is (even an old
    rank outside the official list), so the edit form can always send every field."""
    changes: dict[ProfileField, str] = {}
    for key, field in _EDITABLE.items():
        value = text_field(body, key, required=False, max_length=100)
        if value is None:
            continue
        current = getattr(profile, field.value)
        if field in _USERNAME_PARSERS:
            if value.lstrip("@").lower() == (current or ""):
                continue
            changes[field] = await _username(request, field, profile.user_id, value)
        elif " ".join(value.upper().split()) != (current or ""):
            changes[field] = _upper_text(key, value)
    return {field: value for field, value in changes.items()
            if value != getattr(profile, field.value)}


# --- endpoints --------------------------------------------------------------------------------

# The patterns describe what a client should send (a subset of what is accepted: NRPs may
# also carry spaces/dots/dashes, usernames may be profile URLs).
_NRP_SCHEMA = {"type": "string", "pattern": "^[0-9]{6,18}$",
               "description": "NRP (6–12 digit) atau NIP (18 digit)"}
_EMAIL_SCHEMA = {"type": "string", "format": "email", "maxLength": 254,
                 "pattern": "^[A-Za-z0-9]{1,20}([._+-][A-Za-z0-9]{1,20}){0,2}"
                            "@[A-Za-z0-9]{1,20}(-[A-Za-z0-9]{1,20})?(\\.[A-Za-z0-9]{1,20}){0,2}"
                            "\\.[A-Za-z]{2,3}$"}
_OTP_SCHEMA = {"type": "string", "pattern": "^[0-9]{6}$"}


def _body(required: list[str], **properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


@documented(summary="Check the syntax of an e-mail address (no DNS look-up)", tags=_TAGS,
            auth=False, body=_body(["email"], email=_EMAIL_SCHEMA),
            responses={200: "Valid address", 400: "Missing or malformed address",
                       403: "The address belongs to an inactive person"})
async def validate_email_address(request: Request) -> JSONResponse:
    email = _email(await json_body(request))
    holders = await claims.email_holders_active(request.app.state.engine, email)
    if holders and not any(holders):
        # `status` is the string the client maps to its own notice.
        raise ApiError(403, INACTIVE_EMAIL, status="inactive")
    return _ok({"message": "Email valid", "email": email})


@documented(summary="Mail a one-time code to the e-mail on file for this NRP", tags=_TAGS,
            auth=False, body=_body(["nrp", "email"], nrp=_NRP_SCHEMA, email=_EMAIL_SCHEMA),
            responses={202: "Code queued for e-mail delivery",
                       400: "Missing/invalid input, no e-mail on file, or another e-mail",
                       403: "Inactive person", 404: "Unknown NRP",
                       429: "More than 5 requests for this NRP in 15 minutes",
                       503: "E-mail not configured or mail queue unavailable"})
async def request_otp(request: Request) -> JSONResponse:
    body = await json_body(request)
    nrp, email = _nrp(body), _email(body)
    await rate_limit.consume(request.app.state.redis, OTP_REQUESTS_PER_NRP, nrp)
    claimant = await _claimant(request, nrp)
    if claimant.email is None:
        raise ApiError(400, NO_EMAIL_ON_FILE)
    if not _owns_email(claimant, email):
        raise ApiError(400, EMAIL_MISMATCH)
    settings = request.app.state.settings
    if not settings.smtp_host or not (settings.smtp_from or settings.smtp_user):
        raise ApiError(503, MAIL_UNAVAILABLE)
    redis = request.app.state.redis
    try:
        code = await claims.issue_code(redis, nrp, email)
        mail = otp_mail(name=claimant.name, rank=claimant.rank, nrp=nrp, code=code,
                        valid_minutes=claims.OTP_TTL_SECONDS // 60)
        await enqueue_email(redis, claimant.email, mail.subject, mail.body,
                            valid_for=claims.OTP_TTL_SECONDS)
    except (RedisError, OSError):  # no code may stay live that nobody will receive
        with contextlib.suppress(RedisError, OSError):
            await claims.discard_code(redis, nrp)
        raise ApiError(503, QUEUE_UNAVAILABLE) from None
    return _ok({"message": OTP_SENT}, status=202)


@documented(summary="Check the one-time code; opens a 10-minute verified window", tags=_TAGS,
            auth=False,
            body=_body(["nrp", "email", "otp"], nrp=_NRP_SCHEMA, email=_EMAIL_SCHEMA,
                       otp=_OTP_SCHEMA),
            responses={200: "Verified", 400: "Missing input, wrong, expired or burned code",
                       403: "Inactive person", 404: "Unknown NRP",
                       429: "Too many attempts for this NRP"})
async def verify_otp(request: Request) -> JSONResponse:
    body = await json_body(request)
    nrp, email, otp = _nrp(body), _email(body), _otp(body)
    await rate_limit.consume(request.app.state.redis, OTP_CHECKS_PER_NRP, nrp)
    claimant = await _claimant(request, nrp)
    redis = request.app.state.redis
    if not _owns_email(claimant, email) or not await claims.consume_code(redis, nrp, email,
                                                                         otp or ""):
        raise ApiError(400, WRONG_OTP)
    await claims.open_verified_window(redis, nrp, email)
    return _ok({"verified": True})


async def _load(request: Request, claimant: Claimant) -> Profile:
    profile = await load_profile(request.app.state.engine, claimant.user_id)
    if profile is None:  # deleted meanwhile
        raise ApiError(404, UNKNOWN_NRP)
    return profile


@documented(summary="The verified person's profile", tags=_TAGS, auth=False,
            body=_body(["nrp", "email"], nrp=_NRP_SCHEMA, email=_EMAIL_SCHEMA),
            responses={200: "The profile", 400: "Missing or invalid input",
                       403: "Not verified, or inactive person", 404: "Unknown NRP"})
async def user_data(request: Request) -> JSONResponse:
    body = await json_body(request)
    nrp, email = _nrp(body), _email(body)
    claimant = await _claimant(request, nrp)
    if not await _verified(request, claimant, email, None):
        raise ApiError(403, NOT_VERIFIED)
    return _ok(_user_json(await _load(request, claimant), claimant.email))


_TEXT_SCHEMA = {"type": "string", "maxLength": 100}
_UPDATE_FIELDS = {
    "nama": {"type": "string", "pattern": "^[A-Za-z][A-Za-z .,'-]{1,99}$"},
    "title": {"type": "string", "enum": list(OFFICIAL_RANKS)},
    "divisi": _TEXT_SCHEMA, "jabatan": _TEXT_SCHEMA, "desa": _TEXT_SCHEMA,
    "insta": {"type": "string", "pattern": "^@?[a-z0-9_][a-z0-9._]{0,29}$"},
    "tiktok": {"type": "string", "pattern": "^@?[a-z0-9_][a-z0-9._]{0,23}$"},
}


@documented(summary="Update the verified person's profile (allow-listed fields)", tags=_TAGS,
            auth=False,
            body=_body(["nrp", "email"], nrp=_NRP_SCHEMA, email=_EMAIL_SCHEMA, otp=_OTP_SCHEMA,
                       **_UPDATE_FIELDS),
            responses={200: "The updated profile",
                       400: "Invalid input, bad or reserved username, rank not official",
                       403: "Not verified (and no right `otp`), or inactive person",
                       404: "Unknown NRP", 409: "Username used by another person",
                       429: "Too many OTP attempts for this NRP"})
async def update_profile(request: Request) -> JSONResponse:
    body = await json_body(request)
    nrp, email, otp = _nrp(body), _email(body), _otp(body, required=False)
    claimant = await _claimant(request, nrp)
    if not await _verified(request, claimant, email, otp):
        raise ApiError(403, NOT_VERIFIED)
    profile = await _load(request, claimant)
    engine = request.app.state.engine
    for field, value in (await _changes(request, body, profile)).items():
        try:
            await update_field(engine, nrp, field, value, f"claim:{email}")
        except HandleTaken:
            raise ApiError(409, f"Username {_SITE.get(field, '')} @{value} sudah dipakai "
                                "personel lain.") from None
    await claims.extend_verified_window(request.app.state.redis, nrp, email)
    return _ok(_user_json(await _load(request, claimant), claimant.email))


routes = [
    Route("/api/claim/validate-email", validate_email_address, methods=["POST"]),
    Route("/api/claim/request-otp", request_otp, methods=["POST"]),
    Route("/api/claim/verify-otp", verify_otp, methods=["POST"]),
    Route("/api/claim/user-data", user_data, methods=["POST"]),
    Route("/api/claim/update", update_profile, methods=["PUT"]),
]
middleware: list = []

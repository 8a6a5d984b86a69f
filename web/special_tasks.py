"""Special tasks over HTTP: `/api/insta/posts-khusus` lists a client's special tasks (GET,
reference keys of `insta_post_khusus`) and registers one (POST, the API twin of oprrequest
11): the post is fetched once by the `register_special_task` job, which this request waits
for. A personnel token may list the special tasks of its own units; only dashboard tokens
register, for clients in their scope.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from cicero.clock import clock
from jobs.queue import register_special_task
from menus.format import post_url
from storage.link_reports import load_officer
from storage.special_tasks import SpecialTask, special_task_of, special_tasks_of
from web.data_params import DATA_PARAMS, DATA_RESPONSES, LIMIT_PARAM, known_client, requested_limit
from web.errors import ApiError
from web.link_reports import shortcode_of
from web.openapi import documented
from web.personnel_tokens import PersonnelPrincipal, authenticate_caller
from web.requests import json_body, requested_period, text_field
from web.security import authenticate, requested_client_id, require_client

WAIT_SECONDS = 25.0
_OUTCOME_ERRORS = {
    "not_found": (404, "Konten Instagram tidak ditemukan (dihapus, salah ketik, atau akun "
                       "privat)"),
    "failed": (502, "Konten gagal diambil dari Instagram saat ini. Coba lagi nanti."),
    "unavailable": (503, "Pengambilan data Instagram belum dikonfigurasi (RAPIDAPI_KEY)"),
}


def special_task_json(task: SpecialTask) -> dict[str, Any]:
    post = task.post
    return {"shortcode": post.shortcode, "client_id": task.client_id,
            "owner_username": post.owner_username, "caption": post.caption,
            "like_count": post.like_count, "comment_count": post.comment_count,
            "thumbnail_url": post.thumbnail_url, "image_url": post.image_url,
            "video_url": post.video_url, "is_video": post.is_video,
            "is_carousel": post.is_carousel, "created_at": post.uploaded_at.isoformat(),
            "registered_at": task.registered_at.isoformat(),
            "task_date": clock.business_date(task.registered_at).isoformat(),
            "url": post_url("instagram", post.shortcode)}


async def _readable_client(request: Request) -> str:
    caller = await authenticate_caller(request)
    if not isinstance(caller, PersonnelPrincipal):
        client_id = requested_client_id(request, caller)
        await require_client(request, caller, client_id)
        return client_id
    officer = await load_officer(request.app.state.engine, caller.user_id)
    if officer is None or not officer.active:
        raise ApiError(401, "Sesi sudah berakhir, silakan login kembali")
    client_id = (request.query_params.get("client_id") or officer.client_id).strip().upper()
    if client_id not in officer.units:
        raise ApiError(403, "client_id tidak diizinkan")
    return client_id


@documented(summary="Tugas khusus (konten Instagram) sebuah client dalam periode",
            tags=["special-tasks"], params=[*DATA_PARAMS, LIMIT_PARAM],
            responses=DATA_RESPONSES)
async def list_special_tasks(request: Request) -> JSONResponse:
    client_id = await _readable_client(request)
    period, limit = requested_period(request), requested_limit(request)
    engine = request.app.state.engine
    await known_client(engine, client_id)
    tasks = await special_tasks_of(engine, client_id, period, limit)
    return JSONResponse({"success": True, "data": [special_task_json(t) for t in tasks]})


@documented(summary="Daftarkan konten Instagram (akun mana pun) sebagai tugas khusus client",
            tags=["special-tasks"],
            body={"type": "object", "required": ["link"], "properties": {
                "client_id": {"type": "string", "maxLength": 64},
                "link": {"type": "string", "maxLength": 300,
                         "description": "link atau kode postingan Instagram"}}},
            responses={200: "Sudah terdaftar sebelumnya", 201: "Tugas khusus dibuat",
                       202: "Masih diambil; muncul di daftar setelah selesai",
                       400: "Input tidak valid", 401: "Token tidak valid",
                       403: "Token personel / client di luar akses",
                       404: "Client atau konten tidak ditemukan",
                       502: "Instagram gagal dihubungi", 503: "RapidAPI belum dikonfigurasi"})
async def create_special_task(request: Request) -> JSONResponse:
    principal = await authenticate(request)
    body = await json_body(request)
    raw_client = text_field(body, "client_id", required=False, max_length=64)
    client_id = (raw_client or requested_client_id(request, principal)).upper()
    await require_client(request, principal, client_id)
    engine = request.app.state.engine
    await known_client(engine, client_id)
    shortcode = shortcode_of(text_field(body, "link", max_length=300) or "")
    existing = await special_task_of(engine, client_id, shortcode)
    if existing is not None:
        return JSONResponse({"success": True, "data": special_task_json(existing)})
    answer = await register_special_task(request.app.state.redis, client_id, shortcode,
                                         f"dashboard:{principal.username}", WAIT_SECONDS)
    outcome = answer["outcome"]
    if outcome in _OUTCOME_ERRORS:
        status, message = _OUTCOME_ERRORS[outcome]
        raise ApiError(status, message)
    task = await special_task_of(engine, client_id, shortcode)
    if task is None:  # no worker answered in time: it is still queued or running
        return JSONResponse({"success": True, "message": "Konten sedang diambil"},
                            status_code=202)
    return JSONResponse({"success": True, "data": special_task_json(task)},
                        status_code=201 if outcome == "created" else 200)


routes = [
    Route("/api/insta/posts-khusus", list_special_tasks, methods=["GET"]),
    Route("/api/insta/posts-khusus", create_special_task, methods=["POST"]),
]

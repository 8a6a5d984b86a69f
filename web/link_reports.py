"""The app's link report API (reference paths and JSON keys): `/api/link-reports` for the
official posts and `/api/link-reports-khusus` for the special tasks, each with list, get by
shortcode, create, update, delete and the monthly Excel; `/api/link-reports/tasks` lists the
person's tasks of the reporting window.

Who may do what: a personnel token (web/personnel_auth.py) reads and writes only its own
reports (naming another `user_id` is 403), within the reporting window, for tasks of its own
units (another client's post is 403). A dashboard token reads the reports of the clients in
its scope (and the Excel); it never writes. Links are checked per field: a URL that is not of
that field's platform, or the task's own post as a re-share, is 400 naming the field.

Creating a report that exists updates it (200; 201 when new): the API never keeps two.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cicero.clock import Period, clock
from menus import link_reports as texts
from menus.excel.amplification_workbook import amplification_workbook
from menus.format import post_url
from menus.reports.base import ReportRequest
from storage.amplification import REGULAR, SPECIAL, amplification_for
from storage.link_report_lists import ReportRow, list_reports
from storage.link_reports import (
    PLATFORMS,
    Links,
    Officer,
    Task,
    TaskKind,
    TaskProblem,
    delete_report,
    link_count,
    locate,
    officer_tasks,
    reporting_window,
    save_links,
)
from storage.share_links import MAX_URL_LENGTH, LinkPlatform, NotAShareLink, classify
from web.data_params import CLIENT_HEADER, CLIENT_PARAM, PERIOD_PARAMS, known_client
from web.errors import ApiError
from web.openapi import Param, documented
from web.personnel_tokens import PersonnelPrincipal, authenticate_caller
from web.requests import json_body, query_integer, requested_period, text_field
from web.security import Principal, requested_client_id, require_client

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHORTCODE_RE = re.compile(r"[A-Za-z0-9_-]{5,64}")
_PERIOD_KEYS = ("periode", "tanggal", "tanggal_mulai", "tanggal_selesai", "start_date",
                "end_date")
MAX_PAGE_SIZE = 100


# --- reading the request ----------------------------------------------------------------------

def shortcode_of(value: str) -> str:
    """A shortcode, or the shortcode of an Instagram post link; 400 otherwise."""
    value = value.strip()
    if _SHORTCODE_RE.fullmatch(value):
        return value
    try:
        link = classify(value)
    except NotAShareLink:
        link = None
    if link is None or link.platform is not LinkPlatform.INSTAGRAM or not link.shortcode:
        raise ApiError(400, "shortcode harus kode atau link postingan Instagram",
                       field="shortcode")
    return link.shortcode


def _links(body: dict[str, Any], task_shortcode: str, *, clearing: bool) -> Links:
    """The links the body gives, each checked against its field's platform. With
    `clearing`, an empty or null field removes that platform's link."""
    changes: Links = {}
    for platform in PLATFORMS:
        key = f"{platform}_link"
        raw = body.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if clearing and key in body:
                changes[platform] = None
            continue
        value = text_field(body, key, max_length=MAX_URL_LENGTH) or ""
        try:
            link = classify(value)
        except NotAShareLink as exc:
            raise ApiError(400, f"{key}: {texts.refusal_reason(exc.refusal)}",
                           field=key) from None
        if link.platform.value != platform:
            raise ApiError(400, f"{key}: bukan link {texts.PLATFORM_LABELS[platform]}",
                           field=key)
        if link.shortcode == task_shortcode:
            raise ApiError(400, f"{key}: link konten tugas itu sendiri, bukan link unggahan "
                                "ulang Anda", field=key)
        changes[platform] = link.url
    return changes


def _page(request: Request) -> tuple[int, int]:
    return (query_integer(request, "page", default=1, maximum=100_000),
            query_integer(request, "limit", default=20, maximum=MAX_PAGE_SIZE))


def _period_if_asked(request: Request) -> Period | None:
    if any(request.query_params.get(key) for key in _PERIOD_KEYS):
        return requested_period(request)
    return None


def _kind(request: Request) -> TaskKind:
    return TaskKind.SPECIAL if request.url.path.startswith("/api/link-reports-khusus") \
        else TaskKind.REGULAR


# --- JSON -------------------------------------------------------------------------------------

def report_json(row: ReportRow) -> dict[str, Any]:
    return {"shortcode": row.shortcode, "user_id": row.user_id, "nama": row.name,
            "title": row.rank, "client_id": row.task_client_id,
            **{f"{platform}_link": row.links.get(platform) for platform in PLATFORMS},
            "jumlah_link": link_count(row.links),
            "post_url": post_url("instagram", row.shortcode),
            "post_date": clock.business_date(row.task_at).isoformat(),
            "created_at": row.submitted_at.isoformat(), "updated_at": row.updated_at.isoformat()}


def task_json(task: Task) -> dict[str, Any]:
    return {"shortcode": task.shortcode, "kind": task.kind.value, "client_id": task.client_id,
            "client_name": task.client_name, "post_url": post_url("instagram", task.shortcode),
            "post_date": task.day.isoformat(), "reported": task.reported,
            **{f"{platform}_link": (task.report or {}).get(platform) for platform in PLATFORMS}}


# --- who is asking --------------------------------------------------------------------------

async def _officer(request: Request, caller: PersonnelPrincipal) -> tuple[Officer, list[Task]]:
    """The token's person, still active (a person switched off loses their tokens: 401),
    and their tasks of the reporting window."""
    window = reporting_window(clock.now(), request.app.state.settings.link_report_grace_hours)
    officer, tasks = await officer_tasks(request.app.state.engine, caller.user_id, window)
    if officer is None or not officer.active:
        raise ApiError(401, "Sesi sudah berakhir, silakan login kembali")
    return officer, tasks


def _own(request: Request, body: dict[str, Any] | None, caller: PersonnelPrincipal) -> None:
    """A personnel token may name only itself."""
    named = (body or {}).get("user_id") or request.query_params.get("user_id")
    if named is not None and str(named).strip() != caller.user_id:
        raise ApiError(403, "Anda hanya dapat membaca atau mengubah laporan link milik sendiri")


async def _personnel_task(request: Request, caller: PersonnelPrincipal, kind: TaskKind,
                          shortcode: str) -> tuple[Officer, Task]:
    """The officer and their task with this shortcode in the reporting window; 401 for an
    inactive person, 404 / 403 / 400 for a post that is not such a task."""
    officer, tasks = await _officer(request, caller)
    found = (await locate(request.app.state.engine, officer, tasks, [shortcode], kind))[
        shortcode]
    if found is TaskProblem.NOT_STORED:
        raise ApiError(404, "Konten tugas tidak ditemukan")
    if found is TaskProblem.OTHER_CLIENT:
        raise ApiError(403, "Konten ini bukan tugas amplifikasi satker Anda")
    if found is TaskProblem.OUTSIDE_WINDOW:
        raise ApiError(400, "Batas waktu pelaporan konten ini sudah lewat")
    assert isinstance(found, Task)
    return officer, found


async def _write_caller(request: Request) -> PersonnelPrincipal:
    caller = await authenticate_caller(request)
    if not isinstance(caller, PersonnelPrincipal):
        raise ApiError(403, "Laporan link hanya dapat dibuat atau diubah oleh personel sendiri")
    return caller


async def _saved_row(request: Request, kind: TaskKind, task: Task, user_id: str) -> ReportRow:
    rows, _ = await list_reports(request.app.state.engine, kind, user_id=user_id,
                                 shortcode=task.shortcode, client_id=task.client_id, limit=1)
    return rows[0]


# --- endpoints --------------------------------------------------------------------------------

_KIND_DOC = "resmi (/api/link-reports) atau tugas khusus (/api/link-reports-khusus)"
_SHORTCODE_PARAM = Param("shortcode", {"type": "string", "pattern": "^[A-Za-z0-9_-]{5,64}$"},
                         location="path", required=True)
_USER_PARAM = Param("user_id", {"type": "string", "pattern": "^[0-9]{6,18}$"},
                    description="Token personel: hanya dirinya; token dashboard: personel yang "
                                "dilihat")
_PAGE_PARAMS = [Param("page", {"type": "integer", "minimum": 1, "maximum": 100_000}),
                Param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE})]
_LINK_FIELDS = {f"{platform}_link": {"type": ["string", "null"], "maxLength": MAX_URL_LENGTH}
                for platform in PLATFORMS}
_WRITE_BODY = {"type": "object", "required": ["shortcode"], "properties": {
    "shortcode": {"type": "string", "maxLength": 300,
                  "description": "kode atau link postingan tugas"},
    "user_id": {"type": "string", "maxLength": 20}, **_LINK_FIELDS}}
_UPDATE_BODY = {"type": "object", "properties": {"user_id": {"type": "string", "maxLength": 20},
                                                 **_LINK_FIELDS}}
_READ_RESPONSES = {200: "OK", 400: "Parameter tidak valid", 401: "Token tidak valid",
                   403: "Laporan orang lain / client di luar akses", 404: "Tidak ditemukan"}
_WRITE_RESPONSES = {200: "Laporan diperbarui", 201: "Laporan dibuat",
                    400: "Link tidak valid (field disebut) / batas waktu lewat",
                    401: "Token tidak valid", 403: "Bukan token personel / laporan orang lain "
                                                    "/ konten satker lain",
                    404: "Konten tugas atau laporan tidak ditemukan", 413: "Body terlalu besar",
                    429: "Permintaan sama berulang"}


@documented(summary=f"Daftar laporan link, konten {_KIND_DOC}", tags=["link-reports"],
            params=[*_PAGE_PARAMS, _USER_PARAM, CLIENT_PARAM, CLIENT_HEADER, *PERIOD_PARAMS,
                    Param("shortcode", {"type": "string", "maxLength": 64})],
            responses=_READ_RESPONSES)
async def list_link_reports(request: Request) -> JSONResponse:
    caller = await authenticate_caller(request)
    kind, engine = _kind(request), request.app.state.engine
    page, limit = _page(request)
    period = _period_if_asked(request)
    raw_code = request.query_params.get("shortcode")
    shortcode = shortcode_of(raw_code) if raw_code else None
    if isinstance(caller, PersonnelPrincipal):
        _own(request, None, caller)
        await _officer(request, caller)
        rows, total = await list_reports(engine, kind, user_id=caller.user_id,
                                         shortcode=shortcode, period=period, page=page,
                                         limit=limit)
    else:
        client_id = requested_client_id(request, caller)
        await require_client(request, caller, client_id)
        rows, total = await list_reports(engine, kind, client_id=client_id,
                                         user_id=request.query_params.get("user_id") or None,
                                         shortcode=shortcode, period=period, page=page,
                                         limit=limit)
    return JSONResponse({"success": True, "data": [report_json(row) for row in rows],
                         "pagination": {"page": page, "limit": limit, "total": total,
                                        "totalPages": -(-total // limit)}})


@documented(summary=f"Laporan link satu konten, {_KIND_DOC}", tags=["link-reports"],
            params=[_SHORTCODE_PARAM, _USER_PARAM], responses=_READ_RESPONSES)
async def get_link_report(request: Request) -> JSONResponse:
    caller = await authenticate_caller(request)
    kind = _kind(request)
    shortcode = shortcode_of(request.path_params["shortcode"])
    if isinstance(caller, PersonnelPrincipal):
        _own(request, None, caller)
        await _officer(request, caller)
        user_id = caller.user_id
    else:
        user_id = (request.query_params.get("user_id") or "").strip()
        if not user_id:
            raise ApiError(400, "user_id wajib diisi untuk token dashboard")
    rows, _ = await list_reports(request.app.state.engine, kind, user_id=user_id,
                                 shortcode=shortcode, limit=MAX_PAGE_SIZE)
    if isinstance(caller, Principal):
        for row in rows:
            await require_client(request, caller, row.task_client_id)
    if not rows:
        raise ApiError(404, "Laporan link tidak ditemukan")
    return JSONResponse({"success": True, "data": report_json(rows[0])})


@documented(summary=f"Buat laporan link (yang sudah ada diperbarui), {_KIND_DOC}",
            tags=["link-reports"], body=_WRITE_BODY, responses=_WRITE_RESPONSES)
async def create_link_report(request: Request) -> JSONResponse:
    caller = await _write_caller(request)
    body = await json_body(request)
    _own(request, body, caller)
    kind = _kind(request)
    officer, task = await _personnel_task(
        request, caller, kind, shortcode_of(text_field(body, "shortcode", max_length=300) or ""))
    changes = _links(body, task.shortcode, clearing=False)
    if not changes:
        raise ApiError(400, "Isi minimal satu link unggahan ulang", field="instagram_link")
    saved = await save_links(request.app.state.engine, kind, task.id, officer.user_id,
                             changes, clock.now())
    row = await _saved_row(request, kind, task, officer.user_id)
    return JSONResponse({"success": True, "data": report_json(row)},
                        status_code=201 if saved.created else 200)


@documented(summary=f"Ubah laporan link sendiri ('' atau null menghapus link platform itu), "
                    f"{_KIND_DOC}", tags=["link-reports"], params=[_SHORTCODE_PARAM],
            body=_UPDATE_BODY, responses=_WRITE_RESPONSES)
async def update_link_report(request: Request) -> JSONResponse:
    caller = await _write_caller(request)
    body = await json_body(request)
    _own(request, body, caller)
    kind = _kind(request)
    officer, task = await _personnel_task(request, caller, kind,
                                          shortcode_of(request.path_params["shortcode"]))
    if task.report is None:
        raise ApiError(404, "Laporan link tidak ditemukan")
    changes = _links(body, task.shortcode, clearing=True)
    if link_count({**task.report, **changes}) == 0:
        raise ApiError(400, "Laporan harus berisi minimal satu link; hapus laporan dengan "
                            "DELETE", field="instagram_link")
    await save_links(request.app.state.engine, kind, task.id, officer.user_id, changes,
                     clock.now())
    row = await _saved_row(request, kind, task, officer.user_id)
    return JSONResponse({"success": True, "data": report_json(row)})


@documented(summary=f"Hapus laporan link sendiri, {_KIND_DOC}", tags=["link-reports"],
            params=[_SHORTCODE_PARAM, _USER_PARAM], responses=_WRITE_RESPONSES)
async def delete_link_report(request: Request) -> JSONResponse:
    caller = await _write_caller(request)
    _own(request, None, caller)
    kind = _kind(request)
    officer, task = await _personnel_task(request, caller, kind,
                                          shortcode_of(request.path_params["shortcode"]))
    if not await delete_report(request.app.state.engine, kind, task.id, officer.user_id):
        raise ApiError(404, "Laporan link tidak ditemukan")
    return JSONResponse({"success": True, "message": "Laporan link dihapus"})


@documented(summary=f"Excel laporan link satu client (default bulan ini), {_KIND_DOC}",
            tags=["link-reports"], params=[CLIENT_PARAM, CLIENT_HEADER, *PERIOD_PARAMS],
            responses={200: "File .xlsx", 400: "Parameter tidak valid",
                       401: "Token tidak valid", 403: "Token personel / client di luar akses",
                       404: "Client tidak ditemukan"})
async def link_reports_excel(request: Request) -> Response:
    caller = await authenticate_caller(request)
    if isinstance(caller, PersonnelPrincipal):
        raise ApiError(403, "Excel laporan link hanya untuk pengguna dashboard")
    client_id = requested_client_id(request, caller)
    await require_client(request, caller, client_id)
    engine = request.app.state.engine
    await known_client(engine, client_id)
    period = _period_if_asked(request) or clock.month()
    source = SPECIAL if _kind(request) is TaskKind.SPECIAL else REGULAR
    data = await amplification_for(engine, client_id, period, source)
    file = amplification_workbook(data, ReportRequest(client_id, period, clock.now()))
    return Response(file.content, media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{file.filename}"'})


@documented(summary="Tugas amplifikasi personel pada jendela pelaporan (resmi dan khusus)",
            tags=["link-reports"],
            responses={200: "OK", 401: "Token tidak valid", 403: "Bukan token personel"})
async def my_tasks(request: Request) -> JSONResponse:
    caller = await _write_caller(request)
    _, tasks = await _officer(request, caller)
    return JSONResponse({"success": True, "data": [task_json(task) for task in tasks]})


def _routes(base: str) -> list[Route]:
    return [
        Route(base, list_link_reports, methods=["GET"]),
        Route(base, create_link_report, methods=["POST"]),
        Route(f"{base}/excel", link_reports_excel, methods=["GET"]),
        Route(f"{base}/{{shortcode}}", get_link_report, methods=["GET"]),
        Route(f"{base}/{{shortcode}}", update_link_report, methods=["PUT"]),
        Route(f"{base}/{{shortcode}}", delete_link_report, methods=["DELETE"]),
    ]


routes = [Route("/api/link-reports/tasks", my_tasks, methods=["GET"]),
          *_routes("/api/link-reports"), *_routes("/api/link-reports-khusus")]

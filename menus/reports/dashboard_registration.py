"""`dashboard-registration`: which satkers of a directorate have a dashboard account
(reference §3.12 "Dashboard registration recap", dirrequest 11).

Layout, in the manner of the other recaps: the salutation and title, the totals (satkers
with and without an approved account, accounts, accounts waiting for approval), then the
"Sudah" satkers, each with its accounts (username, role, the person holding it), and the
"Belum" satkers. Modes: `done` lists only the satkers with an account, `not-done` only those
without. Pure renderers of `storage.dashboard_registration.DashboardRegistration`.
"""

from __future__ import annotations

from typing import Any

from menus.format import (
    bold,
    dash_list,
    hour_minute,
    number,
    period_label,
    person_label,
    split_message,
)
from menus.reports.base import DIRECTORATE_ONLY, Rendered, ReportRequest, ReportSpec, register
from menus.reports.common import CLOSING, SALUTATION
from menus.reports.laphar import business_moment
from menus.reports.structured import rows_json
from storage.dashboard_registration import (
    DashboardAccountEntry,
    DashboardRegistration,
    SatkerAccounts,
    build_dashboard_registration,
)

ROLE_NAMES = {"admin": "admin", "directorate": "direktorat", "operator": "operator"}


def _satkers(count: int) -> str:
    return f"{number(count)} satker"


def _account_line(account: DashboardAccountEntry) -> str:
    parts = [account.username, ROLE_NAMES.get(account.role, account.role)]
    if account.person_name:
        parts.append(person_label(account.person_rank, account.person_name))
    return "   - " + " · ".join(parts)


def _pending_note(satker: SatkerAccounts) -> str:
    pending = len(satker.pending)
    return f" (+{pending} menunggu persetujuan)" if pending else ""


def _registered_lines(data: DashboardRegistration) -> list[str]:
    satkers = data.registered
    lines = ["", f"✅ {bold(f'Sudah punya akun dashboard ({_satkers(len(satkers))}):')}"]
    for position, satker in enumerate(satkers, 1):
        lines += [f"{position}. {bold(satker.name)} — {number(len(satker.approved))} akun"
                  f"{_pending_note(satker)}",
                  *(_account_line(account) for account in satker.approved)]
    return lines if satkers else [*lines, "-"]


def _unregistered_lines(data: DashboardRegistration) -> list[str]:
    satkers = data.unregistered
    return ["", f"❌ {bold(f'Belum punya akun dashboard ({_satkers(len(satkers))}):')}",
            *dash_list([satker.name + _pending_note(satker) for satker in satkers])]


def render_dashboard_registration(data: DashboardRegistration,
                                  request: ReportRequest) -> Rendered:
    moment = business_moment(request)
    lines = [SALUTATION, "", f"📋 {bold('Absensi Registrasi Dashboard')}",
             bold(data.client.name),
             f"Data per {period_label(moment.date(), moment.date())} pukul "
             f"{hour_minute(moment)} WIB", "",
             f"🏢 Jumlah satker: {_satkers(len(data.satkers))}",
             f"✅ Sudah punya akun dashboard: {_satkers(len(data.registered))} "
             f"({number(data.approved_accounts)} akun aktif)",
             f"❌ Belum punya akun dashboard: {_satkers(len(data.unregistered))}",
             f"⏳ Akun menunggu persetujuan: {number(data.pending_accounts)}"]
    if request.mode in ("all", "done"):
        lines += _registered_lines(data)
    if request.mode in ("all", "not-done"):
        lines += _unregistered_lines(data)
    lines += ["", CLOSING]
    return Rendered(split_message("\n".join(lines)))


def _account_json(account: DashboardAccountEntry) -> dict[str, Any]:
    return {"username": account.username, "role": account.role, "approved": account.approved,
            "user_id": account.user_id, "name": account.person_name,
            "rank": account.person_rank}


def dashboard_registration_json(data: DashboardRegistration,
                                request: ReportRequest) -> dict[str, Any]:
    rows = [{"satker": s.satker_id, "name": s.name, "directorate": s.is_directorate_itself,
             "registered": s.registered, "approved": len(s.approved),
             "pending": len(s.pending), "accounts": [_account_json(a) for a in s.accounts]}
            for s in data.satkers]
    return rows_json("dashboard-registration", data.client.client_id, None, request, rows,
                     totals={"satkers": len(data.satkers), "registered": len(data.registered),
                             "unregistered": len(data.unregistered),
                             "approved_accounts": data.approved_accounts,
                             "pending_accounts": data.pending_accounts})


register(ReportSpec(
    name="dashboard-registration",
    description="Absensi registrasi dashboard: satker yang sudah/belum punya akun",
    build=build_dashboard_registration,
    render=render_dashboard_registration,
    to_json=dashboard_registration_json,
    modes=("all", "done", "not-done"),
    client_types=DIRECTORATE_ONLY,
))

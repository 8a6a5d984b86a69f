"""Recaps of the official Satbinmas accounts (reference §3.12 "Satbinmas official media
recap", dirrequest 37/39/40/41, clientrequest 3.4).

- `satbinmas-ig` / `satbinmas-tiktok`: over a day, week or month, the satkers' official
  accounts on one platform: active ones (most posts first, with their likes and comments),
  passive ones, the ones that could not be read and the satkers without an account. The
  requested client narrows it to one satker when it is an ORG satker; any other client (a
  directorate, the Polda) sees every active ORG satker.
- `satbinmas-accounts`: which satkers registered both accounts, one, or none.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from menus.excel.satbinmas_workbook import accounts_workbook, recap_workbook
from menus.format import bold, number, split_message
from menus.reports.base import Rendered, ReportRequest, ReportSpec, register
from menus.reports.common import period_text
from menus.reports.laphar import as_of
from menus.satbinmas import COMMAND, FAILURE_REASONS, platform_name
from storage.models import ClientType, Platform
from storage.satbinmas_accounts import satker
from storage.satbinmas_media import (
    AccountCoverage,
    SatbinmasRecap,
    SatkerActivity,
    account_coverage,
    satbinmas_recap,
)

TITLE_ICONS = {Platform.INSTAGRAM: "📸", Platform.TIKTOK: "🎵"}


async def _only_satker(engine: AsyncEngine, client_id: str) -> str | None:
    found = await satker(engine, client_id) if client_id else None
    return found.client_id if found is not None and found.type is ClientType.ORG else None


def recap_builder(platform: Platform):
    async def build(engine: AsyncEngine, request: ReportRequest) -> SatbinmasRecap:
        return await satbinmas_recap(engine, platform, request.period,
                                     await _only_satker(engine, request.client_id))

    return build


def _numbered(lines: list[str]) -> list[str]:
    return [f"{n}. {line}" for n, line in enumerate(lines, 1)] or ["-"]


def _active_line(recap: SatbinmasRecap, satker: SatkerActivity) -> str:
    counts = (f"{number(satker.posts)} konten, {number(satker.likes)} likes, "
              f"{number(satker.comments)} komentar")
    if recap.platform is Platform.TIKTOK:
        counts += f", {number(satker.views)} tayangan"
    return f"{satker.name} — @{satker.username}: {counts}"


def render_recap(recap: SatbinmasRecap, request: ReportRequest) -> Rendered:
    name = platform_name(recap.platform)
    active, passive = recap.active, recap.passive
    failed, missing = recap.failed, recap.without_account
    lines = [f"{TITLE_ICONS[recap.platform]} {bold(f'Rekap konten {name} Satbinmas Official')}",
             f"🗓️ Periode: {period_text(request)}",
             as_of(request), "",
             f"🏢 Polres: {number(len(recap.satkers))} · Akun terdaftar: "
             f"{number(len(recap.accounts))} · Konten: {number(recap.posts)}",
             f"❤️ Likes: {number(recap.likes)} · 💬 Komentar: {number(recap.comments)}", "",
             f"🔥 {bold(f'Akun Aktif ({number(len(active))})')}",
             *_numbered([_active_line(recap, s) for s in active]), "",
             f"🌙 {bold(f'Akun Pasif ({number(len(passive))})')}",
             *_numbered([f"{s.name} — @{s.username}" for s in passive]), "",
             f"🚫 {bold(f'Belum Input Akun {name} ({number(len(missing))})')}",
             *_numbered([s.name for s in missing])]
    if failed:
        lines += ["", f"⚠️ {bold(f'Gagal Mengambil ({number(len(failed))})')}",
                  *_numbered([f"{s.name} — @{s.username}: {FAILURE_REASONS[s.failure]}"
                              for s in failed if s.failure is not None])]
    if missing:
        lines += ["", f"Satker yang belum input akun dapat mengirim {bold(COMMAND)} ke nomor "
                      "WhatsApp gateway Cicero."]
    return Rendered(split_message("\n".join(lines)))


def _activity_json(satker: SatkerActivity) -> dict[str, Any]:
    return {"client_id": satker.client_id, "name": satker.name, "username": satker.username,
            "posts": satker.posts, "likes": satker.likes, "comments": satker.comments,
            "views": satker.views,
            "failure": satker.failure.value if satker.failure is not None else None}


def recap_json(recap: SatbinmasRecap, request: ReportRequest) -> dict[str, Any]:
    return {"report": RECAPS[recap.platform], "client": request.client_id,
            "platform": recap.platform.value,
            "period": {"start": recap.period.start.isoformat(),
                       "end": recap.period.end.isoformat()},
            "totals": {"satkers": len(recap.satkers), "accounts": len(recap.accounts),
                       "posts": recap.posts, "likes": recap.likes, "comments": recap.comments,
                       "views": recap.views},
            "active": [_activity_json(s) for s in recap.active],
            "passive": [_activity_json(s) for s in recap.passive],
            "failed": [_activity_json(s) for s in recap.failed],
            "without_account": [_activity_json(s) for s in recap.without_account]}


RECAPS = {Platform.INSTAGRAM: "satbinmas-ig", Platform.TIKTOK: "satbinmas-tiktok"}

for _platform, _name in RECAPS.items():
    register(ReportSpec(
        name=_name,
        description=f"Rekap konten akun resmi Satbinmas di {platform_name(_platform)} "
                    "(aktif, pasif, gagal, belum input akun)",
        build=recap_builder(_platform),
        render=render_recap,
        to_json=recap_json,
        workbook=recap_workbook,
    ))


# --- clientrequest 3.4: who registered their accounts ------------------------------------------


async def build_coverage(engine: AsyncEngine, request: ReportRequest) -> AccountCoverage:
    return await account_coverage(engine)


def _coverage_line(satker) -> str:
    parts = [f"IG @{satker.instagram}" if satker.instagram else "IG belum",
             f"TikTok @{satker.tiktok}" if satker.tiktok else "TikTok belum"]
    return f"{satker.name} ({' · '.join(parts)})"


def render_coverage(coverage: AccountCoverage, request: ReportRequest) -> Rendered:
    complete, partial, missing = coverage.complete, coverage.partial, coverage.missing
    lines = [f"🛡️ {bold('Absensi Akun Resmi Satbinmas')}", as_of(request), "",
             f"🏢 Polres: {number(len(coverage.satkers))} · Lengkap: {number(len(complete))} · "
             f"Sebagian: {number(len(partial))} · Belum: {number(len(missing))}", "",
             f"✅ {bold(f'Lengkap IG & TikTok ({number(len(complete))})')}",
             *_numbered([_coverage_line(s) for s in complete]), "",
             f"⚠️ {bold(f'Baru sebagian ({number(len(partial))})')}",
             *_numbered([_coverage_line(s) for s in partial]), "",
             f"❌ {bold(f'Belum input akun ({number(len(missing))})')}",
             *_numbered([s.name for s in missing])]
    if partial or missing:
        lines += ["", f"Operator satker yang belum lengkap: kirim {bold(COMMAND)} ke nomor "
                      "WhatsApp gateway Cicero untuk mendaftarkan akun resmi Instagram dan "
                      "TikTok."]
    return Rendered(split_message("\n".join(lines)))


def coverage_json(coverage: AccountCoverage, request: ReportRequest) -> dict[str, Any]:
    def rows(satkers) -> list[dict[str, Any]]:
        return [{"client_id": s.client_id, "name": s.name, "instagram": s.instagram,
                 "tiktok": s.tiktok} for s in satkers]

    return {"report": "satbinmas-accounts", "client": request.client_id,
            "complete": rows(coverage.complete), "partial": rows(coverage.partial),
            "missing": rows(coverage.missing)}


register(ReportSpec(
    name="satbinmas-accounts",
    description="Absensi akun resmi Satbinmas: satker lengkap, sebagian, belum input",
    build=build_coverage,
    render=render_coverage,
    to_json=coverage_json,
    workbook=accounts_workbook,
))

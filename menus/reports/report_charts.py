"""The chart form of the reports (`ReportSpec.chart`): what each bar or point measures, its
target line and its words, drawn by `menus.charts`.

* Attendance of a directorate (`directorate-ig` / `-tiktok`, `laphar-ig` / `-tiktok`): for one
  day, a bar per satker of its achievement (Σ posts its people engaged with ÷ (people ×
  posts), reference §2.11); for a week or a month, the daily trend of the same achievement.
  The target line is the report's: the policy's "lengkap" share for the recaps, 95% for
  laphar (reference §2.11).
* Satker scores (`ranking`, `kasatker`): a bar per satker (the directorate itself excluded)
  of its score, the target line at the Kasatker level AKTIF.
"""

from __future__ import annotations

from datetime import date

from menus.charts import PNG_MIMETYPE, BarChart, Target, TrendChart, bar_chart_png, trend_chart_png
from menus.excel.attendance_workbooks import shown_days
from menus.format import hour_minute, percent, period_label
from menus.reports.base import ReportFile, ReportRequest
from menus.reports.common import no_content, period_text, words
from menus.reports.compliance import ACTIVE_SHARE
from storage.attendance import Attendance
from storage.engagement_summary import (
    LAPHAR_TARGET_SHARE,
    LapharPlatform,
    SatkerEngagement,
    satker_tallies,
)

ACHIEVEMENT_AXIS = "{metric} personel ÷ (personel × konten)"


def _subtitle(client: str, request: ReportRequest) -> str:
    moment = request.generated_at
    return (f"{client} · {period_text(request)}\n"
            f"Data per {period_label(moment.date(), moment.date())} pukul "
            f"{hour_minute(moment)} WIB")


def _file(kind: str, client_id: str, request: ReportRequest, content: bytes) -> ReportFile:
    moment = request.generated_at
    return ReportFile(f"Grafik_{kind}_{client_id}_{moment.date().isoformat()}_"
                      f"{moment:%H%M}.png", content, PNG_MIMETYPE)


def _is_one_day(request: ReportRequest) -> bool:
    return request.period.start == request.period.end and not request.all_time


def achievement_chart(attendance: Attendance, request: ReportRequest,
                      target: Target) -> ReportFile:
    """Bars per satker for one day, the daily trend for a longer period."""
    w = words(attendance)
    client = attendance.client
    if _is_one_day(request) or attendance.per_day is None:
        tallies = sorted(satker_tallies(attendance), key=lambda t: (-t.engaged_rate, t.name))
        chart = BarChart(f"Capaian {w.engagement} {w.name} per Satker",
                         _subtitle(client.name, request) if attendance.has_posts
                         else no_content(w.name, client.name, request.period),
                         ACHIEVEMENT_AXIS.format(metric=w.metric.capitalize()),
                         [(t.name, t.engaged_rate) for t in tallies if attendance.has_posts],
                         target)
        return _file(f"Capaian_{w.file_word}", client.client_id, request, bar_chart_png(chart))
    days = shown_days(attendance, request)
    chart = TrendChart(f"Tren Harian Capaian {w.engagement} {w.name}",
                       _subtitle(client.name, request), "Capaian (%)", days,
                       [(w.name, daily_achievement(attendance, days))], target)
    return _file(f"Tren_Harian_{w.file_word}", client.client_id, request,
                 trend_chart_png(chart))


def daily_achievement(attendance: Attendance, days: list[date]) -> list[float | None]:
    """Per day: posts engaged by the population ÷ (people × that day's posts); None for a day
    without posts."""
    assert attendance.per_day is not None
    people = attendance.totals.total
    shares: list[float | None] = []
    for day in days:
        posts = len(attendance.posts_on(day))
        if not posts or not people:
            shares.append(None)
            continue
        engaged = sum(by_day.get(day, 0) for by_day in attendance.per_day.values())
        shares.append(engaged / (people * posts))
    return shares


def policy_target(attendance: Attendance) -> Target:
    share = float(attendance.policy.share)
    return Target(share, f"Batas lengkap ({percent(share)} konten)")


def attendance_chart(attendance: Attendance, request: ReportRequest) -> ReportFile:
    return achievement_chart(attendance, request, policy_target(attendance))


def laphar_platform_chart(section: LapharPlatform, request: ReportRequest) -> ReportFile:
    return achievement_chart(section.attendance, request,
                             Target(LAPHAR_TARGET_SHARE, f"Target {percent(LAPHAR_TARGET_SHARE)}"))


def satker_score_chart(data: SatkerEngagement, request: ReportRequest) -> ReportFile:
    client = data.pair.instagram.client
    ranked = data.ranked if any(a.has_posts for a in data.pair) else []
    chart = BarChart("Ranking Skor Engagement Satker",
                     _subtitle(client.name, request) if ranked
                     else no_content("Instagram maupun TikTok", client.name, request.period),
                     "Skor = rata-rata % personel yang melaksanakan di Instagram dan TikTok",
                     [(satker.name, satker.score) for satker in ranked],
                     Target(ACTIVE_SHARE, f"Kepatuhan AKTIF (≥ {percent(ACTIVE_SHARE)})"))
    return _file("Ranking_Satker", client.client_id, request, bar_chart_png(chart))

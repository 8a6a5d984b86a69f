"""`dirrequest`: the directorate console (reference conversations_operators.md §3, §8.2).

CORE and SECONDARY options of the reference, each bound to a report of the one attendance
engine; its four hard-wired DITBINMAS fetch options are one "ambil data sekarang" for the
chosen directorate."""

from __future__ import annotations

from conversations.console.audiences import directorates_of
from conversations.console.fetch import FetchNow
from conversations.console.flow import Console
from conversations.console.questions import PeriodKind, period_question
from conversations.console.reports import Output, Report
from conversations.console.satbinmas import DIRREQUEST_SECTION as SATBINMAS_SECTION
from conversations.console.spec import Menu, Option, Section
from conversations.flow import Turn
from menus import console_labels as labels
from storage.grants import ClientRef, Grants

P = PeriodKind
RANKING_PERIODS = period_question(P.TODAY, P.YESTERDAY, P.THIS_WEEK, P.LAST_WEEK, P.THIS_MONTH,
                                  P.LAST_MONTH)
ALL_PERIODS = period_question(P.TODAY, P.YESTERDAY, P.THIS_WEEK, P.LAST_WEEK, P.THIS_MONTH,
                              P.LAST_MONTH, P.ALL_TIME)
KASATKER_PERIODS = period_question(P.TODAY, P.THIS_WEEK, P.THIS_MONTH, P.ALL_TIME)
KASAT_PERIODS = period_question(P.TODAY, P.THIS_WEEK, P.THIS_MONTH)
TREND_PERIODS = period_question(P.THIS_WEEK, P.LAST_WEEK, P.THIS_MONTH, P.LAST_MONTH)
EXCEL, CHART = Output.EXCEL, Output.CHART

MENU = Menu(labels.DIRREQUEST, (
    Section(labels.SECTION_DATA, (
        Option(labels.COMPLETENESS, Report("completeness")),
        Option(labels.COMPLETENESS_SUMMARY, Report("completeness-summary")),
        Option(labels.INCOMPLETE_PERSONNEL, Report("incomplete-personnel")),
        Option(labels.COMPLETENESS_EXCEL, Report("completeness", output=EXCEL)),
    )),
    Section(labels.SECTION_ATTENDANCE, (
        Option(labels.DIRECTORATE_IG, Report("directorate-ig")),
        Option(labels.SIMPLE_IG, Report("simple-ig")),
        Option(labels.REPORT_IG, Report("report-ig")),
        Option(labels.DIRECTORATE_TIKTOK, Report("directorate-tiktok")),
        Option(labels.SIMPLE_TIKTOK, Report("simple-tiktok")),
        Option(labels.REPORT_TIKTOK, Report("report-tiktok")),
        Option(labels.DASHBOARD_REGISTRATION, Report("dashboard-registration")),
    )),
    Section(labels.SECTION_FETCH, (
        Option(labels.FETCH_NOW, FetchNow()),
    )),
    Section(labels.SECTION_REPORTS, (
        Option(labels.LAPHAR_IG, Report("laphar-ig")),
        Option(labels.LAPHAR_TIKTOK, Report("laphar-tiktok")),
        Option(labels.IG_LIKES_EXCEL, Report("directorate-ig", output=EXCEL)),
        Option(labels.TIKTOK_COMMENTS_EXCEL, Report("directorate-tiktok", output=EXCEL)),
        Option(labels.LAPHAR, Report("laphar")),
        Option(labels.RANKING_EXCEL, Report("ranking", questions=(RANKING_PERIODS,),
                                            output=EXCEL)),
    )),
    Section(labels.SECTION_CHARTS, (
        Option(labels.CHART_IG, Report("directorate-ig", output=CHART)),
        Option(labels.CHART_TIKTOK, Report("directorate-tiktok", output=CHART)),
        Option(labels.TREND_IG, Report("directorate-ig", questions=(TREND_PERIODS,),
                                       output=CHART)),
        Option(labels.TREND_TIKTOK, Report("directorate-tiktok", questions=(TREND_PERIODS,),
                                           output=CHART)),
        Option(labels.CHART_RANKING, Report("ranking", questions=(RANKING_PERIODS,),
                                            output=CHART)),
    )),
    Section(labels.SECTION_WEEKLY, (
        Option(labels.WEEKLY_IG_EXCEL, Report("directorate-ig", period=P.THIS_WEEK,
                                              output=EXCEL)),
        Option(labels.WEEKLY_TIKTOK_EXCEL, Report("directorate-tiktok", period=P.THIS_WEEK,
                                                  output=EXCEL)),
        Option(labels.TOP_BOTTOM, Report("top-bottom", period=P.THIS_WEEK)),
    )),
    Section(labels.SECTION_MONTHLY, (
        Option(labels.MONTHLY_IG_EXCEL, Report("directorate-ig", period=P.THIS_MONTH,
                                               output=EXCEL)),
        Option(labels.IG_PER_CONTENT_EXCEL, Report("ig-likes", mode="per-content",
                                                   output=EXCEL)),
        Option(labels.TIKTOK_PER_CONTENT_EXCEL, Report("tiktok-comments", mode="per-content",
                                                       output=EXCEL)),
    )),
    Section(labels.SECTION_KASAT, (
        Option(labels.KASATKER, Report("kasatker", questions=(KASATKER_PERIODS,))),
        Option(labels.PERSONNEL_RANKING, Report("personnel-ranking", questions=(ALL_PERIODS,))),
        Option(labels.POLRES_RANKING, Report("ranking", questions=(ALL_PERIODS,))),
        Option(labels.KASAT_ATTENDANCE, Report("kasat-attendance")),
        Option(labels.KASAT_IG, Report("kasat-ig", questions=(KASAT_PERIODS,))),
        Option(labels.KASAT_TIKTOK, Report("kasat-tiktok", questions=(KASAT_PERIODS,))),
    )),
    SATBINMAS_SECTION,
))


class DirRequest(Console):
    name = "dirrequest"
    keywords = frozenset({"dirrequest"})
    menu = MENU
    refusal = labels.DIRREQUEST_REFUSED

    async def clients_for(self, turn: Turn, grants: Grants) -> list[ClientRef]:
        return await directorates_of(turn.services.engine, grants)

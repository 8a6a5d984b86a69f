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
KASATKER_PERIODS = period_question(P.TODAY, P.THIS_WEEK, P.THIS_MONTH, P.ALL_TIME)
KASAT_PERIODS = period_question(P.TODAY, P.THIS_WEEK, P.THIS_MONTH)

MENU = Menu(labels.DIRREQUEST, (
    Section(labels.SECTION_DATA, (
        Option(labels.COMPLETENESS, Report("completeness")),
        Option(labels.COMPLETENESS_SUMMARY, Report("completeness-summary")),
        Option(labels.COMPLETENESS_EXCEL, Report("completeness", output=Output.EXCEL)),
    )),
    Section(labels.SECTION_ATTENDANCE, (
        Option(labels.DIRECTORATE_IG, Report("directorate-ig")),
        Option(labels.SIMPLE_IG, Report("simple-ig")),
        Option(labels.REPORT_IG, Report("report-ig")),
        Option(labels.DIRECTORATE_TIKTOK, Report("directorate-tiktok")),
        Option(labels.SIMPLE_TIKTOK, Report("simple-tiktok")),
        Option(labels.REPORT_TIKTOK, Report("report-tiktok")),
    )),
    Section(labels.SECTION_FETCH, (
        Option(labels.FETCH_NOW, FetchNow()),
    )),
    Section(labels.SECTION_REPORTS, (
        Option(labels.LAPHAR, Report("laphar")),
        Option(labels.IG_LIKES_EXCEL, Report("ig-likes", output=Output.EXCEL)),
        Option(labels.TIKTOK_COMMENTS_EXCEL, Report("tiktok-comments", output=Output.EXCEL)),
        Option(labels.RANKING_EXCEL, Report("ranking", questions=(RANKING_PERIODS,),
                                            output=Output.EXCEL)),
    )),
    Section(labels.SECTION_WEEKLY, (
        Option(labels.TOP_BOTTOM, Report("top-bottom", period=P.THIS_WEEK)),
    )),
    Section(labels.SECTION_MONTHLY, (
        Option(labels.IG_PER_CONTENT_EXCEL, Report("ig-likes", mode="per-content",
                                                   output=Output.EXCEL)),
        Option(labels.TIKTOK_PER_CONTENT_EXCEL, Report("tiktok-comments", mode="per-content",
                                                       output=Output.EXCEL)),
    )),
    Section(labels.SECTION_KASAT, (
        Option(labels.KASATKER, Report("kasatker", questions=(KASATKER_PERIODS,))),
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

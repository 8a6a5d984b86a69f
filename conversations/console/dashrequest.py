"""`dashrequest`: the dashboard user's console (reference §5, §8.4), scoped to the clients
granted to their dashboard account."""

from __future__ import annotations

from conversations.console.audiences import dashboard_clients_of
from conversations.console.flow import Console
from conversations.console.questions import mode_question
from conversations.console.reports import Report
from conversations.console.spec import Menu, Option, Section
from conversations.flow import Turn
from menus import console_labels as labels
from storage.grants import ClientRef, Grants

MODES = mode_question("all", "done", "not-done")

MENU = Menu(labels.DASHREQUEST, (
    Section("", (
        Option(labels.COMPLETENESS, Report("completeness")),
        Option(labels.AMPLIFY, Report("amplify", questions=(MODES,))),
        Option(labels.IG_LIKES, Report("ig-likes", questions=(MODES,))),
        Option(labels.TIKTOK_COMMENTS, Report("tiktok-comments", questions=(MODES,))),
    )),
))


class DashRequest(Console):
    name = "dashrequest"
    keywords = frozenset({"dashrequest"})
    menu = MENU
    refusal = labels.DASHREQUEST_REFUSED

    async def clients_for(self, turn: Turn, grants: Grants) -> list[ClientRef]:
        return await dashboard_clients_of(turn.services.engine, grants)

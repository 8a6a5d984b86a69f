"""`oprrequest`: the satker operator's console (reference conversations_operators.md §2,
§8.1), on the console framework.

Operators and super admins use it for their own clients (a chooser only when they hold
several), admins for any active client; the client is chosen once per session and never
asked again inside an option (weakness 13). A person of another client is "not found".
Options 11–14 (special tasks) come from the link amplification feature and stay hidden until
it binds them (conversations/console/special_tasks.py).
"""

from __future__ import annotations

from cicero.clock import clock
from conversations.console import special_tasks
from conversations.console.audiences import contact_clients_of
from conversations.console.complaint_forms import inbox_form
from conversations.console.fetch import FetchNow
from conversations.console.flow import Console
from conversations.console.personnel_forms import (
    add_form,
    console_client,
    lookup_form,
    status_form,
    update_form,
)
from conversations.console.questions import Choice, PeriodKind, mode_question
from conversations.console.reports import Report
from conversations.console.spec import Menu, Option, Section, Step
from conversations.flow import Turn
from menus import console as texts
from menus import console_labels as labels
from menus.format import post_url
from storage.grants import ClientRef, Grants
from storage.link_recaps import todays_posts

MODES = mode_question("all", "done", "not-done")


async def _todays_posts(step: Step) -> list[tuple[str, str]]:
    codes = await todays_posts(step.turn.services.engine, step.client_id, clock.day())
    return [(code, post_url("instagram", code)) for code in codes]


# The per-post recap's report takes the post's shortcode as its mode.
POST = Choice("mode", texts.ASK_POST, _todays_posts, empty=texts.NO_POSTS_TODAY)

MENU = Menu(labels.OPRREQUEST, (
    Section(labels.SECTION_PERSONNEL, (
        Option(labels.ADD_PERSON, add_form(console_client)),
        Option(labels.UPDATE_PERSON, update_form(console_client)),
        Option(labels.PERSON_STATUS, status_form(console_client)),
        Option(labels.CHECK_PERSON, lookup_form(console_client)),
    )),
    Section(labels.SECTION_TASKS, (
        Option(labels.UPDATE_TASKS, FetchNow()),
        Option(labels.LINK_RECAP_TODAY, Report("link-recap")),
        Option(labels.LINK_RECAP_YESTERDAY, Report("link-recap", period=PeriodKind.YESTERDAY)),
        Option(labels.LINK_RECAP_POST, Report("link-recap-post", questions=(POST,))),
        Option(labels.AMPLIFY_ATTENDANCE, Report("amplify", questions=(MODES,))),
        Option(labels.REGISTRATION_ATTENDANCE, Report("registration", questions=(MODES,))),
    )),
    Section(labels.SECTION_SPECIAL, special_tasks.OPTIONS),
    Section(labels.SECTION_INBOX, (
        Option(labels.COMPLAINT_INBOX, inbox_form(console_client)),
    )),
))


class OprRequest(Console):
    name = "oprrequest"
    keywords = frozenset({"oprrequest"})
    menu = MENU
    refusal = labels.OPRREQUEST_REFUSED

    async def clients_for(self, turn: Turn, grants: Grants) -> list[ClientRef]:
        return await contact_clients_of(turn.services.engine, grants)

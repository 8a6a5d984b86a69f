"""`clientrequest`: the admins' client console (reference conversations_operators.md §4,
§8.3), every CORE and SECONDARY path on the console framework, for admins only (the
reference checked nothing, weakness 1).

There is no session client: an option that acts on a client asks for it first (any client,
active or not), and the choice is checked again at every step. LEGACY paths (duplicate bulk
status, the server-folder transfer, the admin-number repair, the docs PDF) are left out;
the aggregator refresh is the fetch of a client.
"""

from __future__ import annotations

from conversations.console.client_forms import (
    ADD_CLIENT,
    CLIENT,
    EXCEPTIONS,
    MANAGE_CLIENT,
    SAVE_CONTACTS,
    WEB_LOGINS,
    all_clients,
)
from conversations.console.complaint_forms import inbox_form
from conversations.console.flow import Console
from conversations.console.media_forms import (
    AMPLIFY_EXCEL,
    DELETE_VIDEO,
    FETCH_INSTAGRAM,
    FETCH_TIKTOK,
    FETCH_VIDEO,
    IG_ATTENDANCE,
    IMPORT_PERSONNEL,
    TIKTOK_ATTENDANCE,
    USERNAMES,
)
from conversations.console.personnel_forms import (
    clear_whatsapp_form,
    every_client,
    exception_form,
    move_form,
    status_form,
    update_form,
)
from conversations.console.premium import PremiumDecision
from conversations.console.satbinmas import (
    ACCOUNT_QUESTIONS,
    COVERAGE,
    RegisterSatbinmasAccount,
)
from conversations.console.spec import Form, Menu, Option, Section, Step
from conversations.flow import Turn
from menus import bulk_deactivation as bulk_texts
from menus import client_console as texts
from menus import premium as premium_texts
from menus import satbinmas as satbinmas_texts
from storage.grants import ClientRef, Grants


async def _bulk(step: Step) -> None:
    step.turn.say(bulk_texts.ASK_TEMPLATE)


# The template itself is heard in any chat, in or out of a console
# (conversations/bulk_deactivation.py); this option says how to write it.
BULK = Form((), _bulk)

PERSONNEL = Menu(texts.MANAGE_PERSONNEL, (Section("", (
    Option(texts.UPDATE_PERSON, update_form(every_client)),
    Option(texts.EXCEPTION, exception_form(every_client)),
    Option(texts.PERSON_STATUS, status_form(every_client)),
    Option(texts.MOVE_PERSON, move_form(every_client)),
)),))

MENU = Menu(texts.TITLE, (Section("", (
    Option(texts.MANAGE, Menu(texts.SECTION_MANAGE, (Section("", (
        Option(texts.ADD_CLIENT, ADD_CLIENT),
        Option(texts.MANAGE_CLIENT, MANAGE_CLIENT),
        Option(texts.MANAGE_PERSONNEL, PERSONNEL),
        Option(texts.CLEAR_WHATSAPP, clear_whatsapp_form(every_client)),
        Option(texts.BULK_DEACTIVATION, BULK),
        Option(satbinmas_texts.OPTION_REGISTER,
               RegisterSatbinmasAccount(questions=(CLIENT, *ACCOUNT_QUESTIONS))),
    )),))),
    Option(texts.SOCIAL, Menu(texts.SECTION_SOCIAL, (Section("", (
        Option(texts.FETCH_INSTAGRAM, FETCH_INSTAGRAM),
        Option(texts.IG_ATTENDANCE, IG_ATTENDANCE),
        Option(texts.FETCH_TIKTOK, FETCH_TIKTOK),
        Option(texts.TIKTOK_ATTENDANCE, TIKTOK_ATTENDANCE),
        Option(texts.FETCH_VIDEO, FETCH_VIDEO),
        Option(texts.DELETE_VIDEO, DELETE_VIDEO),
        Option(texts.USERNAME_ATTENDANCE, USERNAMES),
        Option(texts.AMPLIFY_EXCEL, AMPLIFY_EXCEL),
    )),))),
    Option(texts.REPORTS, Menu(texts.SECTION_REPORTS, (Section("", (
        Option(texts.IMPORT_PERSONNEL, IMPORT_PERSONNEL),
        Option(texts.WEB_LOGINS, WEB_LOGINS),
        Option(texts.COMPLAINTS, inbox_form(every_client)),
        Option(satbinmas_texts.OPTION_COVERAGE, COVERAGE),
    )),))),
    Option(texts.ADMINISTRATIVE, Menu(texts.SECTION_ADMIN, (Section("", (
        Option(texts.EXCEPTIONS, EXCEPTIONS),
        Option(texts.SAVE_CONTACTS, SAVE_CONTACTS),
        Option(premium_texts.CONSOLE_OPTION, PremiumDecision()),
    )),))),
)),))


class ClientRequest(Console):
    name = "clientrequest"
    keywords = frozenset({"clientrequest"})
    menu = MENU
    refusal = texts.REFUSED
    needs_client = False

    async def may_open(self, turn: Turn, grants: Grants) -> bool:
        return grants.admin

    async def clients_for(self, turn: Turn, grants: Grants) -> list[ClientRef]:
        if not grants.admin:
            return []
        return await all_clients(Step(turn, None, grants))

"""`#SatbinmasOfficial`: a client's official Satbinmas accounts, listed and registered
(reference §4.5, §7, S21), with its hole closed (weakness 4): only for the clients of the
sender's own grants (dashboard accounts, operator or super admin contacts; admins any), the
client chosen once, never typed. The account is looked up live and saved by a job.
clientrequest offers the same for any client, and the coverage of every satker."""

from __future__ import annotations

from conversations.console.audiences import contact_clients_of, dashboard_clients_of
from conversations.console.client_forms import CLIENT
from conversations.console.flow import Console
from conversations.console.questions import Choice, Text
from conversations.console.spec import Form, Invalid, Menu, Option, Section, Step
from conversations.flow import Turn
from jobs.queue import enqueue_official_account
from menus import console as console_texts
from menus import official_accounts as texts
from storage.grants import ClientRef, Grants
from storage.identifiers import (
    InvalidIdentifier,
    parse_instagram_username,
    parse_tiktok_username,
)
from storage.models import Platform
from storage.official_accounts import accounts_of, coverage

PLATFORM = Choice("platform", console_texts.ASK_PLATFORM,
                  tuple((platform.value, texts.PLATFORM_NAMES[platform])
                        for platform in Platform))
_PARSERS = {Platform.INSTAGRAM.value: parse_instagram_username,
            Platform.TIKTOK.value: parse_tiktok_username}


def _username(step: Step, text: str) -> str:
    try:
        return _PARSERS[step.answers["platform"]](text)
    except InvalidIdentifier as exc:
        raise Invalid(f"❌ {exc}") from None


USERNAME = Text("username", texts.ASK_USERNAME, _username)


async def _show(step: Step) -> None:
    accounts = await accounts_of(step.turn.services.engine, step.client_id)
    step.turn.say(texts.account_list(step.client.name if step.client else step.client_id,
                                     accounts))


async def _save(step: Step) -> None:
    turn, message = step.turn, step.turn.message
    await enqueue_official_account(
        turn.services.redis, step.client_id, step.answers["platform"], step.answers["username"],
        session=message.session, to=message.chat,
        key=f"official:{message.session}:{message.chat}:{message.message_id}")
    turn.say(texts.queued(step.answers["platform"], step.answers["username"]))


async def _coverage(step: Step) -> None:
    step.turn.say(texts.coverage(await coverage(step.turn.services.engine)))


# clientrequest's forms: any client, chosen in the option
SAVE_FOR_ANY_CLIENT = Form((CLIENT, PLATFORM, USERNAME), _save)
COVERAGE = Form((), _coverage)

MENU = Menu(texts.TITLE, (Section("", (
    Option(texts.SHOW, Form((), _show)),
    Option(texts.SAVE, Form((PLATFORM, USERNAME), _save)),
)),))


class SatbinmasOfficial(Console):
    name = "satbinmas_official"
    keywords = frozenset({"#satbinmasofficial"})
    menu = MENU
    refusal = texts.REFUSED

    async def clients_for(self, turn: Turn, grants: Grants) -> list[ClientRef]:
        engine = turn.services.engine
        found = {ref.client_id: ref for ref in await contact_clients_of(engine, grants)}
        for ref in await dashboard_clients_of(engine, grants):
            found.setdefault(ref.client_id, ref)
        return sorted(found.values(), key=lambda ref: (ref.name, ref.client_id))

"""Console options for the official Satbinmas accounts (reference §3 options 36–41, §4.5,
§8.3 1.2.5 and 3.4).

- `DIRREQUEST_SECTION`: dirrequest 36 (an Instagram profile's metadata, read-only), 37 / 39
  (fetch today's posts of every ORG satker's account, then the day's recap), 38 (TikTok
  secUid sync) and 40 / 41 (the recaps over a day, week or month). 36–39 are jobs that answer
  in the chat when done.
- `RegisterSatbinmasAccount`: clientrequest 1.2.5, the account of the step's satker (the
  console's client, or the one a `ClientChoice` before it picked): platform, username, then
  the same check-and-store job as `#SatbinmasOfficial`. Only admins and the satker's own
  operators and dashboard users may run it.
- `COVERAGE`: clientrequest 3.4, which satkers registered both accounts, one or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conversations.console.audiences import satbinmas_satkers_of
from conversations.console.questions import Choice, PeriodKind, Text, period_of, period_question
from conversations.console.reports import Delivery, Report
from conversations.console.spec import Action, Form, Invalid, Option, Question, Section, Step
from jobs.queue import (
    enqueue_satbinmas_account_for_chat,
    enqueue_satbinmas_profile,
    enqueue_satbinmas_task,
)
from menus import satbinmas as texts
from storage.identifiers import (
    InvalidUsername,
    parse_instagram_username,
    parse_platform_username,
)
from storage.models import Platform
from storage.satbinmas_accounts import accounts_of, owner_of, satker

P = PeriodKind
PERIODS = period_question(P.TODAY, P.THIS_WEEK, P.THIS_MONTH)


def _key(step: Step, kind: str) -> str:
    message = step.turn.message
    return f"{kind}:{message.session}:{message.chat}:{message.message_id}"


@dataclass(frozen=True)
class SatbinmasReport(Report):
    """A Satbinmas report for the step's client when there is one (an ORG satker narrows it
    to that satker), else for every ORG satker."""

    def delivery(self, step: Step) -> Delivery:
        period = period_of(step.answers.get("period", self.period))
        return Delivery(self.name, step.client.client_id if step.client else "", period.start,
                        period.end, step.answers.get("mode", self.mode), self.output)


@dataclass(frozen=True)
class SatbinmasTask(Action):
    """Dirrequest 37 / 38 / 39 as a job that answers in this chat when done."""

    task: str  # instagram | secuid | tiktok (jobs/satbinmas_media.py)
    questions: tuple = ()

    async def run(self, step: Step) -> None:
        message = step.turn.message
        queued = await enqueue_satbinmas_task(step.turn.services.redis, self.task,
                                              session=message.session, to=message.chat,
                                              key=_key(step, f"satbinmas-{self.task}"))
        step.turn.say(texts.TASK_QUEUED if queued else texts.TASK_RUNNING)


# --- dirrequest 36: an Instagram profile ---------------------------------------------------------


async def read_profile_request(step: Step, text: str) -> dict[str, Any]:
    """`username` or `CLIENT_ID username`; the client, when named, must exist."""
    parts = text.split()
    if not 1 <= len(parts) <= 2:
        raise Invalid(f"❌ Format tidak dikenal.\n\n{texts.ASK_PROFILE}")
    try:
        username = parse_instagram_username(parts[-1])
    except InvalidUsername as exc:
        raise Invalid(f"{exc}\n\n{texts.ASK_PROFILE}") from None
    client_id = parts[0].upper() if len(parts) == 2 else None
    if client_id and await satker(step.turn.services.engine, client_id) is None:
        raise Invalid(texts.unknown_client(client_id))
    return {"client_id": client_id, "username": username}


async def fetch_profile(step: Step) -> None:
    asked = step.answers["account"]
    message = step.turn.message
    await enqueue_satbinmas_profile(step.turn.services.redis, asked["client_id"],
                                    asked["username"], session=message.session,
                                    to=message.chat, key=_key(step, "satbinmas-profile"))
    step.turn.say(texts.fetching_profile(asked["username"]))


PROFILE = Form((Text("account", texts.ASK_PROFILE, read_profile_request),), fetch_profile)

DIRREQUEST_SECTION = Section(texts.SECTION, (
    Option(texts.OPTION_PROFILE, PROFILE),
    Option(texts.OPTION_FETCH_INSTAGRAM, SatbinmasTask("instagram")),
    Option(texts.OPTION_SYNC_SECUID, SatbinmasTask("secuid")),
    Option(texts.OPTION_FETCH_TIKTOK, SatbinmasTask("tiktok")),
    Option(texts.OPTION_RECAP_INSTAGRAM, SatbinmasReport("satbinmas-ig", questions=(PERIODS,))),
    Option(texts.OPTION_RECAP_TIKTOK, SatbinmasReport("satbinmas-tiktok", questions=(PERIODS,))),
))


# --- clientrequest 1.2.5 and 3.4 ------------------------------------------------------------------


async def _may_register(step: Step) -> bool:
    if step.grants.admin:
        return True
    allowed = await satbinmas_satkers_of(step.turn.services.engine, step.grants)
    return step.client_id in {ref.client_id for ref in allowed}


async def _platform_prompt(step: Step) -> str:
    assert step.client is not None, "the account option needs the step's satker"
    accounts = await accounts_of(step.turn.services.engine, step.client.client_id)
    return texts.ask_account_platform(step.client.name, accounts)


async def read_account_username(step: Step, text: str) -> str:
    platform = Platform(step.answers["platform"])
    try:
        username = parse_platform_username(platform, text)
    except InvalidUsername as exc:
        raise Invalid(str(exc)) from None
    owner = await owner_of(step.turn.services.engine, platform, username)
    if owner is not None and owner != step.client_id:
        raise Invalid(texts.username_taken(platform, username))
    return username


ACCOUNT_QUESTIONS: tuple[Question, ...] = (
    Choice("platform", _platform_prompt, tuple((platform.value, texts.platform_name(platform))
                                               for platform in Platform)),
    Text("username", texts.ASK_ACCOUNT_USERNAME, read_account_username),
)


@dataclass(frozen=True)
class RegisterSatbinmasAccount(Action):
    """Clientrequest 1.2.5: add or change the step's satker's account on one platform."""

    questions: tuple[Question, ...] = ACCOUNT_QUESTIONS

    async def run(self, step: Step) -> None:
        if not await _may_register(step):
            step.turn.say(texts.NOT_YOURS)
            return
        platform, username = step.answers["platform"], step.answers["username"]
        message = step.turn.message
        await enqueue_satbinmas_account_for_chat(
            step.turn.services.redis, step.client_id, platform, username,
            session=message.session, to=message.chat, key=_key(step, "satbinmas-check"),
            in_flow=False)
        step.turn.say(texts.checking(platform, username))


COVERAGE = SatbinmasReport("satbinmas-accounts")

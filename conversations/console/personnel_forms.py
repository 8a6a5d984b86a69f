"""The personnel options of the operator and client consoles: add a person, change a field,
activate or deactivate, look one up, the exception flag, move to another client, clear the
WhatsApp number. Each is a Form of questions and a handler.

Who an option may touch is its `scope`: in oprrequest the console's client only (a person of
another client is "not found", whatever the NRP), in clientrequest any client. Field values
pass the same checks as the officer's self-service (conversations/personnel_values.py);
every change is one audited write (storage/personnel_admin.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import Any

from conversations import personnel_values as values
from conversations.console.questions import Choice, Confirm, Text
from conversations.console.spec import Form, Invalid, Step, Stop
from conversations.personnel_values import InvalidValue
from jobs.queue import enqueue_contacts_save
from menus import console as console_texts
from menus import operator_console as texts
from storage.grants import clients
from storage.identifiers import InvalidNrp, normalize_nrp
from storage.ordering import OFFICIAL_RANKS
from storage.personnel_admin import PersonnelConflict, create_person, update_person
from storage.personnel_profile import (
    Profile,
    ProfileField,
    load_profile,
    satfung_choices,
)

Scope = Callable[[Step], Collection[str] | None]  # the clients it may touch; None: any


def console_client(step: Step) -> Collection[str] | None:
    return [step.client_id]


def every_client(step: Step) -> Collection[str] | None:
    return None


RANKS = tuple((rank, rank) for rank in OFFICIAL_RANKS)
_TEXT_FIELDS = frozenset({ProfileField.NAME.value, ProfileField.JABATAN.value, "whatsapp",
                          ProfileField.INSTAGRAM.value, ProfileField.TIKTOK.value})
CLEAR_WHATSAPP = "clear-whatsapp"


def _nrp(text: str) -> str:
    try:
        return normalize_nrp(text)
    except InvalidNrp as exc:
        raise Invalid(f"❌ {exc}") from None


def _checked(check: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """A personnel_values check as a question's parser: InvalidValue becomes Invalid."""
    async def parse(*args: Any, **kwargs: Any) -> Any:
        try:
            result = check(*args, **kwargs)
            return await result if isinstance(result, Awaitable) else result
        except InvalidValue as exc:
            raise Invalid(str(exc)) from None

    return parse


def _in_scope(scope: Scope, step: Step, profile: Profile | None) -> bool:
    allowed = scope(step)
    return profile is not None and (allowed is None or profile.client_id in allowed)


def _where(scope: Scope, step: Step) -> str | None:
    return step.client.name if scope(step) is not None and step.client else None


def nrp_question(scope: Scope) -> Text:
    """The NRP of a person the option may touch; anyone else is "not found"."""
    async def parse(step: Step, text: str) -> str:
        nrp = _nrp(text)
        if not _in_scope(scope, step, await load_profile(step.turn.services.engine, nrp)):
            raise Invalid(texts.not_found(nrp, _where(scope, step)))
        return nrp

    return Text("nrp", texts.ASK_NRP, parse)


def _person(scope: Scope) -> Callable[[Step], Awaitable[Profile]]:
    """The person the answers name, checked again (deleted or moved meanwhile: Stop)."""
    async def load(step: Step) -> Profile:
        profile = await load_profile(step.turn.services.engine, step.answers["nrp"])
        if profile is None or not _in_scope(scope, step, profile):
            raise Stop(texts.not_found(step.answers["nrp"], _where(scope, step)))
        return profile

    return load


async def _write(step: Step, changes: dict[str, Any]) -> Profile | None:
    """One audited change of the person; None (and the reason said) when refused."""
    turn = step.turn
    try:
        await update_person(turn.services.engine, step.answers["nrp"], changes,
                            new_user_id=None, changed_by=turn.phone)
    except PersonnelConflict:  # a unique value taken between the check and the write
        turn.say(texts.CONFLICT)
        return None
    return await load_profile(turn.services.engine, step.answers["nrp"])


# --- add ----------------------------------------------------------------------------------------


def add_form(scope: Scope) -> Form:
    """A new person of the console's client: NRP unique across every client, name, rank
    from the one rank list, satfung from the client's list plus the fixed units, jabatan."""

    async def new_nrp(step: Step, text: str) -> str:
        nrp = _nrp(text)
        profile = await load_profile(step.turn.services.engine, nrp)
        if profile is not None:
            raise Stop(texts.already_registered(profile) if _in_scope(scope, step, profile)
                       else texts.registered_elsewhere(nrp))
        return nrp

    async def satfungs(step: Step) -> list[tuple[str, str]]:
        return [(name, name) for name in
                await satfung_choices(step.turn.services.engine, step.client_id)]

    async def add(step: Step) -> None:
        turn, answers = step.turn, step.answers
        person = {"name": answers["name"], "rank": answers["rank"],
                  "satfung": answers["satfung"], "jabatan": answers["jabatan"],
                  "client_id": step.client_id}
        try:
            await create_person(turn.services.engine, answers["nrp"], person,
                                changed_by=turn.phone)
        except PersonnelConflict:  # created by someone else meanwhile
            turn.say(texts.registered_elsewhere(answers["nrp"]))
            return
        profile = await load_profile(turn.services.engine, answers["nrp"])
        assert profile is not None
        turn.say(texts.added(profile))

    return Form((
        Text("nrp", texts.ASK_NEW_NRP, new_nrp),
        Text("name", texts.ASK_NAME,
             _checked(lambda step, text: values.free_text(ProfileField.NAME, text))),
        Choice("rank", texts.ASK_RANK, RANKS),
        Choice("satfung", texts.ASK_SATFUNG, satfungs),
        Text("jabatan", texts.ASK_JABATAN,
             _checked(lambda step, text: values.free_text(ProfileField.JABATAN, text))),
    ), add)


# --- change one field ---------------------------------------------------------------------------


def update_form(scope: Scope) -> Form:
    """One field of a person: name, rank, satfung, jabatan, WhatsApp, Instagram, TikTok, or
    clearing the WhatsApp number."""
    person = _person(scope)

    def field_is(*fields: str) -> Callable[[Step], bool]:
        return lambda step: step.answers.get("field") in fields

    async def satfungs(step: Step) -> list[tuple[str, str]]:
        profile = await person(step)
        return [(name, name) for name in
                await satfung_choices(step.turn.services.engine, profile.client_id)]

    async def parse_value(step: Step, text: str) -> str:
        field, nrp, engine = step.answers["field"], step.answers["nrp"], step.turn.services.engine
        if field == "whatsapp":
            return await _checked(values.whatsapp)(engine, text, owner=nrp,
                                                   editor=step.turn.phone)
        if field in (ProfileField.INSTAGRAM.value, ProfileField.TIKTOK.value):
            return await _checked(values.username)(engine, ProfileField(field), text,
                                                   owner=nrp)
        return await _checked(values.free_text)(ProfileField(field), text)

    async def clear_prompt(step: Step) -> str:
        profile = await person(step)
        if not profile.whatsapp:
            raise Stop(texts.NO_WHATSAPP)
        return texts.clear_whatsapp_question(profile)

    async def change(step: Step) -> None:
        field = step.answers["field"]
        changes = ({"whatsapp": None} if field == CLEAR_WHATSAPP
                   else {field: step.answers["value"]})
        await person(step)
        profile = await _write(step, changes)
        if profile is None:
            return
        step.turn.say(texts.whatsapp_cleared(profile) if field == CLEAR_WHATSAPP
                      else texts.updated(field, profile))
        services = step.turn.services
        if field == "whatsapp" and services.settings.google_service_account:
            await enqueue_contacts_save(services.redis, phones=[step.answers["value"]])

    return Form((
        nrp_question(scope),
        Choice("field", texts.ASK_FIELD, texts.FIELD_CHOICES),
        Choice("value", texts.ASK_RANK, RANKS, when=field_is(ProfileField.RANK.value)),
        Choice("value", texts.ASK_SATFUNG, satfungs, when=field_is(ProfileField.SATFUNG.value)),
        Text("value", lambda step: texts.value_prompt(step.answers["field"]), parse_value,
             when=field_is(*_TEXT_FIELDS)),
        Confirm(clear_prompt, when=field_is(CLEAR_WHATSAPP)),
    ), change)


# --- status, lookup, exception, move, clear WhatsApp ----------------------------------------


def status_form(scope: Scope) -> Form:
    person = _person(scope)

    async def prompt(step: Step) -> str:
        return texts.status_question(await person(step))

    async def switch(step: Step) -> None:
        await person(step)
        profile = await _write(step, {"status": step.answers["active"]})
        if profile is not None:
            step.turn.say(texts.status_changed(profile))

    return Form((nrp_question(scope),
                 Choice("active", prompt, ((True, texts.ACTIVE), (False, texts.INACTIVE)))),
                switch)


def lookup_form(scope: Scope) -> Form:
    person = _person(scope)

    async def show(step: Step) -> None:
        step.turn.say(texts.person_card(await person(step)))

    return Form((nrp_question(scope),), show)


def exception_form(scope: Scope) -> Form:
    person = _person(scope)

    async def prompt(step: Step) -> str:
        return texts.exception_question(await person(step))

    async def switch(step: Step) -> None:
        await person(step)
        profile = await _write(step, {"exception": step.answers["exception"]})
        if profile is not None:
            step.turn.say(texts.exception_changed(profile))

    return Form((nrp_question(scope),
                 Choice("exception", prompt, ((True, texts.EXCEPTION_ON),
                                              (False, texts.EXCEPTION_OFF)))), switch)


def move_form(scope: Scope) -> Form:
    """To another client (any client, active or not: only admins reach this)."""
    person = _person(scope)

    async def prompt(step: Step) -> str:
        return texts.move_question(await person(step))

    async def targets(step: Step) -> list[tuple[str, str]]:
        refs = await clients(step.turn.services.engine, None, active_only=False)
        return [(ref.client_id, console_texts.client_label(ref.client_id, ref.name, ref.active))
                for ref in refs]

    async def move(step: Step) -> None:
        profile = await person(step)
        if profile.client_id == step.answers["target"]:
            step.turn.say(texts.SAME_CLIENT)
            return
        moved = await _write(step, {"client_id": step.answers["target"]})
        if moved is not None:
            step.turn.say(texts.moved(moved))

    return Form((nrp_question(scope), Choice("target", prompt, targets)), move)


def clear_whatsapp_form(scope: Scope) -> Form:
    person = _person(scope)

    async def prompt(step: Step) -> str:
        profile = await person(step)
        if not profile.whatsapp:
            raise Stop(texts.NO_WHATSAPP)
        return texts.clear_whatsapp_question(profile)

    async def clear(step: Step) -> None:
        await person(step)
        profile = await _write(step, {"whatsapp": None})
        if profile is not None:
            step.turn.say(texts.whatsapp_cleared(profile))

    return Form((nrp_question(scope), Confirm(prompt)), clear)

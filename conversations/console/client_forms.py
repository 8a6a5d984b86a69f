"""The client options of clientrequest (reference §4.1, §8.3 1.1–1.2, 4.1): add a client,
manage one (change a column or its contacts, delete, info, switch on or off), the exception
list and the web-login recap. Values are typed and checked: booleans and enums are choices,
usernames go through the one username normaliser, numbers through the phone normaliser,
contacts are rows of `client_contacts`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from conversations.console.questions import (
    Choice,
    ClientChoice,
    Confirm,
    PeriodKind,
    Text,
    period_of,
    period_question,
)
from conversations.console.spec import Form, Invalid, Step, Stop
from jobs.queue import enqueue_contacts_save
from menus import client_console as texts
from menus import contacts as contact_texts
from storage import client_admin
from storage.client_admin import ClientCard, DeleteOutcome
from storage.grants import ClientRef, clients
from storage.identifiers import (
    InvalidIdentifier,
    normalize_group_jid,
    normalize_phone,
    parse_instagram_username,
    parse_tiktok_username,
)
from storage.login_recaps import login_recap
from storage.models import ClientType, ContactKind

_CLIENT_ID_RE = re.compile(r"[A-Z0-9_]{2,40}")
_SECUID_RE = re.compile(r"[A-Za-z0-9_.\-]{10,200}")
_LIST_SPLIT_RE = re.compile(r"[,;\n]+")
_CLEAR = "-"
BOOLEANS = ((True, texts.ACTIVE), (False, texts.INACTIVE))
TYPES = tuple((kind.value, texts.TYPE_LABELS[kind.value]) for kind in ClientType)
POLICIES = ((None, texts.DEFAULT_POLICY),
            *((value, label) for value, label in texts.POLICY_LABELS.items()))
_BOOLEAN_FIELDS = ("status", "instagram_status", "tiktok_status", "amplify_status")
_CONTACT_FIELDS = {"operator": ContactKind.OPERATOR, "super_admin": ContactKind.SUPER_ADMIN,
                   "group": ContactKind.GROUP}
_TEXT_FIELDS = ("name", "instagram", "tiktok", "tiktok_secuid", *_CONTACT_FIELDS)
FIELDS = tuple((field, label) for field, label in texts.FIELD_LABELS.items())


async def all_clients(step: Step) -> list[ClientRef]:
    """Every client, active or not (clientrequest is for admins only)."""
    return await clients(step.turn.services.engine, None, active_only=False)


CLIENT = ClientChoice(clients_of=all_clients)


async def _card(step: Step) -> ClientCard:
    card = await client_admin.client_card(step.turn.services.engine, step.client_id)
    if card is None:
        raise Stop(texts.not_found(step.client_id))
    return card


def client_name(text: str) -> str:
    name = " ".join(text.split()).upper()
    if not 2 <= len(name) <= 100:
        raise Invalid(texts.BAD_CLIENT_NAME)
    return name


# --- add ----------------------------------------------------------------------------------------


async def _new_client_id(step: Step, text: str) -> str:
    client_id = text.strip().upper()
    if not _CLIENT_ID_RE.fullmatch(client_id):
        raise Invalid(texts.BAD_CLIENT_ID)
    if await client_admin.client_card(step.turn.services.engine, client_id) is not None:
        raise Stop(texts.client_exists(client_id))
    return client_id


async def _add(step: Step) -> None:
    engine, answers = step.turn.services.engine, step.answers
    if not await client_admin.add_client(engine, answers["new_client"], answers["name"],
                                         answers["type"]):
        step.turn.say(texts.client_exists(answers["new_client"]))
        return
    card = await client_admin.client_card(engine, answers["new_client"])
    assert card is not None
    step.turn.say(texts.client_added(card))


ADD_CLIENT = Form((
    Text("new_client", texts.ASK_CLIENT_ID, _new_client_id),
    Text("name", texts.ASK_CLIENT_NAME, lambda step, text: client_name(text)),
    Choice("type", texts.ASK_CLIENT_TYPE, TYPES),
    Confirm(lambda step: texts.confirm_add(step.answers["new_client"], step.answers["name"],
                                           step.answers["type"])),
), _add)


# --- manage one client --------------------------------------------------------------------------


def _operation(*operations: str) -> Callable[[Step], bool]:
    return lambda step: step.answers.get("operation") in operations


def _field(*fields: str) -> Callable[[Step], bool]:
    return lambda step: step.answers.get("operation") == "update" and \
        step.answers.get("field") in fields


def _listed(field: str, text: str, normalise: Callable[[str], str]) -> list[str]:
    if text.strip() == _CLEAR:
        return []
    values = []
    for part in _LIST_SPLIT_RE.split(text.strip()):
        part = part.strip()
        if not part:
            continue
        try:
            values.append(normalise(part))
        except InvalidIdentifier as exc:
            raise Invalid(f"❌ {part}: {exc}") from None
    if not values:
        raise Invalid(texts.value_prompt(field))
    return values


def _username(text: str, parse: Callable[[str], str]) -> str | None:
    if text.strip() == _CLEAR:
        return None
    try:
        return parse(text)
    except InvalidIdentifier as exc:
        raise Invalid(f"❌ {exc}") from None


def parse_value(field: str, text: str) -> Any:
    """A typed value for a text field of a client (a list for the contacts)."""
    if field == "name":
        return client_name(text)
    if field == "instagram":
        return _username(text, parse_instagram_username)
    if field == "tiktok":
        return _username(text, parse_tiktok_username)
    if field == "tiktok_secuid":
        value = text.strip()
        if value == _CLEAR:
            return None
        if not _SECUID_RE.fullmatch(value):
            raise Invalid(texts.BAD_SECUID)
        return value
    if field == "group":
        return _listed(field, text, normalize_group_jid)
    return _listed(field, text, normalize_phone)


async def _parents(step: Step) -> list[tuple[str | None, str]]:
    refs = await all_clients(step)
    return [(None, texts.NO_PARENT), *((ref.client_id, f"{ref.name} ({ref.client_id})")
                                       for ref in refs if ref.client_id != step.client_id)]


async def _operation_prompt(step: Step) -> str:
    return texts.operation_question(await _card(step))


async def _delete_prompt(step: Step) -> str:
    card = await _card(step)
    found = await client_admin.dependents(step.turn.services.engine, card.client_id)
    if found.any:
        raise Stop(texts.cannot_delete(card.client_id, found))
    return texts.confirm_delete(card)


async def _toggle_prompt(step: Step) -> str:
    return texts.confirm_toggle(await _card(step))


async def _manage(step: Step) -> None:
    engine, answers, turn = step.turn.services.engine, step.answers, step.turn
    operation = answers["operation"]
    if operation == "info":
        turn.say(texts.client_card(await _card(step)))
        return
    if operation == "delete":
        outcome, found = await client_admin.delete_client(engine, step.client_id)
        if outcome is DeleteOutcome.HAS_DEPENDENTS:
            assert found is not None
            turn.say(texts.cannot_delete(step.client_id, found))
        else:
            turn.say(texts.deleted(step.client_id) if outcome is DeleteOutcome.DELETED
                     else texts.not_found(step.client_id))
        return
    if operation == "toggle":
        card = await _card(step)
        await client_admin.update_client(engine, card.client_id, "status", not card.status)
        turn.say(texts.toggled(await _card(step)))
        return
    field, value = answers["field"], answers["value"]
    if field in _CONTACT_FIELDS:
        await _card(step)
        await client_admin.set_contacts(engine, step.client_id, _CONTACT_FIELDS[field], value)
    elif not await client_admin.update_client(engine, step.client_id, field, value):
        raise Stop(texts.not_found(step.client_id))
    turn.say(texts.client_updated(field, await _card(step)))


MANAGE_CLIENT = Form((
    CLIENT,
    Choice("operation", _operation_prompt, (
        ("update", texts.OPERATION_UPDATE), ("delete", texts.OPERATION_DELETE),
        ("info", texts.OPERATION_INFO), ("toggle", texts.OPERATION_TOGGLE))),
    Choice("field", texts.ASK_FIELD, FIELDS, when=_operation("update")),
    Choice("value", texts.ASK_VALUE, BOOLEANS, when=_field(*_BOOLEAN_FIELDS)),
    Choice("value", texts.ASK_CLIENT_TYPE, TYPES, when=_field("type")),
    Choice("value", texts.ASK_VALUE, _parents, when=_field("parent_id")),
    Choice("value", texts.ASK_VALUE, POLICIES, when=_field("attendance_policy")),
    Text("value", lambda step: texts.value_prompt(step.answers["field"]),
         lambda step, text: parse_value(step.answers["field"], text),
         when=_field(*_TEXT_FIELDS)),
    Confirm(_delete_prompt, words="ya hapus", when=_operation("delete")),
    Confirm(_toggle_prompt, when=_operation("toggle")),
), _manage)


# --- lists --------------------------------------------------------------------------------------


async def _exceptions(step: Step) -> None:
    people = await client_admin.exception_personnel(step.turn.services.engine, step.client_id)
    step.turn.say(texts.exception_list(step.client.name if step.client else step.client_id,
                                       people))


EXCEPTIONS = Form((CLIENT,), _exceptions)


async def _logins(step: Step) -> None:
    period = period_of(step.answers["period"])
    step.turn.say(texts.login_recap(await login_recap(step.turn.services.engine, period)))


WEB_LOGINS = Form((period_question(PeriodKind.TODAY, PeriodKind.THIS_WEEK,
                                   PeriodKind.THIS_MONTH, PeriodKind.LAST_MONTH),), _logins)


async def _save_contacts(step: Step) -> None:
    message = step.turn.message
    await enqueue_contacts_save(step.turn.services.redis, chat=(
        message.session, message.chat,
        f"contacts:{message.session}:{message.chat}:{message.message_id}"))
    step.turn.say(contact_texts.QUEUED)


SAVE_CONTACTS = Form((), _save_contacts)

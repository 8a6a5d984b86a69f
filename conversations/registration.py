"""Linking a WhatsApp number to a person (reference Flow A, with its holes closed):
a known number confirms its card; an unknown one gives its NRP, and the link is refused
when the NRP already has another number or the person is inactive."""

from __future__ import annotations

import re

from conversations.answers import Answer
from conversations.flow import Flow, Turn
from menus import profile as texts
from storage.identifiers import nrp_digits
from storage.personnel_profile import LinkOutcome, link_whatsapp, load_profile

_NRP_LENGTHS = (range(6, 13), range(18, 19))  # NRP 6–12 digits, NIP 18


def _nrp_error(text: str) -> tuple[str | None, str | None]:
    """(nrp, None) or (None, the reply explaining what is wrong)."""
    digits = nrp_digits(text)
    if not digits:
        return None, texts.NRP_NOT_NUMERIC
    if not any(len(digits) in lengths for lengths in _NRP_LENGTHS):
        return None, texts.NRP_BAD_LENGTH
    return digits, None


def looks_like_nrp(text: str) -> bool:
    """A first message that is nothing but an NRP is read as one (no question needed)."""
    return bool(re.fullmatch(r"[\d .\-]+", text.strip())) and _nrp_error(text)[0] is not None


class Registration(Flow):
    name = "registration"
    states = ("ask_nrp", "confirm_link", "confirm_identity", "ask_update")
    transitions = (
        ("nrp_found", "ask_nrp", "confirm_link"),
        ("linked", "confirm_link", "ask_update"),
        ("identity_confirmed", "confirm_identity", "ask_update"),
    )
    quick_reply_states = frozenset({"ask_nrp", "confirm_link"})
    sessions = None
    in_groups = False

    def wants(self, turn: Turn) -> bool:
        return turn.word == "userrequest"

    async def enter(self, turn: Turn) -> None:
        await turn.begin(self.name)

    async def start(self, turn: Turn) -> None:
        profile = None
        if turn.identity.user_id:
            profile = await load_profile(turn.services.engine, turn.identity.user_id)
        if profile is not None:
            turn.data["user_id"] = profile.user_id
            turn.context.state = "confirm_identity"
            turn.say(texts.identity_question(profile, turn.services.clock.now()))
        elif looks_like_nrp(turn.text):
            await self.on_ask_nrp(turn)
        else:
            turn.say(texts.ASK_NRP)

    async def prompt(self, turn: Turn) -> None:
        if turn.state == "confirm_link":
            turn.say(texts.confirm_link(turn.data["nrp"]))
        elif turn.state == "ask_update":
            turn.say(texts.ASK_UPDATE)
        else:
            await self.start(turn)

    async def on_ask_nrp(self, turn: Turn) -> None:
        if turn.word == "userrequest":
            turn.say(texts.ASK_NRP)
            return
        nrp, error = _nrp_error(turn.text)
        if error:
            turn.say(error)
            return
        profile = await load_profile(turn.services.engine, nrp)
        if profile is None:
            turn.say(texts.nrp_not_found(nrp))
        elif not profile.active:
            turn.say(texts.inactive(nrp))
            turn.finish()
        elif profile.whatsapp and profile.whatsapp != turn.phone:
            turn.say(texts.other_number(nrp))
            turn.finish()
        else:
            turn.data["nrp"] = nrp
            turn.go("nrp_found")
            turn.say(texts.confirm_link(nrp))

    async def on_confirm_link(self, turn: Turn) -> None:
        nrp = turn.data["nrp"]
        if turn.answer is Answer.NO:
            turn.say(texts.LINK_DECLINED)
            turn.finish()
            return
        if turn.answer is not Answer.YES:
            turn.say(texts.confirm_link_hint(nrp))
            return
        outcome = await link_whatsapp(turn.services.engine, nrp, turn.phone)
        if outcome in (LinkOutcome.LINKED, LinkOutcome.ALREADY_YOURS):
            profile = await load_profile(turn.services.engine, nrp)
            assert profile is not None
            turn.data["user_id"] = nrp
            turn.go("linked")
            turn.say(texts.linked(nrp), texts.profile_card(profile) + "\n\n" + texts.ASK_UPDATE)
            return
        turn.say({LinkOutcome.OTHER_NUMBER: texts.other_number(nrp),
                  LinkOutcome.INACTIVE: texts.inactive(nrp),
                  LinkOutcome.NOT_FOUND: texts.nrp_not_found(nrp),
                  LinkOutcome.NUMBER_IN_USE: texts.NUMBER_IN_USE}[outcome])
        turn.finish()

    async def on_confirm_identity(self, turn: Turn) -> None:
        if turn.answer is Answer.YES:
            turn.go("identity_confirmed")
            turn.say(texts.ASK_UPDATE)
        elif turn.answer is Answer.NO:
            turn.say(texts.NOT_YOURS)
            turn.finish()
        else:
            turn.say(texts.YES_NO_AGAIN)

    async def on_ask_update(self, turn: Turn) -> None:
        if turn.answer is Answer.YES:
            profile = await load_profile(turn.services.engine, turn.data["user_id"])
            if profile is None or not profile.active:
                turn.say(texts.INACTIVE_NO_EDIT)
                turn.finish()
                return
            await turn.begin("profile", user_id=profile.user_id)
        elif turn.answer is Answer.NO:
            turn.say(texts.CLOSED)
            turn.finish()
        else:
            turn.say(texts.YES_NO_AGAIN)

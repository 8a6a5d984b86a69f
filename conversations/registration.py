"""Linking a WhatsApp number to a person (reference Flow A, with its holes closed):
a known number confirms its card; an unknown one gives its NRP, and the link is refused
when the NRP already has another number or the person is inactive. A refused NRP is answered
as an unknown one, so a stranger cannot learn which NRPs exist or are linked."""

from __future__ import annotations

import re

from conversations.answers import Answer
from conversations.flow import Flow, State, Turn
from menus import profile as texts
from storage.identifiers import InvalidNrp, NrpNotNumeric, nrp_in_message
from storage.personnel_profile import LinkOutcome, link_whatsapp, load_profile


def _nrp_error(text: str) -> tuple[str | None, str | None]:
    """(nrp, None) or (None, the reply explaining what is wrong)."""
    try:
        return nrp_in_message(text), None
    except NrpNotNumeric:
        return None, texts.NRP_NOT_NUMERIC
    except InvalidNrp:
        return None, texts.NRP_BAD_LENGTH


def looks_like_nrp(text: str) -> bool:
    """A first message that is nothing but an NRP is read as one (no question needed)."""
    return bool(re.fullmatch(r"[\d .\-]+", text.strip())) and _nrp_error(text)[0] is not None


class Registration(Flow):
    name = "registration"
    keywords = frozenset({"userrequest"})

    ask_nrp = State(texts.ASK_NRP, quick_reply=True)
    confirm_link = State(lambda turn: texts.confirm_link(turn.data["nrp"]), quick_reply=True)
    confirm_identity = State()
    ask_update = State(texts.ASK_UPDATE)

    async def start(self, turn: Turn) -> None:
        profile = None
        if turn.identity.user_id:
            profile = await load_profile(turn.services.engine, turn.identity.user_id)
        if profile is not None:
            turn.data["user_id"] = profile.user_id
            await turn.go(self.confirm_identity, ask=False, remember=False)
            turn.say(texts.identity_question(profile, turn.services.clock.now()))
        elif looks_like_nrp(turn.text):
            await self.read_nrp(turn)
        else:
            turn.say(texts.ASK_NRP)

    @confirm_identity.prompter
    async def ask_identity(self, turn: Turn) -> None:
        profile = await load_profile(turn.services.engine, turn.data["user_id"])
        if profile is None:
            turn.say(texts.ASK_NRP)
            turn.finish()
            return
        turn.say(texts.identity_question(profile, turn.services.clock.now()))

    @ask_nrp.on_message
    async def read_nrp(self, turn: Turn) -> None:
        if turn.word == "userrequest":
            turn.say(texts.ASK_NRP)
            return
        nrp, error = _nrp_error(turn.text)
        if error:
            turn.say(error)
            return
        profile = await load_profile(turn.services.engine, nrp)
        if (profile is None or not profile.active
                or (profile.whatsapp and profile.whatsapp != turn.phone)):
            turn.say(texts.not_linkable(nrp))  # the same for each: stay, ask for another
        else:
            turn.data["nrp"] = nrp
            await turn.go(self.confirm_link)

    @confirm_link.on_message
    async def link(self, turn: Turn) -> None:
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
            await turn.go(self.ask_update, ask=False)
            turn.say(texts.linked(nrp), texts.profile_card(profile) + "\n\n" + texts.ASK_UPDATE)
            return
        if outcome is LinkOutcome.NUMBER_IN_USE:  # about this number, not the NRP
            turn.say(texts.NUMBER_IN_USE)
            turn.finish()
            return
        # Linked elsewhere (or deactivated) meanwhile: back to the first question, as for any
        # NRP this number cannot link.
        del turn.data["nrp"]
        await turn.go(self.ask_nrp, ask=False)
        turn.say(texts.not_linkable(nrp))

    @confirm_identity.on_message
    async def confirm(self, turn: Turn) -> None:
        if turn.answer is Answer.YES:
            await turn.go(self.ask_update)
        elif turn.answer is Answer.NO:
            turn.say(texts.NOT_YOURS)
            turn.finish()
        else:
            turn.say(texts.YES_NO_AGAIN)

    @ask_update.on_message
    async def update_or_close(self, turn: Turn) -> None:
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

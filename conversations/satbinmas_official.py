"""`#SatbinmasOfficial`: a satker registers its official Satbinmas Instagram and TikTok
accounts from WhatsApp (reference conversations_operators.md §4.5, §7, scenario S21).

Who: dashboard users granted the satker and its operators or super admins; the satker is
never typed (fix §9.4, where `kembali` led to a free-text client id): with one satker there
is no choice, with several the sender picks one of those offered, and the grant is checked
again at every step. Steps: the satker's card with its accounts → `ya` → platform →
username (the one normaliser) → the platform is asked by a job (exists, public) which
stores the account and answers in the chat → `tambah` (another platform), `ubah` (another
username) or `selesai`.
"""

from __future__ import annotations

from conversations.answers import Answer
from conversations.console.audiences import satbinmas_satkers_of
from conversations.flow import Flow, State, Turn
from jobs.queue import enqueue_satbinmas_account_for_chat
from menus import satbinmas as texts
from storage.grants import ClientRef, grants_of
from storage.identifiers import InvalidUsername, parse_platform_username
from storage.identities import IdentityKind
from storage.models import Platform
from storage.satbinmas_accounts import accounts_of, owner_of

_PLATFORMS = {"1": Platform.INSTAGRAM, "instagram": Platform.INSTAGRAM, "ig": Platform.INSTAGRAM,
              "2": Platform.TIKTOK, "tiktok": Platform.TIKTOK, "tt": Platform.TIKTOK}
_DONE = frozenset({"selesai", "sudah", "cukup"})


class SatbinmasOfficial(Flow):
    name = "satbinmas_official"
    sessions = frozenset({"gateway", "operator"})

    choose_satker = State(quick_reply=True)
    confirm = State(quick_reply=True)
    platform = State(prompt=texts.ASK_PLATFORM, quick_reply=True)
    username = State(quick_reply=True)
    next_step = State(prompt=texts.ASK_NEXT)

    def wants(self, turn: Turn) -> bool:
        return turn.word.replace(" ", "").startswith(texts.COMMAND.lower())

    async def _allowed(self, turn: Turn) -> list[ClientRef]:
        grants = await grants_of(turn.services.engine, turn.identity)
        return await satbinmas_satkers_of(turn.services.engine, grants)

    async def _satker(self, turn: Turn) -> ClientRef | None:
        """The chosen satker while the sender may still use it; else the flow ends refused."""
        chosen = turn.data.get("client")
        found = next((ref for ref in await self._allowed(turn) if ref.client_id == chosen), None)
        if found is None:
            turn.say(texts.REFUSED)
            turn.finish()
        return found

    async def enter(self, turn: Turn) -> None:
        satkers = await self._allowed(turn)
        if not satkers:
            turn.say(texts.REFUSED)  # no session is created
            return
        await turn.begin(self, offered=[ref.client_id for ref in satkers])

    async def start(self, turn: Turn) -> None:
        offered = turn.data["offered"]
        if len(offered) == 1:
            turn.data["client"] = offered[0]
            await turn.go(self.confirm, remember=False)
        else:
            await turn.go(self.choose_satker, remember=False)

    # --- which satker -----------------------------------------------------------------------

    async def _offered(self, turn: Turn) -> list[ClientRef]:
        allowed = {ref.client_id: ref for ref in await self._allowed(turn)}
        return [allowed[client_id] for client_id in turn.data.get("offered", [])
                if client_id in allowed]

    @choose_satker.prompter
    async def offer_satkers(self, turn: Turn) -> None:
        offered = await self._offered(turn)
        if not offered:
            turn.say(texts.REFUSED)
            turn.finish()
            return
        turn.say(texts.choose_satker([(ref.client_id, ref.name) for ref in offered]))

    @choose_satker.on_message
    async def pick_satker(self, turn: Turn) -> None:
        offered = await self._offered(turn)
        answer = turn.word
        picked = None
        if answer.isdigit() and 1 <= int(answer) <= len(offered):
            picked = offered[int(answer) - 1]
        else:
            picked = next((ref for ref in offered if ref.client_id.lower() == answer), None)
        if picked is None:
            turn.say(texts.invalid_satker(len(offered)))
            return
        turn.data["client"] = picked.client_id
        await turn.go(self.confirm)

    # --- the satker's accounts --------------------------------------------------------------

    @confirm.prompter
    async def show_accounts(self, turn: Turn) -> None:
        ref = await self._satker(turn)
        if ref is None:
            return
        identity = turn.identity
        role = texts.role_label(operator=ref.client_id in identity.operator_of,
                                super_admin=ref.client_id in identity.super_admin_of,
                                dashboard_username=identity.dashboard_username
                                if IdentityKind.DASHBOARD_USER in identity.kinds else None)
        accounts = await accounts_of(turn.services.engine, ref.client_id)
        turn.say(texts.account_card(ref.client_id, ref.name, accounts, role))

    @confirm.on_message
    async def confirmed(self, turn: Turn) -> None:
        if await self._satker(turn) is None:
            return
        if turn.answer is Answer.YES:
            await turn.go(self.platform)
        elif turn.answer is Answer.NO or turn.word in _DONE:
            turn.say(texts.CLOSED)
            turn.finish()
        else:
            turn.say(texts.ASK_CONFIRM)

    # --- platform and username --------------------------------------------------------------

    @platform.on_message
    async def pick_platform(self, turn: Turn) -> None:
        if await self._satker(turn) is None:
            return
        chosen = _PLATFORMS.get(turn.word)
        if chosen is None:
            turn.say(texts.ASK_PLATFORM)
            return
        turn.data["platform"] = chosen.value
        await turn.go(self.username)

    @username.prompter
    async def ask_username(self, turn: Turn) -> None:
        ref = await self._satker(turn)
        if ref is not None:
            turn.say(texts.ask_username(turn.data["platform"], ref.name))

    @username.on_message
    async def read_username(self, turn: Turn) -> None:
        ref = await self._satker(turn)
        if ref is None:
            return
        chosen = Platform(turn.data["platform"])
        try:
            username = parse_platform_username(chosen, turn.text)
        except InvalidUsername as exc:
            turn.say(str(exc))
            return
        owner = await owner_of(turn.services.engine, chosen, username)
        if owner is not None and owner != ref.client_id:
            turn.say(texts.username_taken(chosen, username))
            return
        message = turn.message
        await enqueue_satbinmas_account_for_chat(
            turn.services.redis, ref.client_id, chosen.value, username,
            session=message.session, to=message.chat,
            key=f"satbinmas-check:{message.session}:{message.chat}:{message.message_id}")
        turn.say(texts.checking(chosen, username))
        await turn.go(self.next_step, ask=False)

    @next_step.on_message
    async def after_check(self, turn: Turn) -> None:
        if await self._satker(turn) is None:
            return
        if turn.word == "tambah":
            await turn.go(self.platform)
        elif turn.word == "ubah":
            await turn.go(self.username)
        elif turn.answer is Answer.NO or turn.word in _DONE:
            turn.say(texts.CLOSED)
            turn.finish()
        else:
            turn.say(texts.ASK_NEXT)

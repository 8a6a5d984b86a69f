"""`approvedash#<username>` / `denydash#<username>`: an admin approves or refuses a dashboard
account from WhatsApp, on any session the admin writes to. Anyone else gets the
access-denied text.

Refusing also ends every login of the account at once (storage/token_revocation.py).
"""

from __future__ import annotations

import re

from conversations.flow import Command, Turn
from menus import conversation as common_texts
from menus import dashboard_accounts as texts
from storage import dashboard_users as accounts
from storage.identifiers import InvalidIdentifier, phone_to_jid
from storage.identities import IdentityKind
from storage.models import ApprovalStatus
from storage.token_revocation import revoke_all_tokens

_COMMAND_RE = re.compile(rf"\s*\**\s*({texts.APPROVE_COMMAND}|{texts.DENY_COMMAND})\s*#\s*"
                         r"(.*?)[\s*]*", re.IGNORECASE | re.DOTALL)


class DashboardApproval(Command):
    interrupts = True

    def wants(self, turn: Turn) -> bool:
        return _COMMAND_RE.fullmatch(turn.text) is not None

    async def enter(self, turn: Turn) -> None:
        if IdentityKind.ADMIN not in turn.identity.kinds:
            turn.say(common_texts.ACCESS_DENIED)
            return
        match = _COMMAND_RE.fullmatch(turn.text)
        assert match is not None
        command, username = match.group(1).lower(), match.group(2).strip().lower()
        if not accounts.USERNAME_RE.fullmatch(username):
            turn.say(texts.WRONG_FORMAT)
            return
        approve = command == texts.APPROVE_COMMAND
        await self._decide(turn, username,
                           ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED)

    async def _decide(self, turn: Turn, username: str, status: ApprovalStatus) -> None:
        engine = turn.services.engine
        account = await accounts.find_by_username(engine, username)
        if account is None:
            turn.say(texts.unknown_account(username))
            return
        if account.status is status:
            turn.say(texts.already_approved(account.username) if status is ApprovalStatus.APPROVED
                     else texts.already_rejected(account.username))
            return
        changed = await accounts.set_status(engine, account.id, status)
        if changed is None:  # deleted in the meantime
            turn.say(texts.unknown_account(username))
            return
        if status is ApprovalStatus.REJECTED:
            await revoke_all_tokens(turn.services.redis, account.id)
        owner = stored_chat(account.whatsapp)
        approved = status is ApprovalStatus.APPROVED
        turn.say(texts.approved_reply(account.username, owner is not None) if approved
                 else texts.denied_reply(account.username, owner is not None))
        if owner is not None:
            turn.send(owner, texts.account_approved(account.username,
                                                    turn.services.settings.dashboard_url)
                      if approved else texts.account_rejected(account.username))


def stored_chat(whatsapp: str | None) -> str | None:
    """The chat of a number kept with an account or request, when it is usable."""
    if not whatsapp:
        return None
    try:
        return phone_to_jid(whatsapp)
    except InvalidIdentifier:
        return None

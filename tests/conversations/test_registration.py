"""Registration from a number that is not the NRP's owner: what the bot answers must not tell a
stranger whether an NRP exists, is linked to another number, or is inactive."""

from __future__ import annotations

from sqlalchemy import text

from cicero.sandbox_bot import said
from storage.identifiers import phone_to_jid

UNKNOWN, LINKED_ELSEWHERE, INACTIVE = "99999999", "87020992", "87020994"  # see conftest WORLD_SQL


async def test_an_nrp_this_number_cannot_link_is_answered_alike(bot, world) -> None:
    """Unknown, linked to another number, inactive: the same reply (but for the NRP typed),
    the same next step (and so the same silence timers)."""
    seen = {}
    for n, nrp in enumerate((UNKNOWN, LINKED_ELSEWHERE, INACTIVE)):
        phone = f"628129000000{n}"
        for line in ("halo", nrp):
            await bot.send(said(phone, line))
        *_, reply = [m["text"] for m in await bot.new_outbound(phone_to_jid(phone))]
        context = await bot.service.conversations.store.peek("user", phone_to_jid(phone))
        after = (context.flow, context.state, context.data) if context else None
        seen[nrp] = (reply.replace(f"*{nrp}*", "*NRP*"), after)
    assert seen[UNKNOWN] == seen[LINKED_ELSEWHERE] == seen[INACTIVE], seen
    async with world.connect() as connection:
        assert await connection.scalar(text(
            "SELECT whatsapp FROM personnel WHERE user_id = :nrp"),
            {"nrp": LINKED_ELSEWHERE}) == "6281200000003"

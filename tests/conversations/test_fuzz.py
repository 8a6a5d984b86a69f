"""Random message sequences from every kind of sender through every flow: nothing raises,
no internal error reaches a person, and every private message gets an answer."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cicero.sandbox_bot import said
from menus import conversation as texts
from tests.conversations.conftest import ADMIN, BUDI, NEW, OPERATOR, OTHER

SENDERS = [NEW, BUDI, OTHER, OPERATOR, ADMIN, "6289999999999"]
SESSIONS = ["user", "operator", "gateway"]
WORDS = [
    "halo", "userrequest", "menu", "batal", "kembali", "ya", "Ya.", "iya", "y", "tidak", "t",
    "mungkin", "1", "2", "3", "5", "6", "7", "8", "0", "99", "87020990", "87020991",
    "87020994", "99999999", "NRP: 87.020.990", "abc", "@taken.user", "@baru.sekali",
    "https://www.instagram.com/p/ABC123/", "https://www.tiktok.com/@dup", "cicero_devs",
    "bripka", "subbid pid", "budi santoso", "notifwa#on", "notifwa#off", "notifwa#maybe",
    "oprrequest", "clientrequest", "fetchlikes#POLRES_A", "", "   ", "🙏", "#",
    "Pesan Komplain\nNRP : 87020991\nKendala\n- sudah melaksanakan instagram belum terdata",
    "Permohonan Penghapusan Data Personil\n1. AGUS – 87020990 – mutasi",
]
messages = st.lists(
    st.tuples(st.sampled_from(SENDERS), st.sampled_from(SESSIONS),
              st.one_of(st.sampled_from(WORDS), st.text(max_size=40))),
    min_size=1, max_size=10)



@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=messages)
async def test_random_conversations_never_break(bot, sequence) -> None:
    for phone, session, body in sequence:
        line = said(phone, body, session=session)
        await bot.send(line)
        replies = await bot.new_outbound()
        mine = [m["text"] for m in replies if m["to"] == line.chat]
        assert texts.INTERNAL_ERROR not in mine, (phone, session, body)
        if body.strip():
            assert mine, f"no answer to {body!r} from {phone} on {session}"

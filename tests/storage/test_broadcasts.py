"""Task broadcasts: change detection kept in the database, and the exact message."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from cicero.clock import clock
from menus.task_broadcast import render_task_broadcast
from storage.broadcasts import remember_broadcast, task_broadcast
from storage.ingestion import FetchedPost, record_engagement, stored_posts, sync_today_posts
from tests.factories import insert_client

JAKARTA = ZoneInfo("Asia/Jakarta")
TODAY = clock.day(date(2025, 12, 6))


async def _setup(engine) -> None:
    await insert_client(engine, "DITBINMAS", "DIREKTORAT BINMAS", "directorate",
                        instagram="ditbinmas", tiktok="ditbinmas.jatim")
    await sync_today_posts(engine, "DITBINMAS", "instagram", [
        FetchedPost("instagram", "C1aaa", datetime(2025, 12, 6, 8, 15, tzinfo=JAKARTA))], TODAY)
    await sync_today_posts(engine, "DITBINMAS", "tiktok", [
        FetchedPost("tiktok", "7312", datetime(2025, 12, 6, 9, 0, tzinfo=JAKARTA))], TODAY)
    (ig,) = await stored_posts(engine, "DITBINMAS", "instagram", TODAY)
    (tt,) = await stored_posts(engine, "DITBINMAS", "tiktok", TODAY)
    await record_engagement(engine, ig.id, "like", [f"u{n}" for n in range(1234)])
    await record_engagement(engine, tt.id, "comment", ["a", "b"])


async def test_first_broadcast_then_only_on_change(engine) -> None:
    await _setup(engine)
    first = await task_broadcast(engine, "DITBINMAS", TODAY)
    assert first.changed and all(post.is_new for post in first.instagram + first.tiktok)
    await remember_broadcast(engine, first)
    same = await task_broadcast(engine, "DITBINMAS", TODAY)
    assert not same.changed and same.post_set_hash == first.post_set_hash
    await sync_today_posts(engine, "DITBINMAS", "instagram", [
        FetchedPost("instagram", "C1aaa", datetime(2025, 12, 6, 8, 15, tzinfo=JAKARTA)),
        FetchedPost("instagram", "C2bbb", datetime(2025, 12, 6, 10, 0, tzinfo=JAKARTA))], TODAY)
    changed = await task_broadcast(engine, "DITBINMAS", TODAY)
    assert changed.changed
    assert [(p.external_id, p.is_new) for p in changed.instagram] == [("C1aaa", False),
                                                                      ("C2bbb", True)]


async def test_task_message_text(engine) -> None:
    await _setup(engine)
    message = render_task_broadcast(await task_broadcast(engine, "DITBINMAS", TODAY))
    assert message == "\n".join([
        "Mohon ijin Komandan, Senior, Rekan Operator dan Personil pelaksana tugas Likes dan "
        "Komentar Sosial Media *DIREKTORAT BINMAS*.",
        "",
        "Tugas sosial media hari Sabtu, 06 Desember 2025:",
        "",
        "📸 *Instagram*: 1 konten, total 1.234 likes",
        "1. [BARU] https://www.instagram.com/p/C1aaa (upload 08.15 WIB) : 1.234 likes",
        "",
        "🎵 *TikTok*: 1 konten, total 2 komentar",
        "1. [BARU] https://www.tiktok.com/@ditbinmas.jatim/video/7312 (upload 09.00 WIB) : "
        "2 komentar",
        "",
        "Mohon segera laksanakan like, komentar dan bagikan konten di atas. Terima kasih.",
    ])

"""ig-likes, tiktok-comments and tiktok-analytic: exact text of small cases, the zero-post
message, splitting, and the registered builders on a hand-made database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text

from cicero.clock import clock
from menus.format import WHATSAPP_TEXT_LIMIT
from menus.reports.base import REPORTS, ReportRequest
from menus.reports.satker_recaps import render_analytic, render_recap
from storage.attendance import (
    MAJORITY,
    Attendance,
    ClientInfo,
    PersonResult,
    Policy,
    Population,
    PopulationKind,
    PostSummary,
)
from storage.models import Platform
from tests.factories import insert_client, insert_person

JAKARTA = ZoneInfo("Asia/Jakarta")
DAY = date(2025, 12, 6)
NOW = datetime(2025, 12, 6, 19, 5, tzinfo=JAKARTA)


def person(user_id: str, rank: str, name: str, satfung: str, username: str | None,
           engaged: int, posts: int, policy: Policy = MAJORITY, *, satker: str = "POLRES_A",
           exception: bool = False) -> PersonResult:
    return PersonResult(
        user_id=user_id, name=name, rank=rank, satfung=satfung, jabatan=None,
        satker_id=satker, satker_name=satker.replace("_", " "), username=username,
        exception=exception, engaged=engaged if username else 0, posts=posts,
        status=policy.status(engaged, posts, username is not None))


def attendance(people: list[PersonResult], posts: int, *, platform: Platform = Platform.INSTAGRAM,
               policy: Policy = MAJORITY, kind: PopulationKind = PopulationKind.SATKER,
               client_id: str = "POLRES_A", client_type: str = "org",
               per_post: dict[str, frozenset[int]] | None = None) -> Attendance:
    client = ClientInfo(client_id, client_id.replace("_", " "), client_type,
                        instagram=client_id.lower(), tiktok=client_id.lower(),
                        attendance_policy=None)
    summaries = [PostSummary(n, platform.value, f"P{n}", NOW - timedelta(hours=10 - n),
                             f"Kegiatan {n}", engagers=10 * n) for n in range(1, posts + 1)]
    return Attendance(client, Population(kind, client_id), platform, clock.day(DAY), policy,
                      summaries, people, per_post=per_post)


def request(mode: str = "all") -> ReportRequest:
    return ReportRequest("POLRES_A", clock.day(DAY), NOW, mode)


def _five(platform: Platform = Platform.INSTAGRAM) -> Attendance:
    """Three posts, majority rule (2 needed): one of each status and one more done."""
    people = [
        person("1", "BRIPKA", "BUDI", "SAT BINMAS", "budi", 3, 3),
        person("2", "AIPTU", "ANI", "BAG OPS", "ani", 2, 3),
        person("3", "BRIPDA", "EKO", "SAT BINMAS", "eko", 1, 3),
        person("4", "BRIPDA", "CICI", "SAT BINMAS", "cici", 0, 3),
        person("5", "BRIPTU", "DODI", "POLSEK KOTA", None, 0, 3),
    ]
    order = ["2", "1", "4", "3", "5"]  # the engine's order: rank, then name
    people = sorted(people, key=lambda p: order.index(p.user_id))
    per_post = {"1": frozenset({1, 2, 3}), "2": frozenset({1, 2}), "3": frozenset({3}),
                "4": frozenset(), "5": frozenset()}
    return attendance(people, 3, platform=platform, per_post=per_post)


HEADER = """Mohon ijin Komandan,

📋 *Rekap Akumulasi Likes Instagram{suffix}*
Polres: *POLRES A*
Hari: Sabtu, 06 Desember 2025
Jam: 19.05.00 WIB

Jumlah konten: 3
- https://www.instagram.com/p/P1
- https://www.instagram.com/p/P2
- https://www.instagram.com/p/P3
Target: like minimal 2 dari 3 konten per personel

Jumlah personel: 5 pers
✅ Sudah: 2 pers
⚠️ Kurang: 1 pers
❌ Belum: 1 pers
⚠️❌ Belum input username: 1 pers
"""

DONE = """
✅ *Sudah like (2 pers):*
*BAG OPS* (1 pers):
- AIPTU ANI : @ani (2/3 konten)
*SAT BINMAS* (1 pers):
- BRIPKA BUDI : @budi (3/3 konten)
"""

NOT_DONE = """
⚠️ *Kurang (1 pers):*
*SAT BINMAS* (1 pers):
- BRIPDA EKO : @eko (1/3 konten)

❌ *Belum like (1 pers):*
*SAT BINMAS* (1 pers):
- BRIPDA CICI : @cici (0/3 konten)

⚠️❌ *Belum input username Instagram (1 pers):*
*POLSEK KOTA* (1 pers):
- BRIPTU DODI
"""


def test_ig_likes_all_lists_every_status_by_satfung() -> None:
    rendered = render_recap(_five(), request())
    assert rendered.messages == [
        HEADER.format(suffix="") + DONE + NOT_DONE + "\nTerima kasih."]


def test_ig_likes_done_and_not_done_modes() -> None:
    done = render_recap(_five(), request("done"))
    assert done.messages == [HEADER.format(suffix=" (Sudah)") + DONE + "\nTerima kasih."]
    not_done = render_recap(_five(), request("not-done"))
    assert not_done.messages == [
        HEADER.format(suffix=" (Belum Memenuhi Target)") + NOT_DONE + "\nTerima kasih."]


def test_per_content_lists_who_engaged_with_each_post() -> None:
    text_ = render_recap(_five(), request("per-content")).text
    assert text_.startswith("Mohon ijin Komandan,\n\n📋 *Rekap Likes Instagram per Konten*")
    first = text_.split("*Konten 1*")[1].split("*Konten 2*")[0]
    assert first == """
https://www.instagram.com/p/P1
✅ *Sudah like (2 pers):*
*BAG OPS* (1 pers):
- AIPTU ANI
*SAT BINMAS* (1 pers):
- BRIPKA BUDI

❌ *Belum like (2 pers):*
*SAT BINMAS* (2 pers):
- BRIPDA CICI
- BRIPDA EKO

"""
    assert text_.endswith("""*Konten 3*
https://www.instagram.com/p/P3
✅ *Sudah like (2 pers):*
*SAT BINMAS* (2 pers):
- BRIPKA BUDI
- BRIPDA EKO

❌ *Belum like (2 pers):*
*BAG OPS* (1 pers):
- AIPTU ANI
*SAT BINMAS* (1 pers):
- BRIPDA CICI

⚠️❌ *Belum input username Instagram (1 pers):*
*POLSEK KOTA* (1 pers):
- BRIPTU DODI

Terima kasih.""")


def test_tiktok_comments_use_tiktok_words_and_links() -> None:
    text_ = render_recap(_five(Platform.TIKTOK), request()).text
    assert "📋 *Rekap Akumulasi Komentar TikTok*" in text_
    assert "- https://www.tiktok.com/@polres_a/video/P1" in text_
    assert "✅ *Sudah komentar (2 pers):*" in text_
    assert "⚠️❌ *Belum input username TikTok (1 pers):*" in text_


def test_zero_posts_is_one_sentence() -> None:
    empty = attendance([person("1", "BRIPKA", "BUDI", "SAT BINMAS", "budi", 0, 0)], 0)
    expected = ["Belum ada konten Instagram POLRES A pada Sabtu, 06 Desember 2025."]
    for mode in ("all", "done", "not-done", "per-content"):
        assert render_recap(empty, request(mode)).messages == expected
    week = ReportRequest("POLRES_A", clock.week(DAY), NOW)
    tiktok = attendance([], 0, platform=Platform.TIKTOK)
    assert render_analytic(tiktok, week).messages == [
        "Belum ada konten TikTok POLRES A pada periode 01 Desember 2025 - 07 Desember 2025."]


def test_a_long_list_is_split_under_the_whatsapp_limit() -> None:
    people = [person(str(n), "BRIPDA", f"PERSONIL NOMOR {n:04d} DENGAN NAMA PANJANG",
                     f"POLSEK {n % 7}", f"user{n}", n % 3, 2) for n in range(400)]
    rendered = render_recap(attendance(people, 2), request())
    assert len(rendered.messages) > 1
    assert all(len(message) <= WHATSAPP_TEXT_LIMIT for message in rendered.messages)
    joined = rendered.text
    assert all(f"NOMOR {n:04d} " in joined for n in range(400))
    assert rendered.messages[-1].endswith("Terima kasih.")


def test_tiktok_analytic_summary_highlights_and_appendix() -> None:
    people = [
        person("1", "AKP", "ANTON", "SAT BINMAS", "anton", 2, 2),
        person("2", "BRIPKA", "BAMBANG", "SAT BINMAS", "bambang", 1, 2),
        person("3", "BRIPDA", "CANDRA", "POLSEK KOTA", "candra", 0, 2),
        person("4", "BRIPDA", "DEWI", "POLSEK KOTA", None, 0, 2),
        person("5", "IPTU", "EDI", "BAG OPS", "edi", 2, 2, exception=True),
    ]
    people = sorted(people, key=lambda p: ["1", "5", "2", "3", "4"].index(p.user_id))
    rendered = render_analytic(attendance(people, 2, platform=Platform.TIKTOK), request())
    assert rendered.messages == ["""Mohon ijin Komandan,

📊 *Rekap Analitik Komentar TikTok*
POLRES A | Sabtu, 06 Desember 2025 | 19.05 WIB

*Ringkasan Capaian*
• Konten dipantau: 2
• Target minimal per personel: komentar di 1 dari 2 konten
• Personel mencapai target: 3/4 personel ber-username (75,0%)
• Komentar personel: 5 dari 8 kemungkinan (62,5%)

*Distribusi Status*
✅ Mencapai target: 3 pers
⚠️ Kurang: 0 pers
❌ Belum komentar: 1 pers
⚠️❌ Belum input username: 1 pers

*Sorotan Konten*
• Tertinggi: "Kegiatan 2" – 20 akun berkomentar
  https://www.tiktok.com/@polres_a/video/P2
• Terendah: "Kegiatan 1" – 10 akun berkomentar
  https://www.tiktok.com/@polres_a/video/P1

*Kontributor Utama*
1. AKP ANTON – 2/2 konten
2. BRIPKA BAMBANG – 1/2 konten

Catatan personel: 5 personel terdaftar, 4 dengan username TikTok, 1 tanpa username, \
1 belum mencapai target.

*Daftar Konten*
- https://www.tiktok.com/@polres_a/video/P1
- https://www.tiktok.com/@polres_a/video/P2

📎 *Lampiran*
✅ *Personel mencapai target (3 pers):*
*BAG OPS* (1 pers):
- IPTU EDI : @edi (2/2 konten)
*SAT BINMAS* (2 pers):
- AKP ANTON : @anton (2/2 konten)
- BRIPKA BAMBANG : @bambang (1/2 konten)

❌ *Personel belum mencapai target (1 pers):*
*POLSEK KOTA* (1 pers):
- BRIPDA CANDRA : @candra (0/2 konten)

⚠️❌ *Belum input username TikTok (1 pers):*
*POLSEK KOTA* (1 pers):
- BRIPDA DEWI

Terima kasih."""]


def test_long_captions_are_cut_to_sixty_characters() -> None:
    single = attendance([person("1", "AKP", "ANTON", "SAT BINMAS", "anton", 1, 1)], 1,
                        platform=Platform.TIKTOK)
    single.posts[0] = PostSummary(1, "tiktok", "V1", NOW, "Sosialisasi  kamtibmas\n" * 6,
                                  engagers=7)
    text_ = render_analytic(single, request()).text
    caption = text_.split('• Konten: "')[1].split('"')[0]
    assert caption == "Sosialisasi kamtibmas Sosialisasi kamtibmas Sosialisasi…"
    single.posts[0] = PostSummary(1, "tiktok", "V1", NOW, "x" * 80, engagers=7)
    caption = render_analytic(single, request()).text.split('• Konten: "')[1].split('"')[0]
    assert caption == "x" * 59 + "…"


# --- the registered reports on a real database -----------------------------------------------


async def _sql(engine, statement: str, **params) -> None:
    async with engine.begin() as connection:
        await connection.execute(text(statement), params)


async def _small_satker(engine) -> None:
    """POLRES_A: 2 Instagram posts today; BUDI liked both, ANI one, CICI none, DODI has no
    username; plus a like of a stranger and a post of yesterday that must not count."""
    await insert_client(engine, "POLRES_A", instagram="polres_a", tiktok="polres_a")
    for user_id, rank, name, satfung, instagram in [
        ("1001", "BRIPKA", "BUDI", "SAT BINMAS", "budi"),
        ("1002", "AIPTU", "ANI", "BAG OPS", "ani"),
        ("1003", "BRIPDA", "CICI", "SAT BINMAS", "cici"),
        ("1004", "BRIPTU", "DODI", "POLSEK KOTA", None),
    ]:
        await insert_person(engine, user_id, name, "POLRES_A", rank=rank, satfung=satfung,
                            instagram=instagram)
    for post_id, external_id, hour in [(1, "IGA", 8), (2, "IGB", 12), (3, "OLD", -6)]:
        await _sql(engine, "INSERT INTO posts (id, platform, external_id, client_id, uploaded_at) "
                           "VALUES (:id, 'instagram', :e, 'POLRES_A', :t)",
                   id=post_id, e=external_id, t=datetime(2025, 12, 6, tzinfo=JAKARTA)
                   + timedelta(hours=hour))
    for post_id, username in [(1, "budi"), (2, "budi"), (2, "ani"), (1, "stranger"), (3, "cici")]:
        await _sql(engine, "INSERT INTO engagements (post_id, kind, username) "
                           "VALUES (:p, 'like', :u)", p=post_id, u=username)


async def test_ig_likes_on_the_database(engine) -> None:
    import menus.reports.satker_recaps  # noqa: F401  (registers the reports)

    await _small_satker(engine)
    spec = REPORTS["ig-likes"]
    assert spec.modes == ("all", "done", "not-done", "per-content")
    data = await spec.build(engine, request())
    assert data.per_post is not None and data.per_day is not None
    assert (data.totals.done, data.totals.partial, data.totals.none,
            data.totals.no_username) == (2, 0, 1, 1)
    text_ = spec.render(data, request()).text
    assert "Jumlah konten: 2\n- https://www.instagram.com/p/IGA\n" in text_
    assert "- AIPTU ANI : @ani (1/2 konten)" in text_
    assert "- BRIPDA CICI : @cici (0/2 konten)" in text_
    per_content = spec.render(data, request("per-content")).text
    assert "*Konten 1*\nhttps://www.instagram.com/p/IGA\n✅ *Sudah like (1 pers):*\n" in per_content
    document = spec.to_json(data, request())
    assert document["report"] == "ig-likes" and document["policy"] == "majority"
    assert {p["user_id"]: p["status"] for p in document["people"]} == {
        "1001": "done", "1002": "done", "1003": "none", "1004": "no_username"}


async def test_tiktok_reports_without_videos_say_so(engine) -> None:
    import menus.reports.satker_recaps  # noqa: F401

    await _small_satker(engine)
    for name in ("tiktok-comments", "tiktok-analytic"):
        spec = REPORTS[name]
        data = await spec.build(engine, request())
        assert data.totals.no_posts == 4
        assert spec.render(data, request()).messages == [
            "Belum ada konten TikTok POLRES A pada Sabtu, 06 Desember 2025."]
        assert {p["status"] for p in spec.to_json(data, request())["people"]} == {"no_posts"}

"""directorate-*, simple-* and report-*: exact text of small cases, the zero-post message,
splitting, and the registered builders on a hand-made database."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import text

from cicero.clock import clock
from menus.format import WHATSAPP_TEXT_LIMIT
from menus.reports.base import REPORTS, ReportRequest
from menus.reports.directorate_recaps import (
    render_by_satfung,
    render_directorate,
    render_simple,
)
from storage.attendance import ALL, MAJORITY, PopulationKind
from storage.models import Platform
from tests.factories import insert_client, insert_person
from tests.menus.test_satker_recaps import DAY, JAKARTA, NOW, attendance, person

HEADER = """Mohon ijin Komandan,

📋 *{title}*
*DITBINMAS*
Hari: Sabtu, 06 Desember 2025
Jam: 19.05.00 WIB

Jumlah konten: 2
- https://www.instagram.com/p/P1
- https://www.instagram.com/p/P2
Target: like {target} per personel
"""


def request(client_id: str = "DITBINMAS") -> ReportRequest:
    return ReportRequest(client_id, clock.day(DAY), NOW)


def _directorate_members():
    """Six members in three home satkers; two Instagram posts, majority rule (1 needed)."""
    people = [
        person("1", "AKBP", "ARIF", "BAG OPS", "arif", 2, 2, satker="DITBINMAS"),
        person("2", "AIPTU", "BAYU", "SAT BINMAS", "bayu", 0, 2, satker="POLRES_A"),
        person("3", "BRIPKA", "CITRA", "SAT BINMAS", "citra", 1, 2, satker="POLRES_A"),
        person("4", "BRIPDA", "DANI", "SAT BINMAS", None, 0, 2, satker="POLRES_A"),
        person("5", "BRIPDA", "EVA", "POLSEK KOTA", "eva", 2, 2, satker="POLRES_B"),
        person("6", "BRIPDA", "FAJAR", "POLSEK KOTA", "fajar", 2, 2, satker="POLRES_B"),
    ]
    return attendance(people, 2, kind=PopulationKind.DIRECTORATE, client_id="DITBINMAS",
                      client_type="directorate")


def test_directorate_recap_counts_per_satker_directorate_first() -> None:
    rendered = render_directorate(_directorate_members(), request())
    assert rendered.messages == [HEADER.format(
        title="Rekap Akumulasi Likes Instagram", target="minimal 1 dari 2 konten") + """
Jumlah personel: 6 pers
✅ Sudah melaksanakan (lengkap + kurang): 4 pers
   ✅ Lengkap: 4 pers
   ⚠️ Kurang: 0 pers
❌ Belum: 1 pers
⚠️❌ Belum input username: 1 pers

*Rekap per satker* (direktorat, lalu capaian lengkap tertinggi):

1. *DITBINMAS* (lengkap 100,0%)
   Personel: 1 pers
   ✅ Sudah melaksanakan: 1 pers (lengkap 1, kurang 0)
   ❌ Belum: 0 pers
   ⚠️❌ Belum input username: 0 pers

2. *POLRES B* (lengkap 100,0%)
   Personel: 2 pers
   ✅ Sudah melaksanakan: 2 pers (lengkap 2, kurang 0)
   ❌ Belum: 0 pers
   ⚠️❌ Belum input username: 0 pers

3. *POLRES A* (lengkap 33,3%)
   Personel: 3 pers
   ✅ Sudah melaksanakan: 1 pers (lengkap 1, kurang 0)
   ❌ Belum: 1 pers
   ⚠️❌ Belum input username: 1 pers

Terima kasih."""]


def _own_staff(policy=ALL):
    """Five staff of the directorate itself, two posts, the 100% rule."""
    people = [
        person("1", "AKBP", "ARIF", "BAG OPS", "arif", 2, 2, policy, satker="DITBINMAS"),
        person("2", "AIPTU", "BAYU", "SUBDIT BINPOLMAS", "bayu", 1, 2, policy,
               satker="DITBINMAS"),
        person("3", "BRIPKA", "CITRA", "SUBDIT BINPOLMAS", "citra", 0, 2, policy,
               satker="DITBINMAS"),
        person("4", "BRIPDA", "DANI", "BAG OPS", None, 0, 2, policy, satker="DITBINMAS"),
        person("5", "BRIPDA", "EVA", "SUBDIT BINPOLMAS", "eva", 2, 2, policy, satker="DITBINMAS"),
    ]
    return attendance(people, 2, policy=policy, kind=PopulationKind.OWN_STAFF,
                      client_id="DITBINMAS", client_type="directorate")


def test_simple_recap_has_four_plain_lists_and_no_closing() -> None:
    rendered = render_simple(_own_staff(), request())
    assert rendered.messages == [HEADER.format(
        title="Rekap Akumulasi Likes Instagram (Simple)", target="seluruh 2 konten") + """
Jumlah personel: 5 pers
✅ Lengkap: 2 pers
⚠️ Kurang: 1 pers
❌ Belum: 1 pers
⚠️❌ Belum input username: 1 pers

✅ *Lengkap (2 pers):*
- AKBP ARIF
- BRIPDA EVA

⚠️ *Kurang (1 pers):*
- AIPTU BAYU (1/2 konten)

❌ *Belum (1 pers):*
- BRIPKA CITRA

⚠️❌ *Belum input username Instagram (1 pers):*
- BRIPDA DANI"""]


def test_report_by_satfung_prints_only_non_empty_sections() -> None:
    rendered = render_by_satfung(_own_staff(), request())
    assert rendered.messages == [HEADER.format(
        title="Rekap Likes Instagram per Satfung", target="seluruh 2 konten") + """
Jumlah personel: 5 pers
✅ Sudah melaksanakan (lengkap + kurang): 3 pers
   ✅ Lengkap: 2 pers
   ⚠️ Kurang: 1 pers
❌ Belum: 1 pers
⚠️❌ Belum input username: 1 pers

1. *BAG OPS* (2 pers, lengkap 50,0%)
✅ Lengkap (1 pers):
- AKBP ARIF, 2/2 konten
⚠️❌ Belum input username (1 pers):
- BRIPDA DANI, username Instagram kosong

2. *SUBDIT BINPOLMAS* (3 pers, lengkap 33,3%)
✅ Lengkap (1 pers):
- BRIPDA EVA, 2/2 konten
⚠️ Kurang (1 pers):
- AIPTU BAYU, 1/2 konten
❌ Belum like (1 pers):
- BRIPKA CITRA, @citra

Terima kasih."""]


def test_tiktok_variants_use_tiktok_words() -> None:
    tiktok = _own_staff()
    tiktok.platform = Platform.TIKTOK
    assert "📋 *Rekap Akumulasi Komentar TikTok (Simple)*" in render_simple(tiktok, request()).text
    report = render_by_satfung(tiktok, request()).text
    assert "❌ Belum komentar (1 pers):\n- BRIPKA CITRA, @citra" in report
    assert "- BRIPDA DANI, username TikTok kosong" in report


def test_zero_posts_is_one_sentence() -> None:
    empty = attendance([], 0, kind=PopulationKind.OWN_STAFF, client_id="DITBINMAS",
                       client_type="directorate")
    for render in (render_directorate, render_simple, render_by_satfung):
        assert render(empty, request()).messages == [
            "Belum ada konten Instagram DITBINMAS pada Sabtu, 06 Desember 2025."]


def test_long_lists_are_split_under_the_whatsapp_limit() -> None:
    people = [person(str(n), "BRIPDA", f"PERSONIL NOMOR {n:04d} DENGAN NAMA PANJANG",
                     f"SUBDIT {n % 5}", f"user{n}" if n % 9 else None, n % 3, 2, ALL,
                     satker="DITBINMAS") for n in range(300)]
    staff = attendance(people, 2, policy=ALL, kind=PopulationKind.OWN_STAFF,
                       client_id="DITBINMAS", client_type="directorate")
    for render in (render_simple, render_by_satfung):
        rendered = render(staff, request())
        assert len(rendered.messages) > 1
        assert all(len(message) <= WHATSAPP_TEXT_LIMIT for message in rendered.messages)
        assert all(f"NOMOR {n:04d} " in rendered.text for n in range(300))
    members = [person(str(n), "BRIPDA", f"P{n}", "SAT BINMAS", f"u{n}", n % 3, 2, MAJORITY,
                      satker=f"POLRES_{n % 120:03d}") for n in range(600)]
    directorate = attendance(members, 2, kind=PopulationKind.DIRECTORATE,
                             client_id="DITBINMAS", client_type="directorate")
    rendered = render_directorate(directorate, request())
    assert len(rendered.messages) > 1
    assert all(len(message) <= WHATSAPP_TEXT_LIMIT for message in rendered.messages)
    assert rendered.text.count("   Personel: 5 pers") == 120


# --- the registered reports on a real database -----------------------------------------------


async def _sql(engine, statement: str, **params) -> None:
    async with engine.begin() as connection:
        await connection.execute(text(statement), params)


async def _small_directorate(engine) -> None:
    """DITBINMAS with 3 Instagram posts today; two own staff and two POLRES_A members, plus
    one POLRES_A person who is no member and must never be counted."""
    await insert_client(engine, "DITBINMAS", "DIREKTORAT BINMAS", "directorate",
                        instagram="ditbinmas")
    await insert_client(engine, "POLRES_A", instagram="polres_a")
    staff = [("2001", "AKBP", "ARIF", "DITBINMAS", "arif", True),
             ("2002", "BRIPDA", "BELA", "DITBINMAS", "bela", True),
             ("2003", "AIPTU", "CAKRA", "POLRES_A", "cakra", True),
             ("2004", "BRIPKA", "DENI", "POLRES_A", None, True),
             ("2005", "BRIPDA", "ELI", "POLRES_A", "eli", False)]
    for user_id, rank, name, client_id, instagram, member in staff:
        await insert_person(engine, user_id, name, client_id,
                            directorates=("DITBINMAS",) if member else (), rank=rank,
                            satfung="SUBDIT BINPOLMAS", instagram=instagram)
    for post_id in (1, 2, 3):
        await _sql(engine, "INSERT INTO posts (id, platform, external_id, client_id, uploaded_at) "
                           "VALUES (:id, 'instagram', :e, 'DITBINMAS', :t)",
                   id=post_id, e=f"D{post_id}",
                   t=datetime(2025, 12, 6, 8, tzinfo=JAKARTA) + timedelta(hours=post_id))
    for post_id, username in [(1, "arif"), (2, "arif"), (3, "arif"), (1, "bela"), (1, "cakra"),
                              (2, "cakra"), (1, "eli"), (2, "eli"), (3, "eli")]:
        await _sql(engine, "INSERT INTO engagements (post_id, kind, username) "
                           "VALUES (:p, 'like', :u)", p=post_id, u=username)


async def test_registered_reports_on_the_database(engine) -> None:
    import menus.reports.directorate_recaps  # noqa: F401  (registers the reports)

    await _small_directorate(engine)
    expected = {
        # directorate-ig: majority (2 of 3); every member, not ELI.
        "directorate-ig": ("majority", {"2001": "done", "2002": "partial", "2003": "done",
                                        "2004": "no_username"}),
        # simple-ig / report-ig: the 100% rule, own staff only.
        "simple-ig": ("all", {"2001": "done", "2002": "partial"}),
        "report-ig": ("all", {"2001": "done", "2002": "partial"}),
    }
    for name, (policy, statuses) in expected.items():
        spec = REPORTS[name]
        data = await spec.build(engine, request())
        document = spec.to_json(data, request())
        assert document["report"] == name and document["policy"] == policy
        assert {p["user_id"]: p["status"] for p in document["people"]} == statuses
        assert spec.render(data, request()).messages[0].startswith("Mohon ijin Komandan,")
    directorate = await REPORTS["directorate-ig"].build(engine, request())
    text_ = render_directorate(directorate, request()).text
    assert "1. *DIREKTORAT BINMAS* (lengkap 50,0%)" in text_
    assert "2. *POLRES A* (lengkap 50,0%)" in text_
    for name in ("directorate-tiktok", "simple-tiktok", "report-tiktok"):
        spec = REPORTS[name]
        data = await spec.build(engine, request())
        assert spec.render(data, request()).messages == [
            "Belum ada konten TikTok DIREKTORAT BINMAS pada Sabtu, 06 Desember 2025."]

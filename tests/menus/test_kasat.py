"""kasat-ig / kasat-tiktok (Kasat Binmas attendance) and the kasatker compliance letter."""

from __future__ import annotations

import json
from datetime import date

import pytest

from cicero.clock import clock
from menus.format import WHATSAPP_TEXT_LIMIT, period_label
from menus.reports import catalog
from menus.reports.base import ReportRequest
from menus.reports.kasat import (
    KASATKER_GROUP_INVITE_LINK,
    KASATKER_MEMO_FROM,
    KASATKER_MEMO_TO,
    compliance_level,
    kasatker_json,
    render_kasat,
    render_kasatker,
)
from storage.attendance import Attendance, PopulationKind
from storage.engagement_summary import PlatformPair, SatkerEngagement, satker_scores
from tests.conftest import DEMO_DAY, DEMO_NOW
from tests.menus.test_laphar import NOW, SqlWorld, attendance, person, request

# --- Kasat Binmas ----------------------------------------------------------------------------

KASAT = PopulationKind.KASAT_BINMAS
WEEK = clock.week(date(2025, 12, 6))


def _kasat_tiktok_week() -> Attendance:
    people = [person("1", "ANDI", "POLRES_A", engaged=5, posts=10, rank="AKP"),
              person("2", "BUDI", "POLRES_B", engaged=10, posts=10, rank="IPTU"),
              person("3", "CICI", "POLRES_C", engaged=7, posts=10, rank="AKP"),
              person("4", "DEDI", "POLRES_D", engaged=0, posts=10, rank="AKP"),
              person("5", "EKO", "POLRES_E", posts=10, rank="AKP", username=None)]
    result = attendance(people, platform="tiktok", posts=10, kind=KASAT)
    result.period = WEEK
    return result


KASAT_TIKTOK = """\
📋 *Absensi Komentar Kasat Binmas*
*DIREKTORAT BINMAS*
🗓️ Periode: 01 Desember 2025 - 07 Desember 2025
📈 Total konten TikTok: 10 (Lengkap = minimal 10 dari 10 konten)
👥 Total Kasat Binmas: 5 pers
Data per Sabtu, 06 Desember 2025 pukul 19.05 WIB

📊 *Distribusi Status*
✅ Lengkap: 1/5 pers
⚠️ Sebagian: 2/5 pers
❌ Belum: 1/5 pers
⚠️❌ Belum input username: 1/5 pers

✅ *Lengkap (1 pers)*
1. IPTU BUDI (POLRES B) — 10/10 konten

⚠️ *Sebagian (2 pers)*
1. AKP CICI (POLRES C) — 7/10 konten
2. AKP ANDI (POLRES A) — 5/10 konten

❌ *Belum (1 pers)*
1. AKP DEDI (POLRES D) — 0/10 konten

⚠️❌ *Belum input username (1 pers)*
1. AKP EKO (POLRES E) — username TikTok belum diisi

Terima kasih."""


def test_kasat_text_for_a_week_orders_by_posts_engaged() -> None:
    rendered = render_kasat(_kasat_tiktok_week(), ReportRequest("DITBINMAS", WEEK, NOW))
    assert rendered.messages == [KASAT_TIKTOK]


def test_kasat_without_posts_is_one_sentence() -> None:
    result = attendance([person("1", "ANDI", "POLRES_A", posts=0)], posts=0, kind=KASAT)
    assert render_kasat(result, request()).messages == [
        "Belum ada konten Instagram DIREKTORAT BINMAS pada Sabtu, 06 Desember 2025."]
    result.period = WEEK
    assert render_kasat(result, ReportRequest("DITBINMAS", WEEK, NOW)).messages == [
        "Belum ada konten Instagram DIREKTORAT BINMAS pada periode 01 Desember 2025 - "
        "07 Desember 2025."]


def test_kasat_without_any_kasat_says_so() -> None:
    text = render_kasat(attendance([], kind=KASAT), request()).text
    assert "👥 Total Kasat Binmas: 0 pers" in text
    assert "Belum ada personel dengan jabatan Kasat Binmas yang terdeteksi." in text


def test_a_long_kasat_list_is_split_under_the_limit() -> None:
    people = [person(str(n), f"KASAT BINMAS NOMOR {n}", f"POLRES_NOMOR_{n:03d}",
                     engaged=n % 4, rank="AKP") for n in range(1, 301)]
    rendered = render_kasat(attendance(people, kind=KASAT), request())
    assert len(rendered.messages) > 1
    assert all(len(message) <= WHATSAPP_TEXT_LIMIT for message in rendered.messages)
    assert rendered.text.count(" — ") == 300


async def test_kasat_population_is_read_from_the_jabatan(engine) -> None:
    world = SqlWorld(engine)
    await world.client("DITBINMAS", "directorate", "DIREKTORAT BINMAS")
    await world.client("POLRES_A")
    kasat = {await world.person("POLRES_A", jabatan=jabatan, name=name)
             for name, jabatan in (("ANDI", "KASAT BINMAS POLRES A"),
                                   ("BUDI", "Kasat Binmas Polresta Malang Kota"),
                                   ("CICI", "KASATBINMAS"))}
    await world.person("POLRES_A", jabatan="KASAT SABHARA POLRES A")
    await world.person("POLRES_A", jabatan="KASAT BINMAS POLRES A", directorates=())
    posts = await world.posts("DITBINMAS", "instagram", 2)
    await world.engage(posts, f"ig{min(kasat)}")
    spec = catalog.get("kasat-ig")
    assert spec is not None
    result = await spec.build(engine, request())
    assert {p.user_id for p in result.people} == kasat
    assert result.policy.name == "all"
    assert "1. BRIPDA ANDI (POLRES A) — 2/2 konten" in spec.render(result, request()).text


# --- Kasatker --------------------------------------------------------------------------------


def _kasatker(*satkers: tuple[str, int, int, int]) -> SatkerEngagement:
    """(satker, people, with ≥ 1 like, with ≥ 1 comment) per satker; plus directorate staff."""
    ig, tt = [person("0", "STAF", engaged=0)], [person("0", "STAF", engaged=0, posts=2)]
    n = 0
    for satker, size, liked, commented in satkers:
        for index in range(size):
            n += 1
            ig.append(person(str(n), f"P{n}", satker, engaged=1 if index < liked else 0))
            tt.append(person(str(n), f"P{n}", satker, posts=2,
                             engaged=2 if index < commented else 0))
    pair = PlatformPair(attendance(ig), attendance(tt, platform="tiktok", posts=2))
    return SatkerEngagement(pair, satker_scores(pair))


KASATKER = f"""\
*NOTA DINAS*

Kepada : Yth. {KASATKER_MEMO_TO}
Dari : {KASATKER_MEMO_FROM}
Tembusan :
1. Dir Binmas Polda Jawa Timur
2. PJU Dit Binmas Polda Jawa Timur
Perihal : Kepatuhan personel dalam likes Instagram dan komentar TikTok konten resmi \
DIREKTORAT BINMAS
Periode : Sabtu, 06 Desember 2025

Dengan hormat,

Berdasarkan pemantauan Cicero atas konten resmi DIREKTORAT BINMAS (Instagram 3 konten; \
TikTok 2 konten), berikut tingkat kepatuhan personel setiap satker. Nilai kepatuhan adalah \
rata-rata dari persentase personel yang memberi minimal 1 like Instagram dan persentase \
personel yang memberi minimal 1 komentar TikTok.

*Kriteria:*
- AKTIF: ≥ 90%
- SEDANG: 50% – 89,9%
- RENDAH: < 50%

*KEPATUHAN AKTIF (2 Satker)*
1. POLRES A : 100,0% (IG 100,0% · TikTok 100,0%)
2. POLRES B : 90,0% (IG 90,0% · TikTok 90,0%)

*KEPATUHAN SEDANG (1 Satker)*
1. POLRES C : 50,0% (IG 100,0% · TikTok 0,0%)

*KEPATUHAN RENDAH (2 Satker)*
1. POLRES D : 45,0% (IG 50,0% · TikTok 40,0%)
2. POLRES E : 0,0% (Belum ada pelaksanaan)

*Tindak lanjut:*
1. Satker dengan kepatuhan AKTIF: terima kasih atas pelaksanaannya, mohon dipertahankan.
2. Satker dengan kepatuhan SEDANG dan RENDAH agar:
   a. memastikan seluruh personel sudah mengisi username Instagram dan TikTok;
   b. mengingatkan personel untuk memberi like dan komentar pada setiap konten resmi.
3. Satker dengan kepatuhan RENDAH agar melaporkan kendala dan bergabung ke grup WhatsApp \
pendampingan: {KASATKER_GROUP_INVITE_LINK}

Demikian untuk menjadi perhatian. Terima kasih."""


def _five_levels() -> SatkerEngagement:
    return _kasatker(("POLRES_A", 4, 4, 4), ("POLRES_B", 10, 9, 9), ("POLRES_C", 2, 2, 0),
                     ("POLRES_D", 10, 5, 4), ("POLRES_E", 3, 0, 0))


def test_kasatker_letter_groups_satker_by_level() -> None:
    assert render_kasatker(_five_levels(), request()).messages == [KASATKER]


@pytest.mark.parametrize(("score", "level"), [
    (1.0, "AKTIF"), (0.9, "AKTIF"), ((0.85 + 0.95) / 2, "AKTIF"), (0.8999, "SEDANG"),
    (0.5, "SEDANG"), (0.4999, "RENDAH"), (0.0, "RENDAH"),
])
def test_compliance_levels(score: float, level: str) -> None:
    assert compliance_level(score) == level


def test_kasatker_only_thanks_when_nobody_is_behind() -> None:
    text = render_kasatker(_kasatker(("POLRES_A", 2, 2, 2)), request()).text
    assert "*KEPATUHAN SEDANG (0 Satker)*\n-" in text
    assert "1. Satker dengan kepatuhan AKTIF" in text
    assert "2. " not in text.split("Tindak lanjut:")[1]
    assert KASATKER_GROUP_INVITE_LINK not in text


def test_kasatker_without_posts_is_one_sentence() -> None:
    data = _kasatker(("POLRES_A", 2, 0, 0))
    for result in data.pair:
        result.posts = []
    assert render_kasatker(data, request()).messages == [
        "Belum ada konten Instagram maupun TikTok DIREKTORAT BINMAS pada Sabtu, "
        "06 Desember 2025."]


def test_kasatker_json_excludes_the_directorate_and_names_levels() -> None:
    document = kasatker_json(_five_levels(), request())
    assert [(r["satker"], r["level"]) for r in document["rows"]] == [
        ("POLRES_A", "AKTIF"), ("POLRES_B", "AKTIF"), ("POLRES_C", "SEDANG"),
        ("POLRES_D", "RENDAH"), ("POLRES_E", "RENDAH")]
    assert [s["platform"] for s in document["sections"]] == ["instagram", "tiktok"]
    assert document["policy"] == "all"


# --- every engagement report (laphar, rankings, kasat) on the demo week and month -------------

ENGAGEMENT_REPORTS = ("laphar", "top-bottom", "ranking", "kasat-ig", "kasat-tiktok", "kasatker")


@pytest.mark.parametrize("period", ["week", "month"])
async def test_engagement_reports_on_the_demo_week_and_month(demo_engine, period: str) -> None:
    span = {"week": clock.week, "month": clock.month}[period](DEMO_DAY)
    req = ReportRequest("DITBINMAS", span, DEMO_NOW)
    for name in ENGAGEMENT_REPORTS:
        spec = catalog.get(name)
        assert spec is not None, name
        with clock.frozen(DEMO_NOW):
            data = await spec.build(demo_engine, req)
        rendered = spec.render(data, req)
        assert rendered.messages and all(len(m) <= WHATSAPP_TEXT_LIMIT
                                         for m in rendered.messages)
        assert period_label(span.start, span.end) in rendered.text
        assert "None" not in rendered.text
        document = json.loads(json.dumps(spec.to_json(data, req)))
        assert document["report"] == name
        assert document["period"]["start"] == span.start.isoformat()

"""kasat-attendance (dirrequest 33): each detected Kasat Binmas with both platforms' status,
and the directorate's Polres where none is detected."""

from __future__ import annotations

from datetime import date

from cicero.clock import clock
from menus.reports.base import ReportRequest
from menus.reports.kasat_attendance import kasat_attendance_json, render_kasat_attendance
from storage.kasat_attendance import build_kasat_attendance
from tests.menus.test_laphar import NOW, SqlWorld, request


async def _world(engine) -> tuple[SqlWorld, dict[str, str]]:
    world = SqlWorld(engine)
    await world.client("POLDA_X", "polda", "POLDA X")
    await world.client("DITBINMAS", "directorate", "DIREKTORAT BINMAS", parent="POLDA_X")
    for client_id in ("POLRES_A", "POLRES_B", "POLRES_C"):
        await world.client(client_id, parent="POLDA_X")
    people = {
        "a": await world.person("POLRES_A", rank="AKP", name="ANDI",
                                jabatan="KASAT BINMAS POLRES A"),
        "b": await world.person("POLRES_B", rank="IPTU", name="BUDI", tiktok=None,
                                jabatan="Kasat. Binmas Polres B"),
        # A Kasat who is no member of the directorate, and a member who is no Kasat.
        "c": await world.person("POLRES_C", rank="AKP", name="CANDRA", directorates=(),
                                jabatan="KASAT BINMAS POLRES C"),
        "d": await world.person("POLRES_C", name="DEDI", jabatan="KANIT BINMAS"),
    }
    ig = await world.posts("DITBINMAS", "instagram", 2)
    tt = await world.posts("DITBINMAS", "tiktok", 1)
    await world.engage(ig, f"ig{people['a']}")
    await world.engage(tt, f"tt{people['a']}", "comment")
    await world.engage(ig[:1], f"ig{people['b']}")
    await world.engage(ig, f"ig{people['c']}")
    return world, people


EXPECTED = """\
📋 *Absensi Kasatker (Kasat Binmas)*
*DIREKTORAT BINMAS*
🗓️ Periode: Sabtu, 06 Desember 2025
📈 Konten: Instagram 2 · TikTok 1 (lengkap = semua konten)
👥 Kasat Binmas terdeteksi: 2 pers
Data per pukul 19.05 WIB

✅ Lengkap di semua platform: 1/2 pers

1. AKP ANDI (POLRES A) — IG ✅ 2/2 | TT ✅ 1/1
2. IPTU BUDI (POLRES B) — IG ⚠️ 1/2 | TT ⚠️❌ username kosong

🚧 *Polres tanpa Kasat Binmas terdeteksi (1):*
- POLRES C

Terima kasih."""


async def test_every_kasat_with_both_platforms_and_the_polres_without_one(engine) -> None:
    _, people = await _world(engine)
    data = await build_kasat_attendance(engine, request())
    assert [k.instagram.user_id for k in data.kasat] == [people["a"], people["b"]]
    assert data.satkers_without_kasat == [("POLRES_C", "POLRES C")]
    assert render_kasat_attendance(data, request()).messages == [EXPECTED]
    document = kasat_attendance_json(data, request())
    assert document["policy"] == "all"
    assert [(r["user_id"], r["instagram"], r["tiktok"], r["complete"])
            for r in document["rows"]] == [(people["a"], "done", "done", True),
                                           (people["b"], "partial", "no_username", False)]
    assert document["satkers_without_kasat"] == ["POLRES_C"]


async def test_a_platform_without_posts_carries_no_obligation(engine) -> None:
    world, people = await _world(engine)
    quiet = ReportRequest("DITBINMAS", clock.day(date(2025, 12, 8)), NOW)
    data = await build_kasat_attendance(engine, quiet)
    assert render_kasat_attendance(data, quiet).messages == [
        "Belum ada konten Instagram maupun TikTok DIREKTORAT BINMAS pada Senin, "
        "08 Desember 2025."]
    instagram_only = date(2025, 12, 9)
    await world.engage(await world.posts("DITBINMAS", "instagram", 1, day=instagram_only),
                       f"ig{people['b']}")
    day = ReportRequest("DITBINMAS", clock.day(instagram_only), NOW)
    text = render_kasat_attendance(await build_kasat_attendance(engine, day), day).text
    assert "✅ Lengkap di semua platform: 1/2 pers" in text
    assert "1. IPTU BUDI (POLRES B) — IG ✅ 1/1 | TT - (tidak ada konten)" in text
    assert "2. AKP ANDI (POLRES A) — IG ❌ 0/1 | TT - (tidak ada konten)" in text
    week = ReportRequest("DITBINMAS", clock.week(date(2025, 12, 6)), NOW)
    text = render_kasat_attendance(await build_kasat_attendance(engine, week), week).text
    assert "🗓️ Periode: 01 Desember 2025 - 07 Desember 2025" in text
    assert "1. AKP ANDI (POLRES A) — IG ✅ 2/2 | TT ✅ 1/1" in text

"""The README's directorate session: `cicero chat --as` the demo super admin of DIREKTORAT
BINMAS walks dirrequest (real CLI, demo data): texts, a workbook and a chart made by jobs the
in-process chat runs before it reads the next line, a period sub-menu, and closing."""

from __future__ import annotations

import asyncio

from demo.seed import DEMO_SUPER_ADMIN_PHONE, seed_demo
from tests.conftest import run_cli

# The lines typed in README.md ("Directorates over WhatsApp").
TYPED = ["dirrequest", "1", "3", "4", "5", "19", "34", "2", "0"]


async def test_the_demo_directorate_walks_dirrequest(engine, cli_env):
    await seed_demo(engine)
    result = await asyncio.to_thread(run_cli, "chat", "--as", DEMO_SUPER_ADMIN_PHONE,
                                     "--session", "operator", env=cli_env,
                                     stdin="\n".join([*TYPED, ""]))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in ("*Menu Direktorat*", "Client: *DIREKTORAT BINMAS*",
                     "absensi update data personil *DIREKTORAT BINMAS*",
                     "*Personil belum lengkap datanya* — *DIREKTORAT BINMAS*",
                     "📎 Dokumen: DITBINMAS_Satker_Update_Rank_",
                     "*Rekap Akumulasi Likes Instagram*",
                     "🖼 Gambar: Grafik_Capaian_Instagram_DITBINMAS_", "Pilih periode:",
                     "*Absensi Likes Kasat Binmas*", "Menu Direktorat ditutup"):
        assert expected in out, f"{expected!r} not in:\n{out}"
    # each document arrives after its "being prepared" and before the next line's answer
    assert (out.index("📎 Dokumen: DITBINMAS_Satker_Update_Rank_")
            < out.index("*Rekap Akumulasi Likes"))
    assert out.index("🖼 Gambar: Grafik_Capaian_Instagram_") < out.index("Pilih periode:")

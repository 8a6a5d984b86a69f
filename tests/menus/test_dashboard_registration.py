"""dashboard-registration (dirrequest 11): which satkers of a directorate have an approved
dashboard account, on a small world written straight into the tables."""

from __future__ import annotations

from menus.reports import catalog
from menus.reports.base import ReportRequest
from menus.reports.dashboard_registration import (
    dashboard_registration_json,
    render_dashboard_registration,
)
from storage.dashboard_registration import dashboard_registration
from tests.menus.test_laphar import NOW, SqlWorld, request


async def _account(world: SqlWorld, username: str, role: str, status: str,
                   clients: tuple[str, ...], user_id: str | None = None) -> None:
    await world.sql("INSERT INTO dashboard_users (username, password_hash, role, status, "
                    "user_id) VALUES (:u, 'x', :r, :s, :p)", u=username, r=role, s=status,
                    p=user_id)
    for client_id in clients:
        await world.sql("INSERT INTO dashboard_user_clients (dashboard_user_id, client_id) "
                        "SELECT id, :c FROM dashboard_users WHERE username = :u",
                        c=client_id, u=username)


async def _world(engine) -> SqlWorld:
    """DITBINMAS under POLDA_X with POLRES A, B, C (and a switched-off one) beside it, one
    member living in POLRES FAR outside the tree, and DITLANTAS with its own account."""
    world = SqlWorld(engine)
    await world.client("POLDA_X", "polda", "POLDA X")
    await world.client("DITBINMAS", "directorate", "DIREKTORAT BINMAS", parent="POLDA_X")
    await world.client("DITLANTAS", "directorate", "DIREKTORAT LANTAS", parent="POLDA_X")
    for client_id in ("POLRES_A", "POLRES_B", "POLRES_C"):
        await world.client(client_id, parent="POLDA_X")
    await world.client("POLRES_OFF", parent="POLDA_X", status=False)
    await world.client("POLRES_FAR")
    andi = await world.person("DITBINMAS", rank="AKBP", name="ANDI")
    budi = await world.person("POLRES_A", rank="BRIPKA", name="BUDI")
    await world.person("POLRES_FAR")
    await _account(world, "dit.andi", "directorate", "approved", ("DITBINMAS",), andi)
    await _account(world, "dit.ops", "operator", "approved", ("DITBINMAS", "POLRES_A"))
    await _account(world, "polres.a", "operator", "approved", ("POLRES_A",), budi)
    await _account(world, "polres.b.new", "operator", "pending", ("POLRES_B",))
    await _account(world, "polres.c.no", "operator", "rejected", ("POLRES_C",))
    await _account(world, "lantas", "directorate", "approved", ("DITLANTAS",))
    return world


EXPECTED = """\
Mohon ijin Komandan,

📋 *Absensi Registrasi Dashboard*
*DIREKTORAT BINMAS*
Data per Sabtu, 06 Desember 2025 pukul 19.05 WIB

🏢 Jumlah satker: 5 satker
✅ Sudah punya akun dashboard: 2 satker (3 akun aktif)
❌ Belum punya akun dashboard: 3 satker
⏳ Akun menunggu persetujuan: 1

✅ *Sudah punya akun dashboard (2 satker):*
1. *DIREKTORAT BINMAS* — 2 akun
   - dit.andi · direktorat · AKBP ANDI
   - dit.ops · operator
2. *POLRES A* — 2 akun
   - polres.a · operator · BRIPKA BUDI
   - dit.ops · operator

❌ *Belum punya akun dashboard (3 satker):*
- POLRES B (+1 menunggu persetujuan)
- POLRES C
- POLRES FAR

Terima kasih."""


async def test_satkers_with_and_without_an_approved_account(engine) -> None:
    await _world(engine)
    data = await dashboard_registration(engine, "ditbinmas")
    assert [(s.satker_id, len(s.approved), len(s.pending)) for s in data.satkers] == [
        ("DITBINMAS", 2, 0), ("POLRES_A", 2, 0), ("POLRES_B", 0, 1), ("POLRES_C", 0, 0),
        ("POLRES_FAR", 0, 0)]
    assert render_dashboard_registration(data, request()).messages == [EXPECTED]


async def test_modes_list_one_side_and_json_counts_accounts_once(engine) -> None:
    await _world(engine)
    spec = catalog.get("dashboard-registration")
    assert spec is not None
    done = ReportRequest("DITBINMAS", request().period, NOW, "done")
    data = await spec.build(engine, done)
    text = spec.render(data, done).text
    assert "✅ *Sudah punya akun dashboard (2 satker):*" in text and "❌ *Belum" not in text
    not_done = ReportRequest("DITBINMAS", request().period, NOW, "not-done")
    text = spec.render(data, not_done).text
    assert "❌ *Belum punya akun dashboard (3 satker):*" in text and "✅ *Sudah punya" not in text
    document = dashboard_registration_json(data, done)
    assert document["totals"] == {"satkers": 5, "registered": 2, "unregistered": 3,
                                  "approved_accounts": 3, "pending_accounts": 1}
    assert [a["username"] for a in document["rows"][1]["accounts"]] == ["polres.a", "dit.ops"]
    assert document["rows"][1]["accounts"][0]["user_id"] is not None

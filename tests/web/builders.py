"""The organisation the dashboard data tests run against, built from tests/factories.py rows.

Clients: DITBINMAS (directorate), POLRES_A, POLRES_B and POLRES_C (org). Personnel 1001 in
POLRES_A is a member of DITBINMAS; 2001 is in POLRES_B. Posts and engagement on DAY (the
business clock is frozen at NOW by the tests), plus one POLRES_A post the day before. Link
reports on the Instagram posts; a special task each for POLRES_A (A_SP_1, reported by 1001)
and POLRES_B (B_SP_1, reported by 2001).

Expected facts, used by the tests (Instagram POLRES_A, 2 posts on DAY, policy `all`):
1001 liked 2 (sudah), 1002 liked 1 (kurang), 1003 has no username, 1004 is an exception
(sudah, counts 2), 1005 liked none that day (belum), 1009 is inactive (never listed).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import DashboardRole
from tests.factories import (
    insert_client,
    insert_engagements,
    insert_link_report,
    insert_membership,
    insert_person,
    insert_post,
)
from tests.web.conftest import token_for

JAKARTA = ZoneInfo("Asia/Jakarta")
DAY = date(2025, 12, 1)
NOW = datetime(2025, 12, 1, 15, 0, tzinfo=JAKARTA)


def at(hour: int, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA)


# --- the whole organisation -----------------------------------------------------------------

PEOPLE: list[tuple[str, str, str, dict[str, Any]]] = [
    ("1001", "ANDI WIJAYA", "POLRES_A", {"rank": "BRIPKA", "satfung": "SAT BINMAS",
                                         "instagram": "andi.a", "tiktok": "andi_tt",
                                         "whatsapp": "6281200001001", "jabatan": "BA SAT"}),
    ("1002", "BUDI SANTOSO", "POLRES_A", {"rank": "BRIPDA", "satfung": "SAT LANTAS",
                                          "instagram": "budi.a", "tiktok": "budi_tt"}),
    ("1003", "CITRA DEWI", "POLRES_A", {"rank": "AIPDA", "satfung": "POLSEK KOTA"}),
    ("1004", "DEDI KURNIAWAN", "POLRES_A", {"rank": "AKP", "satfung": "SAT BINMAS",
                                            "instagram": "dedi.a", "exception": True}),
    ("1005", "EKO PRASETYO", "POLRES_A", {"rank": "BRIPTU", "instagram": "eko.a",
                                          "tiktok": "eko_tt"}),
    ("1009", "FAJAR NONAKTIF", "POLRES_A", {"rank": "BRIPKA", "instagram": "fajar.a",
                                            "status": False}),
    ("3001", "GITA PUSPITA", "DITBINMAS", {"rank": "KOMPOL", "satfung": "SUBDIT BINPOLMAS",
                                           "instagram": "gita.dit", "tiktok": "gita_tt"}),
    ("2001", "HARI SUBAGYO", "POLRES_B", {"rank": "BRIPKA", "satfung": "SAT BINMAS",
                                          "instagram": "hari.b", "tiktok": "hari_tt"}),
    ("4001", "INDRA LESMANA", "POLRES_C", {"rank": "BRIPDA", "instagram": "indra.c"}),
]
# external id -> (platform, client, upload time, extra columns, engaged usernames)
POSTS: dict[str, tuple[str, str, datetime, dict[str, Any], list[str]]] = {
    "A_IG_1": ("instagram", "POLRES_A", at(8), {"like_count": 120, "comment_count": 4,
                                                "caption": "Binmas menyapa warga"},
               ["andi.a", "budi.a", "fajar.a", "outsider.x"]),
    "A_IG_2": ("instagram", "POLRES_A", at(10), {"caption": "Patroli dialogis"},
               ["andi.a", "fajar.a"]),
    "A_IG_OLD": ("instagram", "POLRES_A", at(9, DAY - timedelta(days=1)), {},
                 ["eko.a"]),
    "A_TT_1": ("tiktok", "POLRES_A", at(9), {"comment_count": 7, "like_count": 50},
               ["andi_tt", "eko_tt"]),
    "D_IG_1": ("instagram", "DITBINMAS", at(7), {"like_count": 300},
               ["andi.a", "gita.dit", "hari.b"]),
    "D_TT_1": ("tiktok", "DITBINMAS", at(7), {}, ["gita_tt"]),
    "B_IG_1": ("instagram", "POLRES_B", at(8), {"like_count": 80}, ["hari.b"]),
    "B_TT_1": ("tiktok", "POLRES_B", at(8), {}, ["hari_tt"]),
    "C_IG_1": ("instagram", "POLRES_C", at(8), {}, ["indra.c"]),
}
POLRES_B_MARKERS = ("POLRES_B", "2001", "HARI SUBAGYO", "hari.b", "hari_tt", "B_IG_1",
                    "B_TT_1", "polres_b_ig", "B_SP_1")


@dataclass
class World:
    post_ids: dict[str, int] = field(default_factory=dict)
    dashboard_account_id: str = ""  # a dashboard login linked to personnel 1001


async def build_world(engine: AsyncEngine) -> World:
    world = World()
    async with engine.begin() as connection:
        await insert_client(connection, "DITBINMAS", "DIREKTORAT BINMAS", "directorate",
                            instagram="ditbinmas_x", tiktok="ditbinmas_tt")
        await insert_client(connection, "POLRES_A", "POLRES A", "org",
                            instagram="polres_a_ig", tiktok="polres_a_tt")
        await insert_client(connection, "POLRES_B", "POLRES B", "org",
                            instagram="polres_b_ig", tiktok="polres_b_tt")
        await insert_client(connection, "POLRES_C", "POLRES C", "org", instagram="polres_c_ig")
        for user_id, name, client_id, columns in PEOPLE:
            await insert_person(connection, user_id, name, client_id, **columns)
        for user_id in ("1001", "3001"):
            await insert_membership(connection, "DITBINMAS", user_id)
        for external_id, (platform, client_id, uploaded, columns, engaged) in POSTS.items():
            post_id = await insert_post(connection, platform, external_id, client_id, uploaded,
                                        **columns)
            world.post_ids[external_id] = post_id
            kind = "like" if platform == "instagram" else "comment"
            await insert_engagements(connection, post_id, kind, engaged)
        ids = world.post_ids
        await insert_link_report(connection, ids["A_IG_1"], "1001",
                                 instagram_link="https://instagram.com/p/x1",
                                 facebook_link="https://facebook.com/x1")
        await insert_link_report(connection, ids["A_IG_1"], "1002",
                                 instagram_link="https://instagram.com/p/x2")
        await insert_link_report(connection, ids["A_IG_2"], "1002",
                                 twitter_link="https://x.com/x3")
        await insert_link_report(connection, ids["B_IG_1"], "2001",
                                 instagram_link="https://instagram.com/p/x4")
        for code, client_id, user_id in (("A_SP_1", "POLRES_A", "1001"),
                                         ("B_SP_1", "POLRES_B", "2001")):
            task_id = await connection.scalar(text(
                "INSERT INTO special_tasks (client_id, shortcode, uploaded_at, registered_by, "
                "registered_at) VALUES (:c, :code, :at, 'op', :at) RETURNING id"),
                {"c": client_id, "code": code, "at": at(8)})
            await connection.execute(text(
                "INSERT INTO special_link_reports (task_id, user_id, facebook_link) "
                "VALUES (:t, :u, :link)"), {"t": task_id, "u": user_id,
                                            "link": f"https://facebook.com/{code}"})
        await connection.execute(text(
            "INSERT INTO personnel_changes (user_id, field, old_value, new_value, changed_by) "
            "VALUES ('1001', 'instagram', NULL, 'andi.a', '6281200001001')"))
        await connection.execute(text(
            "INSERT INTO complaints (user_id, from_phone, body) "
            "VALUES ('1001', '6281200001001', 'Like belum terhitung')"))
        await connection.execute(text(
            "INSERT INTO premium_requests (user_id, sender_name, account_number, bank_name) "
            "VALUES ('1001', 'ANDI WIJAYA', '1234567890', 'BRI')"))
        world.dashboard_account_id = str(await connection.scalar(text(
            "INSERT INTO dashboard_users (username, password_hash, role, status, user_id) "
            "VALUES ('andi_dash', 'x', 'operator', 'approved', '1001') RETURNING id")))
    return world


# --- who asks -------------------------------------------------------------------------------

ROLES: dict[str, tuple[DashboardRole, list[str]]] = {
    "admin": (DashboardRole.ADMIN, []),
    "directorate": (DashboardRole.DIRECTORATE, ["DITBINMAS"]),
    "operator": (DashboardRole.OPERATOR, ["POLRES_A"]),
    "multi": (DashboardRole.OPERATOR, ["POLRES_A", "POLRES_C"]),
}
OWN_CLIENT = {"admin": "POLRES_A", "directorate": "DITBINMAS", "operator": "POLRES_A",
              "multi": "POLRES_C"}


def token(role: str) -> str:
    dashboard_role, clients = ROLES[role]
    return token_for(str(uuid.uuid4()), f"{role}_user", dashboard_role, clients)


def auth(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role)}"}

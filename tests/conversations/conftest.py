"""A small organisation for conversation tests, and the scenario runner."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import text

from cicero.sandbox_bot import SandboxBot
from cicero.settings import Settings, load_settings
from demo.fake_rapidapi import FakeServer, create_fake_app
from tests.factories import insert_clients
from tests.satbinmas_world import RAPIDAPI_KEY, satbinmas_world

# Numbers (normalised digits) the scenarios talk from.
NEW = "6281200000001"  # nobody's number yet
BUDI = "6281200000002"  # linked to 87020991 BUDI SANTOSO
OTHER = "6281200000003"  # linked to 87020992, a DITBINMAS member
OPERATOR = "6281200000009"  # operator of POLRES_A
ADMIN = "6281200000010"
DIRECTORATE_USER = "6281200000020"  # dashboard account dit1 (directorate), granted DITBINMAS
DASHBOARD_OPERATOR = "6281200000021"  # dashboard account opa (operator), granted POLRES_A
DIRECTORATE_SUPER = "6281200000022"  # super admin of DITBINMAS
OPERATOR_B = "6281200000011"  # operator of POLRES_B

CLIENTS = (("POLRES_A", "POLRES A", "org"), ("POLRES_B", "POLRES B", "org"),
           ("DITBINMAS", "DIREKTORAT BINMAS", "directorate"),
           ("DITLANTAS", "DIREKTORAT LALU LINTAS", "directorate"))
WORLD_SQL = (
    "INSERT INTO client_contacts (client_id, kind, value) VALUES "
    f"('POLRES_A', 'operator', '{OPERATOR}'), "
    "('POLRES_A', 'group', '120363012345678901@g.us')",
    "INSERT INTO personnel (user_id, name, rank, satfung, jabatan, client_id, whatsapp, "
    "instagram, tiktok, status) VALUES "
    "('87020990', 'AGUS', 'BRIPDA', 'SAT BINMAS', 'BA SAT BINMAS', 'POLRES_A', NULL, NULL, "
    "NULL, true), "
    f"('87020991', 'BUDI SANTOSO', 'BRIPKA', 'POLSEK A', 'BANIT', 'POLRES_A', '{BUDI}', "
    "'budi.s', 'budi.tt', true), "
    f"('87020992', 'CITRA', 'AIPDA', 'SAT BINMAS', 'KANIT', 'POLRES_A', '{OTHER}', "
    "'taken.user', 'dup', true), "
    "('87020993', 'DEDI', 'BRIPTU', 'SAT LANTAS', 'BA', 'POLRES_B', NULL, NULL, NULL, true), "
    "('87020994', 'EKO', 'BRIPTU', 'SAT BINMAS', 'BA', 'POLRES_A', NULL, NULL, NULL, false), "
    f"('87020995', 'FAJAR', 'BRIPDA', 'SAT BINMAS', 'BA', 'POLRES_A', '{OPERATOR}', NULL, NULL, "
    "true)",
    "INSERT INTO directorate_memberships (directorate_id, user_id) VALUES "
    "('DITBINMAS', '87020992')",
    "INSERT INTO client_contacts (client_id, kind, value) VALUES "
    f"('DITBINMAS', 'super_admin', '{DIRECTORATE_SUPER}'), "
    f"('POLRES_B', 'operator', '{OPERATOR_B}')",
    "INSERT INTO dashboard_users (id, username, password_hash, role, status, whatsapp) VALUES "
    f"('00000000-0000-0000-0000-0000000000d1', 'dit1', 'x', 'directorate', 'approved', "
    f"'{DIRECTORATE_USER}'), "
    f"('00000000-0000-0000-0000-0000000000a1', 'opa', 'x', 'operator', 'approved', "
    f"'{DASHBOARD_OPERATOR}')",
    "INSERT INTO dashboard_user_clients (dashboard_user_id, client_id) VALUES "
    "('00000000-0000-0000-0000-0000000000d1', 'DITBINMAS'), "
    "('00000000-0000-0000-0000-0000000000a1', 'POLRES_A')",
)


@pytest.fixture
async def world(engine):
    await insert_world(engine)
    return engine


async def insert_world(engine) -> None:
    """The clients (tests/factories.py), then the rest of the world's rows."""
    async with engine.begin() as connection:
        await insert_clients(connection, CLIENTS)
        for statement in WORLD_SQL:
            await connection.execute(text(statement))


# The fake RapidAPI the scenarios' jobs talk to (tests/satbinmas_world.py).
@pytest.fixture(scope="session")
def fake_rapidapi_url() -> Iterator[str]:
    server = FakeServer(create_fake_app(satbinmas_world(), api_key=RAPIDAPI_KEY))
    yield server.start()
    server.stop()


@pytest.fixture
def bot_settings(fake_rapidapi_url: str) -> Settings:
    """As `cicero sandbox replay` runs: a script types faster than any person, so without the
    per-sender throttle (tests/bot/test_throttle.py tests it)."""
    return load_settings(admin_whatsapp=ADMIN, inbound_rate_limit=0, rapidapi_key=RAPIDAPI_KEY,
                         rapidapi_instagram_url=fake_rapidapi_url,
                         rapidapi_tiktok_url=fake_rapidapi_url)


@pytest.fixture
async def bot(world, redis, bot_settings: Settings) -> AsyncIterator[SandboxBot]:
    async with SandboxBot(bot_settings, world, redis) as running:
        yield running

"""The population's data version (`data_versions`, migration 0002): triggers bump it on every
statement that writes personnel, directorate memberships or clients, so that cached
populations are read again.

Every bump locks that one row until the writer commits, and every personnel write in the
system bumps it. A bulk writer therefore defers the triggers' bumps (migration 0005) and bumps
once itself as its last statement: the row is then held for the moment before the commit,
not from the first write of a long transaction.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.sql import execute


async def defer_population_bump(session: AsyncSession) -> None:
    """Until this transaction ends, the triggers leave the version to `bump_population`."""
    await execute(session, "SELECT set_config('cicero.population_bump', 'deferred', true)")


async def bump_population(session: AsyncSession) -> None:
    await execute(session, "UPDATE data_versions SET version = version + 1 "
                           "WHERE name = 'population'")

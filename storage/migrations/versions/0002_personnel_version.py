"""personnel data version, bumped by triggers, for the attendance engine's population cache

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table a population is read from: a change to any of them makes cached populations old.
_WATCHED = ("personnel", "directorate_memberships", "clients")


def upgrade() -> None:
    op.execute("CREATE TABLE data_versions (name text PRIMARY KEY, "
               "version bigint NOT NULL DEFAULT 0)")
    op.execute("INSERT INTO data_versions (name) VALUES ('population')")
    op.execute("""
        CREATE FUNCTION bump_population_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE data_versions SET version = version + 1 WHERE name = 'population';
            RETURN NULL;
        END $$
    """)
    for table in _WATCHED:
        op.execute(f"CREATE TRIGGER {table}_population_version AFTER INSERT OR UPDATE OR DELETE "
                   f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                   "EXECUTE FUNCTION bump_population_version()")


def downgrade() -> None:
    for table in _WATCHED:
        op.execute(f"DROP TRIGGER {table}_population_version ON {table}")
    op.execute("DROP FUNCTION bump_population_version()")
    op.execute("DROP TABLE data_versions")

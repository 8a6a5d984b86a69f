"""one person per WhatsApp number and per e-mail address; resumable imports in batches

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05

The bot takes a number's person as its sender's identity, so two people sharing a number let
one of them see and change the other's data. Existing duplicates are settled first: the
person updated most recently keeps the value, the others lose it (an audit row each,
`changed_by` = 'migration 0005', and a warning in the log naming both NRPs).

A personnel import writes in batches, each its own transaction: `import_runs` records how far
a file got, so a re-run after a crash continues (storage/import_journal.py), and a bulk writer
may defer the population version's per-statement bumps to one of its own
(storage/population_version.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import structlog
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = structlog.get_logger("storage.migrations")

_UNIQUE = ("whatsapp", "email")


def _later_holders(column: str) -> list[sa.Row]:
    """(user_id, value, kept_by) of every holder of a shared value but the one updated last."""
    return op.get_bind().execute(sa.text(f"""
        SELECT user_id, value, kept_by FROM (
            SELECT user_id, {column} AS value, row_number() OVER holders AS place,
                   first_value(user_id) OVER holders AS kept_by
            FROM personnel WHERE {column} <> ''
            WINDOW holders AS (PARTITION BY {column}
                               ORDER BY updated_at DESC, created_at DESC, user_id)
        ) ranked WHERE place > 1 ORDER BY user_id
    """)).all()


def upgrade() -> None:
    # Every holder is ranked before anything is cleared: clearing moves updated_at.
    cleared = {column: _later_holders(column) for column in _UNIQUE}
    for column, holders in cleared.items():
        for user_id, value, kept_by in holders:
            op.execute(sa.text(
                f"UPDATE personnel SET {column} = NULL, updated_at = now() "
                "WHERE user_id = :user_id").bindparams(user_id=user_id))
            op.execute(sa.text(
                "INSERT INTO personnel_changes (user_id, field, old_value, new_value, changed_by) "
                "VALUES (:user_id, :field, :old, NULL, 'migration 0005')").bindparams(
                    user_id=user_id, field=column, old=value))
            log.warning("duplicate_contact_cleared", field=column, user_id=user_id,
                        kept_by=kept_by)
        op.create_index(f"uq_personnel_{column}", "personnel", [column], unique=True,
                        postgresql_where=sa.text(f"{column} <> ''"))


    op.create_table(
        "import_runs",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("file_sha256", sa.String(), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), server_default="0", nullable=False)
          for name in ("rows_done", "created", "updated", "unchanged")),
        sa.Column("rejected", postgresql.JSONB(astext_type=sa.Text()),
                  server_default=sa.text("'[]'::jsonb"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    op.create_index("ix_import_runs_unfinished", "import_runs", ["kind", "file_sha256"],
                    postgresql_where=sa.text("finished_at IS NULL"))
    _bump_function(_DEFERRABLE_BUMP)


# The body of migration 0002, and the same with a way out for a bulk writer's transaction.
_BUMP = "UPDATE data_versions SET version = version + 1 WHERE name = 'population';"
_DEFERRABLE_BUMP = f"""
    IF current_setting('cicero.population_bump', true) = 'deferred' THEN
        RETURN NULL;  -- the writer bumps once itself, just before it commits
    END IF;
    {_BUMP}"""


def _bump_function(body: str) -> None:
    op.execute(f"""
        CREATE OR REPLACE FUNCTION bump_population_version() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            {body}
            RETURN NULL;
        END $$
    """)


def downgrade() -> None:
    _bump_function(_BUMP)
    op.drop_index("ix_import_runs_unfinished", table_name="import_runs")
    op.drop_table("import_runs")
    for column in _UNIQUE:
        op.drop_index(f"uq_personnel_{column}", table_name="personnel")

"""one person per WhatsApp number and per e-mail address

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05

The bot takes a number's person as its sender's identity, so two people sharing a number let
one of them see and change the other's data. Existing duplicates are settled first: the
person updated most recently keeps the value, the others lose it (an audit row each,
`changed_by` = 'migration 0005', and a warning in the log naming both NRPs).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import structlog
from alembic import op

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


def downgrade() -> None:
    for column in _UNIQUE:
        op.drop_index(f"uq_personnel_{column}", table_name="personnel")

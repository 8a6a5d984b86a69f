"""why a person was changed, and who answered a complaint

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

The operator consoles deactivate personnel in bulk with a reason per line ("mutasi",
"pensiun"); the reason is kept with the audit row (`personnel_changes.reason`). A complaint
answered or closed from a console or the command line records who did it
(`complaints.answered_by`: a phone number or "cli"); `resolved_at` already says when.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("personnel_changes", sa.Column("reason", sa.Text(), nullable=True))
    op.add_column("complaints", sa.Column("answered_by", sa.String(), nullable=True))
    op.create_index("ix_complaints_open", "complaints", ["created_at"],
                    postgresql_where=sa.text("status = 'open'"))


def downgrade() -> None:
    op.drop_index("ix_complaints_open", table_name="complaints")
    op.drop_column("complaints", "answered_by")
    op.drop_column("personnel_changes", "reason")

"""why a person was changed, who answered a complaint, official accounts

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-06

The operator consoles deactivate personnel in bulk with a reason per line ("mutasi",
"pensiun"); the reason is kept with the audit row (`personnel_changes.reason`). A complaint
answered or closed from a console or the command line records who did it
(`complaints.answered_by`: a phone number or "cli"); `resolved_at` already says when.
`official_accounts` holds each client's official Satbinmas account per platform (reference
§1.3, §4.5): one per client and platform, a username used by one client only.

(Written on the consoles branch after 0004; the lead re-chains it after 0005/0006 at merge.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("personnel_changes", sa.Column("reason", sa.Text(), nullable=True))
    op.add_column("complaints", sa.Column("answered_by", sa.String(), nullable=True))
    op.create_index("ix_complaints_open", "complaints", ["created_at"],
                    postgresql_where=sa.text("status = 'open'"))
    op.create_table(
        "official_accounts",
        sa.Column("client_id", sa.String(), nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("display_name", sa.String(), nullable=True),
        sa.Column("profile_url", sa.String(), nullable=True),
        sa.Column("secuid", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("verified", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("platform IN ('instagram', 'tiktok')",
                           name=op.f("ck_official_accounts_platform_valid")),
        sa.ForeignKeyConstraint(["client_id"], ["clients.client_id"],
                                name=op.f("fk_official_accounts_client_id_clients"),
                                onupdate="CASCADE", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("client_id", "platform", name=op.f("pk_official_accounts")),
    )
    op.create_index("uq_official_accounts_platform_username", "official_accounts",
                    ["platform", "username"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_official_accounts_platform_username", table_name="official_accounts")
    op.drop_table("official_accounts")
    op.drop_index("ix_complaints_open", table_name="complaints")
    op.drop_column("complaints", "answered_by")
    op.drop_column("personnel_changes", "reason")

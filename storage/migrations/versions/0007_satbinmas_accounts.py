"""Satbinmas official accounts, their posts and the outcome of each day's fetch (issue 19)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10

One account per (satker, platform) and each account on one satker only; the posts with
their own counters; per account and business date the outcome of its last fetch, so a recap
can tell a passive account from one that could not be read.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"),
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        "satbinmas_accounts",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("client_id", sa.String(), nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("sec_uid", sa.String(), nullable=True),
        sa.Column("display_name", sa.String(), nullable=True),
        sa.Column("biography", sa.Text(), nullable=True),
        sa.Column("avatar_url", sa.String(), nullable=True),
        sa.Column("followers", sa.BigInteger(), nullable=True),
        sa.Column("following", sa.BigInteger(), nullable=True),
        sa.Column("post_count", sa.BigInteger(), nullable=True),
        sa.Column("is_verified", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("is_private", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint("platform IN ('instagram', 'tiktok')",
                           name=op.f("ck_satbinmas_accounts_platform_valid")),
        sa.CheckConstraint("username = lower(username)",
                           name=op.f("ck_satbinmas_accounts_username_lower")),
        sa.ForeignKeyConstraint(["client_id"], ["clients.client_id"],
                                name=op.f("fk_satbinmas_accounts_client_id_clients"),
                                onupdate="CASCADE", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_satbinmas_accounts")),
        sa.UniqueConstraint("client_id", "platform",
                            name="uq_satbinmas_accounts_client_platform"),
        sa.UniqueConstraint("platform", "username",
                            name="uq_satbinmas_accounts_platform_username"),
    )
    op.create_table(
        "satbinmas_posts",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("external_id", sa.String(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("is_video", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("like_count", sa.BigInteger(), nullable=True),
        sa.Column("comment_count", sa.BigInteger(), nullable=True),
        sa.Column("view_count", sa.BigInteger(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(["account_id"], ["satbinmas_accounts.id"],
                                name=op.f("fk_satbinmas_posts_account_id_satbinmas_accounts"),
                                onupdate="CASCADE", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_satbinmas_posts")),
        sa.UniqueConstraint("account_id", "external_id",
                            name="uq_satbinmas_posts_account_external"),
    )
    op.create_index("ix_satbinmas_posts_account_posted", "satbinmas_posts",
                    ["account_id", "posted_at"], unique=False)
    op.create_table(
        "satbinmas_fetches",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("date_key", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("posts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("outcome IN ('ok', 'not_found', 'private', 'failed')",
                           name=op.f("ck_satbinmas_fetches_outcome_valid")),
        sa.ForeignKeyConstraint(["account_id"], ["satbinmas_accounts.id"],
                                name=op.f("fk_satbinmas_fetches_account_id_satbinmas_accounts"),
                                onupdate="CASCADE", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", "date_key", name=op.f("pk_satbinmas_fetches")),
    )


def downgrade() -> None:
    op.drop_table("satbinmas_fetches")
    op.drop_index("ix_satbinmas_posts_account_posted", table_name="satbinmas_posts")
    op.drop_table("satbinmas_posts")
    op.drop_table("satbinmas_accounts")

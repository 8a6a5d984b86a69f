"""special tasks (tugas khusus) and their link reports; link reports remember their last change

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05

A special task is an Instagram post of any account that an operator registers for their
client; it is fetched once and kept here (not in `posts`: it is nobody's official post, it
gets no likes fetched and no likes attendance). One client registers a post once; another
client may register the same post as its own task. Its day is the day it was registered.
Officers' re-share links for it live in `special_link_reports`, shaped like `link_reports`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LINKS = ("instagram_link", "facebook_link", "twitter_link", "tiktok_link", "youtube_link")


def _now(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"),
                     nullable=False)


def upgrade() -> None:
    op.add_column("link_reports", _now("updated_at"))
    op.execute("UPDATE link_reports SET updated_at = submitted_at")
    op.create_table(
        "special_tasks",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("client_id", sa.String(), nullable=False),
        sa.Column("shortcode", sa.String(), nullable=False),
        sa.Column("owner_username", sa.String(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("thumbnail_url", sa.String(), nullable=True),
        sa.Column("image_url", sa.String(), nullable=True),
        sa.Column("video_url", sa.String(), nullable=True),
        sa.Column("is_video", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("is_carousel", sa.Boolean(), server_default=sa.text("false"),
                  nullable=False),
        sa.Column("like_count", sa.Integer(), nullable=True),
        sa.Column("comment_count", sa.Integer(), nullable=True),
        sa.Column("registered_by", sa.String(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        _now("updated_at"),
        sa.ForeignKeyConstraint(["client_id"], ["clients.client_id"],
                                name=op.f("fk_special_tasks_client_id_clients"),
                                onupdate="CASCADE", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_special_tasks")),
        sa.UniqueConstraint("client_id", "shortcode", name="uq_special_tasks_client_shortcode"),
    )
    op.create_index("ix_special_tasks_client_registered", "special_tasks",
                    ["client_id", "registered_at"])
    op.create_index("ix_special_tasks_shortcode", "special_tasks", ["shortcode"])
    op.create_table(
        "special_link_reports",
        sa.Column("task_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        *(sa.Column(name, sa.String(), nullable=True) for name in _LINKS),
        _now("submitted_at"),
        _now("updated_at"),
        sa.ForeignKeyConstraint(["task_id"], ["special_tasks.id"],
                                name=op.f("fk_special_link_reports_task_id_special_tasks"),
                                onupdate="CASCADE", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["personnel.user_id"],
                                name=op.f("fk_special_link_reports_user_id_personnel"),
                                onupdate="CASCADE", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("task_id", "user_id", name=op.f("pk_special_link_reports")),
    )
    op.create_index("ix_special_link_reports_user", "special_link_reports", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_special_link_reports_user", table_name="special_link_reports")
    op.drop_table("special_link_reports")
    op.drop_index("ix_special_tasks_shortcode", table_name="special_tasks")
    op.drop_index("ix_special_tasks_client_registered", table_name="special_tasks")
    op.drop_table("special_tasks")
    op.drop_column("link_reports", "updated_at")

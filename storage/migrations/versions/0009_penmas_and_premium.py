"""Penmas editorial workflow (writers, editors, events, approvals, change log, press-release
details) and premium (requests with their transfer proof, `personnel.premium_until`)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _created(name: str = "created_at") -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"),
                     nullable=False)


def _fk(column: str, target: str, table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    referred = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{referred}"),
                                   onupdate="CASCADE", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "penmas_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("role", sa.String(), server_default="penulis", nullable=False),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("whatsapp", sa.String(), nullable=True),
        _created(), _created("updated_at"),
        sa.CheckConstraint("role IN ('penulis', 'editor')",
                           name=op.f("ck_penmas_users_role_valid")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_penmas_users")),
        sa.UniqueConstraint("username", name=op.f("uq_penmas_users_username")),
    )
    op.create_table(
        "editorial_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("assignee", sa.String(), nullable=True),
        sa.Column("status", sa.String(), server_default="draft", nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("image_path", sa.String(), nullable=True),
        sa.Column("tags", sa.String(), nullable=True),
        sa.Column("category", sa.String(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        _created(), _created("updated_at"),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'approved', 'rejected', 'published')",
            name=op.f("ck_editorial_events_status_valid")),
        _fk("created_by", "penmas_users.id", "editorial_events", "RESTRICT"),
        _fk("updated_by", "penmas_users.id", "editorial_events", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_editorial_events")),
    )
    op.create_index("ix_editorial_events_author_date", "editorial_events",
                    ["created_by", "event_date"], unique=False)
    op.create_table(
        "editorial_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), server_default="pending", nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        _created(),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')",
                           name=op.f("ck_editorial_approvals_status_valid")),
        _fk("decided_by", "penmas_users.id", "editorial_approvals", "SET NULL"),
        _fk("event_id", "editorial_events.id", "editorial_approvals", "CASCADE"),
        _fk("requested_by", "penmas_users.id", "editorial_approvals", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_editorial_approvals")),
    )
    op.create_index(op.f("ix_editorial_approvals_event_id"), "editorial_approvals",
                    ["event_id"], unique=False)
    op.create_index("uq_editorial_approvals_pending", "editorial_approvals", ["event_id"],
                    unique=True, postgresql_where=sa.text("status = 'pending'"))
    op.create_table(
        "editorial_changes",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        _created("logged_at"),
        _fk("event_id", "editorial_events.id", "editorial_changes", "CASCADE"),
        _fk("user_id", "penmas_users.id", "editorial_changes", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_editorial_changes")),
    )
    op.create_index(op.f("ix_editorial_changes_event_id"), "editorial_changes", ["event_id"],
                    unique=False)
    op.create_table(
        "press_release_details",
        sa.Column("event_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=True)
          for name in ("judul", "dasar", "tersangka", "tkp", "kronologi", "modus",
                       "barang_bukti", "pasal", "ancaman", "catatan")),
        _created("updated_at"),
        _fk("event_id", "editorial_events.id", "press_release_details", "CASCADE"),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_press_release_details")),
    )
    op.create_table(
        "premium_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("requested_by", sa.UUID(), nullable=True),
        sa.Column("whatsapp", sa.String(), nullable=True),
        sa.Column("sender_name", sa.String(), nullable=False),
        sa.Column("account_number", sa.String(), nullable=False),
        sa.Column("bank_name", sa.String(), nullable=False),
        sa.Column("status", sa.String(), server_default="draft", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(), nullable=True),
        sa.Column("granted_until", sa.Date(), nullable=True),
        _created(), _created("updated_at"),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'pending', 'approved', 'rejected', 'expired')",
            name=op.f("ck_premium_requests_status_valid")),
        _fk("requested_by", "dashboard_users.id", "premium_requests", "SET NULL"),
        _fk("user_id", "personnel.user_id", "premium_requests", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_premium_requests")),
    )
    op.create_index(op.f("ix_premium_requests_user_id"), "premium_requests", ["user_id"],
                    unique=False)
    op.create_index("uq_premium_requests_open", "premium_requests", ["user_id"], unique=True,
                    postgresql_where=sa.text("status IN ('draft', 'pending')"))
    op.create_table(
        "premium_proofs",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("content_type", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        _created("uploaded_at"),
        _fk("request_id", "premium_requests.id", "premium_proofs", "CASCADE"),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_premium_proofs")),
    )
    op.add_column("personnel", sa.Column("premium_until", sa.Date(), nullable=True))
    op.create_index("ix_personnel_premium_until", "personnel", ["premium_until"], unique=False,
                    postgresql_where=sa.text("premium_until IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_personnel_premium_until", table_name="personnel")
    op.drop_column("personnel", "premium_until")
    for table in ("premium_proofs", "premium_requests", "press_release_details",
                  "editorial_changes", "editorial_approvals", "editorial_events",
                  "penmas_users"):
        op.drop_table(table)

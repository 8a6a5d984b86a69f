"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("client_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("type", sa.String(), server_default="org", nullable=False),
        sa.Column("parent_id", sa.String(), nullable=True),
        sa.Column("status", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("instagram", sa.String(), nullable=True),
        sa.Column("instagram_status", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("tiktok", sa.String(), nullable=True),
        sa.Column("tiktok_secuid", sa.String(), nullable=True),
        sa.Column("tiktok_status", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("amplify_status", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("attendance_policy", sa.String(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "attendance_policy IS NULL OR attendance_policy IN ('majority', 'all')",
            name=op.f("ck_clients_attendance_policy_valid"),
        ),
        sa.CheckConstraint(
            "type IN ('org', 'directorate', 'polda')", name=op.f("ck_clients_type_valid")
        ),
        sa.CheckConstraint("client_id = upper(client_id)", name=op.f("ck_clients_client_id_upper")),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["clients.client_id"],
            name=op.f("fk_clients_parent_id_clients"),
            onupdate="CASCADE",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_clients")),
    )
    op.create_index(op.f("ix_clients_parent_id"), "clients", ["parent_id"], unique=False)
    op.create_table(
        "job_configs",
        sa.Column("job_key", sa.String(), nullable=False),
        sa.Column("display_name", sa.String(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("job_key", name=op.f("pk_job_configs")),
    )
    op.create_table(
        "job_runs",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("job_key", sa.String(), nullable=False),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(), server_default="running", nullable=False),
        sa.Column("counts", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('running', 'success', 'failed', 'skipped')",
            name=op.f("ck_job_runs_status_valid"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
    )
    op.create_index("ix_job_runs_key_started", "job_runs", ["job_key", "started_at"], unique=False)
    op.create_table(
        "login_logs",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("actor_id", sa.String(), nullable=False),
        sa.Column("login_type", sa.String(), nullable=False),
        sa.Column("login_source", sa.String(), nullable=False),
        sa.Column("ip", sa.String(), nullable=True),
        sa.Column(
            "logged_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_logs")),
    )
    op.create_index(op.f("ix_login_logs_actor_id"), "login_logs", ["actor_id"], unique=False)
    op.create_table(
        "saved_contacts",
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("resource_name", sa.String(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("phone", name=op.f("pk_saved_contacts")),
    )
    op.create_table(
        "broadcast_states",
        sa.Column("client_id", sa.String(), nullable=False),
        sa.Column("date_key", sa.Date(), nullable=False),
        sa.Column("post_set_hash", sa.String(), nullable=False),
        sa.Column(
            "instagram_posts",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "tiktok_posts",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "sent_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.client_id"],
            name=op.f("fk_broadcast_states_client_id_clients"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", "date_key", name=op.f("pk_broadcast_states")),
    )
    op.create_table(
        "client_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('operator', 'super_admin', 'group')",
            name=op.f("ck_client_contacts_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.client_id"],
            name=op.f("fk_client_contacts_client_id_clients"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_contacts")),
        sa.UniqueConstraint("client_id", "kind", "value", name="uq_client_contacts_entry"),
    )
    op.create_index("ix_client_contacts_value", "client_contacts", ["value"], unique=False)
    op.create_table(
        "personnel",
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("rank", sa.String(), nullable=True),
        sa.Column("satfung", sa.String(), nullable=True),
        sa.Column("jabatan", sa.String(), nullable=True),
        sa.Column("desa", sa.String(), nullable=True),
        sa.Column("client_id", sa.String(), nullable=False),
        sa.Column("whatsapp", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("instagram", sa.String(), nullable=True),
        sa.Column("tiktok", sa.String(), nullable=True),
        sa.Column("status", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("exception", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "wa_notification_opt_in", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("user_id ~ '^[0-9]+$'", name=op.f("ck_personnel_user_id_digits")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.client_id"],
            name=op.f("fk_personnel_client_id_clients"),
            onupdate="CASCADE",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_personnel")),
    )
    op.create_index(
        "ix_personnel_client_active", "personnel", ["client_id", "status"], unique=False
    )
    op.create_index(
        "ix_personnel_whatsapp",
        "personnel",
        ["whatsapp"],
        unique=False,
        postgresql_where=sa.text("whatsapp IS NOT NULL"),
    )
    op.create_index(
        "uq_personnel_instagram",
        "personnel",
        ["instagram"],
        unique=True,
        postgresql_where=sa.text("instagram IS NOT NULL"),
    )
    op.create_index(
        "uq_personnel_tiktok",
        "personnel",
        ["tiktok"],
        unique=True,
        postgresql_where=sa.text("tiktok IS NOT NULL"),
    )
    op.create_table(
        "posts",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("external_id", sa.String(), nullable=False),
        sa.Column("client_id", sa.String(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("thumbnail_url", sa.String(), nullable=True),
        sa.Column("image_url", sa.String(), nullable=True),
        sa.Column("video_url", sa.String(), nullable=True),
        sa.Column("images", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("is_video", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("is_carousel", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("like_count", sa.Integer(), nullable=True),
        sa.Column("comment_count", sa.Integer(), nullable=True),
        sa.Column("is_special", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "platform IN ('instagram', 'tiktok')", name=op.f("ck_posts_platform_valid")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.client_id"],
            name=op.f("fk_posts_client_id_clients"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
        sa.UniqueConstraint("platform", "external_id", name="uq_posts_platform_external_id"),
    )
    op.create_index(
        "ix_posts_client_platform_uploaded",
        "posts",
        ["client_id", "platform", "uploaded_at"],
        unique=False,
    )
    op.create_table(
        "reminder_states",
        sa.Column("date_key", sa.Date(), nullable=False),
        sa.Column("chat_id", sa.String(), nullable=False),
        sa.Column("client_id", sa.String(), nullable=False),
        sa.Column("last_stage", sa.String(), nullable=False),
        sa.Column("is_complete", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.client_id"],
            name=op.f("fk_reminder_states_client_id_clients"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "date_key", "chat_id", "client_id", name=op.f("pk_reminder_states")
        ),
    )
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=True),
        sa.Column("from_phone", sa.String(), nullable=False),
        sa.Column("issue_type", sa.String(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("status", sa.String(), server_default="open", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["personnel.user_id"],
            name=op.f("fk_complaints_user_id_personnel"),
            onupdate="CASCADE",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
    )
    op.create_index(op.f("ix_complaints_user_id"), "complaints", ["user_id"], unique=False)
    op.create_table(
        "dashboard_users",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("role", sa.String(), server_default="operator", nullable=False),
        sa.Column("status", sa.String(), server_default="pending", nullable=False),
        sa.Column("user_id", sa.String(), nullable=True),
        sa.Column("whatsapp", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "role IN ('admin', 'directorate', 'operator')",
            name=op.f("ck_dashboard_users_role_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected')",
            name=op.f("ck_dashboard_users_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["personnel.user_id"],
            name=op.f("fk_dashboard_users_user_id_personnel"),
            onupdate="CASCADE",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_users")),
        sa.UniqueConstraint("username", name=op.f("uq_dashboard_users_username")),
    )
    op.create_table(
        "directorate_memberships",
        sa.Column("directorate_id", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["directorate_id"],
            ["clients.client_id"],
            name=op.f("fk_directorate_memberships_directorate_id_clients"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["personnel.user_id"],
            name=op.f("fk_directorate_memberships_user_id_personnel"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "directorate_id", "user_id", name=op.f("pk_directorate_memberships")
        ),
    )
    op.create_index(
        "ix_directorate_memberships_user", "directorate_memberships", ["user_id"], unique=False
    )
    op.create_table(
        "engagements",
        sa.Column("post_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column(
            "first_seen_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "last_seen_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("kind IN ('like', 'comment')", name=op.f("ck_engagements_kind_valid")),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_engagements_post_id_posts"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", "kind", "username", name=op.f("pk_engagements")),
    )
    op.create_index("ix_engagements_username", "engagements", ["username"], unique=False)
    op.create_table(
        "link_reports",
        sa.Column("post_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("instagram_link", sa.String(), nullable=True),
        sa.Column("facebook_link", sa.String(), nullable=True),
        sa.Column("twitter_link", sa.String(), nullable=True),
        sa.Column("tiktok_link", sa.String(), nullable=True),
        sa.Column("youtube_link", sa.String(), nullable=True),
        sa.Column(
            "submitted_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_link_reports_post_id_posts"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["personnel.user_id"],
            name=op.f("fk_link_reports_user_id_personnel"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", "user_id", name=op.f("pk_link_reports")),
    )
    op.create_index("ix_link_reports_user", "link_reports", ["user_id"], unique=False)
    op.create_table(
        "personnel_changes",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("old_value", sa.String(), nullable=True),
        sa.Column("new_value", sa.String(), nullable=True),
        sa.Column("changed_by", sa.String(), nullable=False),
        sa.Column(
            "changed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["personnel.user_id"],
            name=op.f("fk_personnel_changes_user_id_personnel"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personnel_changes")),
    )
    op.create_index(
        op.f("ix_personnel_changes_user_id"), "personnel_changes", ["user_id"], unique=False
    )
    op.create_table(
        "dashboard_password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dashboard_user_id", sa.UUID(), nullable=False),
        sa.Column("delivery_target", sa.String(), nullable=False),
        sa.Column("token_hash", sa.String(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["dashboard_user_id"],
            ["dashboard_users.id"],
            name=op.f("fk_dashboard_password_resets_dashboard_user_id_dashboard_users"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_dashboard_password_resets_token_hash")),
    )
    op.create_index(
        op.f("ix_dashboard_password_resets_dashboard_user_id"),
        "dashboard_password_resets",
        ["dashboard_user_id"],
        unique=False,
    )
    op.create_table(
        "dashboard_user_clients",
        sa.Column("dashboard_user_id", sa.UUID(), nullable=False),
        sa.Column("client_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.client_id"],
            name=op.f("fk_dashboard_user_clients_client_id_clients"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dashboard_user_id"],
            ["dashboard_users.id"],
            name=op.f("fk_dashboard_user_clients_dashboard_user_id_dashboard_users"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "dashboard_user_id", "client_id", name=op.f("pk_dashboard_user_clients")
        ),
    )


def downgrade() -> None:
    op.drop_table("dashboard_user_clients")
    op.drop_index(
        op.f("ix_dashboard_password_resets_dashboard_user_id"),
        table_name="dashboard_password_resets",
    )
    op.drop_table("dashboard_password_resets")
    op.drop_index(op.f("ix_personnel_changes_user_id"), table_name="personnel_changes")
    op.drop_table("personnel_changes")
    op.drop_index("ix_link_reports_user", table_name="link_reports")
    op.drop_table("link_reports")
    op.drop_index("ix_engagements_username", table_name="engagements")
    op.drop_table("engagements")
    op.drop_index("ix_directorate_memberships_user", table_name="directorate_memberships")
    op.drop_table("directorate_memberships")
    op.drop_table("dashboard_users")
    op.drop_index(op.f("ix_complaints_user_id"), table_name="complaints")
    op.drop_table("complaints")
    op.drop_table("reminder_states")
    op.drop_index("ix_posts_client_platform_uploaded", table_name="posts")
    op.drop_table("posts")
    op.drop_index(
        "uq_personnel_tiktok",
        table_name="personnel",
        postgresql_where=sa.text("tiktok IS NOT NULL"),
    )
    op.drop_index(
        "uq_personnel_instagram",
        table_name="personnel",
        postgresql_where=sa.text("instagram IS NOT NULL"),
    )
    op.drop_index(
        "ix_personnel_whatsapp",
        table_name="personnel",
        postgresql_where=sa.text("whatsapp IS NOT NULL"),
    )
    op.drop_index("ix_personnel_client_active", table_name="personnel")
    op.drop_table("personnel")
    op.drop_index("ix_client_contacts_value", table_name="client_contacts")
    op.drop_table("client_contacts")
    op.drop_table("broadcast_states")
    op.drop_table("saved_contacts")
    op.drop_index(op.f("ix_login_logs_actor_id"), table_name="login_logs")
    op.drop_table("login_logs")
    op.drop_index("ix_job_runs_key_started", table_name="job_runs")
    op.drop_table("job_runs")
    op.drop_table("job_configs")
    op.drop_index(op.f("ix_clients_parent_id"), table_name="clients")
    op.drop_table("clients")

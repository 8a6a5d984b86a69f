"""NOTIFY cicero_identity with the numbers whose WhatsApp identity may have changed

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

The bot keeps the identities it resolved in memory and drops a number when PostgreSQL says
it changed, whoever changed it (chat, dashboard, CLI import, plain SQL). The payload is the
number ('*' after a TRUNCATE: forget every number).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> (the column holding the number, the columns an identity is made of)
_WATCHED = {
    "personnel": ("whatsapp", ("whatsapp", "status", "user_id")),
    "client_contacts": ("value", ("value", "kind", "client_id")),
    "dashboard_users": ("whatsapp", ("whatsapp", "status", "username")),
}


def upgrade() -> None:
    op.execute("""
        CREATE FUNCTION notify_identity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            before text;
            after text;
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                PERFORM pg_notify('cicero_identity', '*');
                RETURN NULL;
            END IF;
            IF TG_OP <> 'INSERT' THEN
                before := to_jsonb(OLD) ->> TG_ARGV[0];
            END IF;
            IF TG_OP <> 'DELETE' THEN
                after := to_jsonb(NEW) ->> TG_ARGV[0];
            END IF;
            IF coalesce(before, '') <> '' THEN
                PERFORM pg_notify('cicero_identity', before);
            END IF;
            IF coalesce(after, '') <> '' AND after IS DISTINCT FROM before THEN
                PERFORM pg_notify('cicero_identity', after);
            END IF;
            RETURN NULL;
        END $$
    """)
    for table, (number, columns) in _WATCHED.items():
        changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in columns)
        op.execute(f"CREATE TRIGGER {table}_identity_insert_delete AFTER INSERT OR DELETE "
                   f"ON {table} FOR EACH ROW EXECUTE FUNCTION notify_identity_changed('{number}')")
        op.execute(f"CREATE TRIGGER {table}_identity_update AFTER UPDATE ON {table} "
                   f"FOR EACH ROW WHEN ({changed}) "
                   f"EXECUTE FUNCTION notify_identity_changed('{number}')")
        op.execute(f"CREATE TRIGGER {table}_identity_truncate AFTER TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION notify_identity_changed('')")


def downgrade() -> None:
    for table in _WATCHED:
        for suffix in ("insert_delete", "update", "truncate"):
            op.execute(f"DROP TRIGGER {table}_identity_{suffix} ON {table}")
    op.execute("DROP FUNCTION notify_identity_changed()")

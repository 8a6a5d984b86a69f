"""NOTIFY cicero_identity '*' when a client is switched on or off

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03

The bot keeps, besides identities, whether a group is the group of an active client. A group
contact's own changes already notify its JID (0003); a client's status decides for all of its
groups at once, and changes seldom, so it makes the bot forget everything it kept.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("""
        CREATE FUNCTION notify_identities_forgotten() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('cicero_identity', '*');
            RETURN NULL;
        END $$
    """)
    op.execute("CREATE TRIGGER clients_status_notify AFTER UPDATE ON clients FOR EACH ROW "
               "WHEN (OLD.status IS DISTINCT FROM NEW.status) "
               "EXECUTE FUNCTION notify_identities_forgotten()")


def downgrade() -> None:
    op.execute("DROP TRIGGER clients_status_notify ON clients")
    op.execute("DROP FUNCTION notify_identities_forgotten()")

"""The audit trail of personnel data: one `personnel_changes` row per field that changed,
written in the transaction of the change by whoever changes it (the person over WhatsApp,
staff on the dashboard or a console, the premium decision)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.sql import execute


def audit_text(value: Any) -> str | None:
    """A value as the audit row stores it: booleans lower-case, dates ISO, None kept."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


async def record_change(connection: AsyncConnection, user_id: str, field: str, old: Any,
                        new: Any, changed_by: str) -> None:
    await execute(connection, "INSERT INTO personnel_changes (user_id, field, old_value, "
                              "new_value, changed_by) VALUES (:user_id, :field, :old, :new, :by)",
                  user_id=user_id, field=field, old=audit_text(old), new=audit_text(new),
                  by=changed_by)

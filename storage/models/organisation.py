"""Clients, their WhatsApp contacts, personnel, directorate memberships and the audit of
personnel changes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from storage.models.base import (
    ClientType,
    ContactKind,
    created_column,
    enum_check,
    fk_column,
    flag,
    text_default,
    updated_column,
)


class Client(SQLModel, table=True):
    """A satker: a Polres (org), a directorate, or the Polda at the root."""

    __tablename__ = "clients"
    __table_args__ = (
        enum_check("type", ClientType),
        CheckConstraint("client_id = upper(client_id)", name="client_id_upper"),
        CheckConstraint(
            "attendance_policy IS NULL OR attendance_policy IN ('majority', 'all')",
            name="attendance_policy_valid",
        ),
    )

    client_id: str = Field(primary_key=True)
    name: str
    type: str = text_default(ClientType.ORG.value)
    parent_id: str | None = fk_column("clients.client_id", nullable=True, ondelete="SET NULL",
                                      index=True)
    status: bool = flag(True)
    instagram: str | None = None
    instagram_status: bool = flag(True)
    tiktok: str | None = None
    tiktok_secuid: str | None = None
    tiktok_status: bool = flag(True)
    amplify_status: bool = flag(True)
    attendance_policy: str | None = None
    created_at: datetime | None = created_column()
    updated_at: datetime | None = updated_column()


class ClientContact(SQLModel, table=True):
    """One WhatsApp contact of a client: an operator, a super admin or its group."""

    __tablename__ = "client_contacts"
    __table_args__ = (
        enum_check("kind", ContactKind),
        UniqueConstraint("client_id", "kind", "value", name="uq_client_contacts_entry"),
        Index("ix_client_contacts_value", "value"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: str = fk_column("clients.client_id")
    kind: str
    value: str = Field(description="phone digits (628…) or a group JID (…@g.us)")
    created_at: datetime | None = created_column()


# --- personnel ------------------------------------------------------------------------------


class Personnel(SQLModel, table=True):
    """A police officer or civil servant, keyed by NRP/NIP digits."""

    __tablename__ = "personnel"
    __table_args__ = (
        CheckConstraint("user_id ~ '^[0-9]+$'", name="user_id_digits"),
        Index("uq_personnel_instagram", "instagram", unique=True,
              postgresql_where=text("instagram IS NOT NULL")),
        Index("uq_personnel_tiktok", "tiktok", unique=True,
              postgresql_where=text("tiktok IS NOT NULL")),
        Index("ix_personnel_client_active", "client_id", "status"),
        # The lookup index: `whatsapp = $1` implies its predicate, so a generic plan uses it.
        Index("ix_personnel_whatsapp", "whatsapp", postgresql_where=text("whatsapp IS NOT NULL")),
        # One person per number and per e-mail (migration 0005); empty values may repeat.
        Index("uq_personnel_whatsapp", "whatsapp", unique=True,
              postgresql_where=text("whatsapp <> ''")),
        Index("uq_personnel_email", "email", unique=True, postgresql_where=text("email <> ''")),
        Index("ix_personnel_premium_until", "premium_until",
              postgresql_where=text("premium_until IS NOT NULL")),
    )

    user_id: str = Field(primary_key=True)
    name: str
    rank: str | None = None
    satfung: str | None = None
    jabatan: str | None = None
    desa: str | None = None
    client_id: str = fk_column("clients.client_id", ondelete="RESTRICT")
    whatsapp: str | None = None
    email: str | None = None
    instagram: str | None = None
    tiktok: str | None = None
    status: bool = flag(True)
    exception: bool = flag(False)
    wa_notification_opt_in: bool = flag(False)
    premium_until: date | None = Field(default=None, description="last business day of premium")
    created_at: datetime | None = created_column()
    updated_at: datetime | None = updated_column()


class DirectorateMembership(SQLModel, table=True):
    """A person belongs to a directorate's population, whatever their home satker."""

    __tablename__ = "directorate_memberships"
    __table_args__ = (Index("ix_directorate_memberships_user", "user_id"),)

    directorate_id: str = fk_column("clients.client_id", primary_key=True)
    user_id: str = fk_column("personnel.user_id", primary_key=True)
    created_at: datetime | None = created_column()


class PersonnelChange(SQLModel, table=True):
    """Audit log of every change to a person's data, whoever made it."""

    __tablename__ = "personnel_changes"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    user_id: str = fk_column("personnel.user_id", index=True)
    field: str
    old_value: str | None = None
    new_value: str | None = None
    changed_by: str = Field(description="who: a phone number, 'import', a dashboard username")
    reason: str | None = Field(default=None, sa_column=Column(Text))  # e.g. "mutasi"
    changed_at: datetime | None = created_column()

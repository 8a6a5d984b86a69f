"""Dashboard accounts and logins, the Penmas editorial workflow and premium requests."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlmodel import Field, SQLModel

from storage.models.base import (
    ApprovalStatus,
    DashboardRole,
    EventStatus,
    PenmasRole,
    PremiumRequestStatus,
    created_column,
    enum_check,
    fk_column,
    text_default,
    tz_column,
    updated_column,
)


class DashboardUser(SQLModel, table=True):
    __tablename__ = "dashboard_users"
    __table_args__ = (
        enum_check("role", DashboardRole),
        enum_check("status", ApprovalStatus),
    )

    id: uuid.UUID = Field(
        default_factory=uuid.uuid4,
        sa_column=Column(UUID(as_uuid=True), primary_key=True,
                         server_default=text("gen_random_uuid()")),
    )
    username: str = Field(sa_column=Column(String, unique=True, nullable=False))
    password_hash: str
    role: str = text_default(DashboardRole.OPERATOR.value)
    status: str = text_default(ApprovalStatus.PENDING.value)
    user_id: str | None = fk_column("personnel.user_id", nullable=True, ondelete="SET NULL")
    whatsapp: str | None = None
    email: str | None = None
    created_at: datetime | None = created_column()
    updated_at: datetime | None = updated_column()


class DashboardUserClient(SQLModel, table=True):
    """Which clients a dashboard login may see."""

    __tablename__ = "dashboard_user_clients"

    dashboard_user_id: uuid.UUID = fk_column("dashboard_users.id", type_=UUID(as_uuid=True),
                                             primary_key=True)
    client_id: str = fk_column("clients.client_id", primary_key=True)


class DashboardPasswordReset(SQLModel, table=True):
    __tablename__ = "dashboard_password_resets"

    id: int | None = Field(default=None, primary_key=True)
    dashboard_user_id: uuid.UUID = fk_column("dashboard_users.id", type_=UUID(as_uuid=True),
                                             index=True)
    delivery_target: str
    token_hash: str = Field(sa_column=Column(String, unique=True, nullable=False))
    expires_at: datetime | None = tz_column(nullable=False)
    used_at: datetime | None = tz_column()
    created_at: datetime | None = created_column()


class LoginLog(SQLModel, table=True):
    __tablename__ = "login_logs"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    actor_id: str = Field(index=True)
    login_type: str
    login_source: str
    ip: str | None = None
    logged_at: datetime | None = created_column()


# --- Penmas editorial workflow -------------------------------------------------------------


class PenmasUser(SQLModel, table=True):
    """A login of the Penmas editorial app: a writer (penulis) or an editor."""

    __tablename__ = "penmas_users"
    __table_args__ = (enum_check("role", PenmasRole),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_column=Column(String, unique=True, nullable=False))
    password_hash: str
    role: str = text_default(PenmasRole.WRITER.value)
    name: str | None = None
    whatsapp: str | None = None
    created_at: datetime | None = created_column()
    updated_at: datetime | None = updated_column()


class EditorialEvent(SQLModel, table=True):
    """A news item on the editorial calendar, from draft to published."""

    __tablename__ = "editorial_events"
    __table_args__ = (
        enum_check("status", EventStatus),
        Index("ix_editorial_events_author_date", "created_by", "event_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_date: datetime | None = tz_column(nullable=False)
    topic: str = Field(sa_column=Column(Text, nullable=False))
    title: str | None = Field(default=None, sa_column=Column(Text))
    assignee: str | None = None
    status: str = text_default(EventStatus.DRAFT.value)
    content: str | None = Field(default=None, sa_column=Column(Text))
    summary: str | None = Field(default=None, sa_column=Column(Text))
    image_path: str | None = None
    tags: str | None = None
    category: str | None = None
    created_by: int = fk_column("penmas_users.id", type_=Integer, ondelete="RESTRICT")
    updated_by: int | None = fk_column("penmas_users.id", type_=Integer, nullable=True,
                                       ondelete="SET NULL")
    created_at: datetime | None = created_column()
    updated_at: datetime | None = updated_column()


class EditorialApproval(SQLModel, table=True):
    """A submission of an event to the editors and their decision."""

    __tablename__ = "editorial_approvals"
    __table_args__ = (
        enum_check("status", ApprovalStatus),
        Index("uq_editorial_approvals_pending", "event_id", unique=True,
              postgresql_where=text("status = 'pending'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = fk_column("editorial_events.id", type_=Integer, index=True)
    requested_by: int = fk_column("penmas_users.id", type_=Integer, ondelete="RESTRICT")
    status: str = text_default(ApprovalStatus.PENDING.value)
    decided_by: int | None = fk_column("penmas_users.id", type_=Integer, nullable=True,
                                       ondelete="SET NULL")
    reason: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime | None = created_column()
    decided_at: datetime | None = tz_column()


class EditorialChange(SQLModel, table=True):
    """The change log of an event: one row per change, written with the change."""

    __tablename__ = "editorial_changes"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    event_id: int = fk_column("editorial_events.id", type_=Integer, index=True)
    user_id: int | None = fk_column("penmas_users.id", type_=Integer, nullable=True,
                                    ondelete="SET NULL")
    status: str = Field(description="the event's status after the change")
    changes: str = Field(sa_column=Column(Text, nullable=False))
    logged_at: datetime | None = created_column()


class PressReleaseDetail(SQLModel, table=True):
    """The press-release facts of an event (the reference's field names)."""

    __tablename__ = "press_release_details"

    event_id: int = fk_column("editorial_events.id", type_=Integer, primary_key=True)
    judul: str | None = Field(default=None, sa_column=Column(Text))
    dasar: str | None = Field(default=None, sa_column=Column(Text))
    tersangka: str | None = Field(default=None, sa_column=Column(Text))
    tkp: str | None = Field(default=None, sa_column=Column(Text))
    kronologi: str | None = Field(default=None, sa_column=Column(Text))
    modus: str | None = Field(default=None, sa_column=Column(Text))
    barang_bukti: str | None = Field(default=None, sa_column=Column(Text))
    pasal: str | None = Field(default=None, sa_column=Column(Text))
    ancaman: str | None = Field(default=None, sa_column=Column(Text))
    catatan: str | None = Field(default=None, sa_column=Column(Text))
    updated_at: datetime | None = updated_column()


# --- premium ----------------------------------------------------------------------------------


class PremiumRequest(SQLModel, table=True):
    """A person's request for premium: transfer details, proof, confirmation, decision."""

    __tablename__ = "premium_requests"
    __table_args__ = (
        enum_check("status", PremiumRequestStatus),
        # One open request per person at a time.
        Index("uq_premium_requests_open", "user_id", unique=True,
              postgresql_where=text("status IN ('draft', 'pending')")),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = fk_column("personnel.user_id", index=True)
    requested_by: uuid.UUID | None = fk_column("dashboard_users.id", type_=UUID(as_uuid=True),
                                               nullable=True, ondelete="SET NULL")
    whatsapp: str | None = Field(default=None, description="where the person is told")
    sender_name: str
    account_number: str
    bank_name: str
    status: str = text_default(PremiumRequestStatus.DRAFT.value)
    reason: str | None = Field(default=None, sa_column=Column(Text))
    decided_by: str | None = Field(default=None, description="the admin's number or username")
    granted_until: date | None = None
    created_at: datetime | None = created_column()
    updated_at: datetime | None = updated_column()
    confirmed_at: datetime | None = tz_column()
    decided_at: datetime | None = tz_column()


class PremiumProof(SQLModel, table=True):
    """The transfer proof image of a request, kept in the database (every web replica sees
    it; no file path comes from the uploader)."""

    __tablename__ = "premium_proofs"

    request_id: int = fk_column("premium_requests.id", type_=Integer, primary_key=True)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime | None = created_column()

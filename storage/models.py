"""Table models. One migration history (storage/migrations) is the truth for the schema.

Conventions: every timestamp is `timestamptz`; ids and enums are stored in one
case (client ids upper-case, enums lower-case); hierarchy and memberships are
explicit rows, never comma-joined strings or roles named after clients.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlmodel import Field, SQLModel

SQLModel.metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class ClientType(StrEnum):
    ORG = "org"
    DIRECTORATE = "directorate"
    POLDA = "polda"


class ContactKind(StrEnum):
    OPERATOR = "operator"
    SUPER_ADMIN = "super_admin"
    GROUP = "group"


class Platform(StrEnum):
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"


class EngagementKind(StrEnum):
    LIKE = "like"
    COMMENT = "comment"


class DashboardRole(StrEnum):
    ADMIN = "admin"
    DIRECTORATE = "directorate"
    OPERATOR = "operator"


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class PenmasRole(StrEnum):
    WRITER = "penulis"
    EDITOR = "editor"


class EventStatus(StrEnum):
    """An editorial event's place in the workflow (edges: storage/editorial_workflow.py)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    PUBLISHED = "published"


class PremiumRequestStatus(StrEnum):
    DRAFT = "draft"  # created, proof not yet confirmed
    PENDING = "pending"  # confirmed: waiting for an admin
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"  # approved, and the access it gave has ended


class JobRunStatus(StrEnum):
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
    SKIPPED = "skipped"


def _enum_check(column: str, enum: type[StrEnum]) -> CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in enum)
    return CheckConstraint(f"{column} IN ({values})", name=f"{column}_valid")


def created_column() -> Any:
    return Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


def updated_column() -> Any:
    return Field(
        default=None,
        sa_column=Column(
            DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
        ),
    )


def flag(default: bool) -> Any:
    """A boolean with the same default in Python and in the database."""
    return Field(default=default, sa_column_kwargs={"server_default": text(str(default).lower())})


def counter() -> Any:
    """An integer starting at 0, in Python and in the database."""
    return Field(default=0, sa_column_kwargs={"server_default": "0"})


def text_default(default: str) -> Any:
    return Field(default=default, sa_column_kwargs={"server_default": default})


def tz_column(*, nullable: bool = True, index: bool = False) -> Any:
    return Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable, index=index)
    )


def fk_column(target: str, *, type_: Any = None, nullable: bool = False, ondelete: str = "CASCADE",
              primary_key: bool = False, index: bool = False) -> Any:
    return Field(
        default=None,
        sa_column=Column(
            type_ if type_ is not None else String,
            ForeignKey(target, ondelete=ondelete, onupdate="CASCADE"),
            nullable=nullable,
            primary_key=primary_key,
            index=index,
        ),
    )


# --- organisation ---------------------------------------------------------------------------


class Client(SQLModel, table=True):
    """A satker: a Polres (org), a directorate, or the Polda at the root."""

    __tablename__ = "clients"
    __table_args__ = (
        _enum_check("type", ClientType),
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
        _enum_check("kind", ContactKind),
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


# --- content and engagement -----------------------------------------------------------------


class Post(SQLModel, table=True):
    """An official Instagram post or TikTok video of a client."""

    __tablename__ = "posts"
    __table_args__ = (
        _enum_check("platform", Platform),
        UniqueConstraint("platform", "external_id", name="uq_posts_platform_external_id"),
        Index("ix_posts_client_platform_uploaded", "client_id", "platform", "uploaded_at"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    platform: str
    external_id: str = Field(description="IG shortcode or TikTok video id")
    client_id: str = fk_column("clients.client_id")
    uploaded_at: datetime | None = tz_column(nullable=False)
    caption: str | None = Field(default=None, sa_column=Column(Text))
    thumbnail_url: str | None = None
    image_url: str | None = None
    video_url: str | None = None
    images: list[str] | None = Field(default=None, sa_column=Column(JSONB))
    is_video: bool = flag(False)
    is_carousel: bool = flag(False)
    like_count: int | None = None
    comment_count: int | None = None
    is_special: bool = flag(False)
    created_at: datetime | None = created_column()
    updated_at: datetime | None = updated_column()


class Engagement(SQLModel, table=True):
    """One platform username seen liking (IG) or commenting on (TikTok) one post."""

    __tablename__ = "engagements"
    __table_args__ = (
        _enum_check("kind", EngagementKind),
        Index("ix_engagements_username", "username"),
    )

    post_id: int = fk_column("posts.id", type_=BigInteger, primary_key=True)
    kind: str = Field(primary_key=True)
    username: str = Field(primary_key=True)
    first_seen_at: datetime | None = created_column()
    last_seen_at: datetime | None = created_column()


class LinkReport(SQLModel, table=True):
    """Amplification evidence: where a person re-shared a post."""

    __tablename__ = "link_reports"
    __table_args__ = (Index("ix_link_reports_user", "user_id"),)

    post_id: int = fk_column("posts.id", type_=BigInteger, primary_key=True)
    user_id: str = fk_column("personnel.user_id", primary_key=True)
    instagram_link: str | None = None
    facebook_link: str | None = None
    twitter_link: str | None = None
    tiktok_link: str | None = None
    youtube_link: str | None = None
    submitted_at: datetime | None = created_column()
    updated_at: datetime | None = updated_column()


class SpecialTask(SQLModel, table=True):
    """A special task (tugas khusus): an Instagram post of any account that an operator
    registered for their client, fetched once. Its day is the day it was registered."""

    __tablename__ = "special_tasks"
    __table_args__ = (
        UniqueConstraint("client_id", "shortcode", name="uq_special_tasks_client_shortcode"),
        Index("ix_special_tasks_client_registered", "client_id", "registered_at"),
        Index("ix_special_tasks_shortcode", "shortcode"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    client_id: str = fk_column("clients.client_id")
    shortcode: str
    owner_username: str | None = None
    uploaded_at: datetime | None = tz_column(nullable=False)
    caption: str | None = Field(default=None, sa_column=Column(Text))
    thumbnail_url: str | None = None
    image_url: str | None = None
    video_url: str | None = None
    is_video: bool = flag(False)
    is_carousel: bool = flag(False)
    like_count: int | None = None
    comment_count: int | None = None
    registered_by: str
    registered_at: datetime | None = tz_column(nullable=False)
    updated_at: datetime | None = updated_column()


class SpecialLinkReport(SQLModel, table=True):
    """Amplification evidence for a special task, shaped like `LinkReport`."""

    __tablename__ = "special_link_reports"
    __table_args__ = (Index("ix_special_link_reports_user", "user_id"),)

    task_id: int = fk_column("special_tasks.id", type_=BigInteger, primary_key=True)
    user_id: str = fk_column("personnel.user_id", primary_key=True)
    instagram_link: str | None = None
    facebook_link: str | None = None
    twitter_link: str | None = None
    tiktok_link: str | None = None
    youtube_link: str | None = None
    submitted_at: datetime | None = created_column()
    updated_at: datetime | None = updated_column()


# --- Satbinmas official accounts -------------------------------------------------------------


class SatbinmasFetchOutcome(StrEnum):
    OK = "ok"
    NOT_FOUND = "not_found"  # the account no longer exists on the platform
    PRIVATE = "private"  # its posts cannot be read
    FAILED = "failed"  # the provider failed (retries exhausted, malformed answer…)


class SatbinmasAccount(SQLModel, table=True):
    """The official Satbinmas account of an ORG satker on one platform, with the profile as
    the last lookup saw it. A satker has at most one per platform, and an account belongs
    to one satker only."""

    __tablename__ = "satbinmas_accounts"
    __table_args__ = (
        _enum_check("platform", Platform),
        CheckConstraint("username = lower(username)", name="username_lower"),
        UniqueConstraint("client_id", "platform", name="uq_satbinmas_accounts_client_platform"),
        UniqueConstraint("platform", "username", name="uq_satbinmas_accounts_platform_username"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    client_id: str = fk_column("clients.client_id")
    platform: str
    username: str = Field(description="canonical: lower case, without '@'")
    sec_uid: str | None = Field(default=None, description="TikTok secUid")
    display_name: str | None = None
    biography: str | None = Field(default=None, sa_column=Column(Text))
    avatar_url: str | None = None
    followers: int | None = Field(default=None, sa_column=Column(BigInteger))
    following: int | None = Field(default=None, sa_column=Column(BigInteger))
    post_count: int | None = Field(default=None, sa_column=Column(BigInteger))
    is_verified: bool = flag(False)
    is_private: bool = flag(False)
    checked_at: datetime | None = tz_column()
    created_at: datetime | None = created_column()
    updated_at: datetime | None = updated_column()


class SatbinmasPost(SQLModel, table=True):
    """A post of an official Satbinmas account, with its own counters as last fetched."""

    __tablename__ = "satbinmas_posts"
    __table_args__ = (
        UniqueConstraint("account_id", "external_id", name="uq_satbinmas_posts_account_external"),
        Index("ix_satbinmas_posts_account_posted", "account_id", "posted_at"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    account_id: int = fk_column("satbinmas_accounts.id", type_=BigInteger)
    external_id: str = Field(description="IG shortcode or TikTok video id")
    posted_at: datetime | None = tz_column(nullable=False)
    caption: str | None = Field(default=None, sa_column=Column(Text))
    is_video: bool = flag(False)
    like_count: int | None = Field(default=None, sa_column=Column(BigInteger))
    comment_count: int | None = Field(default=None, sa_column=Column(BigInteger))
    view_count: int | None = Field(default=None, sa_column=Column(BigInteger))
    fetched_at: datetime | None = tz_column(nullable=False)
    created_at: datetime | None = created_column()


class SatbinmasFetch(SQLModel, table=True):
    """How the last fetch of an account's posts on a business date went."""

    __tablename__ = "satbinmas_fetches"
    __table_args__ = (_enum_check("outcome", SatbinmasFetchOutcome),)

    account_id: int = fk_column("satbinmas_accounts.id", type_=BigInteger, primary_key=True)
    date_key: date = Field(primary_key=True)
    outcome: str
    posts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    fetched_at: datetime | None = tz_column(nullable=False)


# --- dashboard ------------------------------------------------------------------------------


class DashboardUser(SQLModel, table=True):
    __tablename__ = "dashboard_users"
    __table_args__ = (
        _enum_check("role", DashboardRole),
        _enum_check("status", ApprovalStatus),
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
    __table_args__ = (_enum_check("role", PenmasRole),)

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
        _enum_check("status", EventStatus),
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
        _enum_check("status", ApprovalStatus),
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
        _enum_check("status", PremiumRequestStatus),
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


# --- conversations, jobs and messaging state ------------------------------------------------


class Complaint(SQLModel, table=True):
    __tablename__ = "complaints"
    __table_args__ = (
        Index("ix_complaints_open", "created_at", postgresql_where=text("status = 'open'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: str | None = fk_column("personnel.user_id", nullable=True, ondelete="SET NULL",
                                    index=True)
    from_phone: str
    issue_type: str | None = None
    body: str = Field(sa_column=Column(Text, nullable=False))
    details: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    response: str | None = Field(default=None, sa_column=Column(Text))
    status: str = text_default("open")
    created_at: datetime | None = created_column()
    resolved_at: datetime | None = tz_column()
    answered_by: str | None = None  # who answered or closed it: a phone number, "cli"


class JobConfig(SQLModel, table=True):
    """A scheduled job's toggle. A job whose key has no row runs."""

    __tablename__ = "job_configs"

    job_key: str = Field(primary_key=True)
    display_name: str
    is_active: bool = flag(True)
    updated_at: datetime | None = updated_column()


class JobRun(SQLModel, table=True):
    __tablename__ = "job_runs"
    __table_args__ = (
        _enum_check("status", JobRunStatus),
        Index("ix_job_runs_key_started", "job_key", "started_at"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    job_key: str
    started_at: datetime | None = created_column()
    finished_at: datetime | None = tz_column()
    status: str = text_default(JobRunStatus.RUNNING.value)
    counts: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    error: str | None = Field(default=None, sa_column=Column(Text))


class ImportRun(SQLModel, table=True):
    """One import of a file (storage/import_journal.py): how far it got and what it counted,
    so a re-run after a crash continues after the last batch written."""

    __tablename__ = "import_runs"
    __table_args__ = (
        Index("ix_import_runs_unfinished", "kind", "file_sha256",
              postgresql_where=text("finished_at IS NULL")),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    kind: str
    file_sha256: str
    rows_total: int
    rows_done: int = counter()
    created: int = counter()
    updated: int = counter()
    unchanged: int = counter()
    rejected: list[Any] = Field(
        default_factory=list,
        sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb")))
    started_at: datetime | None = created_column()
    finished_at: datetime | None = tz_column()


class ReminderState(SQLModel, table=True):
    """Which reminder stage a chat reached on a business date (survives restarts)."""

    __tablename__ = "reminder_states"

    date_key: date = Field(primary_key=True)
    chat_id: str = Field(primary_key=True)
    client_id: str = fk_column("clients.client_id", primary_key=True)
    last_stage: str
    is_complete: bool = flag(False)
    updated_at: datetime | None = updated_column()


class BroadcastState(SQLModel, table=True):
    """The post set last broadcast to a client's group, per business date."""

    __tablename__ = "broadcast_states"

    client_id: str = fk_column("clients.client_id", primary_key=True)
    date_key: date = Field(primary_key=True)
    post_set_hash: str
    instagram_posts: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb")))
    tiktok_posts: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb")))
    sent_at: datetime | None = updated_column()


class SavedContact(SQLModel, table=True):
    """Phone numbers already saved to Google Contacts."""

    __tablename__ = "saved_contacts"

    phone: str = Field(primary_key=True)
    resource_name: str | None = None
    created_at: datetime | None = created_column()


class DataVersion(SQLModel, table=True):
    """A counter that triggers bump in the writing transaction when a watched set of tables
    changes (migration 0002: `population` for personnel, memberships and clients), so caches
    know when they are old. Bookkeeping, not data: never truncated or backed up as data."""

    __tablename__ = "data_versions"

    name: str = Field(sa_column=Column(Text, primary_key=True))
    version: int = Field(default=0, sa_column=Column(BigInteger, nullable=False,
                                                     server_default="0"))


# The data tables, parents first (truncation, backups, row counts); data_versions is not data.
TABLES_IN_DEPENDENCY_ORDER = [table.name for table in SQLModel.metadata.sorted_tables
                              if table.name != DataVersion.__tablename__]

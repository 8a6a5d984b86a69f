"""Complaints, jobs and imports, reminder and broadcast state, saved contacts and the
data versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from storage.models.base import (
    JobRunStatus,
    counter,
    created_column,
    enum_check,
    fk_column,
    flag,
    text_default,
    tz_column,
    updated_column,
)


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
        enum_check("status", JobRunStatus),
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

"""What every table module shares: the metadata's naming convention, the enums stored in
columns and the column helpers. Conventions: every timestamp is `timestamptz`; ids and enums
are stored in one case (client ids upper-case, enums lower-case)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    MetaData,
    String,
    func,
    text,
)
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


def enum_check(column: str, enum: type[StrEnum]) -> CheckConstraint:
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

"""Posts and engagement, link reports, special tasks and the Satbinmas official accounts."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from storage.models.base import (
    EngagementKind,
    Platform,
    created_column,
    enum_check,
    fk_column,
    flag,
    tz_column,
    updated_column,
)


class Post(SQLModel, table=True):
    """An official Instagram post or TikTok video of a client."""

    __tablename__ = "posts"
    __table_args__ = (
        enum_check("platform", Platform),
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
        enum_check("kind", EngagementKind),
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
        enum_check("platform", Platform),
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
    __table_args__ = (enum_check("outcome", SatbinmasFetchOutcome),)

    account_id: int = fk_column("satbinmas_accounts.id", type_=BigInteger, primary_key=True)
    date_key: date = Field(primary_key=True)
    outcome: str
    posts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    fetched_at: datetime | None = tz_column(nullable=False)

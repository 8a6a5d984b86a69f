"""Table models, one module per domain. One migration history (storage/migrations) is the
truth for the schema; tests/cicero/test_migrations.py checks that these models match it.

Hierarchy and memberships are explicit rows, never comma-joined strings or roles named after
clients. Importing this package registers every table on `SQLModel.metadata`: the table
order below is computed from the foreign keys, whatever module declares a table.
"""

from __future__ import annotations

from sqlmodel import SQLModel

from storage.models.base import (
    ApprovalStatus,
    ClientType,
    ContactKind,
    DashboardRole,
    EngagementKind,
    EventStatus,
    JobRunStatus,
    PenmasRole,
    Platform,
    PremiumRequestStatus,
)
from storage.models.content import (
    Engagement,
    LinkReport,
    Post,
    SatbinmasAccount,
    SatbinmasFetch,
    SatbinmasFetchOutcome,
    SatbinmasPost,
    SpecialLinkReport,
    SpecialTask,
)
from storage.models.dashboard import (
    DashboardPasswordReset,
    DashboardUser,
    DashboardUserClient,
    EditorialApproval,
    EditorialChange,
    EditorialEvent,
    LoginLog,
    PenmasUser,
    PremiumProof,
    PremiumRequest,
    PressReleaseDetail,
)
from storage.models.operations import (
    BroadcastState,
    Complaint,
    DataVersion,
    ImportRun,
    JobConfig,
    JobRun,
    ReminderState,
    SavedContact,
)
from storage.models.organisation import (
    Client,
    ClientContact,
    DirectorateMembership,
    Personnel,
    PersonnelChange,
)

# The data tables, parents first (truncation, backups, row counts); data_versions is not data.
TABLES_IN_DEPENDENCY_ORDER = [table.name for table in SQLModel.metadata.sorted_tables
                              if table.name != DataVersion.__tablename__]

__all__ = [
    "TABLES_IN_DEPENDENCY_ORDER",
    "ApprovalStatus",
    "BroadcastState",
    "Client",
    "ClientContact",
    "ClientType",
    "Complaint",
    "ContactKind",
    "DashboardPasswordReset",
    "DashboardRole",
    "DashboardUser",
    "DashboardUserClient",
    "DataVersion",
    "DirectorateMembership",
    "EditorialApproval",
    "EditorialChange",
    "EditorialEvent",
    "Engagement",
    "EngagementKind",
    "EventStatus",
    "ImportRun",
    "JobConfig",
    "JobRun",
    "JobRunStatus",
    "LinkReport",
    "LoginLog",
    "PenmasRole",
    "PenmasUser",
    "Personnel",
    "PersonnelChange",
    "Platform",
    "Post",
    "PremiumProof",
    "PremiumRequest",
    "PremiumRequestStatus",
    "PressReleaseDetail",
    "ReminderState",
    "SQLModel",
    "SatbinmasAccount",
    "SatbinmasFetch",
    "SatbinmasFetchOutcome",
    "SatbinmasPost",
    "SavedContact",
    "SpecialLinkReport",
    "SpecialTask",
]

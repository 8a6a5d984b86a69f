"""Which flows exist and in which order a fresh message is offered to them."""

from __future__ import annotations

from cicero.sessions import SessionName
from conversations.access import RestrictedCommand
from conversations.admin_commands import AdminCommand
from conversations.bulk_deactivation import BulkDeactivation
from conversations.complaint import ComplaintFlow
from conversations.console.clientrequest import ClientRequest
from conversations.console.dashrequest import DashRequest
from conversations.console.dirrequest import DirRequest
from conversations.console.oprrequest import OprRequest
from conversations.console.wabot import JobsConsole
from conversations.dashboard_approval import DashboardApproval
from conversations.editorial_approval import EditorialDecision
from conversations.engine import FlowRegistry
from conversations.link_reports import LinkReportFlow
from conversations.notifications import NotificationSwitch
from conversations.premium_approval import PremiumApproval
from conversations.profile import ProfileUpdate
from conversations.registration import Registration
from conversations.satbinmas_official import SatbinmasOfficial


def default_registry() -> FlowRegistry:
    registration = Registration()
    complaint = ComplaintFlow()
    link_report = LinkReportFlow()
    consoles = [OprRequest(), ClientRequest(), DirRequest(), DashRequest(), JobsConsole()]
    satbinmas = SatbinmasOfficial()
    return FlowRegistry(
        flows=[registration, ProfileUpdate(), complaint, link_report, *consoles, satbinmas],
        # The complaint comes first: its template is recognised on every session (improved:
        # also on the personnel number) and in registered groups.
        # `lapor` and pasted re-share links come before the personnel number's fallback.
        entries=[complaint, BulkDeactivation(), NotificationSwitch(), DashboardApproval(),
                 EditorialDecision(), PremiumApproval(), AdminCommand(), *consoles, satbinmas,
                 link_report, RestrictedCommand(), registration],
        # On the personnel number any first message opens the self-service (reference §1).
        fallbacks={SessionName.USER.value: registration},
    )

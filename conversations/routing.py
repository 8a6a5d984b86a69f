"""Which flows exist and in which order a fresh message is offered to them."""

from __future__ import annotations

from bot.messages import SessionName
from conversations.access import RestrictedCommand
from conversations.complaint import ComplaintFlow
from conversations.console.dashrequest import DashRequest
from conversations.console.dirrequest import DirRequest
from conversations.console.wabot import JobsConsole
from conversations.dashboard_approval import DashboardApproval
from conversations.editorial_approval import EditorialDecision
from conversations.engine import FlowRegistry
from conversations.notifications import NotificationSwitch
from conversations.premium_approval import PremiumApproval
from conversations.profile import ProfileUpdate
from conversations.registration import Registration


def default_registry() -> FlowRegistry:
    registration = Registration()
    complaint = ComplaintFlow()
    consoles = [DirRequest(), DashRequest(), JobsConsole()]
    return FlowRegistry(
        flows=[registration, ProfileUpdate(), complaint, *consoles],
        # The complaint comes first: its template is recognised on every session (improved:
        # also on the personnel number) and in registered groups.
        entries=[complaint, NotificationSwitch(), DashboardApproval(), EditorialDecision(),
                 PremiumApproval(), *consoles,
                 RestrictedCommand(), registration],
        # On the personnel number any first message opens the self-service (reference §1).
        fallbacks={SessionName.USER.value: registration},
    )

"""The message model and session names, for the bot's own modules. Both live on the ground
floor (cicero/messages.py, cicero/sessions.py) so the flows, jobs and web use them without
importing `bot/`; this module re-exports them."""

from cicero.messages import Document, InboundMessage, OutboundMessage
from cicero.sessions import SessionName

__all__ = ["Document", "InboundMessage", "OutboundMessage", "SessionName"]

"""A chat's conversation state: which flow, which state, its data, the states before it (for
`kembali`), a version (bumped on every save; silence timers of older versions are stale) and
when the chat last spoke, in business-clock epoch seconds. The bot keeps it in Redis
(bot/chat_contexts.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ChatContext:
    flow: str | None = None
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)  # earlier states of this flow, for `kembali`
    version: int = 0  # bumped on every save; timers of older versions are stale
    last_active: float = 0.0  # business-clock epoch seconds

    @property
    def active(self) -> bool:
        return self.flow is not None

    def reset(self) -> None:
        self.flow, self.state, self.data, self.history = None, None, {}, []

    def to_json(self) -> str:
        # vars, not asdict: the fields are JSON values already, no deep copy needed
        return json.dumps(vars(self))

    @classmethod
    def from_json(cls, raw: str | bytes) -> ChatContext:
        return cls(**json.loads(raw))

"""A console option that fetches the client's posts and engagement now, as a job; the
requester is told what changed when it is done."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.console.spec import Action, Question, Step
from jobs.queue import enqueue_fetch_for_chat
from menus import console as texts


@dataclass(frozen=True)
class FetchNow(Action):
    """Fetch the step's client now; `platforms` narrows it (empty: Instagram and TikTok)."""

    questions: tuple[Question, ...] = ()
    platforms: tuple[str, ...] = ()

    async def run(self, step: Step) -> None:
        turn, message = step.turn, step.turn.message
        queued = await enqueue_fetch_for_chat(
            turn.services.redis, step.client_id, session=message.session, to=message.chat,
            key=f"fetch:{message.session}:{message.chat}:{message.message_id}",
            platforms=list(self.platforms) or None)
        turn.say(texts.FETCH_QUEUED if queued else texts.FETCH_RUNNING)

"""A console option that fetches the client's posts and engagement now, as a job; the
requester is told what changed when it is done."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.console.spec import Action, Step
from jobs.queue import enqueue_fetch_for_chat
from menus import console as texts


@dataclass(frozen=True)
class FetchNow(Action):
    questions: tuple = ()

    async def run(self, step: Step) -> None:
        turn, message = step.turn, step.turn.message
        queued = await enqueue_fetch_for_chat(
            turn.services.redis, step.client_id, session=message.session, to=message.chat,
            key=f"fetch:{message.session}:{message.chat}:{message.message_id}")
        turn.say(texts.FETCH_QUEUED if queued else texts.FETCH_RUNNING)

"""Special tasks in the operator console (tugas khusus, reference oprrequest 11–14): register an
Instagram post of any account as a special task of the console's client (fetched once by a
job, the outcome sent to this chat), its link recap today and per task, and its
amplification attendance."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.console.questions import Choice, Text, mode_question
from conversations.console.reports import Report
from conversations.console.spec import Action, Invalid, Option, Step
from jobs.queue import enqueue_special_task
from menus import console as console_texts
from menus import console_labels as labels
from menus import special_tasks as texts
from menus.format import post_url
from storage.share_links import LinkPlatform, NotAShareLink, classify
from storage.special_tasks import special_task_of, special_tasks_of


def post_shortcode(step: Step, text: str) -> str:
    """The shortcode of an Instagram post link; Invalid otherwise."""
    try:
        link = classify(text.strip())
    except NotAShareLink:
        raise Invalid(texts.NOT_A_POST_LINK) from None
    if link.platform is not LinkPlatform.INSTAGRAM or not link.shortcode:
        raise Invalid(texts.NOT_A_POST_LINK)
    return link.shortcode


@dataclass(frozen=True)
class RegisterSpecialTask(Action):
    """Ask for the post's link; a post the client already registered is answered at once,
    anything else is fetched by the `register_special_task` job."""

    questions: tuple = (Text("shortcode", texts.ASK_POST_LINK, post_shortcode),)

    async def run(self, step: Step) -> None:
        turn, message = step.turn, step.turn.message
        assert step.client is not None
        shortcode = step.answers["shortcode"]
        existing = await special_task_of(turn.services.engine, step.client_id, shortcode)
        if existing is not None:
            turn.say(texts.already_registered(existing, step.client.name))
            return
        queued = await enqueue_special_task(
            turn.services.redis, step.client_id, shortcode, turn.phone,
            client_name=step.client.name, session=message.session, to=message.chat,
            key=f"special-task:{message.session}:{message.chat}:{message.message_id}")
        turn.say(texts.QUEUED if queued else console_texts.WORKING)


async def _todays_special_tasks(step: Step) -> list[tuple[str, str]]:
    clock = step.turn.services.clock
    tasks = await special_tasks_of(step.turn.services.engine, step.client_id, clock.day())
    return [(task.post.shortcode, post_url("instagram", task.post.shortcode))
            for task in reversed(tasks)]


SPECIAL_TASK_OF_TODAY = Choice("mode", texts.CHOOSE_SPECIAL_TASK, _todays_special_tasks,
                               empty=texts.NO_SPECIAL_TASK_TODAY)


OPTIONS: tuple[Option, ...] = (
    Option(labels.SPECIAL_TASK_POST, RegisterSpecialTask()),
    Option(labels.SPECIAL_LINK_RECAP, Report("khusus-link-recap")),
    Option(labels.SPECIAL_LINK_RECAP_POST, Report("khusus-link-recap-post",
                                                  questions=(SPECIAL_TASK_OF_TODAY,))),
    Option(labels.SPECIAL_ATTENDANCE, Report("khusus-amplify",
                                             questions=(mode_question("all", "done",
                                                                      "not-done"),))),
)

"""The social-media and import options of clientrequest (reference §4.2, §4.3, §8.3 2.x and
3.1): fetch and attendance for any client, one TikTok video fetched or removed (never
another client's, S22), the username recap, the month's amplification Excel sent to the
requester, and a personnel file imported with the same importer as `cicero import`.
Everything longer than a moment is a job that answers this chat when it is done."""

from __future__ import annotations

from pathlib import Path

from conversations.console.client_forms import CLIENT
from conversations.console.fetch import FetchNow
from conversations.console.questions import (
    Confirm,
    PeriodKind,
    Text,
    mode_question,
    period_question,
)
from conversations.console.reports import Output, Report
from conversations.console.spec import Form, Invalid, Step, Stop
from jobs.queue import enqueue_personnel_import, enqueue_tiktok_video_for_chat
from menus import fetch_summary as fetch_texts
from menus import import_summary as import_texts
from storage.identifiers import InvalidIdentifier, parse_tiktok_video_id
from storage.models import Platform
from storage.posts_admin import RemoveOutcome, post_owner, remove_post

MAX_IMPORT_BYTES = 5 * 1024 * 1024
ATTENDANCE_MODES = mode_question("all", "done", "not-done", "per-content")

FETCH_INSTAGRAM = FetchNow(questions=(CLIENT,), platforms=(Platform.INSTAGRAM.value,))
IG_ATTENDANCE = Report("ig-likes", questions=(CLIENT, ATTENDANCE_MODES))
FETCH_TIKTOK = FetchNow(questions=(CLIENT,), platforms=(Platform.TIKTOK.value,))
TIKTOK_ATTENDANCE = Report("tiktok-comments", questions=(CLIENT, ATTENDANCE_MODES))
USERNAMES = Report("completeness", questions=(CLIENT,))
AMPLIFY_EXCEL = Report("amplify", output=Output.EXCEL, questions=(
    CLIENT, period_question(PeriodKind.THIS_MONTH, PeriodKind.LAST_MONTH)))


def _video_id(text: str) -> str:
    try:
        return parse_tiktok_video_id(text)
    except InvalidIdentifier as exc:
        raise Invalid(f"❌ {exc}") from None


async def _not_elsewhere(step: Step, video_id: str) -> str:
    owner = await post_owner(step.turn.services.engine, Platform.TIKTOK, video_id)
    if owner is not None and owner != step.client_id:
        raise Stop(fetch_texts.video_elsewhere(video_id, owner))
    return video_id


async def _fetch_video(step: Step) -> None:
    turn, message, video_id = step.turn, step.turn.message, step.answers["video"]
    await enqueue_tiktok_video_for_chat(
        turn.services.redis, step.client_id, video_id, session=message.session,
        to=message.chat, key=f"video:{message.session}:{message.chat}:{message.message_id}")
    turn.say(fetch_texts.video_queued(video_id))


FETCH_VIDEO = Form((
    CLIENT,
    Text("video", fetch_texts.ASK_VIDEO,
         lambda step, text: _not_elsewhere(step, _video_id(text))),
), _fetch_video)


async def _stored_here(step: Step, text: str) -> str:
    video_id = await _not_elsewhere(step, _video_id(text))
    if await post_owner(step.turn.services.engine, Platform.TIKTOK, video_id) is None:
        raise Stop(fetch_texts.video_missing(video_id))
    return video_id


async def _remove_video(step: Step) -> None:
    video_id = step.answers["video"]
    removal = await remove_post(step.turn.services.engine, Platform.TIKTOK, video_id,
                                step.client_id)
    if removal.outcome is RemoveOutcome.OTHER_CLIENT:
        step.turn.say(fetch_texts.video_elsewhere(video_id, removal.owner or "-"))
    elif removal.outcome is RemoveOutcome.NOT_FOUND:
        step.turn.say(fetch_texts.video_missing(video_id))
    else:
        step.turn.say(fetch_texts.video_removed(video_id, removal.engagements,
                                                removal.link_reports))


DELETE_VIDEO = Form((
    CLIENT,
    Text("video", fetch_texts.ASK_VIDEO, _stored_here),
    Confirm(lambda step: fetch_texts.confirm_remove(step.answers["video"], step.client_id),
            words="ya hapus"),
), _remove_video)


def _document(step: Step, text: str) -> str:
    """The file attached to this message (kept out of the chat's data: the handler reads it
    from the message in the same turn)."""
    document = step.turn.message.document
    if document is None:
        raise Invalid(import_texts.NOT_A_FILE)
    if Path(document.filename).suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise Invalid(import_texts.WRONG_TYPE)
    if len(document.content) > MAX_IMPORT_BYTES:
        raise Invalid(import_texts.TOO_LARGE)
    return document.filename


async def _import(step: Step) -> None:
    turn, message = step.turn, step.turn.message
    assert message.document is not None
    await enqueue_personnel_import(
        turn.services.redis, message.document.filename, message.document.content,
        session=message.session, to=message.chat,
        key=f"import:{message.session}:{message.chat}:{message.message_id}")
    turn.say(import_texts.QUEUED)


IMPORT_PERSONNEL = Form((Text("file", import_texts.ASK_FILE, _document),), _import)

"""Complaints ("Pesan Komplain", reference Flow C) with its holes closed.

A complaint names a reporter by NRP and lists issues. Only the reporter themself (from their
registered number), an operator or super admin of the reporter's satker (or directorate),
or an admin may send one; anyone else gets a refusal that says nothing about the NRP
(weakness 2). Known issues get an automatic answer from stored data, delivered to the
reporter's registered WhatsApp; anything else is stored `open` and forwarded to the satker's
operators: the sender never writes the official answer (weakness 4). Issue keywords match
whole words (`ig` is not inside `tiga`, weakness 14), and the documented header variants
`Rincian Kendala` / `Detail Kendala` are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from itertools import pairwise

import structlog

from cicero.sessions import SessionName
from conversations.flow import Flow, State, Turn
from menus import complaint as texts
from storage.complaints import (
    ComplaintForm,
    ComplaintStatus,
    IssueType,
    Reporter,
    instagram_posts_missed,
    load_reporter,
    next_complaint_number,
    platform_activity,
    record_complaint,
)
from storage.contacts import client_contacts
from storage.identifiers import (
    InvalidNrp,
    InvalidUsername,
    normalize_nrp,
    nrp_digits,
    parse_instagram_username,
    parse_tiktok_username,
    phone_list,
    phone_to_jid,
)
from storage.identities import Identity, IdentityKind
from storage.link_reports import tasks_of
from storage.models import ContactKind, Platform

log = structlog.get_logger(__name__)

ACTIVITY_DAYS = 30  # how far back "sudah melaksanakan … belum terdata" looks

# --- reading the message --------------------------------------------------------------------

_OPENING = "pesan komplain"
_HEADER_RE = re.compile(r"(?:(?:rincian|detail)\s+)?kendala\b\s*:?\s*(.*)", re.IGNORECASE)
_FIELD_RES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rf"(?:{label})\s*:\s*(.*)", re.IGNORECASE)) for name, label in (
        ("nrp", r"nrp(?:\s*/\s*nip)?|nip"),
        ("name", r"nama"),
        ("polres", r"polres"),
        ("instagram", r"username\s+(?:ig|instagram)"),
        ("tiktok", r"username\s+(?:tiktok|tik\s+tok)"),
    ))
_NRP_LABEL_RE = re.compile(r"^(?:nrp|nip)(?:\s*/\s*nip)?\s*:?\s*", re.IGNORECASE)
_BULLET_RE = re.compile(r"^(?:[-–•·]|\d+[.)])\s*")
_USERNAME_PARSERS: dict[str, Callable[[str], str]] = {
    "instagram": parse_instagram_username, "tiktok": parse_tiktok_username}


def _clean(line: str) -> str:
    """WhatsApp bold markers go; the rest of the line stays as written."""
    return line.replace("*", "").strip()


def _username(field: str, value: str) -> str | None:
    try:
        return _USERNAME_PARSERS[field](value)
    except InvalidUsername:
        return None  # "-", "belum ada", …: no handle to compare with


def parse_complaint(text: str) -> ComplaintForm | None:
    """The complaint in `text`, or None when it is not one: the first non-blank line starts
    with "Pesan Komplain", a `Kendala` / `Rincian Kendala` / `Detail Kendala` header is
    followed by at least one issue, and the NRP field holds digits."""
    lines = [_clean(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines or not lines[0].lower().startswith(_OPENING):
        return None
    values: dict[str, str | None] = {}
    issues: list[str] = []
    in_issues = False
    for line in lines[1:]:
        field = next(((name, match.group(1).strip()) for name, pattern in _FIELD_RES
                      if (match := pattern.fullmatch(line))), None)
        if field is not None:
            name, value = field
            values.setdefault(name, value)
            continue
        header = None if in_issues else _HEADER_RE.fullmatch(line)
        if header is not None:
            in_issues = True
            line = header.group(1)
        issue = _BULLET_RE.sub("", line).strip() if in_issues else ""
        if issue:
            issues.append(issue)
    nrp = nrp_digits(values.get("nrp") or "")
    if not nrp or not issues:
        return None
    return ComplaintForm(
        nrp=nrp, name=values.get("name") or None, polres=values.get("polres") or None,
        instagram=_username("instagram", values["instagram"]) if values.get("instagram")
        else None,
        tiktok=_username("tiktok", values["tiktok"]) if values.get("tiktok") else None,
        issues=tuple(issues))


# --- what the issues are about ----------------------------------------------------------------

_DONE = ({"sudah", "sdh", "udah", "telah"},
         {"melaksanakan", "laksanakan", "like", "komen", "komentar"})
_NOT_RECORDED = ({"belum", "blm", "belom", "tidak", "tdk"}, {"terdata", "tercatat", "terabsen"})
_SHORT = ({"terabsen", "absen", "absensi"}, {"kurang"})
_INSTAGRAM = frozenset({"instagram", "ig", "insta"})
_TIKTOK = frozenset({"tiktok", "tt"})


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _pair(words: list[str], pair: tuple[set[str], set[str]]) -> bool:
    """Two adjacent words, one from each set (`sudah melaksanakan`, `belum terdata`)."""
    first, second = pair
    return any(a in first and b in second for a, b in pairwise(words))


def classify(issue: str) -> list[IssueType]:
    """The automatic answers one issue line asks for, matched on whole words."""
    words = _words(issue)
    found: list[IssueType] = []
    if _pair(words, _DONE) and _pair(words, _NOT_RECORDED):
        if _INSTAGRAM & set(words):
            found.append(IssueType.INSTAGRAM_NOT_RECORDED)
        if _TIKTOK & set(words) or _pair(words, ({"tik"}, {"tok"})):
            found.append(IssueType.TIKTOK_NOT_RECORDED)
    if _pair(words, _SHORT):
        found.append(IssueType.ATTENDANCE_SHORT)
    return found


def issue_types(form: ComplaintForm) -> list[IssueType]:
    """Every issue type of the complaint, each once, in the order they appear."""
    found: list[IssueType] = []
    for issue in form.issues:
        found += [kind for kind in classify(issue) if kind not in found]
    return found


# --- who may complain for whom --------------------------------------------------------------

def may_complain_for_others(identity: Identity) -> bool:
    return identity.is_staff


def is_authorised(identity: Identity, reporter: Reporter) -> bool:
    """The reporter from their registered number, an operator / super admin of the
    reporter's satker or directorate, or an admin."""
    if IdentityKind.ADMIN in identity.kinds:
        return True
    if identity.phone == reporter.whatsapp:
        return True
    units = {reporter.client_id, *reporter.directorates}
    return bool(units & {*identity.operator_of, *identity.super_admin_of})


# --- the flow ---------------------------------------------------------------------------------


class ComplaintFlow(Flow):
    """A one-shot answer, except after an unknown NRP: then the chat waits for the right NRP
    (or a corrected complaint) until `batal`."""

    name = "complaint"
    in_groups = True  # on every session (improved: also the personnel number) and in groups
    interrupts = True  # a complaint pasted in the middle of another conversation replaces it

    fix_nrp = State(lambda turn: texts.nrp_not_found(turn.data["form"]["nrp"],
                                                     in_group=turn.message.is_group),
                    quick_reply=True)

    def wants(self, turn: Turn) -> bool:
        if turn.message.is_group and turn.message.session == SessionName.USER:
            return False
        return parse_complaint(turn.message.text) is not None

    async def enter(self, turn: Turn) -> None:
        form = parse_complaint(turn.message.text)
        assert form is not None
        await self._handle(turn, form, turn.message.text)

    @fix_nrp.on_message
    async def read_nrp(self, turn: Turn) -> None:
        form = parse_complaint(turn.message.text)
        body = turn.message.text
        if form is None:
            try:
                nrp = normalize_nrp(_NRP_LABEL_RE.sub("", turn.text))
            except InvalidNrp:
                turn.say(texts.FIX_NRP_HINT)
                return
            form = replace(ComplaintForm.from_dict(turn.data["form"]), nrp=nrp)
            body = turn.data["body"]
        turn.finish()
        await self._handle(turn, form, body)

    async def _handle(self, turn: Turn, form: ComplaintForm, body: str) -> None:
        engine = turn.services.engine
        reporter = await load_reporter(engine, form.nrp)
        if reporter is None and may_complain_for_others(turn.identity):
            await turn.begin(self.name, form=form.as_dict(), body=body)
            if turn.message.is_group:
                turn.finish()
            return
        if reporter is None or not is_authorised(turn.identity, reporter):
            log.info("complaint_refused", sender=turn.phone, session=turn.message.session)
            turn.say(texts.REFUSED)
            return
        found = issue_types(form)
        if not reporter.active:
            found = [IssueType.INACTIVE]
        elif not reporter.instagram and not reporter.tiktok:
            found = [IssueType.NO_USERNAME]
        details = {**form.as_dict(), "session": turn.message.session, "chat": turn.message.chat,
                   "sender": turn.phone}
        if not found:
            await self._forward(turn, reporter, form, body, details)
            return
        solutions = [await self._solution(turn, reporter, form, kind) for kind in found]
        now = turn.services.clock.now()
        complaint_id = await next_complaint_number(engine)
        messages = texts.answer(reporter, form, solutions, now, complaint_id)
        target = phone_to_jid(reporter.whatsapp) if reporter.whatsapp else None
        if target is None:
            turn.say(texts.undeliverable(reporter), *messages)
        else:
            for message in messages:
                turn.send(target, message)
            if turn.message.chat != target:
                turn.say(texts.sent_summary(reporter, complaint_id))
        await record_complaint(
            engine, user_id=reporter.user_id, from_phone=turn.phone, issue_types=found,
            body=body, details=details, status=ComplaintStatus.ANSWERED,
            response="\n".join(messages), at=now, complaint_id=complaint_id)
        log.info("complaint_answered", complaint_id=complaint_id, user_id=reporter.user_id,
                 issues=",".join(found), delivered=target is not None)

    async def _solution(self, turn: Turn, reporter: Reporter, form: ComplaintForm,
                        kind: IssueType) -> str:
        engine, clock = turn.services.engine, turn.services.clock
        if kind is IssueType.INACTIVE:
            return texts.INACTIVE
        if kind is IssueType.NO_USERNAME:
            return texts.NO_USERNAME
        if kind is IssueType.ATTENDANCE_SHORT:
            today = clock.day()
            return texts.today_solution(await instagram_posts_missed(engine, reporter, today),
                                        await tasks_of(engine, reporter.user_id, today))
        platform = (Platform.INSTAGRAM if kind is IssueType.INSTAGRAM_NOT_RECORDED
                    else Platform.TIKTOK)
        claimed = form.instagram if platform is Platform.INSTAGRAM else form.tiktok
        today = clock.today()
        period = clock.period(today - timedelta(days=ACTIVITY_DAYS - 1), today)
        return texts.activity_solution(
            await platform_activity(engine, reporter, platform, claimed, period))

    async def _forward(self, turn: Turn, reporter: Reporter, form: ComplaintForm, body: str,
                       details: dict[str, object]) -> None:
        """No automatic answer: stored open, the satker's operators (else the admins) told."""
        engine = turn.services.engine
        complaint_id = await record_complaint(
            engine, user_id=reporter.user_id, from_phone=turn.phone,
            issue_types=[IssueType.UNMATCHED], body=body, details=details,
            status=ComplaintStatus.OPEN)
        operators = phone_list(await client_contacts(engine, reporter.client_id,
                                                  ContactKind.OPERATOR))
        recipients = operators or phone_list(turn.services.settings.admin_whatsapp)
        notice = texts.operator_notice(reporter, form, complaint_id, turn.phone)
        for phone in recipients:
            if phone != turn.phone:
                turn.send(phone_to_jid(phone), notice, session=SessionName.OPERATOR.value)
        turn.say(texts.forwarded(reporter, complaint_id, own=turn.phone == reporter.whatsapp,
                                 has_recipients=bool(operators)))
        log.info("complaint_forwarded", complaint_id=complaint_id, user_id=reporter.user_id,
                 recipients=len(recipients))



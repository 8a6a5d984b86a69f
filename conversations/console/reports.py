"""A console option that delivers a registered report (menus/reports): as text, an Excel
workbook or a chart image.

A one-day text is built and answered in the turn (tens of milliseconds); anything longer
(a workbook, a chart, a week or a month, a report with attachments) is a job: the console
answers at once that it is being prepared, and the worker sends the result to this chat
through the outbox under a key derived from the message, so a repeated request is sent once.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import clock
from conversations.console.questions import PeriodKind, period_of
from conversations.console.spec import Action, Question, Step
from jobs.queue import enqueue_report
from menus import console as texts
from menus.reports import catalog
from menus.reports.base import ClientNotAccepted, ReportFile, ReportRequest, ReportSpec
from storage.attendance import UnknownClient
from storage.db import create_engine
from storage.report_periods import all_time_period

_QUICK_PERIODS = frozenset({PeriodKind.TODAY, PeriodKind.YESTERDAY})


class Output(StrEnum):
    TEXT = "text"
    EXCEL = "xlsx"
    CHART = "png"


class ReportUnavailable(Exception):
    """The report cannot be made for this request; str(exc) is the Indonesian reason."""


@dataclass(frozen=True)
class Delivery:
    """One report to make and where it goes: what a report job carries (JSON-able)."""

    report: str
    client_id: str
    start: date
    end: date  # with `all_time`: the day asked on; the start is the client's first post
    mode: str
    output: Output
    all_time: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"report": self.report, "client_id": self.client_id,
                "start": self.start.isoformat(), "end": self.end.isoformat(),
                "mode": self.mode, "output": self.output.value, "all_time": self.all_time}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Delivery:
        return cls(raw["report"], raw["client_id"], date.fromisoformat(raw["start"]),
                   date.fromisoformat(raw["end"]), raw["mode"], Output(raw["output"]),
                   bool(raw.get("all_time")))


@dataclass(frozen=True)
class Produced:
    messages: list[str]
    files: list[ReportFile]


async def produce(engine: AsyncEngine, delivery: Delivery, now: datetime) -> Produced:
    """Build the report from storage and render it in the asked form, in this event loop
    (a quick text inside a turn; a job uses `produce_apart`)."""
    spec = catalog.get(delivery.report)
    if spec is None:
        raise ReportUnavailable(f"Laporan {delivery.report} tidak tersedia.")
    if delivery.all_time:
        period = await all_time_period(engine, delivery.client_id, delivery.end)
    else:
        period = clock.period(delivery.start, delivery.end)
    request = ReportRequest(delivery.client_id, period, now, delivery.mode,
                            all_time=delivery.all_time)
    try:
        data = await spec.build(engine, request)
    except UnknownClient as exc:
        raise ReportUnavailable(str(exc)) from None
    except ClientNotAccepted as exc:
        raise ReportUnavailable(exc.message) from None
    return _render(spec, data, request, delivery.output)


# A month's directorate workbook is seconds of Python, building and rendering. A job makes
# it in a process of its own (one, made on first use), with its own event loop and database
# connections, so the bot and the web sharing the job's loop (`cicero up`) keep answering
# meanwhile instead of waiting for the interpreter.
_report_process: ProcessPoolExecutor | None = None


async def produce_apart(engine: AsyncEngine, delivery: Delivery, now: datetime) -> Produced:
    """`produce` in the report process, from the database `engine` connects to."""
    global _report_process
    if _report_process is None:
        _report_process = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    url = engine.url.render_as_string(hide_password=False)
    try:
        return await asyncio.get_running_loop().run_in_executor(
            _report_process, _produce_in_process, url, delivery, now, clock.tz.key)
    except BrokenProcessPool:
        _report_process = None  # the next report starts a new one
        raise


def _produce_in_process(database_url: str, delivery: Delivery, now: datetime,
                        zone: str) -> Produced:
    clock.configure(zone)
    clock.set_now(now)  # the report's moment: "today" is the day the report was asked on

    async def run() -> Produced:
        engine = create_engine(database_url)
        try:
            return await produce(engine, delivery, now)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _render(spec: ReportSpec, data: Any, request: ReportRequest, output: Output) -> Produced:
    if output is not Output.TEXT and spec.without_content is not None:
        if (sentence := spec.without_content(data, request)) is not None:
            return Produced([sentence], [])
    if output is Output.EXCEL:
        if spec.workbook is None:
            raise ReportUnavailable(f"Laporan {spec.description} tidak punya bentuk Excel.")
        return Produced([], [spec.workbook(data, request)])
    if output is Output.CHART:
        if spec.chart is None:
            raise ReportUnavailable(f"Laporan {spec.description} tidak punya grafik.")
        return Produced([], [spec.chart(data, request)])
    rendered = spec.render(data, request)
    return Produced(rendered.messages, rendered.files)


@dataclass(frozen=True)
class Report(Action):
    """Deliver report `name` for the console's client. The period comes from a `period`
    question when the option asks one, else `period`; the mode likewise."""

    name: str
    questions: tuple[Question, ...] = ()
    output: Output = Output.TEXT
    mode: str = "all"
    period: PeriodKind = PeriodKind.TODAY

    def delivery(self, step: Step) -> Delivery:
        kind = PeriodKind(step.answers.get("period", self.period))
        period = period_of(kind)
        return Delivery(self.name, step.client_id, period.start, period.end,
                        step.answers.get("mode", self.mode), self.output,
                        all_time=kind is PeriodKind.ALL_TIME)

    def quick(self, step: Step) -> bool:
        return (self.output is Output.TEXT
                and PeriodKind(step.answers.get("period", self.period)) in _QUICK_PERIODS)

    async def run(self, step: Step) -> None:
        turn = step.turn
        delivery = self.delivery(step)
        if self.quick(step):
            try:
                produced = await produce(turn.services.engine, delivery, clock.now())
            except ReportUnavailable as exc:
                turn.say(f"⚠️ {exc}")
                return
            if not produced.files:
                turn.say(*produced.messages)
                return
        message = turn.message
        await enqueue_report(turn.services.redis, delivery.as_json(), session=message.session,
                             to=message.chat,
                             key=f"report:{message.session}:{message.chat}:{message.message_id}")
        turn.say(texts.WORKING)

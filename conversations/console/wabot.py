"""`wabot` / `wabotditbinmas` / `ditbinmas`: the scheduled jobs console (reference §6, S17):
list the jobs, show one, switch it on or off after a confirmation. The reference's
placeholder summaries are dropped."""

from __future__ import annotations

from conversations.console.flow import Console
from conversations.console.questions import Choice, Confirm
from conversations.console.spec import Form, Menu, Option, Section, Step
from conversations.flow import Turn
from jobs.queue import scheduled_jobs
from menus import jobs_console as texts
from storage.grants import ClientRef, Grants
from storage.job_state import last_runs, set_active, toggles


async def _jobs(step: Step) -> list[tuple[str, str]]:
    active = await toggles(step.turn.services.engine)
    return [(job.key, texts.job_line(job.display_name, active.get(job.key, True)))
            for job in scheduled_jobs()]


async def _job_card(step: Step) -> str:
    job = next(job for job in scheduled_jobs() if job.key == step.answers["job"])
    engine = step.turn.services.engine
    active = (await toggles(engine)).get(job.key, True)
    return texts.job_card(job.display_name, job.key, job.times, active,
                          (await last_runs(engine)).get(job.key), month_end=job.month_end)


def _confirm_prompt(step: Step) -> str:
    return texts.confirm_switch(step.answers["job"], step.answers["active"])


async def _switch(step: Step) -> None:
    job = next(job for job in scheduled_jobs() if job.key == step.answers["job"])
    await set_active(step.turn.services.engine, job.key, job.display_name,
                     step.answers["active"])
    step.turn.say(texts.switched(job.display_name, step.answers["active"]))


MENU = Menu(texts.TITLE, (
    Section("", (
        Option(texts.SWITCH_JOBS, Form((
            Choice("job", texts.CHOOSE_JOB, _jobs),
            Choice("active", _job_card, ((True, texts.ENABLE), (False, texts.DISABLE))),
            Confirm(_confirm_prompt),
        ), _switch)),
    )),
))


class JobsConsole(Console):
    name = "wabot"
    keywords = frozenset({"wabot", "wabotditbinmas", "ditbinmas"})
    menu = MENU
    refusal = texts.REFUSED
    needs_client = False

    async def may_open(self, turn: Turn, grants: Grants) -> bool:
        return grants.admin or grants.directorate_user

    async def clients_for(self, turn: Turn, grants: Grants) -> list[ClientRef]:
        return []

"""`lapor`: an officer reports where they re-shared an amplification task (reference §8, which
had no WhatsApp path at all).

On the personnel number, `lapor` lists the officer's tasks of the reporting window (official
Instagram posts of their satker and directorates, and special tasks), numbered; the officer
picks one and sends the links of their re-shares: any mix of Instagram, Facebook, X/Twitter,
TikTok and YouTube in one message. Pasting links works without `lapor`: the link of the task
itself in the same message says which task it is (or the only task of the window; else the
bot asks which one). The reply shows what is stored per platform; a new report of a task
replaces the platforms it gives.

In registered groups it is one message at a time (a group has no conversation state): the
task's link and the re-share links together, or `lapor` for the list. Links posted in a group
by someone who is not a registered officer are not the bot's business: it stays silent.

Refused, nothing stored: an unregistered number, an inactive person, a URL that is not a
link of the five platforms, the task's own link given as a re-share, a post of another
client, a task outside the reporting window, two links of one platform.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from cicero.messages import InboundMessage
from cicero.sessions import SessionName
from conversations.flow import Flow, State, Turn
from menus import link_reports as texts
from storage.identities import IdentityKind
from storage.link_reports import (
    Officer,
    Task,
    TaskProblem,
    locate,
    officer_tasks,
    reporting_window,
    save_links,
)
from storage.share_links import LinkPlatform, MessageLinks, ShareLink, find_urls, read_message

KEYWORD = "lapor"


def _is_keyword(word: str) -> bool:
    return word.split(" ", 1)[0] == KEYWORD


class LinkReportFlow(Flow):
    name = "lapor"
    in_groups = True
    interrupts = True  # `lapor` starts over from anywhere; links inside a flow stay its answer

    choose_task = State(quick_reply=True)
    ask_links = State(quick_reply=True)

    def applies(self, message: InboundMessage) -> bool:
        """Private chats on the personnel number; registered groups on the others."""
        if message.is_group:
            return message.session != SessionName.USER
        return message.session == SessionName.USER

    def wants(self, turn: Turn) -> bool:
        if _is_keyword(turn.word):
            return True
        if turn.context.active:
            return False
        if turn.message.is_group:
            return (IdentityKind.PERSONNEL in turn.identity.kinds
                    and bool(read_message(turn.text).links))
        return bool(find_urls(turn.text))

    # --- who is reporting, and what ---------------------------------------------------------

    async def _officer(self, turn: Turn) -> tuple[Officer, list[Task]] | None:
        """The sender as an active officer with their tasks of the reporting window; None
        (refused, conversation over) for anyone else. One statement per message."""
        services = turn.services
        officer, tasks = None, []
        if turn.identity.user_id is not None:
            window = reporting_window(services.clock.now(),
                                      services.settings.link_report_grace_hours)
            officer, tasks = await officer_tasks(services.engine, turn.identity.user_id,
                                                 window)
        if officer is None:
            turn.say(texts.UNREGISTERED)
        elif not officer.active:
            turn.say(texts.INACTIVE)
            officer = None
        if officer is None:
            turn.finish()
            return None
        return officer, tasks

    @staticmethod
    def _find(tasks: list[Task], ref: Any) -> Task | None:
        if not ref:
            return None
        kind, task_id = ref
        return next((task for task in tasks if task.kind == kind and task.id == task_id), None)

    # --- the steps ----------------------------------------------------------------------------

    async def start(self, turn: Turn) -> None:
        found = await self._officer(turn)
        if found is None:
            return
        officer, tasks = found
        read = read_message(turn.text)
        if read.empty:
            await turn.go(self.choose_task, ask=False, remember=False)
            self._offer(turn, tasks)
        else:
            await self._report(turn, officer, tasks, None, read)

    def _offer(self, turn: Turn, tasks: list[Task]) -> None:
        """The numbered task list (what `choose_task` asks)."""
        today = turn.services.clock.today()
        if not tasks:
            turn.say(texts.no_tasks(today))
            turn.finish()
            return
        if turn.message.is_group:
            turn.say(texts.task_list(tasks, today, in_group=True))
            turn.finish()
            return
        turn.data["offered"] = [[task.kind.value, task.id] for task in texts.ordered(tasks)]
        turn.say(texts.pick_task_for_links(tasks, today) if turn.data.get("pending")
                 else texts.task_list(tasks, today))

    @choose_task.prompter
    async def offer(self, turn: Turn) -> None:
        found = await self._officer(turn)
        if found is not None:
            self._offer(turn, found[1])

    @choose_task.on_message
    async def pick(self, turn: Turn) -> None:
        found = await self._officer(turn)
        if found is None:
            return
        officer, tasks = found
        read = read_message(turn.text)
        if not read.empty:
            turn.data.pop("pending", None)
            await self._report(turn, officer, tasks, None, read)
            return
        offered = turn.data.get("offered") or []
        answer = turn.word
        if not (answer.isdigit() and 1 <= int(answer) <= len(offered)):
            turn.say(texts.invalid_number(len(offered)))
            return
        task = self._find(tasks, offered[int(answer) - 1])
        if task is None:  # it left the reporting window meanwhile
            turn.say(texts.too_old("konten itu", turn.services.settings.link_report_grace_hours))
            self._offer(turn, tasks)
            return
        pending = turn.data.pop("pending", None)
        if pending:
            links = [ShareLink(LinkPlatform(platform), url) for platform, url in pending]
            await self._store(turn, officer, tasks, task, links)
            return
        await self._ask_links(turn, task)

    async def _ask_links(self, turn: Turn, task: Task) -> None:
        turn.data["task"] = [task.kind.value, task.id]
        await turn.go(self.ask_links, ask=False)
        turn.say(texts.ask_links(task))

    @ask_links.prompter
    async def ask_for_links(self, turn: Turn) -> None:
        found = await self._officer(turn)
        if found is None:
            return
        task = self._find(found[1], turn.data.get("task"))
        if task is None:
            await turn.go(self.choose_task, ask=False, remember=False)
            self._offer(turn, found[1])
            return
        turn.say(texts.ask_links(task))

    @ask_links.on_message
    async def read_links(self, turn: Turn) -> None:
        found = await self._officer(turn)
        if found is None:
            return
        officer, tasks = found
        task = self._find(tasks, turn.data.get("task"))
        read = read_message(turn.text)
        if task is None:
            turn.say(texts.too_old("konten itu", turn.services.settings.link_report_grace_hours))
            await turn.go(self.choose_task, ask=False, remember=False)
            self._offer(turn, tasks)
        elif read.empty:
            turn.say(texts.ask_links(task))
        else:
            await self._report(turn, officer, tasks, task, read)

    # --- reading a message of links -------------------------------------------------------------

    async def _report(self, turn: Turn, officer: Officer, tasks: list[Task],
                      chosen: Task | None, read: MessageLinks) -> None:
        """Links in a message: which task they are for, then store them, or say what is
        wrong (the conversation stays where it was)."""
        codes = [link.shortcode for link in read.links if link.shortcode]
        located = await locate(turn.services.engine, officer, tasks, codes)
        reshares = [link for link in read.links
                    if located.get(link.shortcode or "", TaskProblem.NOT_STORED)
                    is TaskProblem.NOT_STORED]
        if turn.message.is_group and not reshares and not _is_keyword(turn.word):
            turn.finish()  # a post (or news) shared with the group, not a report: silence
            return
        if read.refused:
            turn.say(texts.refused_links(read.refused))
            return
        named: list[Task] = []
        for link in read.links:
            where = located.get(link.shortcode or "")
            if where is TaskProblem.OTHER_CLIENT:
                turn.say(texts.other_client(link.url))
                return
            if where is TaskProblem.OUTSIDE_WINDOW:
                turn.say(texts.too_old(link.url, turn.services.settings.link_report_grace_hours))
                return
            if isinstance(where, Task) and where not in named:
                named.append(where)
        if len(named) > 1:
            turn.say(texts.TWO_TASKS)
            return
        task = named[0] if named else chosen or (tasks[0] if len(tasks) == 1 else None)
        if task is None:
            await self._which_task(turn, tasks, reshares)
        elif not reshares:
            await self._no_reshares(turn, task, given_as_reshare=chosen == task and bool(named))
        else:
            await self._store(turn, officer, tasks, task, reshares)

    async def _which_task(self, turn: Turn, tasks: list[Task], links: list[ShareLink]) -> None:
        if not tasks:
            turn.say(texts.no_tasks(turn.services.clock.today()))
            turn.finish()
        elif turn.message.is_group:
            turn.say(texts.group_needs_task(len(tasks)))
            turn.finish()
        else:
            turn.data["pending"] = [[link.platform.value, link.url] for link in links]
            await turn.go(self.choose_task, ask=False, remember=False)
            self._offer(turn, tasks)

    async def _no_reshares(self, turn: Turn, task: Task, *, given_as_reshare: bool) -> None:
        """Only the task's own link: while links are awaited it was meant as a re-share (and
        refused); otherwise it picks the task."""
        if given_as_reshare:
            turn.say(texts.official_as_reshare(task))
            return
        if turn.message.is_group:
            turn.say(texts.ask_links(task))
            turn.finish()
            return
        await self._ask_links(turn, task)

    async def _store(self, turn: Turn, officer: Officer, tasks: list[Task], task: Task,
                     links: list[ShareLink]) -> None:
        counts = Counter(link.platform for link in links)
        doubled = [(platform, count) for platform, count in counts.items() if count > 1]
        if doubled:
            turn.say(texts.two_links_of(doubled[0][0].value, doubled[0][1]))
            return
        changes = {link.platform.value: link.url for link in links}
        before = task.report or {}
        saved = await save_links(turn.services.engine, task.kind, task.id, officer.user_id,
                                 dict(changes), turn.services.clock.now())
        changed = {platform for platform, url in changes.items() if before.get(platform) != url}
        replaced = {platform for platform in changed if before.get(platform)}
        remaining = sum(1 for other in tasks if not other.reported and other != task)
        turn.say(texts.stored(task, saved.links, changed, replaced, remaining))
        turn.finish()


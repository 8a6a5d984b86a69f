"""The console: one flow that runs any declared `Menu`, the same way everywhere.

Who may open it and for which clients is decided from the sender's identity and grants
(`clients_for`), at entry and again for every message: nothing typed widens it, and a grant
withdrawn meanwhile ends the console. With one client there is no chooser; with several the
person picks one, once per session. The menu is numbered 1…N across its sections; an option
asks its questions one by one, runs, and the menu is shown again. `0` goes up one menu (or
closes the console at the top), `menu` shows the top menu, `kembali` goes one step back,
`batal` closes; anything unexpected is answered with what is expected. A console without a session
client (`needs_client = False`) may let an option pick its client with a `client` question;
that choice is checked against `clients_for` at every step in the same way.

The chat's data holds: `clients` (offered at entry), `client`, `path` (the sub-menus opened,
as indexes into the declaration), `option` (the option whose questions are asked), `step`
(which question), `answers`.
"""

from __future__ import annotations

from typing import ClassVar

from conversations.console.audiences import sender_grants
from conversations.console.spec import Action, Invalid, Menu, Option, Step, Stop
from conversations.flow import Flow, State, Turn
from menus import console as texts
from storage.grants import ClientRef, Grants, clients


class Console(Flow):
    """Base of the consoles: a subclass declares `name`, `keywords`, `menu`, `refusal` and
    which clients the sender may use (`clients_for`)."""

    menu: ClassVar[Menu]
    refusal: ClassVar[str]
    needs_client: ClassVar[bool] = True  # False: the actions choose their own clients
    own_words = frozenset({"menu"})

    choose_client = State(quick_reply=True)
    main = State()
    asking = State(quick_reply=True)

    # --- who may use it ---------------------------------------------------------------------

    async def clients_for(self, turn: Turn, grants: Grants) -> list[ClientRef]:
        """The clients this sender may use the console for; [] refuses them."""
        raise NotImplementedError

    async def may_open(self, turn: Turn, grants: Grants) -> bool:
        return bool(await self._clients(turn, grants))

    async def _clients(self, turn: Turn, grants: Grants) -> list[ClientRef]:
        """`clients_for`, read once per message."""
        key = ("clients", self.name)
        if key not in turn.memo:
            turn.memo[key] = await self.clients_for(turn, grants)
        return turn.memo[key]

    async def enter(self, turn: Turn) -> None:
        if not await self.may_open(turn, await sender_grants(turn)):
            turn.say(self.refusal)  # no session is created
            return
        await turn.begin(self)

    async def _step(self, turn: Turn) -> Step | None:
        """The sender's grants and client as of this message; None (and the console closed)
        when they may no longer use it."""
        grants = await sender_grants(turn)
        if not self.needs_client:
            if await self.may_open(turn, grants):
                answers = turn.data.setdefault("answers", {})
                if "client" not in answers:
                    return Step(turn, None, grants, answers)
                allowed = {ref.client_id: ref for ref in await self._clients(turn, grants)}
                if answers["client"] in allowed:  # an option's client, checked again
                    return Step(turn, allowed[answers["client"]], grants, answers)
        else:
            allowed = {ref.client_id: ref for ref in await self._clients(turn, grants)}
            chosen = turn.data.get("client")
            if chosen is None and allowed:
                return Step(turn, None, grants, {})
            if chosen in allowed:
                return Step(turn, allowed[chosen], grants, turn.data.setdefault("answers", {}))
        turn.say(self.refusal)
        turn.finish()
        return None

    # --- start and client choice ------------------------------------------------------------

    async def start(self, turn: Turn) -> None:
        step = await self._step(turn)
        if step is None:
            return
        if not self.needs_client:
            await turn.go(self.main, remember=False)
            return
        offered = await self._clients(turn, step.grants)
        turn.data["clients"] = [ref.client_id for ref in offered]
        if len(offered) == 1:
            turn.data["client"] = offered[0].client_id
            await turn.go(self.main, remember=False)
        else:
            await turn.go(self.choose_client, remember=False)

    @choose_client.prompter
    async def offer_clients(self, turn: Turn) -> None:
        refs = await clients(turn.services.engine, turn.data.get("clients") or [],
                             active_only=False)
        turn.say(texts.choose_client(self.menu.title, [(ref.client_id, ref.name)
                                                       for ref in refs]))

    @choose_client.on_message
    async def pick_client(self, turn: Turn) -> None:
        step = await self._step(turn)
        if step is None:
            return
        refs = await clients(turn.services.engine, turn.data.get("clients") or [],
                             active_only=False)
        answer = turn.word
        picked = None
        if answer.isdigit() and 1 <= int(answer) <= len(refs):
            picked = refs[int(answer) - 1]
        else:
            picked = next((ref for ref in refs if ref.client_id.lower() == answer), None)
        if picked is None:
            turn.say(texts.invalid_choice(len(refs)))
            await self.offer_clients(turn)
            return
        turn.data["client"] = picked.client_id
        await turn.go(self.main)

    # --- the menu ---------------------------------------------------------------------------

    def _menu_at(self, path: list[int]) -> Menu:
        menu = self.menu
        for index in path:
            action = self._declared(menu)[index].action
            assert isinstance(action, Menu)
            menu = action
        return menu

    @staticmethod
    def _declared(menu: Menu) -> list[Option]:
        return [option for section in menu.sections for option in section.options]

    @main.prompter
    async def show_menu(self, turn: Turn) -> None:
        step = await self._step(turn)
        if step is None:
            return
        menu = self._menu_at(turn.data.setdefault("path", []))
        turn.say(texts.menu(menu.title, step.client.name if step.client else None,
                            menu.sections_for(step.grants), top=not turn.data["path"]))

    @main.on_message
    async def pick_option(self, turn: Turn) -> None:
        step = await self._step(turn)
        if step is None:
            return
        path: list[int] = turn.data.setdefault("path", [])
        if turn.word == "0":
            if not path:
                turn.say(texts.CLOSED.format(title=self.menu.title))
                turn.finish()
                return
            path.pop()
            await self.show_menu(turn)
            return
        menu = self._menu_at(path)
        options = menu.options(step.grants)
        answer = turn.word
        if not (answer.isdigit() and 1 <= int(answer) <= len(options)):
            turn.say(texts.invalid_choice(len(options)))
            return
        option = options[int(answer) - 1]
        index = self._declared(menu).index(option)
        if isinstance(option.action, Menu):
            path.append(index)
            await self.show_menu(turn)
            return
        turn.data.update(option=index, step=0, answers={})
        step.answers = turn.data["answers"]
        await self._next_question(turn, step, option.action, 0)

    # --- questions and running an action ----------------------------------------------------

    def _action(self, turn: Turn) -> Action:
        action = self._declared(self._menu_at(turn.data["path"]))[turn.data["option"]].action
        assert isinstance(action, Action)
        return action

    async def _next_question(self, turn: Turn, step: Step, action: Action, start: int) -> None:
        """Ask the first question from `start` on that applies, or run the action."""
        for index in range(start, len(action.questions)):
            question = action.questions[index]
            if not question.applies(step):
                continue
            turn.data["step"] = index
            try:
                prompt = await question.ask(step)
            except (Invalid, Stop) as exc:  # nothing to ask about (e.g. no posts today)
                turn.say(str(exc))
                await self._back_to_menu(turn)
                return
            await turn.go(self.asking, ask=False)
            turn.say(prompt)
            return
        await self._run(turn, step, action)

    async def _run(self, turn: Turn, step: Step, action: Action) -> None:
        try:
            await action.run(step)
        except Stop as exc:
            turn.say(str(exc))
        if turn.context.flow == self.name:  # the action did not close or leave the console
            await self._back_to_menu(turn)

    async def _back_to_menu(self, turn: Turn) -> None:
        for key in ("option", "step", "answers", "offered", "offered_prompt"):
            turn.data.pop(key, None)
        turn.context.history.clear()
        await turn.go(self.main, remember=False)

    @asking.prompter
    async def ask_again(self, turn: Turn) -> None:
        step = await self._step(turn)
        if step is None:
            return
        question = self._action(turn).questions[turn.data["step"]]
        try:
            turn.say(await question.ask(step))
        except (Invalid, Stop) as exc:
            turn.say(str(exc))
            await self._back_to_menu(turn)

    @asking.on_message
    async def answer(self, turn: Turn) -> None:
        step = await self._step(turn)
        if step is None:
            return
        if turn.word == "0":
            await self._back_to_menu(turn)
            return
        action, index = self._action(turn), turn.data["step"]
        question = action.questions[index]
        try:
            value = await question.read(step, turn.text)
        except Invalid as exc:
            turn.say(str(exc))
            return
        except Stop as exc:
            turn.say(str(exc))
            await self._back_to_menu(turn)
            return
        step.answers[question.key] = value
        await self._next_question(turn, step, action, index + 1)

    # --- universal words --------------------------------------------------------------------

    async def handle(self, turn: Turn) -> None:
        if turn.word == "menu":  # the console's own top menu, not the bot's
            if turn.state == self.choose_client.name:
                await self.offer_clients(turn)
                return
            turn.data["path"] = []
            await self._back_to_menu(turn)
            return
        await super().handle(turn)

    async def back(self, turn: Turn) -> bool:
        """`kembali`: the previous question, else the menu, else the menu above it, else the
        client chooser."""
        data = turn.data
        if turn.state == self.asking.name:
            step = await self._step(turn)
            if step is None:
                return True
            action = self._action(turn)
            earlier = [i for i in range(data["step"]) if action.questions[i].applies(step)]
            if earlier:
                data["step"] = earlier[-1]
                await self.ask_again(turn)
            else:
                await self._back_to_menu(turn)
            return True
        if turn.state == self.main.name and data.get("path"):
            data["path"].pop()
            await self.show_menu(turn)
            return True
        if turn.state == self.main.name and len(data.get("clients") or []) > 1:
            data.pop("client", None)
            await turn.go(self.choose_client, remember=False)
            return True
        return False

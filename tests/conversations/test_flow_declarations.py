"""A flow's shape is checked when its class is defined, not when a chat reaches a step."""

from __future__ import annotations

import pytest

from conversations.flow import Flow, FlowError, State, Turn
from conversations.routing import default_registry


def test_a_misspelt_state_fails_when_the_flow_is_defined() -> None:
    with pytest.raises(NameError):
        class Misspelt(Flow):
            name = "misspelt"
            ask_name = State("Nama?")

            @ask_nmae.on_message  # type: ignore[name-defined] # noqa: F821
            async def read_name(self, turn: Turn) -> None: ...


def test_a_state_without_handler_or_prompt_fails_when_the_flow_is_defined() -> None:
    with pytest.raises(TypeError, match="ask_rank has no handler"):
        class NoHandler(Flow):
            name = "no_handler"
            ask_name = State("Nama?")
            ask_rank = State("Pangkat?")

            @ask_name.on_message
            async def read_name(self, turn: Turn) -> None: ...

    with pytest.raises(TypeError, match="ask_name has no prompt"):
        class NoPrompt(Flow):
            name = "no_prompt"
            ask_name = State()

            @ask_name.on_message
            async def read_name(self, turn: Turn) -> None: ...


def test_going_back_to_a_state_of_another_flow_fails_when_defined() -> None:
    class First(Flow):
        name = "first"
        only = State("?")

        @only.on_message
        async def read(self, turn: Turn) -> None: ...

    with pytest.raises(TypeError, match="foreign state"):
        class Second(Flow):
            name = "second"
            step = State("?", back=First.only)

            @step.on_message
            async def read(self, turn: Turn) -> None: ...


def test_every_flow_of_the_bot_names_its_states_once() -> None:
    registry = default_registry()
    for name in ("registration", "profile", "complaint"):
        flow = registry.get(name)
        names = [state.name for state in flow.states]
        assert names and len(names) == len(set(names))
        assert flow.state_named(names[0]) is flow.initial
        with pytest.raises(FlowError):
            flow.state_named("tidak_ada")

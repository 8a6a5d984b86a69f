"""The special-task options of oprrequest (tugas khusus, reference §2 options 11–14), which the
link amplification feature provides: registering a special-task post, its link recaps today
and per post, its amplification attendance.

Until that feature binds them they are declared here, hidden (nothing fake is ever shown). To
bind one, replace its `Unbound(...)` with the real action (e.g. `Report("<its report>")`) and
drop `visible=unbound`; the menu numbers them after option 10."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.console.spec import Action, Option, Step, Stop
from menus import console as texts
from menus import console_labels as labels
from storage.grants import Grants


@dataclass(frozen=True)
class Unbound(Action):
    """An option whose action another feature provides."""

    feature: str
    questions: tuple = ()

    async def run(self, step: Step) -> None:
        raise Stop(texts.NOT_AVAILABLE)


def unbound(grants: Grants) -> bool:
    return False


OPTIONS: tuple[Option, ...] = (
    Option(labels.SPECIAL_TASK_POST, Unbound("special-task-post"), visible=unbound),
    Option(labels.SPECIAL_LINK_RECAP, Unbound("special-link-recap"), visible=unbound),
    Option(labels.SPECIAL_LINK_RECAP_POST, Unbound("special-link-recap-post"), visible=unbound),
    Option(labels.SPECIAL_ATTENDANCE, Unbound("special-attendance"), visible=unbound),
)

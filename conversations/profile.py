"""Profile self-service (reference Flow B): pick a field, give the new value, repeat.
Ranks come from the official list, satfung from the person's satker plus the fixed units,
usernames are validated and unique; every change is audited."""

from __future__ import annotations

from conversations import personnel_values as values
from conversations.answers import Answer
from conversations.flow import Flow, State, Turn
from conversations.personnel_values import InvalidValue
from menus import profile as texts
from storage.ordering import OFFICIAL_RANKS
from storage.personnel_profile import (
    HandleTaken,
    Profile,
    ProfileField,
    load_profile,
    satfung_choices,
    update_field,
)

_FIELDS = [ProfileField.NAME, ProfileField.RANK, ProfileField.SATFUNG, ProfileField.JABATAN,
           ProfileField.INSTAGRAM, ProfileField.TIKTOK, ProfileField.DESA]


def fields_for(profile: Profile) -> list[ProfileField]:
    """Desa binaan only for directorate members."""
    return _FIELDS if profile.directorate_member else _FIELDS[:-1]


class ProfileUpdate(Flow):
    name = "profile"

    ask_field = State(quick_reply=True)
    ask_value = State(lambda turn: texts.ask_value(ProfileField(turn.data["field"]),
                                                   turn.data.get("options")), quick_reply=True)
    # A change is saved here: `kembali` leads to the field list, never into the saved field.
    ask_more = State(texts.ASK_MORE, back=ask_field)

    async def _profile(self, turn: Turn) -> Profile | None:
        """The person being edited: only ever the one linked to this number."""
        user_id = turn.data.get("user_id")
        if not user_id or user_id != turn.identity.user_id:
            return None
        return await load_profile(turn.services.engine, user_id)

    @ask_field.prompter
    async def show_fields(self, turn: Turn) -> None:
        profile = await self._profile(turn)
        if profile is None or not profile.active:
            turn.say(texts.INACTIVE_NO_EDIT if profile else texts.ASK_NRP)
            turn.finish()
            return
        turn.say(texts.field_menu(fields_for(profile)))

    @ask_field.on_message
    async def choose_field(self, turn: Turn) -> None:
        profile = await self._profile(turn)
        if profile is None:
            turn.finish()
            return
        fields = fields_for(profile)
        answer = turn.word
        if not (answer.isdigit() and 1 <= int(answer) <= len(fields)):
            turn.say(texts.invalid_field(fields))
            return
        field = fields[int(answer) - 1]
        options: list[str] | None = None
        if field is ProfileField.RANK:
            options = list(OFFICIAL_RANKS)
        elif field is ProfileField.SATFUNG:
            options = await satfung_choices(turn.services.engine, profile.client_id)
        turn.data.update(field=field.value, options=options)
        await turn.go(self.ask_value)

    @ask_value.on_message
    async def save_value(self, turn: Turn) -> None:
        profile = await self._profile(turn)
        if profile is None:
            turn.finish()
            return
        field = ProfileField(turn.data["field"])
        try:
            value = await self._validated(turn, field, turn.data.get("options"))
            await update_field(turn.services.engine, profile.user_id, field, value, turn.phone)
        except InvalidValue as exc:
            turn.say(str(exc))
            return
        except HandleTaken as exc:
            turn.say(texts.username_taken(field, str(exc)))
            return
        refreshed = await load_profile(turn.services.engine, profile.user_id)
        assert refreshed is not None
        turn.data.pop("options", None)
        await turn.go(self.ask_more, ask=False)
        turn.say(texts.updated(field, profile.user_id, value),
                 texts.profile_card(refreshed) + "\n\n" + texts.ASK_MORE)

    async def _validated(self, turn: Turn, field: ProfileField,
                         options: list[str] | None) -> str:
        if options is not None:
            return values.listed(field, turn.text, options)
        if field in values.USERNAME_FIELDS:
            return await values.username(turn.services.engine, field, turn.text,
                                         owner=turn.identity.user_id)
        return values.free_text(field, turn.text)

    @ask_more.on_message
    async def more_or_close(self, turn: Turn) -> None:
        if turn.answer is Answer.YES:
            await turn.go(self.ask_field)
        elif turn.answer is Answer.NO:
            turn.say(texts.CLOSED)
            turn.finish()
        else:
            turn.say(texts.YES_NO_AGAIN)

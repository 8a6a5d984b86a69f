"""Job `save_official_account_for_chat`: a client's official Satbinmas account, looked up live
on Instagram or TikTok (display name, profile link, secUid, verified, whether it is active)
and saved, the outcome sent to the chat that asked (reference §4.5, S21). A username that
is not found is not saved."""

from __future__ import annotations

from typing import Any

import structlog

from bot.outbox import enqueue
from cicero.settings import ConfigError
from jobs.context import JobContext
from jobs.rapidapi import ApiError, NotFound, instagram_api, tiktok_api
from menus import official_accounts as texts
from storage.models import Platform
from storage.official_accounts import SaveOutcome, save_account

log = structlog.get_logger(__name__)


async def save_official_account_for_chat(ctx: JobContext, client_id: str, platform: str,
                                         username: str, session: str, to: str,
                                         key: str) -> dict[str, Any]:
    async def reply(text: str, suffix: str) -> None:
        await enqueue(ctx.redis, session, to, text, key=f"{key}:{suffix}")

    kind = Platform(platform)
    try:
        if kind is Platform.INSTAGRAM:
            profile = await instagram_api(ctx.http, ctx.redis, ctx.settings).info(username)
            found = {"display_name": profile.full_name, "secuid": None,
                     "profile_url": f"https://www.instagram.com/{profile.username}",
                     "active": profile.active, "verified": profile.is_verified}
        else:
            tiktok = await tiktok_api(ctx.http, ctx.redis, ctx.settings).user_info(username)
            found = {"display_name": tiktok.nickname, "secuid": tiktok.sec_uid,
                     "profile_url": f"https://www.tiktok.com/@{tiktok.username}",
                     "active": tiktok.active, "verified": tiktok.verified}
    except NotFound:
        await reply(texts.not_found(kind, username), "missing")
        return {"status": "not_found"}
    except (ApiError, ConfigError) as exc:
        log.warning("official_account_lookup_failed", client=client_id, platform=platform,
                    error=str(exc))
        await reply(texts.lookup_failed(kind, username), "failed")
        return {"status": "failed"}
    outcome, holder = await save_account(ctx.engine, client_id, kind, username, **found)
    if outcome is SaveOutcome.TAKEN:
        await reply(texts.taken(kind, username, holder), "taken")
    else:
        await reply(texts.saved(client_id, kind, username, outcome, **found), "saved")
    return {"status": outcome.value}

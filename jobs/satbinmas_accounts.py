"""Official Satbinmas accounts on their platforms: the check before an account is stored,
the Instagram profile of dirrequest 36 and the TikTok secUid sync of dirrequest 38.

An account is stored only when its platform knows it and it is public (its posts must be
readable); the profile the check saw is stored with it. Failures become outcomes, never
upstream text: `created`, `updated`, `taken` (another satker's account), `not_found`,
`private`, `failed` (the provider failed) or `unavailable` (no RAPIDAPI_KEY).
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog

from bot.outbox import enqueue
from cicero.clock import clock
from cicero.settings import ConfigError
from jobs.context import JobContext
from jobs.rapidapi import (
    InstagramProfile,
    NotFound,
    RapidApiError,
    TikTokProfile,
    instagram_api,
    tiktok_api,
)
from menus import satbinmas as texts
from storage.models import Platform, SatbinmasFetchOutcome
from storage.satbinmas_accounts import (
    ProfileFacts,
    SaveResult,
    account,
    fetch_targets,
    satker,
    save_account,
    update_profile,
)
from storage.satbinmas_media import account_coverage

log = structlog.get_logger(__name__)

NOT_FOUND, PRIVATE, FAILED, UNAVAILABLE = "not_found", "private", "failed", "unavailable"


def instagram_facts(profile: InstagramProfile) -> ProfileFacts:
    return ProfileFacts(profile.username, None, profile.full_name, profile.biography,
                        profile.profile_pic_url, profile.follower_count, profile.following_count,
                        profile.media_count, profile.is_verified, profile.is_private)


def tiktok_facts(profile: TikTokProfile) -> ProfileFacts:
    return ProfileFacts(profile.username, profile.sec_uid, profile.nickname, profile.signature,
                        profile.avatar_url, profile.follower_count, profile.following_count,
                        profile.video_count, profile.verified, profile.is_private)


async def profile_facts(ctx: JobContext, platform: Platform, username: str) -> ProfileFacts:
    """The account's profile now (raises NotFound / RapidApiError / ConfigError)."""
    if platform is Platform.INSTAGRAM:
        return instagram_facts(await instagram_api(ctx.http, ctx.redis, ctx.settings)
                               .info(username))
    return tiktok_facts(await tiktok_api(ctx.http, ctx.redis, ctx.settings).user_info(username))


async def check_and_save(ctx: JobContext, client_id: str, platform: Platform,
                         username: str) -> dict[str, Any]:
    """Look the account up and store it for the satker when it exists and is public:
    `{"outcome": ..., "account_id": id}` (the id only when stored)."""
    try:
        facts = await profile_facts(ctx, platform, username)
    except NotFound:
        return {"outcome": NOT_FOUND}
    except RapidApiError as exc:
        log.warning("satbinmas_account_check_failed", platform=platform.value,
                    username=username, error=str(exc)[:300])
        return {"outcome": FAILED}
    except ConfigError:
        return {"outcome": UNAVAILABLE}
    if facts.is_private:
        return {"outcome": PRIVATE}
    saved = await save_account(ctx.engine, client_id, platform, facts, clock.now())
    if saved.result is SaveResult.TAKEN or saved.account is None:
        return {"outcome": SaveResult.TAKEN.value}
    log.info("satbinmas_account_saved", client=client_id, platform=platform.value,
             username=facts.username, result=saved.result.value)
    return {"outcome": saved.result.value, "account_id": saved.account.id}


async def save_satbinmas_account(ctx: dict[str, Any], client_id: str, platform: str,
                                 username: str) -> dict[str, Any]:
    """The arq job the web API waits for (jobs.queue.save_satbinmas_account)."""
    return await check_and_save(ctx["cicero"], client_id, Platform(platform), username)


async def save_satbinmas_account_for_chat(ctx: dict[str, Any], client_id: str, platform: str,
                                          username: str, session: str, to: str, key: str,
                                          in_flow: bool = True) -> dict[str, Any]:
    """The check of a WhatsApp registration; its result goes to the chat that asked
    (`in_flow`: asked by `#SatbinmasOfficial`, whose next words the answer names)."""
    job: JobContext = ctx["cicero"]
    result = await check_and_save(job, client_id, Platform(platform), username)
    stored = await account(job.engine, result["account_id"]) if "account_id" in result else None
    await enqueue(job.redis, session, to,
                  texts.check_result(result["outcome"], Platform(platform), username, stored,
                                     in_flow=in_flow),
                  key=f"{key}:checked")
    return {"outcome": result["outcome"]}


async def satbinmas_profile_for_chat(ctx: dict[str, Any], client_id: str | None, username: str,
                                     session: str, to: str, key: str) -> dict[str, Any]:
    """Dirrequest 36: an Instagram profile's metadata, read-only, to the chat that asked."""
    job: JobContext = ctx["cicero"]
    named = await satker(job.engine, client_id) if client_id else None
    try:
        facts = await profile_facts(job, Platform.INSTAGRAM, username)
    except NotFound:
        text, outcome = texts.profile_missing(username), NOT_FOUND
    except (RapidApiError, ConfigError) as exc:
        log.warning("satbinmas_profile_failed", username=username, error=str(exc)[:300])
        text, outcome = texts.profile_failed(username), FAILED
    else:
        text, outcome = texts.instagram_profile(facts, named), "ok"
    await enqueue(job.redis, session, to, text, key=f"{key}:profile")
    return {"outcome": outcome}


async def sync_tiktok_accounts(job: JobContext) -> str:
    """Dirrequest 38: refresh the secUid (and profile) of every ORG satker's TikTok account;
    the summary to send."""
    targets = await fetch_targets(job.engine, Platform.TIKTOK)
    api = tiktok_api(job.http, job.redis, job.settings)

    async def sync(target) -> tuple[Any, ProfileFacts | SatbinmasFetchOutcome]:
        try:
            facts = tiktok_facts(await api.user_info(target.username))
        except NotFound:
            return target, SatbinmasFetchOutcome.NOT_FOUND
        except RapidApiError as exc:
            log.warning("satbinmas_secuid_failed", client=target.client_id, error=str(exc)[:300])
            return target, SatbinmasFetchOutcome.FAILED
        await update_profile(job.engine, target.id, facts, clock.now())
        return target, facts

    results = await asyncio.gather(*(sync(target) for target in targets))
    synced = [(t.client_name, t.username, f.sec_uid) for t, f in results
              if isinstance(f, ProfileFacts)]
    failed = [(t.client_name, t.username, f) for t, f in results
              if isinstance(f, SatbinmasFetchOutcome)]
    without = [s.name for s in (await account_coverage(job.engine)).satkers if not s.tiktok]
    return texts.secuid_sync(synced, failed, without)

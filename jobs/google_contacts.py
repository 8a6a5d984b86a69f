"""Personnel WhatsApp numbers saved to the Google Contacts of the bot's account (reference
ingestion_and_integrations.md §4.2), so the bot's phone shows names: job `save_contacts`
(`savecontact`, clientrequest) for every active person's number not saved yet, or for the
numbers an operator just set. One People API `createContact` per number, the service
account's token (GOOGLE_SERVICE_ACCOUNT, acting as GOOGLE_IMPERSONATE_EMAIL, scope
GOOGLE_CONTACT_SCOPE); each saved number is remembered in `saved_contacts`."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import structlog

from bot.outbox import enqueue
from cicero.settings import ConfigError, require
from jobs.context import JobContext
from jobs.google_auth import access_token
from menus import contacts as texts
from storage.saved_contacts import remember_saved, unsaved_numbers

log = structlog.get_logger(__name__)

PEOPLE_API_URL = "https://people.googleapis.com/"
CONTACTS_SCOPE = "https://www.googleapis.com/auth/contacts"


async def save_contacts(ctx: JobContext, phones: list[str] | None = None) -> dict[str, int]:
    """Create the contacts not saved yet; counts of saved, failed and already saved ones.
    Raises ConfigError without GOOGLE_SERVICE_ACCOUNT."""
    settings = ctx.settings
    require(settings, "google_service_account")
    pending = await unsaved_numbers(ctx.engine, phones)
    if not pending:
        return {"saved": 0, "failed": 0}
    scope = settings.google_contact_scope or CONTACTS_SCOPE
    token = await asyncio.to_thread(access_token, settings, [scope])
    base = (settings.google_people_api_url or PEOPLE_API_URL).rstrip("/")
    saved = failed = 0
    for phone, name in pending:
        try:
            response = await ctx.http.post(
                f"{base}/v1/people:createContact",
                json={"names": [{"givenName": name}], "phoneNumbers": [{"value": f"+{phone}"}]},
                headers={"Authorization": f"Bearer {token}"}, timeout=30)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            failed += 1
            log.warning("contact_save_failed", phone=phone, error=str(exc)[:200])
            continue
        await remember_saved(ctx.engine, phone, response.json().get("resourceName"))
        saved += 1
    return {"saved": saved, "failed": failed}


async def save_contacts_for_chat(ctx: JobContext, session: str, to: str,
                                 key: str) -> dict[str, Any]:
    """`savecontact`: save every unsaved number and tell the admin the counts."""
    try:
        counts = await save_contacts(ctx)
    except ConfigError:
        await enqueue(ctx.redis, session, to, texts.NOT_CONFIGURED, key=f"{key}:config")
        return {"status": "not_configured"}
    await enqueue(ctx.redis, session, to, texts.saved(counts["saved"], counts["failed"]),
                  key=f"{key}:done")
    return counts

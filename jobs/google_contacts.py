"""Personnel WhatsApp numbers saved to the Google Contacts of the bot's account (reference
ingestion_and_integrations.md §4.2), so the bot's phone shows names: job `save_contacts`
(`savecontact`, clientrequest) and the scheduled `contacts-sync`, for every active person's
number not saved yet, or for the numbers an operator just set.

Incremental: `saved_contacts` remembers each saved number, so a number is sent to Google
once; a number the account already holds (its connections are read first) is remembered,
not created again. Batched: People API `people:batchCreateContacts`, BATCH_SIZE contacts a
call. A person whose number changed gets the contact of the old number updated
(`updateContact`) instead of a second contact. Rate limits (429) and server errors are
retried with backoff. The token is the service account's (GOOGLE_SERVICE_ACCOUNT, acting as
GOOGLE_IMPERSONATE_EMAIL, scope GOOGLE_CONTACT_SCOPE); GOOGLE_PEOPLE_API_URL points
elsewhere in tests."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import structlog

from bot.outbox import enqueue
from cicero.backoff import backoff_delay
from cicero.settings import ConfigError, require
from jobs.context import JobContext
from jobs.google_auth import access_token
from menus import contacts as texts
from storage.saved_contacts import (
    PendingContact,
    pending_contacts,
    remember_moved,
    remember_saved,
)

log = structlog.get_logger(__name__)

PEOPLE_API_URL = "https://people.googleapis.com/"
CONTACTS_SCOPE = "https://www.googleapis.com/auth/contacts"
BATCH_SIZE = 200  # the People API's limit for batchCreateContacts
CONNECTIONS_PAGE = 1000  # the People API's largest page of connections
TRIES = 5  # per call, when Google answers 429 or 5xx
RETRY_BASE, RETRY_CAP = 1.0, 30.0  # seconds, unless Google says Retry-After
READ_MASK = "names,phoneNumbers"


class PeopleApi:
    def __init__(self, http: httpx.AsyncClient, base: str, token: str) -> None:
        self.http, self.base = http, base.rstrip("/")
        self.headers = {"Authorization": f"Bearer {token}"}

    async def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """One call, retried on 429 and 5xx; raises httpx.HTTPError when it still fails."""
        for attempt in range(TRIES):
            response = await self.http.request(method, f"{self.base}/{path}",
                                               headers=self.headers, timeout=30, **kwargs)
            retryable = response.status_code == 429 or response.status_code >= 500
            if not retryable or attempt == TRIES - 1:
                response.raise_for_status()
                return response.json()
            delay = _retry_after(response)
            if delay is None:
                delay = backoff_delay(attempt, base=RETRY_BASE, cap=RETRY_CAP, jitter=0.5)
            log.warning("people_api_retry", status=response.status_code, path=path,
                        retry_in=round(delay, 2))
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def create(self, batch: list[PendingContact]) -> list[str | None]:
        """The new contacts' resource names, in the order of `batch`."""
        answer = await self.call("POST", "v1/people:batchCreateContacts", json={
            "contacts": [{"contactPerson": _person(contact)} for contact in batch],
            "readMask": READ_MASK})
        created = answer.get("createdPeople") or []
        return [(item.get("person") or {}).get("resourceName") for item in created] \
            + [None] * (len(batch) - len(created))

    async def existing(self) -> dict[str, str]:
        """The account's contacts: digits of each phone number -> resource name (the
        connections list, CONNECTIONS_PAGE a call), so a number saved there already, by hand
        or before `saved_contacts` knew it, is remembered rather than created again."""
        found: dict[str, str] = {}
        params = {"personFields": "phoneNumbers", "pageSize": str(CONNECTIONS_PAGE)}
        while True:
            page = await self.call("GET", "v1/people/me/connections", params=params)
            for person in page.get("connections") or []:
                for number in person.get("phoneNumbers") or []:
                    digits = "".join(ch for ch in number.get("value", "") if ch.isdigit())
                    if digits and person.get("resourceName"):
                        found.setdefault(digits, person["resourceName"])
            if not page.get("nextPageToken"):
                return found
            params["pageToken"] = page["nextPageToken"]

    async def update(self, contact: PendingContact) -> None:
        assert contact.resource_name
        current = await self.call("GET", f"v1/{contact.resource_name}",
                                  params={"personFields": READ_MASK})
        await self.call("PATCH", f"v1/{contact.resource_name}:updateContact",
                        params={"updatePersonFields": READ_MASK},
                        json={**_person(contact), "etag": current.get("etag")})


def _person(contact: PendingContact) -> dict[str, Any]:
    return {"names": [{"givenName": contact.name}],
            "phoneNumbers": [{"value": f"+{contact.phone}"}]}


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return min(RETRY_CAP, float(response.headers["retry-after"]))
    except (KeyError, ValueError):
        return None


async def save_contacts(ctx: JobContext, phones: list[str] | None = None) -> dict[str, int]:
    """Create the contacts not saved yet, update those whose person's number changed; counts
    of saved, updated and failed ones. Raises ConfigError without GOOGLE_SERVICE_ACCOUNT."""
    settings = ctx.settings
    require(settings, "google_service_account")
    pending = await pending_contacts(ctx.engine, phones)
    counts = {"saved": 0, "updated": 0, "failed": 0}
    if not pending:
        return counts
    scope = settings.google_contact_scope or CONTACTS_SCOPE
    token = await asyncio.to_thread(access_token, settings, [scope])
    api = PeopleApi(ctx.http, settings.google_people_api_url or PEOPLE_API_URL, token)
    for contact in [c for c in pending if c.previous]:
        try:
            await api.update(contact)
        except httpx.HTTPError as exc:
            counts["failed"] += 1
            log.warning("contact_update_failed", phone=contact.phone, error=str(exc)[:200])
            continue
        await remember_moved(ctx.engine, contact.previous or "", contact.phone)
        counts["updated"] += 1
    new = [c for c in pending if not c.previous]
    if new:
        try:
            known = await api.existing()
        except httpx.HTTPError as exc:
            log.warning("contact_list_failed", error=str(exc)[:200])
            counts["failed"] += len(new)
            return counts
        for contact in [c for c in new if c.phone in known]:
            await remember_saved(ctx.engine, contact.phone, known[contact.phone])
            counts["known"] = counts.get("known", 0) + 1
        new = [c for c in new if c.phone not in known]
    for start in range(0, len(new), BATCH_SIZE):
        batch = new[start:start + BATCH_SIZE]
        try:
            names = await api.create(batch)
        except httpx.HTTPError as exc:
            counts["failed"] += len(batch)
            log.warning("contact_batch_failed", size=len(batch), error=str(exc)[:200])
            continue
        for contact, resource_name in zip(batch, names, strict=True):
            if resource_name is None:
                counts["failed"] += 1
                continue
            await remember_saved(ctx.engine, contact.phone, resource_name)
            counts["saved"] += 1
    return counts


async def sync_contacts(ctx: JobContext) -> dict[str, Any]:
    """The scheduled `contacts-sync`: every unsaved number; nothing to do (recorded so)
    while Google is not configured."""
    try:
        return await save_contacts(ctx)
    except ConfigError:
        return {"status": "not_configured"}


async def save_contacts_for_chat(ctx: JobContext, session: str, to: str,
                                 key: str) -> dict[str, Any]:
    """`savecontact`: save every unsaved number and tell the admin the counts."""
    try:
        counts = await save_contacts(ctx)
    except ConfigError:
        await enqueue(ctx.redis, session, to, texts.NOT_CONFIGURED, key=f"{key}:config")
        return {"status": "not_configured"}
    await enqueue(ctx.redis, session, to, texts.saved(counts["saved"] + counts["updated"],
                                                      counts["failed"]), key=f"{key}:done")
    return counts

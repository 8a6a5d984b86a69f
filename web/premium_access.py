"""What premium unlocks, in one list: `UNLOCKED_BY_PREMIUM`.

The reference gates some protected dashboard features behind premium. Here they are the
dashboard's live RapidAPI lookups: every cache miss is a paid call for whatever username a
signed-in user types (web/social_lookup.py). A dashboard token may call them when its account
is an admin, or is linked to a person (`dashboard_users.user_id`) whose access runs today
(`personnel.premium_until`, storage/premium.py); anyone else gets 403 naming premium. The
list is applied once, to the whole routing table (`gate_premium_routes` in web/app.py); a path
in it that the table lacks stops the app from starting.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cicero.clock import clock
from storage.premium import is_active, premium_until_of_account
from web.errors import ApiError
from web.openapi import EndpointDoc
from web.security import Principal, authenticate

UNLOCKED_BY_PREMIUM: tuple[str, ...] = (
    "/api/insta/rapid-profile",
    "/api/insta/rapid-info",
    "/api/insta/rapid-posts",
    "/api/tiktok/rapid-profile",
    "/api/tiktok/rapid-info",
    "/api/tiktok/rapid-posts",
)
PREMIUM_REQUIRED = ("Fitur ini khusus pengguna premium. Ajukan akses premium lewat "
                    "/api/premium-requests.")

Endpoint = Callable[[Request], Awaitable[Response]]


async def has_premium(request: Request, principal: Principal) -> bool:
    if principal.is_admin:
        return True
    until = await premium_until_of_account(request.app.state.engine,
                                           principal.dashboard_user_id)
    return is_active(until, clock.today())


def premium_only(endpoint: Endpoint) -> Endpoint:
    """The endpoint behind the premium check (401 for a bad token, 403 without premium)."""
    @functools.wraps(endpoint)
    async def gated(request: Request) -> Response:
        if not await has_premium(request, await authenticate(request)):
            raise ApiError(403, PREMIUM_REQUIRED)
        return await endpoint(request)

    doc = getattr(endpoint, "__openapi__", None)
    if isinstance(doc, EndpointDoc):
        gated.__openapi__ = replace(  # type: ignore[attr-defined]
            doc, summary=f"{doc.summary} [premium]",
            responses={**doc.responses, 403: "Khusus premium (atau client di luar akses)"})
    return gated


def gate_premium_routes(routes: Sequence[BaseRoute]) -> list[BaseRoute]:
    """The routing table with every path of UNLOCKED_BY_PREMIUM behind `premium_only`."""
    gated: list[BaseRoute] = []
    found: set[str] = set()
    for route in routes:
        if isinstance(route, Route) and route.path in UNLOCKED_BY_PREMIUM:
            found.add(route.path)
            route = Route(route.path, premium_only(route.endpoint), methods=route.methods,
                          name=route.name)
        gated.append(route)
    missing = set(UNLOCKED_BY_PREMIUM) - found
    if missing:
        raise RuntimeError(f"premium paths without a route: {sorted(missing)}")
    return gated

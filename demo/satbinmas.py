"""The demo's official Satbinmas accounts (issue 19), seeded with the rest of `cicero seed demo`.

* ``small``: POLRES_LAMONGAN has both accounts, which posted today (2 Instagram, 1 TikTok)
  and two days ago; POLRES_BOJONEGORO has an Instagram account that last posted three days
  ago (passive today) and a private TikTok account (today's fetch failed); POLRES_NGAWI has
  none. Every account was fetched today.
* ``polda``: about 85% of the Polres have an Instagram account and 70% a TikTok one; most
  posted one to three times today, a few are private.

Deterministic from the demo seed, like the rest of the demo.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from cicero.clock import clock

_ACCOUNT = text("""
    INSERT INTO satbinmas_accounts (client_id, platform, username, display_name, followers,
                                    following, post_count, is_verified, is_private, checked_at)
    VALUES (:client_id, :platform, :username, :display_name, :followers, :following,
            :post_count, :verified, :private, :checked_at)
    RETURNING id
""")
_POST = text("""
    INSERT INTO satbinmas_posts (account_id, external_id, posted_at, caption, is_video,
                                 like_count, comment_count, view_count, fetched_at)
    VALUES (:account_id, :external_id, :posted_at, :caption, :is_video, :likes, :comments,
            :views, :fetched_at)
""")
_FETCH = text("""
    INSERT INTO satbinmas_fetches (account_id, date_key, outcome, posts, fetched_at)
    VALUES (:account_id, :day, :outcome, :posts, :fetched_at)
""")

# (client, platform, private, posts per days-ago) of the small scale
_SMALL = (
    ("POLRES_LAMONGAN", "instagram", False, {0: 2, 2: 1}),
    ("POLRES_LAMONGAN", "tiktok", False, {0: 1, 2: 1}),
    ("POLRES_BOJONEGORO", "instagram", False, {3: 1}),
    ("POLRES_BOJONEGORO", "tiktok", True, {}),
)


def _plan(satkers: Sequence[str], small: bool,
          rng: random.Random) -> list[tuple[str, str, bool, dict[int, int]]]:
    if small:
        return [row for row in _SMALL if row[0] in satkers]
    plan = []
    for client_id in satkers:
        for platform, share in (("instagram", 0.85), ("tiktok", 0.7)):
            if rng.random() < share:
                private = rng.random() < 0.05
                days = {} if private else {back: rng.randint(1, 3) for back in range(3)
                                           if back or rng.random() < 0.8}
                plan.append((client_id, platform, private, days))
    return plan


async def seed_satbinmas(connection: AsyncConnection, satkers: Sequence[str], today: date,
                         seed: int, *, small: bool) -> int:
    """The accounts, their posts and today's fetch outcomes; the number of accounts."""
    rng = random.Random(f"{seed}:satbinmas")
    fetched_at = datetime.combine(today, time(19, 0), clock.tz)
    plan = _plan(satkers, small, rng)
    for client_id, platform, private, days in plan:
        slug = client_id.lower().removeprefix("polres_").removeprefix("polresta_")
        username = f"satbinmas_{slug}" + ("_tt" if platform == "tiktok" else "")
        account_id = await connection.scalar(_ACCOUNT, {
            "client_id": client_id, "platform": platform, "username": username,
            "display_name": f"Satbinmas {slug.replace('_', ' ').title()}",
            "followers": rng.randint(300, 20_000), "following": rng.randint(20, 400),
            "post_count": rng.randint(50, 900), "verified": rng.random() < 0.3,
            "private": private, "checked_at": fetched_at})
        posted_today = 0
        for back, count in sorted(days.items()):
            day = today - timedelta(days=back)
            for number in range(count):
                moment = datetime.combine(day, time(8 + 3 * number, rng.randint(0, 59)),
                                          clock.tz)
                posted_today += back == 0
                await connection.execute(_POST, {
                    "account_id": account_id,
                    "external_id": f"SB{account_id:03d}{day:%m%d}{number}",
                    "posted_at": moment, "caption": f"Kegiatan Satbinmas {slug.title()}",
                    "is_video": platform == "tiktok", "likes": rng.randint(40, 900),
                    "comments": rng.randint(0, 40),
                    "views": rng.randint(500, 30_000) if platform == "tiktok" else None,
                    "fetched_at": fetched_at})
        await connection.execute(_FETCH, {"account_id": account_id, "day": today,
                                          "outcome": "private" if private else "ok",
                                          "posts": posted_today, "fetched_at": fetched_at})
    return len(plan)

"""A fake RapidAPI world of official Satbinmas accounts (issue 19), shared by the scenarios,
the job tests, the web tests and the benchmark: accounts that posted on 2025-12-06, accounts
that posted only before it, private ones; any other username (e.g. satbinmas_hilang) does not
exist. Uploads follow the business clock (a post is visible once its time has come)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cicero.clock import clock
from demo.fake_world import FakeWorld

RAPIDAPI_KEY = "scenario-key"
SCENARIO_DAY = datetime(2025, 12, 6, tzinfo=ZoneInfo("Asia/Jakarta"))


def satbinmas_world() -> FakeWorld:
    world = FakeWorld(now=clock.now)
    world.add_instagram_account("satbinmas_a", follower_count=2500, following_count=75)
    world.add_ig_post("satbinmas_a", SCENARIO_DAY.replace(hour=8), shortcode="SATA1",
                      likers=[f"warga{n}" for n in range(40)], comment_count=5)
    world.add_ig_post("satbinmas_a", SCENARIO_DAY.replace(hour=9, minute=30), shortcode="SATA2",
                      likers=[f"warga{n}" for n in range(25)], comment_count=3)
    world.add_ig_post("satbinmas_a", SCENARIO_DAY - timedelta(days=2), shortcode="SATA0")
    world.add_instagram_account("satbinmas_b", follower_count=900, following_count=20)
    world.add_ig_post("satbinmas_b", SCENARIO_DAY - timedelta(days=3), shortcode="SATB0")
    world.add_instagram_account("satbinmas_privat", is_private=True)
    world.add_video("satbinmas_a_tt", SCENARIO_DAY.replace(hour=8, minute=15),
                    video_id="7500000000000000001",
                    commenters=[f"warga{n}" for n in range(12)], play_count=4200)
    world.add_video("satbinmas_b_tt", SCENARIO_DAY - timedelta(days=4),
                    video_id="7500000000000000002")
    world.add_tiktok_account("satbinmas_privat_tt", is_private=True)
    return world

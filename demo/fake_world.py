"""The ground truth behind the fake RapidAPI server: accounts, posts, likers and commenters.

Everything carries a time (upload, like, comment). With `now` set (a callable returning an
aware datetime), the fake only shows what already happened, so a world generated for today
and served with the real clock produces changing data from one fetch run to the next. Without
`now` everything is visible. Usernames are kept as the API shows them (mixed case); the
ground-truth methods return them in `canonical_username` form.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from storage.identifiers import canonical_username

_CODE_CHARS = string.ascii_letters + string.digits + "-_"
_WORDS = ("bripka", "brigadir", "aiptu", "ipda", "bripda", "polisi", "humas", "warga",
          "info", "sahabat", "pecinta", "akun", "official", "bhabin", "satlantas")
_NAMES = ("andi", "budi", "citra", "dewi", "eko", "fajar", "gita", "hadi", "indah", "joko",
          "kurnia", "lestari", "made", "nur", "oki", "putri", "rizal", "sari", "tono", "wahyu")
_PLACES = ("lamongan", "gresik", "tuban", "kediri", "blitar", "malang", "jember", "madiun",
           "ngawi", "pacitan", "sampang", "sumenep", "batu", "pasuruan")


@dataclass
class FakeEngagement:
    """One like or one comment: who (as displayed by the API) and when."""

    username: str
    at: datetime
    id: str = ""
    text: str = ""


@dataclass
class InstagramAccount:
    username: str
    user_id: str
    full_name: str
    follower_count: int = 1200
    following_count: int = 80
    is_private: bool = False


@dataclass
class InstagramPost:
    shortcode: str
    pk: str
    owner: str
    taken_at: datetime
    caption: str = ""
    media_type: int = 1  # 1 image, 2 video, 8 carousel
    carousel_size: int = 0
    pinned: bool = False
    comment_count: int = 0
    likes: list[FakeEngagement] = field(default_factory=list)


@dataclass
class TikTokAccount:
    username: str
    sec_uid: str
    user_id: str
    nickname: str
    is_private: bool = False


@dataclass
class TikTokVideo:
    video_id: str
    author: str
    create_time: datetime
    desc: str = ""
    play_count: int = 0
    comments: list[FakeEngagement] = field(default_factory=list)


class FakeWorld:
    def __init__(self, now: Callable[[], datetime] | None = None, *, seed: int = 0) -> None:
        self.now = now
        self.require_sec_uid = False  # posts by uniqueId answer "missing required params"
        self.instagram: dict[str, InstagramAccount] = {}
        self.ig_posts: dict[str, InstagramPost] = {}
        self.tiktok: dict[str, TikTokAccount] = {}
        self.videos: dict[str, TikTokVideo] = {}
        self._rng = random.Random(seed)
        self._ids = 0

    # --- building and changing ----------------------------------------------------------------

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    def add_instagram_account(self, username: str, **fields: object) -> InstagramAccount:
        key = canonical_username(username) or username
        account = InstagramAccount(username=key, user_id=str(4_000_000_000 + self._next_id()),
                                   full_name=key.replace(".", " ").replace("_", " ").title())
        for name, value in fields.items():
            setattr(account, name, value)
        self.instagram[key] = account
        return account

    def add_ig_post(self, username: str, taken_at: datetime, *, shortcode: str | None = None,
                    likers: Iterable[str] = (), like_at: datetime | None = None,
                    **fields: object) -> InstagramPost:
        owner = canonical_username(username) or username
        if owner not in self.instagram:
            self.add_instagram_account(owner)
        while shortcode is None or shortcode in self.ig_posts:
            shortcode = self._rng.choice("CD") + "".join(self._rng.choices(_CODE_CHARS, k=10))
        post = InstagramPost(shortcode=shortcode, pk=str(3_500_000_000_000 + self._next_id()),
                             owner=owner, taken_at=taken_at, caption=f"Kegiatan {owner}")
        for name, value in fields.items():
            setattr(post, name, value)
        self.ig_posts[shortcode] = post
        self.add_likers(shortcode, *likers, at=like_at or taken_at)
        return post

    def remove_ig_post(self, shortcode: str) -> None:
        del self.ig_posts[shortcode]

    def add_likers(self, shortcode: str, *usernames: str, at: datetime | None = None) -> None:
        post = self.ig_posts[shortcode]
        for name in usernames:
            post.likes.append(FakeEngagement(name, at or post.taken_at, str(self._next_id())))

    def remove_likers(self, shortcode: str, *usernames: str) -> None:
        gone = {canonical_username(n) for n in usernames}
        post = self.ig_posts[shortcode]
        post.likes = [e for e in post.likes if canonical_username(e.username) not in gone]

    def add_tiktok_account(self, username: str, sec_uid: str | None = None,
                           **fields: object) -> TikTokAccount:
        key = canonical_username(username) or username
        sec_uid = sec_uid or "MS4wLjABAAAA" + "".join(self._rng.choices(_CODE_CHARS, k=52))
        account = TikTokAccount(key, sec_uid, str(6_800_000_000_000_000_000 + self._next_id()),
                                key.replace("_", " ").title())
        for name, value in fields.items():
            setattr(account, name, value)
        self.tiktok[key] = account
        return account

    def add_video(self, username: str, create_time: datetime, *, video_id: str | None = None,
                  commenters: Iterable[str] = (), comment_at: datetime | None = None,
                  **fields: object) -> TikTokVideo:
        author = canonical_username(username) or username
        if author not in self.tiktok:
            self.add_tiktok_account(author)
        taken = {v.create_time for v in self.videos.values() if v.author == author}
        while create_time in taken:  # the posts cursor is a timestamp: keep them distinct
            create_time += timedelta(seconds=1)
        while video_id is None or video_id in self.videos:
            video_id = str((int(create_time.timestamp()) << 32) | self._rng.getrandbits(32))
        video = TikTokVideo(video_id, author, create_time, desc=f"Kegiatan {author}")
        for name, value in fields.items():
            setattr(video, name, value)
        self.videos[video_id] = video
        self.add_comments(video_id, *commenters, at=comment_at or create_time)
        return video

    def remove_video(self, video_id: str) -> None:
        del self.videos[video_id]

    def add_comments(self, video_id: str, *usernames: str, at: datetime | None = None) -> None:
        video = self.videos[video_id]
        for name in usernames:
            cid = str(7_300_000_000_000_000_000 + self._next_id())
            video.comments.append(FakeEngagement(name, at or video.create_time, cid,
                                             self._rng.choice(("Mantap", "Siap", "Salam presisi",
                                                               "Luar biasa", "👍"))))

    def remove_comments(self, video_id: str, *usernames: str) -> None:
        gone = {canonical_username(n) for n in usernames}
        video = self.videos[video_id]
        video.comments = [e for e in video.comments if canonical_username(e.username) not in gone]

    # --- what the API shows now ---------------------------------------------------------------

    def visible(self, moment: datetime) -> bool:
        return self.now is None or moment <= self.now()

    def _cutoff(self) -> datetime | None:
        """`now()` once per request, not once per item."""
        return self.now() if self.now is not None else None

    def ig_posts_of(self, username: str) -> list[InstagramPost]:
        """Pinned posts first, then newest first; only posts already uploaded."""
        owner = canonical_username(username)
        cutoff = self._cutoff()
        posts = [p for p in self.ig_posts.values()
                 if p.owner == owner and (cutoff is None or p.taken_at <= cutoff)]
        return sorted(posts, key=lambda p: (not p.pinned, -p.taken_at.timestamp()))

    def likers_of(self, shortcode: str) -> list[FakeEngagement]:
        """Oldest like first, so likes arriving between two pages land on a later page."""
        cutoff = self._cutoff()
        return sorted((e for e in self.ig_posts[shortcode].likes
                       if cutoff is None or e.at <= cutoff), key=lambda e: e.at)

    def tiktok_account(self, username: str | None = None,
                       sec_uid: str | None = None) -> TikTokAccount | None:
        if sec_uid:
            return next((a for a in self.tiktok.values() if a.sec_uid == sec_uid), None)
        return self.tiktok.get(canonical_username(username) or "")

    def videos_of(self, username: str) -> list[TikTokVideo]:
        author = canonical_username(username)
        cutoff = self._cutoff()
        videos = [v for v in self.videos.values()
                  if v.author == author and (cutoff is None or v.create_time <= cutoff)]
        return sorted(videos, key=lambda v: v.create_time, reverse=True)

    def comments_of(self, video_id: str) -> list[FakeEngagement]:
        cutoff = self._cutoff()
        return sorted((e for e in self.videos[video_id].comments
                       if cutoff is None or e.at <= cutoff), key=lambda e: e.at)

    def ground_truth_likes(self, shortcode: str) -> set[str]:
        return {n for e in self.likers_of(shortcode) if (n := canonical_username(e.username))}

    def ground_truth_comments(self, video_id: str) -> set[str]:
        return {n for e in self.comments_of(video_id) if (n := canonical_username(e.username))}

    # --- deterministic worlds -----------------------------------------------------------------

    @classmethod
    def generated(cls, clients: int = 40, today: date | None = None, tz: tzinfo | None = None,
                  seed: int = 0, now: Callable[[], datetime] | None = None) -> FakeWorld:
        """`clients` accounts on both platforms named `satker01`, … with a synthetic audience."""
        rng = random.Random(seed)
        audience: set[str] = set()
        while len(audience) < 1500:
            audience.add(rng.choice((
                f"{rng.choice(_WORDS)}.{rng.choice(_NAMES)}{rng.randint(1, 99)}",
                f"{rng.choice(_NAMES)}_{rng.choice(_PLACES)}{rng.randint(1, 999)}",
                f"{rng.choice(_WORDS)}{rng.choice(_PLACES)}")))
        names = [f"satker{n:02d}" for n in range(1, clients + 1)]
        return cls.build(names, [(f"{n}.official", None) for n in names], sorted(audience),
                         today=today, tz=tz, seed=seed, now=now)

    @classmethod
    def build(cls, instagram: Iterable[str], tiktok: Iterable[tuple[str, str | None]],
              audience: Sequence[str], *, today: date | None = None, tz: tzinfo | None = None,
              seed: int = 0, now: Callable[[], datetime] | None = None) -> FakeWorld:
        """A world for the given accounts (e.g. the demo's clients) whose likers and
        commenters are drawn from `audience` (e.g. the demo's personnel handles).

        Per Instagram account: 2-4 posts today (sometimes one just after midnight WIB,
        i.e. just after 17:00 UTC), 1-3 yesterday (sometimes one just before midnight), 4-10
        older ones (one possibly pinned); 50-600 likers on today's and yesterday's posts.
        Per TikTok account: 1-3 videos today, 1-2 yesterday, 3-6 older; comment threads with
        repeat commenters and upper-case handles.
        """
        world = cls(now, seed=seed)
        world.add_generated(instagram, tiktok, audience, today=today, tz=tz, seed=seed)
        return world

    def add_generated(self, instagram: Iterable[str], tiktok: Iterable[tuple[str, str | None]],
                      audience: Sequence[str], *, today: date | None = None,
                      tz: tzinfo | None = None, seed: int = 0) -> None:
        """More accounts with posts and engagement made as `build` makes them."""
        tz = tz or ZoneInfo("Asia/Jakarta")
        today = today or datetime.now(tz).date()
        maker = _Maker(self, random.Random(seed), list(audience), today, tz)
        for username in instagram:
            maker.instagram(username)
        for username, sec_uid in tiktok:
            maker.tiktok(username, sec_uid)


class _Maker:
    def __init__(self, world: FakeWorld, rng: random.Random, audience: list[str], today: date,
                 tz: tzinfo) -> None:
        self.world, self.rng, self.audience, self.today, self.tz = world, rng, audience, today, tz

    def _at(self, back: int, minute: int) -> datetime:
        return datetime.combine(self.today - timedelta(days=back), time.min, self.tz) + \
            timedelta(minutes=minute, seconds=self.rng.randint(0, 59))

    def _times(self) -> list[tuple[datetime, bool]]:
        """(moment, busy) for one account's posts: busy ones get hundreds of engagements."""
        rng = self.rng
        times = [(self._at(0, rng.randrange(360, 960)), True) for _ in range(rng.randint(2, 4))]
        if rng.random() < 0.3:
            times[0] = (self._at(0, rng.randrange(1, 30)), True)  # 17:0x UTC the day before
        times += [(self._at(1, rng.randrange(360, 1410)), True) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            times.append((self._at(1, rng.randrange(1410, 1439)), True))  # 16:3x-16:59 UTC
        return times

    def _crowd(self, low: int, high: int, when: datetime, hours: float) -> list[FakeEngagement]:
        rng = self.rng
        size = min(len(self.audience), rng.randint(low, high))
        crowd = []
        for name in rng.sample(self.audience, size):
            shown = name.upper() if rng.random() < 0.05 else (
                name.capitalize() if rng.random() < 0.1 else name)
            at = when + timedelta(seconds=rng.uniform(60, hours * 3600))
            crowd.append(FakeEngagement(shown, at))
        return crowd

    def instagram(self, username: str) -> None:
        rng, world = self.rng, self.world
        world.add_instagram_account(username, follower_count=rng.randint(800, 90_000),
                                    following_count=rng.randint(20, 600))
        old = [(self._at(rng.randint(2, 20), rng.randrange(360, 1200)), False)
               for _ in range(rng.randint(4, 10))]
        pinned = old[0][0] if rng.random() < 0.3 else None
        for taken_at, busy in self._times() + old:
            media_type = rng.choices((1, 2, 8), (60, 25, 15))[0]
            post = world.add_ig_post(username, taken_at, media_type=media_type,
                                     carousel_size=rng.randint(2, 5) if media_type == 8 else 0,
                                     pinned=taken_at == pinned,
                                     comment_count=rng.randint(0, 30))
            post.likes = (self._crowd(50, 600, taken_at, 12) if busy
                          else self._crowd(0, 40, taken_at, 24))

    def tiktok(self, username: str, sec_uid: str | None) -> None:
        rng, world = self.rng, self.world
        world.add_tiktok_account(username, sec_uid)
        times = [(t, busy) for t, busy in self._times() if busy][: rng.randint(2, 5)]
        times += [(self._at(rng.randint(2, 20), rng.randrange(360, 1200)), False)
                  for _ in range(rng.randint(3, 6))]
        for created, busy in times:
            video = world.add_video(username, created, play_count=rng.randint(300, 60_000))
            crowd = self._crowd(20, 250, created, 12) if busy else self._crowd(0, 20, created, 24)
            repeats = [FakeEngagement(e.username.lower(),
                                      e.at + timedelta(minutes=rng.randint(1, 90)))
                       for e in crowd if rng.random() < 0.15]
            for engagement in crowd + repeats:
                world.add_comments(video.video_id, engagement.username, at=engagement.at)

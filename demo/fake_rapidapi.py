"""A fake RapidAPI server (Starlette) speaking the Instagram and TikTok shapes we consume.

One app serves both products (their paths do not overlap: `/v1/...` and `/api/...`), so
`RAPIDAPI_INSTAGRAM_URL` and `RAPIDAPI_TIKTOK_URL` can both point at it. It checks the
`x-rapidapi-key` header, records every request (per-endpoint counts, in-flight maximum,
arrival times, the `x-rapidapi-host` sent) and injects faults by configuration (`Faults`,
probabilities per request with a seeded RNG) or by script (`FakeRapidApi.inject`).
"""

from __future__ import annotations

import asyncio
import base64
import random
import socket
import threading
import time
import zlib
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from demo.fake_world import FakeEngagement, FakeWorld, InstagramPost, TikTokVideo

Answer = tuple[int, dict[str, Any]]


@dataclass
class Faults:
    """Per-request fault probabilities; `paths` limits them to some endpoints (empty: all)."""

    rate_429: float = 0.0
    retry_after: float = 1.0
    rate_500: float = 0.0
    latency: float = 0.0  # added to every response
    malformed_rate: float = 0.0
    seed: int = 0
    rate_slow: float = 0.0
    slow: float = 5.0  # seconds a "slow" response takes (to provoke client timeouts)
    paths: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    params: dict[str, str]
    at: float  # time.monotonic() on arrival
    host: str | None  # the x-rapidapi-host header
    cache_control: str | None


def _token(prefix: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{prefix}:{offset}".encode()).decode().rstrip("=")


def _offset(token: str | None, prefix: str) -> int | None:
    """The offset inside one of our tokens; 0 without one; None for a foreign token."""
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        found, _, number = text.rpartition(":")
        return int(number) if found == prefix else None
    except ValueError:
        return None


def _pk(name: str) -> str:
    return str(zlib.crc32(name.lower().encode()) + 1_000_000)


class FakeRapidApi:
    def __init__(self, world: FakeWorld, faults: Faults | None = None, *,
                 api_key: str | None = None, posts_page_size: int = 12,
                 likes_page_size: int = 50) -> None:
        self.world = world
        self.faults = faults or Faults()
        self.api_key = api_key  # None: any non-empty key is accepted
        self.posts_page_size = posts_page_size
        self.likes_page_size = likes_page_size
        self.counts: Counter[str] = Counter()
        self.requests: list[RecordedRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._script: dict[str, deque[str]] = {}
        self._rng = random.Random(self.faults.seed)
        routes = {"/v1/posts": self.ig_posts, "/v1/likes": self.ig_likes,
                  "/v1/info": self.ig_info, "/v1/post_info": self.ig_post_info,
                  "/api/user/info": self.tt_user_info, "/api/user/posts": self.tt_user_posts,
                  "/api/post/comments": self.tt_comments, "/api/post/detail": self.tt_detail}
        self.app = Starlette(routes=[Route(path, self._endpoint(answer))
                                     for path, answer in routes.items()])
        self.app.state.fake = self

    # --- recording and faults -----------------------------------------------------------------

    def inject(self, *outcomes: str | int, path: str = "*") -> None:
        """Force the next responses (of `path`, or of any path): a status code (`429`, `500`,
        `404`...), `"429:0.3"` (Retry-After 0.3), `"malformed"`, `"empty"`, `"slow"` /
        `"slow:2"` (seconds), or `"ok"`."""
        self._script.setdefault(path, deque()).extend(str(o) for o in outcomes)

    def reset(self) -> None:
        self.counts.clear()
        self.requests.clear()
        self.max_in_flight = self.in_flight

    def _next_fault(self, path: str) -> str | None:
        for key in (path, "*"):
            if self._script.get(key):
                return self._script[key].popleft()
        faults = self.faults
        if faults.paths and path not in faults.paths:
            return None
        draw = self._rng.random()
        for outcome, rate in (("429", faults.rate_429), ("500", faults.rate_500),
                              ("malformed", faults.malformed_rate), ("slow", faults.rate_slow)):
            if draw < rate:
                return outcome
            draw -= rate
        return None

    async def _fault_response(self, fault: str) -> Response | None:
        kind, _, argument = fault.partition(":")
        if kind == "ok":
            return None
        if kind == "slow":
            await asyncio.sleep(float(argument or self.faults.slow))
            return None
        if kind == "malformed":
            return Response(b'{"data": {"items": [{"code": "Cx', media_type="application/json")
        if kind == "empty":
            return Response(b"", media_type="application/json")
        status = int(kind)
        headers = {}
        if status == 429:
            headers["Retry-After"] = argument or f"{self.faults.retry_after:g}"
            return JSONResponse({"message": "Too many requests"}, 429, headers)
        return JSONResponse({"message": f"Fake error {status}"}, status)

    def _endpoint(self, answer: Callable[[dict[str, str]], Answer]
                  ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            path = request.url.path
            self.counts[path] += 1
            self.requests.append(RecordedRequest(
                path, dict(request.query_params), time.monotonic(),
                request.headers.get("x-rapidapi-host"), request.headers.get("x-cache-control")))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                if self.faults.latency:
                    await asyncio.sleep(self.faults.latency)
                key = request.headers.get("x-rapidapi-key")
                if not key:
                    return JSONResponse({"message": "Missing RapidAPI application key."}, 401)
                if self.api_key is not None and key != self.api_key:
                    return JSONResponse({"message": "You are not subscribed to this API."}, 403)
                fault = self._next_fault(path)
                if fault and (response := await self._fault_response(fault)):
                    return response
                status, body = answer(dict(request.query_params))
                return JSONResponse(body, status)
            finally:
                self.in_flight -= 1

        return endpoint

    # --- Instagram ----------------------------------------------------------------------------

    def _ig_item(self, post: InstagramPost) -> dict[str, Any]:
        account = self.world.instagram[post.owner]
        image = f"https://fake.cdninstagram.com/{post.shortcode}.jpg"
        item: dict[str, Any] = {
            "id": f"{post.pk}_{account.user_id}", "pk": post.pk, "code": post.shortcode,
            "taken_at": int(post.taken_at.timestamp()), "media_type": post.media_type,
            "is_video": post.media_type == 2,
            "caption": {"text": post.caption, "created_at": int(post.taken_at.timestamp())},
            "like_count": len(self.world.likers_of(post.shortcode)),
            "comment_count": post.comment_count, "thumbnail_url": image, "display_url": image,
            "image_versions": {"items": [{"url": image, "width": 1080, "height": 1350}]},
            "user": {"id": account.user_id, "username": account.username,
                     "full_name": account.full_name, "is_private": False, "is_verified": True,
                     "profile_pic_url": f"https://fake.cdninstagram.com/{account.username}.jpg"},
            "is_pinned": post.pinned, "hashtags": ["presisi"],
        }
        if post.media_type == 2:
            item["video_url"] = f"https://fake.cdninstagram.com/{post.shortcode}.mp4"
            item["video_versions"] = [{"url": item["video_url"]}]
        if post.media_type == 8:
            item["carousel_media"] = [
                {"id": f"{post.pk}{n}", "media_type": 1, "is_video": False,
                 "image_versions": {"items": [{"url": f"{image[:-4]}_{n}.jpg"}]},
                 "original_width": 1080, "original_height": 1350, "tagged_users": []}
                for n in range(post.carousel_size)]
        return item

    def ig_posts(self, params: dict[str, str]) -> Answer:
        username = params.get("username_or_id_or_url", "")
        if username.lower() not in self.world.instagram:
            return 404, {"detail": "User not found"}
        if self.world.instagram[username.lower()].is_private:  # the feed is hidden
            return 200, {"data": {"items": [], "count": 0,
                                  "user": {"username": username.lower(), "is_private": True}},
                         "pagination_token": ""}
        start = _offset(params.get("pagination_token"), username.lower())
        if start is None:
            return 400, {"detail": "Invalid pagination_token"}
        posts = self.world.ig_posts_of(username)
        page = posts[start:start + self.posts_page_size]
        end = start + len(page)
        return 200, {"data": {"items": [self._ig_item(p) for p in page], "count": len(page),
                              "user": {"username": username.lower()}},
                     "pagination_token": _token(username.lower(), end) if end < len(posts) else ""}

    def ig_likes(self, params: dict[str, str]) -> Answer:
        shortcode = params.get("code_or_id_or_url", "")
        if shortcode not in self.world.ig_posts:
            return 404, {"detail": "Media not found"}
        start = _offset(params.get("cursor"), shortcode)
        if start is None:
            return 400, {"detail": "Invalid cursor"}
        likers = self.world.likers_of(shortcode)
        page = likers[start:start + self.likes_page_size]
        items = [{"id": _pk(e.username), "pk": _pk(e.username), "username": e.username,
                  "full_name": e.username.title(), "is_private": False, "is_verified": False,
                  "profile_pic_url": "https://fake.cdninstagram.com/p.jpg"} for e in page]
        data: dict[str, Any] = {"items": items, "count": len(likers)}
        if len(likers) > self.likes_page_size or start:  # a chain, not a single-page answer
            more = start + len(page) < len(likers)
            data["has_more"] = more
            if more:
                data["next_cursor"] = _token(shortcode, start + len(page))
        return 200, {"data": data}

    def ig_info(self, params: dict[str, str]) -> Answer:
        account = self.world.instagram.get(params.get("username_or_id_or_url", "").lower())
        if account is None:
            return 404, {"detail": "User not found"}
        return 200, {"data": {
            "id": account.user_id, "username": account.username, "full_name": account.full_name,
            "biography": "Akun resmi", "follower_count": account.follower_count,
            "following_count": account.following_count,
            "media_count": len(self.world.ig_posts_of(account.username)),
            "is_private": account.is_private,
            "is_verified": True, "profile_pic_url": "https://fake.cdninstagram.com/p.jpg"}}

    def ig_post_info(self, params: dict[str, str]) -> Answer:
        post = self.world.ig_posts.get(params.get("code_or_id_or_url", ""))
        if post is None or not self.world.visible(post.taken_at):
            return 404, {"detail": "Media not found"}
        return 200, {"data": {**self._ig_item(post),
                              "metrics": {"like_count": len(self.world.likers_of(post.shortcode)),
                                          "comment_count": post.comment_count}}}

    # --- TikTok -------------------------------------------------------------------------------

    def _tt_item(self, video: TikTokVideo) -> dict[str, Any]:
        account = self.world.tiktok[video.author]
        comments = len(self.world.comments_of(video.video_id))
        stats = {"diggCount": comments * 3 + 17, "commentCount": comments,
                 "playCount": video.play_count, "shareCount": comments // 5,
                 "collectCount": comments // 7}
        return {"id": video.video_id, "desc": video.desc,
                "createTime": int(video.create_time.timestamp()), "stats": stats,
                "statsV2": {k: str(v) for k, v in stats.items() if k != "collectCount"},
                "author": {"uniqueId": account.username, "secUid": account.sec_uid,
                           "nickname": account.nickname},
                "video": {"cover": f"https://fake.tiktokcdn.com/{video.video_id}.jpeg"}}

    def tt_user_info(self, params: dict[str, str]) -> Answer:
        account = self.world.tiktok_account(params.get("uniqueId"))
        if account is None:
            return 200, {"statusCode": 10221, "status_msg": "user not exist"}
        videos = len(self.world.videos_of(account.username))
        return 200, {"statusCode": 0, "userInfo": {
            "user": {"id": account.user_id, "uniqueId": account.username,
                     "nickname": account.nickname, "secUid": account.sec_uid,
                     "avatarThumb": "https://fake.tiktokcdn.com/a.jpeg", "verified": True,
                     "privateAccount": account.is_private, "signature": "Akun resmi"},
            "stats": {"followerCount": 5000 + videos, "followingCount": 42, "heart": 90_000,
                      "heartCount": 90_000, "videoCount": videos, "diggCount": 12}}}

    def tt_user_posts(self, params: dict[str, str]) -> Answer:
        if params.get("secUid"):
            account = self.world.tiktok_account(sec_uid=params["secUid"])
        elif self.world.require_sec_uid:
            return 400, {"error": "missing required params"}
        else:
            account = self.world.tiktok_account(params.get("uniqueId"))
        if account is None:
            return 200, {"statusCode": 10221, "status_msg": "user not exist"}
        if account.is_private:
            return 200, {"statusCode": 10222, "status_msg": "author is private"}
        count = max(1, min(int(params.get("count") or 30), 35))
        cursor = int(params.get("cursor") or 0)
        videos = [v for v in self.world.videos_of(account.username)
                  if not cursor or v.create_time.timestamp() * 1000 < cursor]
        page = videos[:count]
        next_cursor = int(page[-1].create_time.timestamp() * 1000) if page else cursor
        return 200, {"data": {"itemList": [self._tt_item(v) for v in page],
                              "cursor": str(next_cursor), "hasMore": len(videos) > count}}

    def tt_comments(self, params: dict[str, str]) -> Answer:
        video_id = params.get("videoId", "")
        if video_id not in self.world.videos:
            return 200, {"comments": None, "total": 0, "cursor": 0, "has_more": 0,
                         "status_code": 0}
        count = max(1, int(params.get("count") or 20))
        cursor = max(0, int(params.get("cursor") or 0))
        comments = self.world.comments_of(video_id)
        page = comments[cursor:cursor + count]
        return 200, {"comments": [self._comment(video_id, e) for e in page],
                     "total": len(comments), "cursor": cursor + count,
                     "has_more": int(cursor + count < len(comments)), "status_code": 0}

    @staticmethod
    def _comment(video_id: str, engagement: FakeEngagement) -> dict[str, Any]:
        return {"cid": engagement.id, "text": engagement.text, "aweme_id": video_id,
                "create_time": int(engagement.at.timestamp()), "digg_count": 0,
                "user": {"uid": _pk(engagement.username), "unique_id": engagement.username,
                         "nickname": engagement.username.title(),
                         "sec_uid": "MS4wLjABAAAA" + _pk(engagement.username)}}

    def tt_detail(self, params: dict[str, str]) -> Answer:
        video = self.world.videos.get(params.get("videoId", ""))
        if video is None or not self.world.visible(video.create_time):
            return 200, {"statusCode": 10204, "statusMsg": "item doesn't exist"}
        return 200, {"statusCode": 0, "itemInfo": {"itemStruct": self._tt_item(video)}}


def create_fake_app(world: FakeWorld, faults: Faults | None = None, *,
                    api_key: str | None = None) -> Starlette:
    """The fake as an ASGI app; its recorder/controller is `app.state.fake` (`FakeRapidApi`)."""
    return FakeRapidApi(world, faults, api_key=api_key).app


class FakeServer:
    """Serve an ASGI app with uvicorn in a daemon thread on a free loopback port."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app, self.host, self.port = app, host, port
        self._server: uvicorn.Server | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        self._server = uvicorn.Server(uvicorn.Config(self.app, log_level="error",
                                                     timeout_keep_alive=30))
        threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                         daemon=True).start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake RapidAPI server did not start")
            time.sleep(0.01)
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True

    def __enter__(self) -> FakeServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_fake_rapidapi(host: str = "127.0.0.1", port: int = 8765, *, clients: int = 40,
                        seed: int = 0, faults: Faults | None = None,
                        api_key: str | None = None) -> None:
    """Blocking: what `cicero dev fake-rapidapi` runs. The world is generated for today's
    business date and follows the real clock, so likes and comments accumulate over time."""
    from cicero.clock import clock

    world = FakeWorld.generated(clients, clock.today(), clock.tz, seed, now=clock.now)
    uvicorn.run(create_fake_app(world, faults, api_key=api_key), host=host, port=port,
                log_level="warning")

"""Re-share links (amplification evidence): found in a message, classified by host, reduced to
one canonical form with tracking parameters dropped. Pure functions, stdlib only.

The five platforms of a link report are Instagram, Facebook, X/Twitter, TikTok and YouTube.
Canonical forms: `https://www.instagram.com/p/<code>` (reel/tv kept as such),
`https://www.facebook.com/<path>` (or `fb.watch`), `https://x.com/<path>`,
`https://www.tiktok.com/<path>` (or the `vt.`/`vm.` short link), and
`https://www.youtube.com/watch?v=<id>` / `/shorts/<id>`. Queries are dropped except the few
parameters that name the content (Facebook's `story_fbid`, `fbid`, `id`, `v`; YouTube's `v`);
fragments always. Why a link is refused is a `Refusal`; its wording lives in menus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qsl, urlencode, urlsplit

MAX_URL_LENGTH = 500


class LinkPlatform(StrEnum):
    """In the order of the reference's columns and recaps."""

    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    TWITTER = "twitter"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"


class Refusal(StrEnum):
    NOT_A_URL = "not_a_url"  # no http(s) URL at all
    OTHER_SITE = "other_site"  # a URL, but of none of the five platforms
    NO_CONTENT = "no_content"  # the platform's home page, nothing shared
    TOO_LONG = "too_long"


class NotAShareLink(ValueError):
    def __init__(self, raw: str, refusal: Refusal) -> None:
        super().__init__(f"{refusal.value}: {raw}")
        self.raw = raw
        self.refusal = refusal


@dataclass(frozen=True)
class ShareLink:
    platform: LinkPlatform
    url: str  # canonical
    shortcode: str | None = None  # an Instagram post's code, to recognise official posts


_HOSTS: dict[str, LinkPlatform] = {
    "instagram.com": LinkPlatform.INSTAGRAM, "instagr.am": LinkPlatform.INSTAGRAM,
    "facebook.com": LinkPlatform.FACEBOOK, "fb.com": LinkPlatform.FACEBOOK,
    "fb.watch": LinkPlatform.FACEBOOK, "fb.me": LinkPlatform.FACEBOOK,
    "twitter.com": LinkPlatform.TWITTER, "x.com": LinkPlatform.TWITTER,
    "tiktok.com": LinkPlatform.TIKTOK, "vt.tiktok.com": LinkPlatform.TIKTOK,
    "vm.tiktok.com": LinkPlatform.TIKTOK,
    "youtube.com": LinkPlatform.YOUTUBE, "youtu.be": LinkPlatform.YOUTUBE,
}
_HOST_PREFIXES = ("www.", "m.", "mobile.", "web.", "mbasic.", "touch.", "l.")
_INSTAGRAM_CONTENT = {"p": "p", "reel": "reel", "reels": "reel", "tv": "tv"}
_FACEBOOK_KEEP = ("story_fbid", "fbid", "id", "v")
_SHORTCODE_RE = re.compile(r"[A-Za-z0-9_-]{5,64}")
_YOUTUBE_ID_RE = re.compile(r"[A-Za-z0-9_-]{6,20}")
_BARE_HOSTS = "|".join(re.escape(host) for host in sorted(_HOSTS, key=len, reverse=True))
# A URL with a scheme, `www.…`, or a known platform host written without a scheme.
_URL_RE = re.compile(
    rf"(?:https?://|www\.|(?<![\w.@/-])(?:[a-z]+\.)?(?:{_BARE_HOSTS})/)\S*", re.IGNORECASE)
_TRAILING = ".,;:!?)]}>\"'…"
_STYLES = "*_~"  # WhatsApp bold, italic, strike: stripped only when they also open the URL


def find_urls(text: str) -> list[str]:
    """The URLs written in a message, in order, without trailing punctuation or WhatsApp
    styling around them, each once. (`_` and `-` may end an Instagram code, so a trailing
    `_` goes only when one opens the URL too.)"""
    found = []
    for match in _URL_RE.finditer(text or ""):
        url = match.group(0)
        opening = text[match.start() - 1] if match.start() else ""
        while True:
            stripped = url.rstrip(_TRAILING)
            if opening and opening in _STYLES:
                stripped = stripped.rstrip(opening)
            if stripped == url:
                break
            url = stripped
        found.append(url)
    return list(dict.fromkeys(url for url in found if url))


def _host(netloc: str) -> str:
    host = netloc.rsplit("@", 1)[-1].split(":", 1)[0].lower().rstrip(".")
    while host not in _HOSTS and host.startswith(_HOST_PREFIXES):
        host = host.split(".", 1)[1]
    return host


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def classify(raw: str) -> ShareLink:
    """The canonical share link of `raw`, or NotAShareLink saying why not."""
    text = (raw or "").strip().rstrip(_TRAILING)
    if not re.match(r"https?://", text, re.IGNORECASE):
        if not _URL_RE.match(text):
            raise NotAShareLink(raw, Refusal.NOT_A_URL)
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        raise NotAShareLink(raw, Refusal.NOT_A_URL) from None
    host = _host(parts.netloc)
    platform = _HOSTS.get(host)
    if platform is None:
        raise NotAShareLink(raw, Refusal.NOT_A_URL if not host or "." not in host
                            else Refusal.OTHER_SITE)
    segments = _segments(parts.path)
    query = dict(parse_qsl(parts.query, keep_blank_values=False))
    link = _CANONICAL[platform](host, segments, query)
    if link is None:
        raise NotAShareLink(raw, Refusal.NO_CONTENT)
    if len(link.url) > MAX_URL_LENGTH:
        raise NotAShareLink(raw, Refusal.TOO_LONG)
    return link


def _instagram(host: str, segments: list[str], query: dict[str, str]) -> ShareLink | None:
    if not segments:
        return None
    for index, segment in enumerate(segments[:-1]):  # /p/<code>, also /<user>/p/<code>
        kind = _INSTAGRAM_CONTENT.get(segment.lower())
        if kind and _SHORTCODE_RE.fullmatch(segments[index + 1]):
            code = segments[index + 1]
            return ShareLink(LinkPlatform.INSTAGRAM,
                             f"https://www.instagram.com/{kind}/{code}", code)
    return ShareLink(LinkPlatform.INSTAGRAM, "https://www.instagram.com/" + "/".join(segments))


def _facebook(host: str, segments: list[str], query: dict[str, str]) -> ShareLink | None:
    kept = [(key, query[key]) for key in _FACEBOOK_KEEP if query.get(key)]
    if not segments and not kept:
        return None
    base = "https://fb.watch/" if host in ("fb.watch", "fb.me") else "https://www.facebook.com/"
    if host == "fb.me":
        base = "https://fb.me/"
    url = base + "/".join(segments)
    return ShareLink(LinkPlatform.FACEBOOK, f"{url}?{urlencode(kept)}" if kept else url)


def _twitter(host: str, segments: list[str], query: dict[str, str]) -> ShareLink | None:
    if not segments:
        return None
    return ShareLink(LinkPlatform.TWITTER, "https://x.com/" + "/".join(segments))


def _tiktok(host: str, segments: list[str], query: dict[str, str]) -> ShareLink | None:
    if not segments:
        return None
    base = f"https://{host}/" if host != "tiktok.com" else "https://www.tiktok.com/"
    return ShareLink(LinkPlatform.TIKTOK, base + "/".join(segments))


def _youtube(host: str, segments: list[str], query: dict[str, str]) -> ShareLink | None:
    watch = "https://www.youtube.com/watch?v="
    if host == "youtu.be":
        if segments and _YOUTUBE_ID_RE.fullmatch(segments[0]):
            return ShareLink(LinkPlatform.YOUTUBE, watch + segments[0])
        return None
    if segments[:1] == ["watch"]:
        video = query.get("v", "")
        return ShareLink(LinkPlatform.YOUTUBE, watch + video) \
            if _YOUTUBE_ID_RE.fullmatch(video) else None
    if not segments:
        return None
    return ShareLink(LinkPlatform.YOUTUBE, "https://www.youtube.com/" + "/".join(segments))


_CANONICAL = {LinkPlatform.INSTAGRAM: _instagram, LinkPlatform.FACEBOOK: _facebook,
              LinkPlatform.TWITTER: _twitter, LinkPlatform.TIKTOK: _tiktok,
              LinkPlatform.YOUTUBE: _youtube}


@dataclass(frozen=True)
class MessageLinks:
    """What a message holds: the share links understood (each once, in order) and the URLs
    refused with the reason."""

    links: tuple[ShareLink, ...]
    refused: tuple[NotAShareLink, ...]

    @property
    def empty(self) -> bool:
        return not self.links and not self.refused


def read_message(text: str) -> MessageLinks:
    links: list[ShareLink] = []
    refused: list[NotAShareLink] = []
    for raw in find_urls(text):
        try:
            link = classify(raw)
        except NotAShareLink as exc:
            refused.append(exc)
            continue
        if link not in links:
            links.append(link)
    return MessageLinks(tuple(links), tuple(refused))

"""Re-share links: found in a message, classified by host, canonical, tracking dropped."""

from __future__ import annotations

import pytest

from storage.share_links import (
    LinkPlatform,
    NotAShareLink,
    Refusal,
    classify,
    find_urls,
    read_message,
)


@pytest.mark.parametrize(("raw", "platform", "url"), [
    ("https://www.instagram.com/p/DAbc123xyz/?igsh=MWx0bnd4&utm_source=ig_web_copy_link",
     "instagram", "https://www.instagram.com/p/DAbc123xyz"),
    ("instagram.com/reels/C9zY_x-1ab/", "instagram", "https://www.instagram.com/reel/C9zY_x-1ab"),
    ("https://instagram.com/budi.s/p/DAbc123xyz?img_index=2", "instagram",
     "https://www.instagram.com/p/DAbc123xyz"),
    ("https://www.instagram.com/stories/budi.s/3512345678901234567?igsh=x", "instagram",
     "https://www.instagram.com/stories/budi.s/3512345678901234567"),
    ("https://m.facebook.com/story.php?story_fbid=pfbid02abc&id=100012345&mibextid=Nif5oz",
     "facebook", "https://www.facebook.com/story.php?story_fbid=pfbid02abc&id=100012345"),
    ("https://www.facebook.com/share/p/1AbCdEfGh/?mibextid=WC7FNe", "facebook",
     "https://www.facebook.com/share/p/1AbCdEfGh"),
    ("https://web.facebook.com/watch/?v=123456789&rdid=abc", "facebook",
     "https://www.facebook.com/watch?v=123456789"),
    ("https://fb.watch/uAbCd12/", "facebook", "https://fb.watch/uAbCd12"),
    ("https://twitter.com/budi_s/status/1865432101234567890?s=46&t=AbCd", "twitter",
     "https://x.com/budi_s/status/1865432101234567890"),
    ("https://x.com/budi_s/status/1865432101234567890", "twitter",
     "https://x.com/budi_s/status/1865432101234567890"),
    ("https://www.tiktok.com/@budi.tt/video/7445123456789012345?is_from_webapp=1&sender_device=pc",
     "tiktok", "https://www.tiktok.com/@budi.tt/video/7445123456789012345"),
    ("https://vt.tiktok.com/ZSjAbCdEf/", "tiktok", "https://vt.tiktok.com/ZSjAbCdEf"),
    ("https://youtu.be/dQw4w9WgXcQ?si=AbCdEfGh", "youtube",
     "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&feature=share&t=10", "youtube",
     "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("https://youtube.com/shorts/AbCdEfGhIjK?si=xyz", "youtube",
     "https://www.youtube.com/shorts/AbCdEfGhIjK"),
])
def test_a_link_is_classified_by_host_and_canonical(raw: str, platform: str, url: str) -> None:
    link = classify(raw)
    assert (link.platform, link.url) == (LinkPlatform(platform), url)


def test_an_instagram_post_link_carries_its_shortcode() -> None:
    assert classify("https://www.instagram.com/p/DAbc123xyz/").shortcode == "DAbc123xyz"
    assert classify("https://www.instagram.com/budi.s").shortcode is None


@pytest.mark.parametrize(("raw", "refusal"), [
    ("https://www.google.com/search?q=polri", Refusal.OTHER_SITE),
    ("https://bit.ly/3abcd", Refusal.OTHER_SITE),
    ("https://www.facebook.com/", Refusal.NO_CONTENT),
    ("https://youtu.be/", Refusal.NO_CONTENT),
    ("https://www.youtube.com/watch?feature=share", Refusal.NO_CONTENT),
    ("ftp://instagram.com/p/x", Refusal.NOT_A_URL),
    ("sudah saya share", Refusal.NOT_A_URL),
])
def test_what_is_not_a_share_link_is_refused_with_the_reason(raw: str,
                                                             refusal: Refusal) -> None:
    with pytest.raises(NotAShareLink) as caught:
        classify(raw)
    assert caught.value.refusal is refusal


def test_urls_are_found_in_a_message_without_punctuation_or_styling() -> None:
    text = ("Lapor komandan: *https://www.instagram.com/p/AAAAA11111/*, "
            "fb: facebook.com/share/p/1AbC. dan (https://x.com/a/status/1).\n"
            "https://x.com/a/status/1 sekali lagi, email budi@instagram.com")
    assert find_urls(text) == ["https://www.instagram.com/p/AAAAA11111/",
                               "facebook.com/share/p/1AbC", "https://x.com/a/status/1"]
    # `_` and `-` may end an Instagram code: kept unless the URL is in _italics_
    assert find_urls("https://www.instagram.com/p/KUF1e8OyFm_ dan "
                     "_https://www.instagram.com/p/AbCdEfGh-_") == [
        "https://www.instagram.com/p/KUF1e8OyFm_", "https://www.instagram.com/p/AbCdEfGh-"]
    assert classify("https://www.instagram.com/p/KUF1e8OyFm_").shortcode == "KUF1e8OyFm_"


def test_a_message_is_read_into_links_and_refusals() -> None:
    read = read_message("https://fb.watch/abc/ https://fb.watch/abc https://example.com/x")
    assert [link.url for link in read.links] == ["https://fb.watch/abc"]
    assert [exc.refusal for exc in read.refused] == [Refusal.OTHER_SITE]
    assert read_message("lapor").empty

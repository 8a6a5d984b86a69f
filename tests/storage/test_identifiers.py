"""Tests for storage.identifiers: example tables plus hypothesis properties."""

import re

import phonenumbers
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from storage.identifiers import (
    InvalidGroupJid,
    InvalidIdentifier,
    InvalidNrp,
    InvalidPhone,
    InvalidUsername,
    NrpBadLength,
    NrpNotNumeric,
    canonical_username,
    is_group_jid,
    jid_to_phone,
    normalize_group_jid,
    normalize_nrp,
    normalize_phone,
    nrp_in_message,
    parse_instagram_username,
    parse_platform_username,
    parse_tiktok_username,
    phone_list,
    phone_to_jid,
)

PHONE_RE = re.compile(r"[1-9][0-9]{9,14}")
IG_RE = re.compile(r"[a-z0-9._]{1,30}")
TT_RE = re.compile(r"[a-z0-9._]{1,24}")
NRP_RE = re.compile(r"[0-9]{6,12}|[0-9]{18}")
GROUP_RE = re.compile(r"([0-9]{16,22}|[0-9]{10,15}-[0-9]{8,12})@g\.us")

SLOW = settings(deadline=None, max_examples=200, database=None)

# ------------------------------------------------------------------ exceptions


def test_exception_hierarchy() -> None:
    for cls in (InvalidPhone, InvalidUsername, InvalidNrp, InvalidGroupJid):
        assert issubclass(cls, InvalidIdentifier)
        assert str(cls())  # every class has a default user-facing sentence
    assert issubclass(InvalidIdentifier, ValueError)
    assert str(InvalidPhone("Pesan khusus.")) == "Pesan khusus."


# ------------------------------------------------------------------ phones: examples


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("081234567890", "6281234567890"),
        ("+62 812-3456-7890", "6281234567890"),
        ("+6281234567890", "6281234567890"),
        ("6281234567890", "6281234567890"),
        ("62 812 3456 7890", "6281234567890"),
        ("81234567890", "6281234567890"),
        ("(0812) 3456 7890", "6281234567890"),
        ("(+62) 812-3456-7890", "6281234567890"),
        ("0812.3456.7890", "6281234567890"),
        ("  081234567890\n", "6281234567890"),
        ("+62 0812 3456 7890", "6281234567890"),
        ("006281234567890", "6281234567890"),
        ("6281234567890@s.whatsapp.net", "6281234567890"),
        ("6281234567890@c.us", "6281234567890"),
        ("6281234567890:12@s.whatsapp.net", "6281234567890"),
        ("6281234567890@S.WHATSAPP.NET", "6281234567890"),
        ("0811234567", "62811234567"),
        ("+14155552671", "14155552671"),
        ("+1 (415) 555-2671", "14155552671"),
        ("0014155552671", "14155552671"),
        ("14155552671", "14155552671"),
        ("14155552671@s.whatsapp.net", "14155552671"),
        ("+44 7911 123456", "447911123456"),
        ("+8613812345678", "8613812345678"),
        ("8613812345678", "8613812345678"),
    ],
)
def test_normalize_phone_accepts(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "abc",
        "0812abc4567",
        "0812-3456-789O",  # letter O
        "120363012345678901@g.us",
        "6281234567890-1581234567@g.us",
        "6281234567890-1581234567",
        "6281234567890@lid",
        "6281234567890@example.com",
        "@s.whatsapp.net",
        "0812",
        "08123",
        "62812",
        "+62 812 3456 7890 1234 56",
        "081234567890123456",
        "+0812345678",
        "62+81234567890",
        "+",
        "+1 415 555 2671 ext. 3",
        "١٢٣٤٥٦٧٨٩٠١",  # non-ASCII digits
        "+81 3-1234-5678",  # reads back as 0813-1234-5678: ambiguous, rejected
    ],
)
def test_normalize_phone_rejects(raw: str) -> None:
    with pytest.raises(InvalidPhone):
        normalize_phone(raw)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "kosong"),
        ("abc", "angka"),
        ("120363012345678901@g.us", "grup"),
        ("0812", "tidak valid"),
    ],
)
def test_normalize_phone_messages_are_indonesian(raw: str, words: str) -> None:
    with pytest.raises(InvalidPhone) as info:
        normalize_phone(raw)
    assert words in str(info.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("081234567890", "6281234567890@s.whatsapp.net"),
        ("+62 812-3456-7890", "6281234567890@s.whatsapp.net"),
        ("6281234567890:3@s.whatsapp.net", "6281234567890@s.whatsapp.net"),
        ("+14155552671", "14155552671@s.whatsapp.net"),
    ],
)
def test_phone_to_jid(raw: str, expected: str) -> None:
    assert phone_to_jid(raw) == expected


@pytest.mark.parametrize(
    ("jid", "expected"),
    [
        ("6281234567890@s.whatsapp.net", "6281234567890"),
        ("6281234567890@c.us", "6281234567890"),
        ("6281234567890:12@s.whatsapp.net", "6281234567890"),
        ("14155552671@s.whatsapp.net", "14155552671"),
    ],
)
def test_jid_to_phone(jid: str, expected: str) -> None:
    assert jid_to_phone(jid) == expected


@pytest.mark.parametrize(
    "jid", ["120363012345678901@g.us", "6281234567890-1581234567@g.us", "123@lid"]
)
def test_jid_to_phone_rejects(jid: str) -> None:
    with pytest.raises(InvalidPhone):
        jid_to_phone(jid)


@pytest.mark.parametrize(
    ("jid", "expected"),
    [
        ("120363012345678901@g.us", True),
        ("6281234567890-1581234567@g.us", True),
        (" 120363012345678901@G.US ", True),
        ("6281234567890@s.whatsapp.net", False),
        ("6281234567890@c.us", False),
        ("120363012345678901", False),
        ("", False),
    ],
)
def test_is_group_jid(jid: str, expected: bool) -> None:
    assert is_group_jid(jid) is expected


def test_foreign_example_numbers_round_trip() -> None:
    """Every region's example mobile number given with '+' normalises to its E.164 digits.

    Country codes starting with 8 (Japan, Korea, ...) may collide with bare Indonesian
    mobiles ('812...'); those are either returned unchanged or rejected, never remapped.
    """
    checked = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        if example is None:
            continue
        e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
        digits = e164[1:]
        if not PHONE_RE.fullmatch(digits):
            continue
        if digits.startswith("8"):
            try:
                assert normalize_phone(e164) == digits
            except InvalidPhone:
                pass
            continue
        assert normalize_phone(e164) == digits, region
        assert normalize_phone("00" + digits) == digits, region
        assert jid_to_phone(digits + "@s.whatsapp.net") == digits, region
        checked += 1
    assert checked > 150


# ------------------------------------------------------------------ phones: properties


@st.composite
def indonesian_mobile_renderings(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A random '08' + 8..11 digit mobile number and several renderings of it."""
    local = "08" + draw(st.text("0123456789", min_size=8, max_size=11))
    national = local[1:]

    def sprinkle(text: str) -> str:
        seps = draw(st.lists(st.sampled_from(["", "", " ", "-"]), min_size=len(text)))
        return "".join(ch + sep for ch, sep in zip(text, seps, strict=False)).strip(" -")

    forms = [
        local,
        "+62" + national,
        "62" + national,
        "+62 " + sprinkle(national),
        sprinkle(local),
        sprinkle("62" + national),
        f"({local[:4]}) {local[4:]}",
        "62" + national + "@s.whatsapp.net",
        "62" + national + ":7@s.whatsapp.net",
        "62" + national + "@c.us",
        "0062" + national,
    ]
    if phonenumbers.is_valid_number(phonenumbers.parse(local, "ID")):
        forms.append(national)  # bare '8...' only promised for real Indonesian mobiles
    return "62" + national, forms


@SLOW
@given(indonesian_mobile_renderings())
def test_same_indonesian_number_in_every_format_is_equal(
    case: tuple[str, list[str]],
) -> None:
    expected, forms = case
    for form in forms:
        assert normalize_phone(form) == expected, form


def _check_phone_postconditions(raw: str) -> None:
    try:
        result = normalize_phone(raw)
    except InvalidPhone:
        with pytest.raises(InvalidPhone):
            phone_to_jid(raw)
        return
    assert PHONE_RE.fullmatch(result)
    assert normalize_phone(result) == result
    assert phone_to_jid(raw) == result + "@s.whatsapp.net"
    assert jid_to_phone(phone_to_jid(raw)) == result
    assert normalize_phone(phone_to_jid(raw)) == result


@SLOW
@given(st.text())
def test_normalize_phone_arbitrary_text(raw: str) -> None:
    _check_phone_postconditions(raw)


@SLOW
@given(st.text(alphabet="0123456789+-(). @:sgc.uwhatp", max_size=30))
def test_normalize_phone_phone_like_text(raw: str) -> None:
    _check_phone_postconditions(raw)


@SLOW
@given(
    st.sampled_from(sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)),
    st.text("0123456789", min_size=4, max_size=14),
    st.sampled_from(["+", "00", "", "+ ", "0"]),
)
def test_normalize_phone_international_digits(cc: int, rest: str, prefix: str) -> None:
    _check_phone_postconditions(f"{prefix}{cc}{rest}")
    _check_phone_postconditions(f"{cc}{rest}@s.whatsapp.net")


# ------------------------------------------------------------------ group JIDs


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("120363012345678901@g.us", "120363012345678901@g.us"),
        ("120363012345678901", "120363012345678901@g.us"),
        ("  120363012345678901@g.us\n", "120363012345678901@g.us"),
        ("120363012345678901@G.US", "120363012345678901@g.us"),
        ("6281234567890-1581234567", "6281234567890-1581234567@g.us"),
        ("6281234567890-1581234567@g.us", "6281234567890-1581234567@g.us"),
    ],
)
def test_normalize_group_jid_accepts(raw: str, expected: str) -> None:
    assert normalize_group_jid(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "https://chat.whatsapp.com/AbCdEfGhIjK123",
        "chat.whatsapp.com/AbCdEfGhIjK123",
        "CHAT.WHATSAPP.COM/invite/AbC",
    ],
)
def test_normalize_group_jid_rejects_invite_links(raw: str) -> None:
    with pytest.raises(InvalidGroupJid) as info:
        normalize_group_jid(raw)
    message = str(info.value)
    assert "undangan" in message
    assert "ID grup" in message


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "grup polres",
        "6281234567890",
        "6281234567890@s.whatsapp.net",
        "120363012345678901@s.whatsapp.net",
        "@g.us",
        "12036301234567890a@g.us",
        "120363012345678901@g.us@g.us",
        "120363012345678901@newsletter",
    ],
)
def test_normalize_group_jid_rejects_other(raw: str) -> None:
    with pytest.raises(InvalidGroupJid) as info:
        normalize_group_jid(raw)
    assert "ID grup" in str(info.value)


@SLOW
@given(st.one_of(st.text(), st.text("0123456789-@g.us ", max_size=40)))
def test_normalize_group_jid_properties(raw: str) -> None:
    try:
        result = normalize_group_jid(raw)
    except InvalidGroupJid:
        return
    assert GROUP_RE.fullmatch(result)
    assert is_group_jid(result)
    assert normalize_group_jid(result) == result
    with pytest.raises(InvalidPhone):
        jid_to_phone(result)


# ------------------------------------------------------------------ canonical_username


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("@", None),
        ("name", "name"),
        ("@Name", "name"),
        ("  @Polres.Contoh_1 ", "polres.contoh_1"),
        ("NAME", "name"),
        ("@@name", "name"),
    ],
)
def test_canonical_username(raw: str | None, expected: str | None) -> None:
    assert canonical_username(raw) == expected


@SLOW
@given(st.one_of(st.none(), st.text(), st.text(" @aB.\t", max_size=10)))
def test_canonical_username_properties(raw: str | None) -> None:
    result = canonical_username(raw)
    assert canonical_username(result) == result
    if result is not None:
        assert result
        assert result == result.strip()
        assert not result.startswith("@")
        assert result == result.lower()


# ------------------------------------------------------------------ Instagram


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("name", "name"),
        ("@Name", "name"),
        (" name ", "name"),
        ("polres.contoh_1", "polres.contoh_1"),
        ("instagram.com/name", "name"),
        ("www.instagram.com/name/", "name"),
        ("https://www.instagram.com/name/?hl=id", "name"),
        ("https://www.instagram.com/Name?igsh=abc123", "name"),
        ("http://instagram.com/@name", "name"),
        ("m.instagram.com/name", "name"),
        ("HTTPS://INSTAGRAM.COM/Name#top", "name"),
        ("a" * 30, "a" * 30),
        ("_", "_"),
        ("a.b", "a.b"),
    ],
)
def test_parse_instagram_username_accepts(raw: str, expected: str) -> None:
    assert parse_instagram_username(raw) == expected


IG_CONTENT_LINKS = [
    "https://www.instagram.com/p/CxYz123AbC/",
    "instagram.com/p/CxYz123AbC",
    "https://www.instagram.com/reel/CxYz123AbC/?igsh=abc",
    "https://www.instagram.com/reels/CxYz123AbC/",
    "https://www.instagram.com/tv/CxYz123AbC/",
    "https://www.instagram.com/stories/name/3214567890123/",
    "https://www.instagram.com/explore/tags/polri/",
    "https://www.instagram.com/name/p/CxYz123AbC/",
    "https://www.instagram.com/name/reel/CxYz123AbC/",
    "m.instagram.com/P/CxYz123AbC",
]


@pytest.mark.parametrize("raw", IG_CONTENT_LINKS)
def test_parse_instagram_username_rejects_content_links(raw: str) -> None:
    with pytest.raises(InvalidUsername) as info:
        parse_instagram_username(raw)
    assert "bukan profil" in str(info.value)
    assert "username" in str(info.value)


@pytest.mark.parametrize(
    "raw",
    [
        "https://www.tiktok.com/@name",
        "tiktok.com/@name",
        "https://facebook.com/name",
        "https://example.com/name",
        "instagr.am.evil.com/name",
    ],
)
def test_parse_instagram_username_rejects_other_sites(raw: str) -> None:
    with pytest.raises(InvalidUsername) as info:
        parse_instagram_username(raw)
    assert "bukan link Instagram" in str(info.value)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "@",
        "...",
        ".",
        "a" * 31,
        "nama polres",
        "nama-polres",
        "polrés",
        "@@name",
        "name/",
        "instagram.com",
        "www.instagram.com",
        "instagram.com/instagram.com",
        "https://www.instagram.com/",
        "https://www.instagram.com/name/tagged/",
    ],
)
def test_parse_instagram_username_rejects_invalid(raw: str) -> None:
    with pytest.raises(InvalidUsername):
        parse_instagram_username(raw)


@pytest.mark.parametrize("raw", ["...", "a" * 31, "nama polres", "polrés"])
def test_instagram_charset_message(raw: str) -> None:
    with pytest.raises(InvalidUsername) as info:
        parse_instagram_username(raw)
    assert "a-z" in str(info.value)
    assert "0-9" in str(info.value)


# ------------------------------------------------------------------ TikTok


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("name", "name"),
        ("@Name", "name"),
        ("  @polres.contoh_1 ", "polres.contoh_1"),
        ("tiktok.com/@name", "name"),
        ("https://www.tiktok.com/@name?lang=id", "name"),
        ("https://www.tiktok.com/@Name/", "name"),
        ("m.tiktok.com/@name", "name"),
        ("a" * 24, "a" * 24),
    ],
)
def test_parse_tiktok_username_accepts(raw: str, expected: str) -> None:
    assert parse_tiktok_username(raw) == expected


TT_CONTENT_LINKS = [
    "https://www.tiktok.com/@name/video/7234567890123456789",
    "tiktok.com/@name/video/7234567890123456789?lang=id",
    "https://www.tiktok.com/@name/photo/7234567890123456789",
    "https://vt.tiktok.com/ZSabc123/",
    "https://vm.tiktok.com/ZMabc123/",
    "vt.tiktok.com/ZSabc123",
    "https://www.tiktok.com/t/ZTabc123/",
]


@pytest.mark.parametrize("raw", TT_CONTENT_LINKS)
def test_parse_tiktok_username_rejects_content_links(raw: str) -> None:
    with pytest.raises(InvalidUsername) as info:
        parse_tiktok_username(raw)
    assert "bukan profil" in str(info.value)


@pytest.mark.parametrize(
    "raw",
    ["https://www.instagram.com/name/", "instagram.com/name", "https://youtube.com/@name"],
)
def test_parse_tiktok_username_rejects_other_sites(raw: str) -> None:
    with pytest.raises(InvalidUsername) as info:
        parse_tiktok_username(raw)
    assert "bukan link TikTok" in str(info.value)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "@",
        "..",
        "a" * 25,
        "nama polres",
        "tiktok.com",
        "@tiktok.com",
        "vt.tiktok.com",
        "tiktok.com/@tiktok.com",
        "tiktok.com/name",
        "https://www.tiktok.com/foryou",
        "https://www.tiktok.com/@name/live",
    ],
)
def test_parse_tiktok_username_rejects_invalid(raw: str) -> None:
    with pytest.raises(InvalidUsername):
        parse_tiktok_username(raw)


# ------------------------------------------------------------------ username properties

URL_PARTS = ["instagram.com/", "tiktok.com/@", "https://", "www.", "/p/", "/video/", "?", "@"]
username_like = st.lists(
    st.one_of(st.sampled_from(URL_PARTS), st.text("aZ09._@/ ?-", max_size=5)), max_size=6
).map("".join)
any_text = st.one_of(st.text(), username_like)


@SLOW
@given(any_text)
def test_parse_instagram_username_properties(raw: str) -> None:
    try:
        result = parse_instagram_username(raw)
    except InvalidUsername:
        return
    assert IG_RE.fullmatch(result)
    assert result.strip(".")
    assert parse_instagram_username(result) == result
    assert canonical_username(result) == result
    assert canonical_username(raw) == result or "/" in raw  # bare input matches leniently


@SLOW
@given(any_text)
def test_parse_tiktok_username_properties(raw: str) -> None:
    try:
        result = parse_tiktok_username(raw)
    except InvalidUsername:
        return
    assert TT_RE.fullmatch(result)
    assert result.strip(".")
    assert parse_tiktok_username(result) == result
    assert parse_tiktok_username("@" + result) == result
    assert canonical_username(result) == result


# Path words that mark content links, and bare host names: never valid profile names.
RESERVED = {"p", "reel", "reels", "tv", "stories", "explore", "video", "photo", "t"} | {
    f"{sub}{site}.com"
    for sub in ("", "www.", "m.", "vt.", "vm.")
    for site in ("instagram", "tiktok")
}
names = st.from_regex(r"[A-Za-z0-9._]{1,24}", fullmatch=True).filter(
    lambda s: s.strip(".") and s.lower() not in RESERVED
)
schemes = st.sampled_from(["", "http://", "https://", "HTTPS://"])
queries = st.sampled_from(["", "/", "?hl=id", "/?igsh=abc", "#x"])


@SLOW
@given(
    names,
    schemes,
    st.sampled_from(["instagram.com", "www.instagram.com", "m.instagram.com"]),
    st.sampled_from(["", "@"]),
    queries,
)
def test_instagram_profile_urls_round_trip(
    name: str, scheme: str, host: str, at: str, query: str
) -> None:
    assert parse_instagram_username(f"{scheme}{host}/{at}{name}{query}") == name.lower()
    assert parse_instagram_username(f" {at}{name} ") == name.lower()


@SLOW
@given(
    names,
    schemes,
    st.sampled_from(["tiktok.com", "www.tiktok.com", "m.tiktok.com"]),
    queries,
)
def test_tiktok_profile_urls_round_trip(name: str, scheme: str, host: str, query: str) -> None:
    assert parse_tiktok_username(f"{scheme}{host}/@{name}{query}") == name.lower()
    assert parse_tiktok_username(f"@{name}") == name.lower()


codes = st.from_regex(r"[A-Za-z0-9_\-]{1,20}", fullmatch=True)


@SLOW
@given(
    schemes,
    st.sampled_from(["instagram.com", "www.instagram.com", "m.instagram.com"]),
    st.sampled_from(["", "polres_contoh/"]),
    st.sampled_from(["p", "reel", "reels", "tv", "stories", "explore", "P", "Reel"]),
    codes,
    queries,
)
def test_every_instagram_content_url_is_rejected(
    scheme: str, host: str, owner: str, kind: str, code: str, query: str
) -> None:
    with pytest.raises(InvalidUsername):
        parse_instagram_username(f"{scheme}{host}/{owner}{kind}/{code}{query}")


@SLOW
@given(
    schemes,
    st.sampled_from(["tiktok.com", "www.tiktok.com", "m.tiktok.com"]),
    names,
    st.sampled_from(["video", "photo"]),
    st.text("0123456789", min_size=1, max_size=19),
    queries,
)
def test_every_tiktok_content_url_is_rejected(
    scheme: str, host: str, name: str, kind: str, video_id: str, query: str
) -> None:
    with pytest.raises(InvalidUsername):
        parse_tiktok_username(f"{scheme}{host}/@{name}/{kind}/{video_id}{query}")


@SLOW
@given(schemes, st.sampled_from(["vt.tiktok.com", "vm.tiktok.com"]), codes, queries)
def test_every_tiktok_short_link_is_rejected(scheme: str, host: str, code: str, query: str) -> None:
    with pytest.raises(InvalidUsername):
        parse_tiktok_username(f"{scheme}{host}/{code}{query}")


# ------------------------------------------------------------------ NRP / NIP


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("87020990", "87020990"),
        (" 87020990 ", "87020990"),
        ("87020990.0", "87020990"),
        ("87020990.5", "870209905"),  # only a trailing '.0' is special; other dots separate
        ("8702 0990", "87020990"),
        ("8702-0990", "87020990"),
        ("87.02.09.90", "87020990"),
        ("198001012005011001", "198001012005011001"),
        ("19800101 200501 1 001", "198001012005011001"),
        ("19800101.200501.1.001", "198001012005011001"),
        ("198001012005011001.0", "198001012005011001"),
        ("00123456", "00123456"),
        ("123456", "123456"),
        ("８７０２０９９０", "87020990"),  # full-width digits (a phone's wide keyboard): NFKC
        ("８７．０２０．９９０", "87020990"),
        ("\u00a087020990\u3000", "87020990"),
    ],
)
def test_normalize_nrp_accepts(raw: str, expected: str) -> None:
    assert normalize_nrp(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "12345",
        "1234567890123",  # 13–17 digits: neither an NRP nor a NIP
        "12345678901234567",
        "1234567890123456789",
        "8702099A",
        "NRP 87020990",
        "8.702099E7",
        "8702/0990",
        "١٢٣٤٥٦٧٨",  # non-ASCII digits
        "8702０990\u0301",  # a combining mark is not a separator
        "1" * 10_000,
    ],
)
def test_normalize_nrp_rejects(raw: str) -> None:
    with pytest.raises(InvalidNrp) as info:
        normalize_nrp(raw)
    assert "NRP" in str(info.value)


@SLOW
@given(st.one_of(st.text(), st.text("0123456789 .-", max_size=25)))
def test_normalize_nrp_properties(raw: str) -> None:
    try:
        result = normalize_nrp(raw)
    except InvalidNrp:
        return
    assert NRP_RE.fullmatch(result)
    assert normalize_nrp(result) == result


@SLOW
@given(st.one_of(st.text("0123456789", min_size=6, max_size=12),
                 st.text("0123456789", min_size=18, max_size=18)), st.data())
def test_normalize_nrp_ignores_separators(digits: str, data: st.DataObject) -> None:
    seps = data.draw(st.lists(st.sampled_from(["", " ", ".", "-"]), min_size=len(digits)))
    rendered = "".join(d + s for d, s in zip(digits, seps, strict=False))
    assume(not re.fullmatch(r"[0-9]+\.0", rendered))  # that is the spreadsheet '.0' artefact
    assert normalize_nrp(rendered) == digits
    assert normalize_nrp(digits + ".0") == digits


@pytest.mark.parametrize("length", range(1, 21))
def test_nrp_lengths_are_one_rule_for_fields_and_chat(length: int) -> None:
    """A field (`normalize_nrp`: web, console, imports) and a chat message (`nrp_in_message`:
    registration) accept the same lengths: NRP 6–12 digits, NIP 18."""
    digits = "1234567890" * 2
    digits = digits[:length]
    accepted = 6 <= length <= 12 or length == 18
    assert (normalize_nrp(digits) == digits) if accepted else _refuses(normalize_nrp, digits)
    if accepted:
        assert nrp_in_message(f"NRP: {digits}") == digits
    else:
        with pytest.raises(NrpBadLength, match="6–12 digit"):
            nrp_in_message(f"NRP: {digits}")
    with pytest.raises(NrpNotNumeric):
        nrp_in_message("abc")
    assert "6–12 digit" in str(InvalidNrp()) and "NIP 18 digit" in str(InvalidNrp())


def _refuses(parse, raw: str) -> bool:
    with pytest.raises(InvalidNrp):
        parse(raw)
    return True


def test_parse_platform_username_is_the_platforms_own_parser() -> None:
    assert parse_platform_username("instagram", "https://www.instagram.com/Satbinmas.A/") == \
        "satbinmas.a"
    assert parse_platform_username("tiktok", "tiktok.com/@satbinmas_a_tt") == "satbinmas_a_tt"
    with pytest.raises(InvalidUsername, match="Username TikTok tidak valid"):
        parse_platform_username("tiktok", "x" * 25)
    with pytest.raises(ValueError, match="unknown platform"):
        parse_platform_username("facebook", "satbinmas")


def test_phone_list_normalises_deduplicates_and_skips_what_is_not_a_phone() -> None:
    skipped: list[str] = []
    phones = phone_list(["081234567890", "+62 812-3456-7890", "bukan nomor", "6281299990000",
                         "6281234567890@s.whatsapp.net"], on_invalid=skipped.append)
    assert phones == ["6281234567890", "6281299990000"]
    assert skipped == ["bukan nomor"]
    assert phone_list([]) == []

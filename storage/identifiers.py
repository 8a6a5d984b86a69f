"""The single place that normalises identifiers: phones, WhatsApp JIDs, usernames, NRP/NIP,
e-mail addresses.

Pure functions, stdlib + ``phonenumbers`` + ``email-validator`` only. Error messages are
Indonesian sentences that can be sent to a WhatsApp user as-is.
"""

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError, validate_email

_REGION = "ID"
_PHONE_RE = re.compile(r"[1-9][0-9]{9,14}")
_PHONE_CHARS_RE = re.compile(r"\(?\+?[0-9\s().\-]*[0-9][0-9\s().\-]*")
_PHONE_SEP_RE = re.compile(r"[\s().\-]")
_JID_USER_RE = re.compile(r"([0-9]+)(?:\.[0-9]+)?(?::[0-9]+)?")
_USER_SERVERS = frozenset({"s.whatsapp.net", "c.us"})
_GROUP_ID_RE = re.compile(r"[0-9]{16,22}|[0-9]{10,15}-[0-9]{8,12}")
_SCHEME_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*://")
_NRP_FLOAT_RE = re.compile(r"[0-9]+\.0")
_NRP_SEP_RE = re.compile(r"[\s.\-]")
_NRP_RE = re.compile(r"[0-9]+")
NRP_LENGTHS = frozenset({*range(6, 13), 18})  # NRP 6–12 digits (reference), NIP 18


class InvalidIdentifier(ValueError):
    """Base; str(exc) is a short Indonesian sentence fit to send to a WhatsApp user."""

    default_message = "Data yang dikirim tidak valid."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class InvalidPhone(InvalidIdentifier):
    default_message = "Nomor HP tidak valid. Contoh yang benar: 081234567890 atau +6281234567890."


class InvalidUsername(InvalidIdentifier):
    default_message = "Username tidak valid."


class InvalidNrp(InvalidIdentifier):
    default_message = "NRP/NIP tidak valid. Kirim NRP 6–12 digit atau NIP 18 digit, hanya angka."


class NrpNotNumeric(InvalidNrp):
    default_message = "NRP/NIP harus berupa angka (huruf dan tanda baca diabaikan)."


class NrpBadLength(InvalidNrp):
    default_message = "NRP harus terdiri dari 6–12 digit angka (NIP 18 digit)."


class InvalidEmail(InvalidIdentifier):
    default_message = "Alamat email tidak valid. Contoh yang benar: nama@polri.go.id."


class InvalidGroupJid(InvalidIdentifier):
    default_message = (
        "ID grup WhatsApp tidak valid. Kirim ID grup, contoh: 120363012345678901@g.us."
    )


def _to_e164_digits(text: str, region: str | None) -> tuple[str, bool] | None:
    """Parse one candidate; return (E.164 digits without '+', is_valid) or None."""
    try:
        num = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(num):
        return None
    digits = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)[1:]
    if not _PHONE_RE.fullmatch(digits):
        return None
    return digits, phonenumbers.is_valid_number(num)


def _resolve(digits: str, international: bool) -> str | None:
    """Pick the reading of a digit string: international, national (0...) or bare 8..."""
    return _read(digits, international or digits.startswith("62"))  # '62...' reads one way


@lru_cache(maxsize=65_536)  # phonenumbers' parsing is slow, and every reply goes through here
def _read(digits: str, international: bool) -> str | None:
    if international:
        candidates = [("+" + digits, None)]
    elif digits.startswith("00"):
        candidates = [("+" + digits[2:], None)]
    elif digits.startswith("0"):
        candidates = [(digits, _REGION)]
    elif digits.startswith("8"):  # bare Indonesian mobile (leading 0 lost), else e.g. +81
        candidates = [(digits, _REGION), ("+" + digits, None)]
    else:
        candidates = [("+" + digits, None)]
    parsed = [r for r in (_to_e164_digits(t, reg) for t, reg in candidates) if r]
    for result, valid in parsed:
        if valid:
            return result
    return parsed[0][0] if parsed else None


def normalize_phone(raw: str) -> str:
    """Return international digits without '+', e.g. '6281234567890'."""
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        raise InvalidPhone("Nomor HP kosong. Kirim nomor seperti 081234567890.")
    if len(text) > 64:
        raise InvalidPhone()
    if "@" in text:
        user, _, server = text.partition("@")
        server = server.strip().lower()
        if server == "g.us":
            raise InvalidPhone("Itu ID grup WhatsApp, bukan nomor HP.")
        match = _JID_USER_RE.fullmatch(user.strip())
        if server not in _USER_SERVERS or not match:
            raise InvalidPhone()
        digits, international = match.group(1), True
    elif not _PHONE_CHARS_RE.fullmatch(text):
        if any(ch.isalpha() for ch in text):
            raise InvalidPhone("Nomor HP hanya boleh berisi angka, contoh 081234567890.")
        raise InvalidPhone()
    else:
        digits, international = _PHONE_SEP_RE.sub("", text).lstrip("+"), "+" in text
    if len(digits) > 20:
        raise InvalidPhone()
    result = _resolve(digits, international)
    if result is None:
        raise InvalidPhone()
    # A '62…' result reads back as itself (read as international); only a foreign one can
    # be mistaken for an Indonesian number. Skipping that second parse halves an import's
    # cost per new number.
    if not result.startswith("62") and _resolve(result, False) != result:
        # e.g. +81 3 1234 5678 -> '81312345678', which reads back as 0813-1234-5678.
        raise InvalidPhone("Nomor luar negeri ini tidak bisa dibedakan dari nomor Indonesia.")
    return result


def phone_list(values: Iterable[str], *,
               on_invalid: Callable[[str], None] | None = None) -> list[str]:
    """The phone numbers of a configured list (ADMIN_WHATSAPP, ...): normalised, each once, in
    their first order; a value that is not a phone number is skipped (and `on_invalid` told)."""
    phones: list[str] = []
    for value in values:
        try:
            phone = normalize_phone(value)
        except InvalidPhone:
            if on_invalid is not None:
                on_invalid(value)
            continue
        if phone not in phones:
            phones.append(phone)
    return phones


def phone_to_jid(raw: str) -> str:
    """Return the personal WhatsApp JID, e.g. '6281234567890@s.whatsapp.net'."""
    return normalize_phone(raw) + "@s.whatsapp.net"


def jid_to_phone(jid: str) -> str:
    """Return the phone digits of a personal JID ('@s.whatsapp.net', '@c.us', device suffix)."""
    return normalize_phone(jid)


def is_group_jid(jid: str) -> bool:
    """True when ``jid`` is a WhatsApp group JID ('...@g.us')."""
    return isinstance(jid, str) and jid.strip().lower().endswith("@g.us")


def normalize_group_jid(raw: str) -> str:
    """Return '<group id>@g.us'; invite links and anything else raise InvalidGroupJid."""
    text = raw.strip() if isinstance(raw, str) else ""
    if "chat.whatsapp.com" in text.lower():
        raise InvalidGroupJid(
            "Link undangan grup (chat.whatsapp.com) tidak bisa dipakai. "
            "Kirim ID grup WhatsApp, contoh: 120363012345678901@g.us."
        )
    if text.lower().endswith("@g.us"):
        text = text[: -len("@g.us")]
    if not _GROUP_ID_RE.fullmatch(text):
        raise InvalidGroupJid()
    return text + "@g.us"


def canonical_username(raw: str | None) -> str | None:
    """Lenient matching form: trimmed, without leading '@', lower-case; blank -> None."""
    if not isinstance(raw, str):
        return None
    text = raw
    while text != (nxt := text.strip().lstrip("@").lower()):
        text = nxt
    return text or None


_SITES: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str], int]] = {
    # site: (profile hosts, short-link hosts, content path segments, max length)
    "Instagram": (
        frozenset({"instagram.com", "www.instagram.com", "m.instagram.com"}),
        frozenset(),
        frozenset({"p", "reel", "reels", "tv", "stories", "explore"}),
        30,
    ),
    "TikTok": (
        frozenset({"tiktok.com", "www.tiktok.com", "m.tiktok.com"}),
        frozenset({"vt.tiktok.com", "vm.tiktok.com"}),
        frozenset({"video", "photo", "t"}),
        24,
    ),
}


def _parse_username(raw: str, site: str) -> str:
    """Strict username from a bare name, '@name' or a profile URL of ``site``."""
    hosts, short_hosts, content, max_len = _SITES[site]
    example = f"Kirim username {site} saja, contoh: @polres_contoh."
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        raise InvalidUsername(f"Username {site} kosong. {example}")
    scheme = _SCHEME_RE.match(text)
    host, slash, path = (text[scheme.end() :] if scheme else text).partition("/")
    host = re.split(r"[?#]", host)[0].lower()
    no_profile = f"Link {site} itu tidak berisi username profil. {example}"
    if scheme or (slash and "." in host):
        segments = [s for s in re.split(r"[?#]", path)[0].split("/") if s]
        if host in short_hosts or (host in hosts and any(s.lower() in content for s in segments)):
            raise InvalidUsername(f"Itu link konten (postingan/video), bukan profil. {example}")
        if host not in hosts:
            raise InvalidUsername(f"Itu bukan link {site}. {example}")
        # TikTok profile URLs always carry '@': tiktok.com/@name
        if len(segments) != 1 or (site == "TikTok" and not segments[0].startswith("@")):
            raise InvalidUsername(no_profile)
        text = segments[0]
    name = (text[1:] if text.startswith("@") else text).lower()
    if name in hosts or name in short_hosts:  # bare 'instagram.com' is a link, not a name
        raise InvalidUsername(no_profile)
    if not re.fullmatch(rf"[a-z0-9._]{{1,{max_len}}}", name) or not name.strip("."):
        raise InvalidUsername(
            f"Username {site} tidak valid. Hanya boleh huruf a-z, angka 0-9, titik (.) "
            f"dan garis bawah (_), maksimal {max_len} karakter."
        )
    return name


def parse_instagram_username(raw: str) -> str:
    """Strict Instagram username from user input ('@Name', profile URL, ...)."""
    return _parse_username(raw, "Instagram")


def parse_tiktok_username(raw: str) -> str:
    """Strict TikTok username, stored without '@', from user input or profile URL."""
    return _parse_username(raw, "TikTok")


def _compatible(text: str) -> str:
    """NFKC: full-width digits and punctuation (a phone's wide keyboard: '８７０２') read as
    their ASCII forms. Other scripts' digits stay what they are, and are refused."""
    return unicodedata.normalize("NFKC", text)


def parse_platform_username(platform: str, raw: str) -> str:
    """Strict username of `platform` ('instagram' or 'tiktok') from user input."""
    if platform == "instagram":
        return parse_instagram_username(raw)
    if platform == "tiktok":
        return parse_tiktok_username(raw)
    raise ValueError(f"unknown platform {platform!r}")


def normalize_nrp(raw: str) -> str:
    """NRP (6–12 digits) / NIP (18 digits) as typed in a field: drop spaces, dots, dashes and
    a float '.0'; full-width digits are read as digits."""
    text = raw.strip() if isinstance(raw, str) else ""
    if len(text) > 64:
        raise InvalidNrp()
    text = _compatible(text)
    if _NRP_FLOAT_RE.fullmatch(text):  # spreadsheet float artefact: '87020990.0'
        text = text[:-2]
    text = _NRP_SEP_RE.sub("", text)
    if not _NRP_RE.fullmatch(text) or len(text) not in NRP_LENGTHS:
        raise InvalidNrp()
    return text


def nrp_in_message(text: str) -> str:
    """The NRP written in a chat message ('NRP: 87.020.990', full-width digits): its digits,
    everything else dropped, of a length `normalize_nrp` accepts too. Raises NrpNotNumeric
    (no digits) or NrpBadLength."""
    digits = nrp_digits(text)
    if not digits:
        raise NrpNotNumeric()
    if len(digits) not in NRP_LENGTHS:
        raise NrpBadLength()
    return digits


def nrp_digits(text: str) -> str:
    """The digits of an NRP written inside a message ('NRP: 87.020.990', full-width digits),
    everything else dropped; '' when there are none. The length is the caller's to judge."""
    return re.sub(r"[^0-9]", "", _compatible(text[:200]))


def normalize_email(raw: str) -> str:
    """An e-mail address as stored: syntax checked (no DNS), at most 254 characters,
    lower-case."""
    text = raw.strip() if isinstance(raw, str) else ""
    if not text or len(text) > 254:
        raise InvalidEmail()
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise InvalidEmail() from None


class InvalidVideoId(InvalidIdentifier):
    default_message = ("Link atau ID video TikTok tidak valid. Kirim link seperti "
                       "https://www.tiktok.com/@akun/video/7321234567890123456 atau ID-nya.")


_VIDEO_ID_RE = re.compile(r"[0-9]{15,25}")


def parse_tiktok_video_id(raw: str) -> str:
    """The numeric id of a TikTok video, from the id itself or a tiktok.com video link."""
    text = raw.strip() if isinstance(raw, str) else ""
    if _VIDEO_ID_RE.fullmatch(text):
        return text
    scheme = _SCHEME_RE.match(text)
    host, _, path = (text[scheme.end():] if scheme else text).partition("/")
    host = re.split(r"[?#]", host)[0].lower()
    hosts, short_hosts, _, _ = _SITES["TikTok"]
    if host in short_hosts:
        raise InvalidVideoId("Link pendek TikTok (vt/vm.tiktok.com) tidak bisa dipakai. Buka "
                             "link itu, lalu kirim link lengkap videonya atau ID-nya.")
    segments = [s for s in re.split(r"[?#]", path)[0].split("/") if s]
    if host in hosts:
        for before, after in itertools.pairwise(segments):
            if before.lower() in ("video", "photo") and _VIDEO_ID_RE.fullmatch(after):
                return after
    raise InvalidVideoId()


_RECORD_ID_RE = re.compile(r"[0-9]{1,10}")
MAX_RECORD_ID = 2_147_483_647  # PostgreSQL's integer


def record_id(raw: str) -> int | None:
    """A row id as a person types it (in a path, a body or a `xxx#<id>` command): ASCII digits
    only (not '²' or full-width digits), positive and within PostgreSQL's integer; else None."""
    if not isinstance(raw, str) or not _RECORD_ID_RE.fullmatch(raw):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_RECORD_ID else None

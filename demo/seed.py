"""Deterministic demo data for `cicero seed demo` and `cicero up --demo`.

Two scales:

* ``small`` (demo, manual tries, golden tests): POLDA_JATIM (root, type polda), DITBINMAS
  ("DIREKTORAT BINMAS", directorate) and POLRES_LAMONGAN, POLRES_BOJONEGORO, POLRES_NGAWI
  (org), all children of POLDA_JATIM; 80 personnel (10 Ditbinmas staff, 70 in the Polres),
  every one a DITBINMAS member. Posts today: DITBINMAS 3 Instagram + 2 TikTok, each Polres
  2 + 1; the seven days before: 1–3 per client, platform and day. Today's engagement gives
  every client people who engaged with all, some and none of its posts, and people without
  a username. Exactly one exception person (never in the engagement rows), two inactive.
  Link reports and special tasks as demo/amplification.py describes: every
  amplification status in every client today.
* ``polda`` (benchmarks): DITBINMAS and the 38 Polres/Polresta/Polrestabes of Polda Jawa
  Timur under POLDA_JATIM, about 6,300 personnel. DITBINMAS posts 4 Instagram + 4 TikTok a
  day for 31 days ending today, each Polres 1 + 1 a day for the last 7 days; about a million
  engagement rows, bulk-loaded with COPY.

Everything comes from `random.Random(DEMO_SEED)` (and per-day generators derived from the
seed and the day's distance to `today`), so a scale and a `today` always give the same rows:
the same ids, names, usernames, phones and engagement sets.

Fixed identities, the same in both scales (docs and tests may refer to them):

* `DEMO_OFFICER_PHONE` 6281234560001: BRIPKA AGUS SETIAWAN, NRP `DEMO_OFFICER_NRP` 87020990,
  POLRES_LAMONGAN, SAT BINMAS, active, Instagram ``agus.setiawan87``, TikTok
  ``agussetiawan_lmg``, opted in to reminders. Small scale today: liked some (not all) of the
  Instagram posts he owes, commented on every TikTok video he owes.
* `DEMO_OPERATOR_PHONE` 6281234560002: operator contact of POLRES_LAMONGAN (not personnel).
* `DEMO_SUPER_ADMIN_PHONE` 6281234560003: super-admin contact of DITBINMAS (not personnel).
* `DEMO_UNREGISTERED_PHONE` 6281234569999: belongs to nobody.
* `DEMO_UNLINKED_NRP` 96110457: BRIPTU DWI PRASETYO, POLRES_NGAWI, active, no WhatsApp
  number and no usernames (for the registration-by-NRP flow).
* `DEMO_EXCEPTION_NRP` 76080514: AKP HARI SUBAGYO, S.H., KAPOLSEK KAPAS of POLRES_BOJONEGORO,
  ``exception = true``, with both usernames; the only exception person of the small scale.

Generated WhatsApp numbers never fall in the 628123456xxxx block of the fixed ones.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import clock
from demo import amplification as amplified
from demo import names
from demo.satbinmas import seed_satbinmas
from storage.models import TABLES_IN_DEPENDENCY_ORDER

SCALES = ("small", "polda")
DEMO_SEED = 20251206

DEMO_OFFICER_PHONE = "6281234560001"
DEMO_OFFICER_NRP = "87020990"
DEMO_OPERATOR_PHONE = "6281234560002"
DEMO_SUPER_ADMIN_PHONE = "6281234560003"
DEMO_UNREGISTERED_PHONE = "6281234569999"
DEMO_UNLINKED_NRP = "96110457"
DEMO_EXCEPTION_NRP = "76080514"
_RESERVED_PHONES = "628123456"  # the block of the documented numbers above

PLATFORMS = ("instagram", "tiktok")
_KIND = {"instagram": "like", "tiktok": "comment"}
_SEGMENTS = ("all", "some", "none")
_SEGMENT_WEIGHTS = (65, 25, 10)
_PHONE_PREFIXES = ("62812", "62813", "62821", "62822", "62852", "62857", "62878", "62895")
_PHONE_WEIGHTS = (70, 6, 5, 5, 4, 4, 3, 3)
_SHORTCODE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_BIRTH_YEARS = {
    "KOMISARIS BESAR POLISI": (1968, 1976), "AKBP": (1970, 1982), "KOMPOL": (1972, 1985),
    "AKP": (1970, 1990), "IPTU": (1970, 1991), "IPDA": (1968, 1993), "AIPTU": (1968, 1980),
    "AIPDA": (1977, 1986), "BRIPKA": (1983, 1992), "BRIGADIR": (1989, 1997),
    "BRIGPOL": (1989, 1997), "BRIGADIR POLISI": (1989, 1997), "BRIPTU": (1994, 2000),
    "BRIPDA": (1997, 2004),
}

Progress = Callable[[int, int], None]


class DatabaseNotEmpty(Exception):
    """The database already holds clients; seeding again needs `replace=True` (`--replace`)."""

    def __init__(self) -> None:
        super().__init__(
            "Database sudah berisi data satker. Jalankan ulang dengan --replace untuk "
            "menghapus semua data lalu mengisi data demo."
        )


@dataclass
class DemoSummary:
    clients: int
    personnel: int
    posts: int
    engagements: int
    link_reports: int = 0

    def __str__(self) -> str:
        line = (f"{_number(self.clients)} satker, {_number(self.personnel)} personil, "
                f"{_number(self.posts)} konten, {_number(self.engagements)} engagement")
        return line + (f", {_number(self.link_reports)} laporan link"
                       if self.link_reports else "")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@dataclass
class _Person:
    user_id: str
    name: str
    rank: str
    satfung: str
    jabatan: str
    client_id: str
    desa: str | None = None
    whatsapp: str | None = None
    email: str | None = None
    instagram: str | None = None
    tiktok: str | None = None
    status: bool = True
    exception: bool = False
    opt_in: bool = False
    fixed: bool = False
    # Behaviour per platform: 'all' | 'some' | 'none' (today's class on the small scale) and
    # the probability of engaging with any one post (history, polda scale).
    segment: dict[str, str] = field(default_factory=dict)
    propensity: dict[str, float] = field(default_factory=dict)

    def username(self, platform: str) -> str | None:
        return self.instagram if platform == "instagram" else self.tiktok

    def record(self) -> tuple[object, ...]:
        return (self.user_id, self.name, self.rank, self.satfung, self.jabatan, self.desa,
                self.client_id, self.whatsapp, self.email, self.instagram, self.tiktok,
                self.status, self.exception, self.opt_in)


_PERSONNEL_COLUMNS = ("user_id", "name", "rank", "satfung", "jabatan", "desa", "client_id",
                      "whatsapp", "email", "instagram", "tiktok", "status", "exception",
                      "wa_notification_opt_in")
_CLIENT_COLUMNS = ("client_id", "name", "type", "parent_id", "status", "instagram",
                   "instagram_status", "tiktok", "tiktok_secuid", "tiktok_status",
                   "amplify_status")
_POST_COLUMNS = ("id", "platform", "external_id", "client_id", "uploaded_at", "caption",
                 "is_video", "is_carousel", "like_count", "comment_count", "is_special")
_ENGAGEMENT_COLUMNS = ("post_id", "kind", "username", "first_seen_at", "last_seen_at")


@dataclass
class _Post:
    id: int
    platform: str
    external_id: str
    client_id: str
    uploaded_at: datetime
    caption: str
    is_video: bool
    is_carousel: bool
    like_count: int = 0
    comment_count: int = 0

    def record(self) -> tuple[object, ...]:
        return (self.id, self.platform, self.external_id, self.client_id, self.uploaded_at,
                self.caption, self.is_video, self.is_carousel, self.like_count,
                self.comment_count, False)


def _letters(word: str) -> str:
    return re.sub(r"[^a-z]", "", word.lower())


class _DemoData:
    """All rows of one scale, built in memory except the engagement, which comes per day."""

    def __init__(self, scale: str, today: date) -> None:
        self.small = scale == "small"
        self.today = today
        self.rng = random.Random(DEMO_SEED)
        self._nrps: set[str] = set()
        self._phones: set[str] = set()
        self._emails: set[str] = set()
        self._taken: dict[str, set[str]] = {platform: set() for platform in PLATFORMS}
        self._external_ids: set[str] = set()
        self._next_post_id = 1
        self.clients: list[tuple[object, ...]] = []
        self.contacts: list[tuple[object, ...]] = []
        self.people: list[_Person] = []
        self.population: dict[str, list[_Person]] = {names.DIRECTORATE_ID: []}
        self.places: dict[str, tuple[str, ...]] = {}
        self.titles: dict[str, str] = {names.DIRECTORATE_ID: "Ditbinmas Polda Jatim"}
        self.satkers: list[tuple[str, str, int]] = []
        self._fixed = self._fixed_people()
        self._build_clients()
        self._build_personnel()
        self.public = self._public_usernames(60 if self.small else 3000)

    # --- identities -------------------------------------------------------------------------

    def _phone(self) -> str:
        while True:
            prefix = self.rng.choices(_PHONE_PREFIXES, _PHONE_WEIGHTS)[0]
            phone = f"{prefix}{self.rng.randrange(10**8):08d}"
            if not phone.startswith(_RESERVED_PHONES) and phone not in self._phones:
                self._phones.add(phone)
                return phone

    def _email(self, first: str, last: str, nrp: str) -> str:
        """One person per address (a unique index): a taken one gets the whole NRP."""
        email = f"{_letters(first)}.{_letters(last)}{nrp[:2]}@gmail.com"
        if email in self._emails:
            email = f"{_letters(first)}.{_letters(last)}{nrp}@gmail.com"
        self._emails.add(email)
        return email

    def _group_jid(self) -> str:
        return f"1203630{self.rng.randrange(10**11):011d}@g.us"

    def _nrp(self, rank: str) -> str:
        low, high = _BIRTH_YEARS[rank]
        while True:
            year, month = self.rng.randint(low, high), self.rng.randint(1, 12)
            nrp = f"{year % 100:02d}{month:02d}{self.rng.randrange(10000):04d}"
            if nrp not in self._nrps:
                self._nrps.add(nrp)
                return nrp

    def _claim(self, platform: str, candidate: str) -> str:
        limit = 30 if platform == "instagram" else 24
        name = candidate[:limit].strip("._")
        while name in self._taken[platform] or not name:
            suffix = str(self.rng.randint(1, 999))
            name = candidate[: limit - len(suffix)].strip("._") + suffix
        self._taken[platform].add(name)
        return name

    def _usernames(self, first: str, last: str, nrp: str) -> tuple[str, str]:
        f, s, yy = _letters(first), _letters(last), nrp[:2]
        ig = self.rng.choice((f"{f}.{s}", f"{f}_{s}", f"{f}{s}{yy}", f"{f}.{s}{yy}",
                              f"{f}_{yy}", f"{s}.{f}", f"{f}.{s}_{yy}", f"{f}.{s[:4]}.{yy}"))
        tt = self.rng.choice((f"{f}{s}", f"{f}_{s}{yy}", f"{f}.{yy}", f"{s}{f}",
                              f"{f}{s[:3]}{yy}", f"{f}_{s}"))
        return self._claim("instagram", ig), self._claim("tiktok", tt)

    def _name(self, rank: str) -> tuple[str, str, str]:
        groups = names.NAME_GROUPS
        firsts, middles, lasts, _ = self.rng.choices(groups, [g[3] for g in groups])[0]
        first, last = self.rng.choice(firsts), self.rng.choice(lasts)
        while last == first:
            last = self.rng.choice(lasts)
        parts = [first]
        if self.rng.random() < 0.2:
            middle = self.rng.choice(middles)
            if middle not in (first, last):
                parts.append(middle)
        parts.append(last)
        display = " ".join(parts)
        if rank in names.OFFICER_RANKS and self.rng.random() < 0.5:
            display += self.rng.choice(names.DEGREES)
        return display, first, last

    def _segment(self) -> str:
        return self.rng.choices(_SEGMENTS, _SEGMENT_WEIGHTS)[0]

    def _behave(self, person: _Person, segments: dict[str, str]) -> None:
        person.segment = dict(segments)
        for platform, segment in segments.items():
            if segment == "all":
                person.propensity[platform] = self.rng.uniform(0.9, 1.0)
            elif segment == "some":
                person.propensity[platform] = self.rng.uniform(0.3, 0.75)
            else:
                person.propensity[platform] = 0.0

    # --- clients ------------------------------------------------------------------------------

    def _add_client(self, client_id: str, name: str, type_: str, parent: str | None,
                    instagram: str, tiktok: str) -> None:
        secuid = "MS4wLjABAAAA" + "".join(self.rng.choices(_SHORTCODE_CHARS, k=52))
        self.clients.append((client_id, name, type_, parent, True, instagram, True, tiktok,
                             secuid, True, True))
        operator = DEMO_OPERATOR_PHONE if client_id == "POLRES_LAMONGAN" else self._phone()
        supers = ([DEMO_SUPER_ADMIN_PHONE, self._phone()] if client_id == names.DIRECTORATE_ID
                  else [self._phone()])
        entries = [("operator", operator), *(("super_admin", s) for s in supers),
                   ("group", self._group_jid())]
        for kind, value in entries:
            self.contacts.append((len(self.contacts) + 1, client_id, kind, value))

    def _build_clients(self) -> None:
        self._add_client(names.POLDA_ID, names.POLDA_NAME, "polda", None, "humaspoldajatim",
                         "humas.poldajatim")
        self._add_client(names.DIRECTORATE_ID, names.DIRECTORATE_NAME, "directorate",
                         names.POLDA_ID, "ditbinmaspoldajatim", "ditbinmas.poldajatim")
        by_name = {name: (size, places) for name, size, places in names.SATKERS}
        chosen = names.SMALL_SATKERS if self.small else [(n, s) for n, s, _ in names.SATKERS]
        for name, size in chosen:
            client_id = name.replace(" ", "_")
            self._add_client(client_id, name, "org", names.POLDA_ID,
                             name.lower().replace(" ", ""), name.lower().replace(" ", "_"))
            self.satkers.append((client_id, name, size))
            self.places[client_id] = by_name[name][1]
            self.titles[client_id] = name.title()
            self.population[client_id] = []
        self.places[names.DIRECTORATE_ID] = tuple(p for _, _, ps in names.SATKERS for p in ps)

    # --- personnel ----------------------------------------------------------------------------

    def _fixed_people(self) -> dict[str, list[_Person]]:
        officer = _Person(DEMO_OFFICER_NRP, "AGUS SETIAWAN", "BRIPKA", "SAT BINMAS",
                          "BA SAT BINMAS", "POLRES_LAMONGAN", whatsapp=DEMO_OFFICER_PHONE,
                          instagram="agus.setiawan87", tiktok="agussetiawan_lmg", opt_in=True,
                          fixed=True)
        unlinked = _Person(DEMO_UNLINKED_NRP, "DWI PRASETYO", "BRIPTU", "SAT BINMAS",
                           "BA SAT BINMAS", "POLRES_NGAWI", fixed=True)
        excepted = _Person(DEMO_EXCEPTION_NRP, "HARI SUBAGYO, S.H.", "AKP", "POLSEK KAPAS",
                           "KAPOLSEK KAPAS", "POLRES_BOJONEGORO", whatsapp="6281234560004",
                           instagram="harisubagyo76", tiktok="hari.subagyo", exception=True,
                           fixed=True)
        fixed = [officer, unlinked, excepted]
        for person in fixed:
            self._nrps.add(person.user_id)
            if person.whatsapp:
                self._phones.add(person.whatsapp)
            for platform in PLATFORMS:
                if username := person.username(platform):
                    self._taken[platform].add(username)
        self._behave(officer, {"instagram": "some", "tiktok": "all"})
        self._behave(unlinked, {"instagram": "all", "tiktok": "all"})
        self._behave(excepted, {"instagram": "none", "tiktok": "none"})
        grouped: dict[str, list[_Person]] = {}
        for person in fixed:
            grouped.setdefault(person.client_id, []).append(person)
        return grouped

    def _add(self, person: _Person) -> None:
        self.people.append(person)
        self.population[names.DIRECTORATE_ID].append(person)
        if person.client_id != names.DIRECTORATE_ID:
            self.population[person.client_id].append(person)

    def _person(self, client_id: str, rank: str, satfung: str, jabatan: str,
                desa: str | None = None) -> _Person:
        rng = self.rng
        display, first, last = self._name(rank)
        nrp = self._nrp(rank)
        person = _Person(nrp, display, rank, satfung, jabatan, client_id, desa=desa)
        instagram, tiktok = self._usernames(first, last, nrp)
        roll = rng.random()  # 5% no usernames, 3% no Instagram, 5% no TikTok
        person.instagram = None if roll < 0.08 else instagram
        person.tiktok = None if roll < 0.05 or 0.08 <= roll < 0.13 else tiktok
        if rng.random() < 0.88:
            person.whatsapp = self._phone()
            person.opt_in = rng.random() < 0.55
        if rng.random() < 0.3:
            person.email = self._email(first, last, nrp)
        ig_segment = self._segment()
        tt_segment = ig_segment if rng.random() < 0.8 else self._segment()
        self._behave(person, {"instagram": ig_segment, "tiktok": tt_segment})
        self._add(person)
        return person

    def _rank(self) -> str:
        ranks = names.RANK_WEIGHTS
        return self.rng.choices([r for r, _ in ranks], [w for _, w in ranks])[0]

    def _build_personnel(self) -> None:
        staff = names.SMALL_DIRECTORATE_STAFF if self.small else names.DIRECTORATE_STAFF
        self._build_directorate(staff)
        for client_id, name, size in self.satkers:
            self._build_polres(client_id, name, size)
        if self.small:
            for client_id in [names.DIRECTORATE_ID, *(c for c, _, _ in self.satkers)]:
                self._arrange_small(client_id)
        else:
            self._sprinkle_polda()

    def _build_directorate(self, size: int) -> None:
        command = names.DITBINMAS_COMMAND[: max(3, size // 12)]
        for jabatan, rank, satfung in command:
            self._person(names.DIRECTORATE_ID, rank, satfung, jabatan)
        officers, others = names.DITBINMAS_JABATAN
        for _ in range(size - len(command)):
            satfung, rank = self.rng.choice(names.DITBINMAS_SATFUNG), self._rank()
            position = self.rng.choice(officers if rank in names.OFFICER_RANKS else others)
            self._person(names.DIRECTORATE_ID, rank, satfung, f"{position} {satfung}")

    def _build_polres(self, client_id: str, name: str, size: int) -> None:
        rng = self.rng
        self._person(client_id, "AKP" if rng.random() < 0.7 else "IPTU", "SAT BINMAS",
                     f"KASAT BINMAS {name}")
        used = set()
        for person in self._fixed.get(client_id, []):
            self._add(person)
            used.add(person.jabatan)
        satfungs = names.POLRES_SATFUNG_WEIGHTS
        count = 1 + len(self._fixed.get(client_id, []))
        while count < size:
            unit = rng.choices([s for s, _ in satfungs], [w for _, w in satfungs])[0]
            rank = self._rank()
            officer = rank in names.OFFICER_RANKS
            kecamatan = rng.choice(self.places[client_id])
            satfung = f"POLSEK {kecamatan}" if unit == "POLSEK" else unit
            options = [j.format(kec=kecamatan) for j in names.JABATAN[unit][0 if officer else 1]]
            if officer:
                free = [j for j in options if j not in used]
                jabatan = rng.choice(free) if free else f"PANIT {satfung}"
                used.add(jabatan)
            else:
                jabatan = rng.choice(options)
            desa = rng.choice(names.DESA) if unit == "POLSEK" and not officer else None
            self._person(client_id, rank, satfung, jabatan, desa)
            count += 1

    def _arrange_small(self, client_id: str) -> None:
        """Guarantee every kind of person in each client: all / some / none / no username."""
        own = [p for p in self.people
               if p.client_id == client_id and not p.fixed and not p.exception]
        self.rng.shuffle(own)
        engaged = [p for p in own if p.instagram and p.tiktok][:3]
        for person, segment in zip(engaged, _SEGMENTS, strict=True):
            self._behave(person, {"instagram": segment, "tiktok": segment})
        rest = [p for p in own if p not in engaged]
        for person, (keep_ig, keep_tt) in zip(rest, ((False, True), (True, False),
                                                     (False, False)), strict=False):
            person.instagram = person.instagram if keep_ig else None
            person.tiktok = person.tiktok if keep_tt else None
        if client_id in ("POLRES_LAMONGAN", "POLRES_NGAWI"):
            rest[3].status = False

    def _sprinkle_polda(self) -> None:
        for person in self.people:
            if person.fixed:
                continue
            if person.jabatan.startswith(("DIRBINMAS", "WADIRBINMAS")) or \
                    self.rng.random() < 0.002:
                person.exception = True
            elif self.rng.random() < 0.01:
                person.status = False

    def _public_usernames(self, count: int) -> list[str]:
        rng = self.rng
        places = [_letters(p) for p in names.DESA] + \
            [_letters(p) for _, _, ps in names.SATKERS for p in ps]
        firsts = [f for group in names.NAME_GROUPS for f in group[0]]
        pool: list[str] = []
        seen: set[str] = set()
        while len(pool) < count:
            word, place = rng.choice(names.PUBLIC_WORDS), rng.choice(places)
            first = _letters(rng.choice(firsts))
            candidate = rng.choice((f"{word}.{place}", f"{word}_{place}{rng.randint(1, 99)}",
                                    f"{first}{rng.randint(1, 9999)}", f"{first}.{place}",
                                    f"{word}{first}{rng.randint(1, 99)}"))[:30]
            taken = candidate in self._taken["instagram"] or candidate in self._taken["tiktok"]
            if not taken and candidate not in seen:
                seen.add(candidate)
                pool.append(candidate)
        return pool

    # --- posts and engagement -----------------------------------------------------------------

    def days(self) -> list[date]:
        span = 8 if self.small else 31
        return [self.today - timedelta(days=back) for back in range(span - 1, -1, -1)]

    def _post_count(self, rng: random.Random, client_id: str, platform: str, back: int) -> int:
        directorate = client_id == names.DIRECTORATE_ID
        if not self.small:
            return 4 if directorate else (1 if back < 7 else 0)
        if back == 0:
            return (3 if platform == "instagram" else 2) if directorate else \
                (2 if platform == "instagram" else 1)
        return rng.randint(1, 3)

    def _external_id(self, rng: random.Random, platform: str, uploaded_at: datetime) -> str:
        while True:
            if platform == "instagram":
                external = rng.choice("CD") + "".join(rng.choices(_SHORTCODE_CHARS, k=10))
            else:  # TikTok ids carry the upload second in their high 32 bits
                external = str((int(uploaded_at.timestamp()) << 32) | rng.getrandbits(32))
            if external not in self._external_ids:
                self._external_ids.add(external)
                return external

    def _caption(self, rng: random.Random, client_id: str) -> str:
        place = rng.choice(self.places[client_id]).title()
        opener = rng.choice(names.CAPTION_OPENERS).format(
            satker=self.titles[client_id], place=f"Kecamatan {place}")
        tags = [*rng.sample(names.HASHTAGS, 3), "#" + self.titles[client_id].replace(" ", "")]
        return f"{opener}. {rng.choice(names.CAPTION_CLOSERS)}\n\n{' '.join(tags)}"

    def day(self, day: date) -> tuple[list[_Post], list[tuple[object, ...]]]:
        """The posts of one business day and their engagement rows."""
        back = (self.today - day).days
        rng = random.Random(DEMO_SEED * 1000 + back)
        start = clock.start_of(day)
        window = (330, 570) if back == 0 else (360, 1200)  # today 05:30-09:30, else 06-20
        posts: list[_Post] = []
        rows: list[tuple[object, ...]] = []
        for client_id in [names.DIRECTORATE_ID, *(c for c, _, _ in self.satkers)]:
            for platform in PLATFORMS:
                minutes = sorted(rng.randrange(*window)
                                 for _ in range(self._post_count(rng, client_id, platform, back)))
                group = []
                for minute in minutes:
                    uploaded = start + timedelta(minutes=minute)
                    video = platform == "tiktok" or rng.random() < 0.3
                    group.append(_Post(self._next_post_id, platform,
                                       self._external_id(rng, platform, uploaded), client_id,
                                       uploaded, self._caption(rng, client_id), video,
                                       not video and rng.random() < 0.35))
                    self._next_post_id += 1
                if group:
                    rows.extend(self._engage(rng, group, day, today=back == 0))
                posts.extend(group)
        return posts, rows

    def _engage(self, rng: random.Random, group: Sequence[_Post], day: date,
                today: bool) -> list[tuple[object, ...]]:
        platform, client_id = group[0].platform, group[0].client_id
        engagers: list[list[str]] = [[] for _ in group]
        random_ = rng.random
        for person in self.population[client_id]:
            username = person.username(platform)
            if not username or person.exception:
                continue  # exceptions are applied at evaluation time, never stored
            if self.small and today:
                chosen: Iterable[int] = self._today_choice(rng, person.segment[platform],
                                                           len(group))
            else:
                p = person.propensity[platform]
                chosen = [i for i in range(len(group)) if random_() < p] if p else ()
            for index in chosen:
                engagers[index].append(username)
        directorate = client_id == names.DIRECTORATE_ID
        public_range = (3, 12) if self.small else ((40, 250) if directorate else (5, 60))
        day_end = clock.start_of(day + timedelta(days=1)) - timedelta(minutes=1)
        kind = _KIND[platform]
        rows: list[tuple[object, ...]] = []
        for post, users in zip(group, engagers, strict=True):
            users.extend(rng.sample(self.public, rng.randint(*public_range)))
            end = min(post.uploaded_at + timedelta(hours=3 if today else 14), day_end)
            span = (end - post.uploaded_at).total_seconds() - 120
            slots = [post.uploaded_at + timedelta(seconds=120 + int(span * k / 23))
                     for k in range(24)]
            for username in users:
                first = int(random_() * 24)
                last = min(23, first + int(random_() * 4))
                rows.append((post.id, kind, username, slots[first], slots[last]))
            if platform == "instagram":
                post.like_count = len(users) + rng.randint(0, len(users) // 8 + 3)
                post.comment_count = rng.randint(0, 25)
            else:
                post.comment_count = len(users) + rng.randint(0, 10)
                post.like_count = len(users) * rng.randint(2, 4) + rng.randint(20, 300)
        return rows

    # --- amplification (demo/amplification.py) -------------------------------------

    def amplifiers(self) -> amplified.Amplifiers:
        """A satker's own people amplify its posts; DITBINMAS's: every member on the small
        scale, its own staff on the polda scale."""
        by_client: dict[str, list] = {client_id: list(people)
                                      for client_id, people in self.population.items()}
        if not self.small:
            by_client[names.DIRECTORATE_ID] = [p for p in self.people
                                               if p.client_id == names.DIRECTORATE_ID]
        segments = amplified.segments_of(self.people, DEMO_SEED + 16,
                                         {DEMO_OFFICER_NRP: "some"})
        return amplified.Amplifiers(by_client, segments)

    def link_reports(self, rng: random.Random, amplifiers: amplified.Amplifiers,
                     posts: Sequence[_Post], day: date) -> list[tuple[object, ...]]:
        rows: list[tuple[object, ...]] = []
        exact = self.small and day == self.today
        for client_id in [names.DIRECTORATE_ID, *(c for c, _, _ in self.satkers)]:
            group = [p for p in posts if p.platform == "instagram" and p.client_id == client_id]
            rows += amplified.report_rows(rng, amplifiers, group, lambda p: p.uploaded_at,
                                          exact)
        return rows

    def special_tasks(self, rng: random.Random, amplifiers: amplified.Amplifiers
                      ) -> tuple[list[amplified.SpecialTaskRow], list[tuple[object, ...]]]:
        """Small: POLRES_LAMONGAN and DITBINMAS today; polda: DITBINMAS, the last 7 days.
        The demo officer has reported none of them."""
        clients = ["POLRES_LAMONGAN", names.DIRECTORATE_ID] if self.small \
            else [names.DIRECTORATE_ID]
        tasks = amplified.special_tasks(rng, clients, self.days()[-(1 if self.small else 7):],
                                        self._external_ids)
        rows: list[tuple[object, ...]] = []
        for task in tasks:
            rows += amplified.report_rows(
                rng, amplifiers, [task], lambda t: t.registered_at, self.small,
                lambda person: "none" if person.user_id == DEMO_OFFICER_NRP else None)
        return tasks, rows

    @staticmethod
    def _today_choice(rng: random.Random, segment: str, size: int) -> list[int]:
        if segment == "all":
            return list(range(size))
        if segment == "none":
            return []
        if size == 1:
            return [0] if rng.random() < 0.5 else []
        return sorted(rng.sample(range(size), rng.randint(1, size - 1)))


async def seed_unless_seeded(engine: AsyncEngine, scale: str = "polda") -> str:
    """Seed an empty database, or reuse one that holds data already (benchmarks keep their
    home between runs); a line saying which, and how long seeding took."""
    started = time.perf_counter()
    try:
        summary = await seed_demo(engine, scale=scale)
    except DatabaseNotEmpty:
        return f"reusing the {scale} data already in this home"
    return f"seeded {scale} in {time.perf_counter() - started:.1f} s: {summary}"


async def seed_demo(engine: AsyncEngine, scale: str = "small", progress: Progress | None = None,
                    *, replace: bool = False, today: date | None = None) -> DemoSummary:
    """Fill an empty database (or, with `replace`, an emptied one) with the demo data."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}")
    today = today or clock.today()
    report = progress or (lambda done, total: None)
    async with engine.begin() as connection:
        has_clients = await connection.scalar(text("SELECT EXISTS (SELECT 1 FROM clients)"))
        if has_clients and not replace:
            raise DatabaseNotEmpty()
        if replace:
            tables = ", ".join(f'"{name}"' for name in TABLES_IN_DEPENDENCY_ORDER)
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        demo = _DemoData(scale, today)
        days = demo.days()
        total = 4 + len(days)
        report(1, total)
        raw = await connection.get_raw_connection()
        db = raw.driver_connection
        assert db is not None

        async def copy(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
            await db.copy_records_to_table(table, records=rows, columns=list(columns))

        await copy("clients", _CLIENT_COLUMNS, demo.clients)
        await copy("client_contacts", ("id", "client_id", "kind", "value"), demo.contacts)
        await copy("personnel", _PERSONNEL_COLUMNS, (p.record() for p in demo.people))
        await copy("directorate_memberships", ("directorate_id", "user_id"),
                   ((names.DIRECTORATE_ID, p.user_id) for p in demo.people))
        report(2, total)
        posts = engagements = link_reports = 0
        amplifiers = demo.amplifiers()
        link_rng = random.Random(DEMO_SEED + 17)
        for number, day in enumerate(days, start=3):
            day_posts, rows = demo.day(day)
            await copy("posts", _POST_COLUMNS, (post.record() for post in day_posts))
            await copy("engagements", _ENGAGEMENT_COLUMNS, rows)
            reports = demo.link_reports(link_rng, amplifiers, day_posts, day)
            await copy("link_reports", amplified.REPORT_COLUMNS, reports)
            posts, engagements = posts + len(day_posts), engagements + len(rows)
            link_reports += len(reports)
            report(number, total)
        tasks, reports = demo.special_tasks(link_rng, amplifiers)
        await copy("special_tasks", amplified.SPECIAL_TASK_COLUMNS, (t.record() for t in tasks))
        await copy("special_link_reports", amplified.SPECIAL_REPORT_COLUMNS, reports)
        link_reports += len(reports)
        await seed_satbinmas(connection, [c for c, _, _ in demo.satkers], today, DEMO_SEED,
                             small=demo.small)
        for table in ("posts", "client_contacts", "special_tasks"):
            await connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"))
        for table in ("clients", "personnel", "directorate_memberships", "posts", "engagements",
                      "link_reports", "special_tasks", "special_link_reports"):
            await connection.execute(text(f"ANALYZE {table}"))
        report(total - 1, total)
    report(total, total)
    return DemoSummary(len(demo.clients), len(demo.people), posts, engagements, link_reports)

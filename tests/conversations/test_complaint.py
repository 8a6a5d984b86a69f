"""Complaints ("Pesan Komplain"): the parser and classifier as tables, then T18/T19 and the
improvements (authorisation, forwarding, groups, the personnel number) through the whole
bot on the sandbox transport, real PostgreSQL and Redis."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import text

from cicero.clock import clock
from cicero.sandbox_bot import said
from conversations.complaint import (
    classify,
    is_authorised,
    issue_types,
    may_complain_for_others,
    parse_complaint,
)
from menus import complaint as texts
from storage.complaints import ComplaintForm, IssueType, Reporter
from storage.identifiers import phone_to_jid
from storage.identities import Identity, IdentityKind
from tests.conversations.conftest import ADMIN, BUDI, NEW, OPERATOR, OTHER

NOW = datetime(2025, 12, 6, 10, 0, tzinfo=clock.tz)
GROUP = "120363012345678901@g.us"


def complaint(nrp: str = "87020991", *issues: str, instagram: str = "@budi.s",
              header: str = "Kendala", extra: str = "") -> str:
    lines = ["Pesan Komplain", f"NRP : {nrp}", "Nama : BUDI", f"Username IG : {instagram}"]
    if extra:
        lines.append(extra)
    lines.append(header)
    lines += [f"- {issue}" for issue in issues or ("Sudah melaksanakan Instagram belum "
                                                   "terdata.",)]
    return "\n".join(lines)


@pytest.fixture(autouse=True)
def _morning() -> None:
    clock.set_now(NOW)


async def _said(bot, phone: str, message: str, *, session: str = "operator",
                group: str | None = None) -> list[dict[str, Any]]:
    await bot.send(said(phone, message, session=session, group=group))
    return await bot.new_outbound()


def _to(sent: list[dict[str, Any]], phone_or_jid: str) -> list[dict[str, Any]]:
    jid = phone_or_jid if "@" in phone_or_jid else phone_to_jid(phone_or_jid)
    return [message for message in sent if message["to"] == jid]


def _recipients(sent: list[dict[str, Any]]) -> set[str]:
    return {message["to"] for message in sent}


async def _complaints(engine) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        rows = await connection.execute(text(
            "SELECT id, user_id, from_phone, issue_type, body, details, response, status, "
            "resolved_at, answered_by FROM complaints ORDER BY id"))
        return [dict(row._mapping) for row in rows]


async def _sql(engine, *statements: str) -> None:
    async with engine.begin() as connection:
        for statement in statements:
            await connection.execute(text(statement))


# --- parser and classifier ------------------------------------------------------------------

T18_TEXT = ("Pesan Komplain\nNRP : 75020201\nNama : X\nUsername IG : @abc\nKendala\n"
            "- Sudah melaksanakan Instagram belum terdata.")


@pytest.mark.parametrize(("message", "expected"), [
    (T18_TEXT, ComplaintForm("75020201", "X", None, "abc", None,
                             ("Sudah melaksanakan Instagram belum terdata.",))),
    ("*Pesan Komplain*\n*NRP*: 75.020.201\n*Polres*: POLRES A\n*Kendala:*\n• satu\n* dua",
     ComplaintForm("75020201", None, "POLRES A", None, None, ("satu", "dua"))),
    ("pesan komplain absensi\n\nNRP/NIP: 75020201\nRincian Kendala\n1) satu\n2. dua\n\n3) tiga",
     ComplaintForm("75020201", issues=("satu", "dua", "tiga"))),
    ("PESAN KOMPLAIN\nNRP: 75020201\nDetail Kendala :\n- satu",
     ComplaintForm("75020201", issues=("satu",))),
    ("Pesan Komplain\nNRP: 75020201\nKENDALA: absen kurang hari ini",
     ComplaintForm("75020201", issues=("absen kurang hari ini",))),
    ("Pesan Komplain\nNRP: 75020201\n"
     "Username Instagram: https://www.instagram.com/Abc.Def/?igsh=x\n"
     "Username TikTok: https://www.tiktok.com/@Another.User\nKendala\n- satu",
     ComplaintForm("75020201", instagram="abc.def", tiktok="another.user", issues=("satu",))),
    ("Pesan Komplain\nNRP: 75020201\nUsername IG: -\nUsername TikTok: belum ada\nKendala\n"
     "- satu", ComplaintForm("75020201", issues=("satu",))),
    # fields after the issues are still fields, not issues
    ("Pesan Komplain\nKendala\n- satu\nNRP: 75020201", ComplaintForm("75020201",
                                                                     issues=("satu",))),
])
def test_a_complaint_is_parsed(message: str, expected: ComplaintForm) -> None:
    assert parse_complaint(message) == expected


@pytest.mark.parametrize("message", [
    "Pesan Komplain\nNama: X\nKendala\n- satu",  # no NRP
    "Pesan Komplain\nNRP: belum tahu\nKendala\n- satu",  # NRP without digits
    "Pesan Komplain\nNRP: 75020201\n- satu",  # no header
    "Pesan Komplain\nNRP: 75020201\nKendala",  # a header without issues
    "Mohon bantuan\nPesan Komplain\nNRP: 75020201\nKendala\n- satu",  # not the first line
    "Pesan Komplain\nNRP: 75020201\nKendalanya\n- satu",  # not the header word
    "komplain\nNRP: 75020201\nKendala\n- satu",
    "",
])
def test_not_a_complaint(message: str) -> None:
    assert parse_complaint(message) is None


@pytest.mark.parametrize(("issue", "expected"), [
    ("Sudah melaksanakan Instagram belum terdata.", [IssueType.INSTAGRAM_NOT_RECORDED]),
    ("sdh melaksanakan IG tapi blm terdata", [IssueType.INSTAGRAM_NOT_RECORDED]),
    ("Sudah like di insta, tidak tercatat", [IssueType.INSTAGRAM_NOT_RECORDED]),
    ("Sudah melaksanakan TikTok belum terdata", [IssueType.TIKTOK_NOT_RECORDED]),
    ("sudah komen tt tdk terdata", [IssueType.TIKTOK_NOT_RECORDED]),
    ("sudah melaksanakan tik tok belum terdata", [IssueType.TIKTOK_NOT_RECORDED]),
    ("Sudah melaksanakan IG dan TikTok belum terdata",
     [IssueType.INSTAGRAM_NOT_RECORDED, IssueType.TIKTOK_NOT_RECORDED]),
    ("Sudah melaksanakan tapi terabsen kurang", [IssueType.ATTENDANCE_SHORT]),
    ("absen kurang", [IssueType.ATTENDANCE_SHORT]),
    # whole words only: `ig` is not inside `tiga`, `tt` not inside `setting`
    ("Sudah melaksanakan tiga konten belum terdata", []),
    ("Sudah melaksanakan setting belum terdata", []),
    ("Instagram belum terdata", []),  # no "sudah melaksanakan"
    ("Sudah melaksanakan Instagram", []),  # nothing missing
    ("Aplikasi error saat login", []),
])
def test_issues_are_classified_on_whole_words(issue: str, expected: list[IssueType]) -> None:
    assert classify(issue) == expected


def test_issue_types_are_listed_once_in_order() -> None:
    form = ComplaintForm("1", issues=("absen kurang", "sudah melaksanakan ig belum terdata",
                                      "terabsen kurang"))
    assert issue_types(form) == [IssueType.ATTENDANCE_SHORT, IssueType.INSTAGRAM_NOT_RECORDED]


def _reporter(**changes: Any) -> Reporter:
    values: dict[str, Any] = dict(
        user_id="87020991", name="BUDI", rank="BRIPKA", client_id="POLRES_A",
        client_name="POLRES A", whatsapp=BUDI, instagram="budi.s", tiktok=None, active=True,
        directorates=("DITBINMAS",))
    return Reporter(**{**values, **changes})


@pytest.mark.parametrize(("identity", "allowed"), [
    (Identity(BUDI, frozenset({IdentityKind.PERSONNEL}), user_id="87020991"), True),
    (Identity(OTHER, frozenset({IdentityKind.PERSONNEL}), user_id="87020992"), False),
    (Identity(NEW, frozenset({IdentityKind.UNKNOWN})), False),
    (Identity(OPERATOR, frozenset({IdentityKind.OPERATOR}), operator_of=("POLRES_A",)), True),
    (Identity(OPERATOR, frozenset({IdentityKind.OPERATOR}), operator_of=("POLRES_B",)), False),
    (Identity(OPERATOR, frozenset({IdentityKind.OPERATOR}), operator_of=("DITBINMAS",)), True),
    (Identity(OPERATOR, frozenset({IdentityKind.SUPER_ADMIN}), super_admin_of=("POLRES_A",)),
     True),
    (Identity(ADMIN, frozenset({IdentityKind.ADMIN})), True),
    (Identity(OPERATOR, frozenset({IdentityKind.DASHBOARD_USER})), False),
])
def test_who_may_complain_for_a_reporter(identity: Identity, allowed: bool) -> None:
    assert is_authorised(identity, _reporter()) is allowed


@pytest.mark.parametrize(("kinds", "staff"), [
    ({IdentityKind.ADMIN}, True), ({IdentityKind.SUPER_ADMIN}, True),
    ({IdentityKind.OPERATOR}, True), ({IdentityKind.OPERATOR, IdentityKind.PERSONNEL}, True),
    ({IdentityKind.DASHBOARD_USER}, False), ({IdentityKind.PERSONNEL}, False),
    ({IdentityKind.UNKNOWN}, False),
])
def test_staff_is_one_set_of_hats(kinds: set[IdentityKind], staff: bool) -> None:
    """Who may complain for others is the identity's one staff set (storage.identities)."""
    identity = Identity(OPERATOR, frozenset(kinds))
    assert identity.is_staff is staff
    assert may_complain_for_others(identity) is staff


# --- T18: the automatic answer --------------------------------------------------------------


async def test_t18_the_reporter_themself_gets_one_answer(bot, world) -> None:
    sent = await _said(bot, BUDI, complaint())
    assert _recipients(sent) == {phone_to_jid(BUDI)}
    assert [m["session"] for m in sent] == ["operator"]
    answer = sent[0]["text"]
    for phrase in ("Selamat siang, Bapak/Ibu *BRIPKA BUDI SANTOSO*", "*NRP/NIP:* 87020991",
                   "*Kendala:*", "- Sudah melaksanakan Instagram belum terdata.",
                   "*Solusi / Tindak Lanjut:*", "belum ada like dari akun *@budi.s*",
                   "Username Instagram yang terdaftar: *@budi.s*", "Langkah pemeriksaan",
                   "sekitar 1 jam", "operator satker Anda"):
        assert phrase in answer
    assert "Respon komplain No." not in answer
    [row] = await _complaints(world)
    assert f"komplain Anda (No. *{row['id']}*)" in answer
    assert row["answered_by"] == "otomatis" and row["resolved_at"] is not None
    assert row["user_id"] == "87020991" and row["from_phone"] == BUDI
    assert row["status"] == "answered" and row["issue_type"] == "instagram_not_recorded"
    assert row["response"] == answer and row["resolved_at"] == NOW
    assert row["body"] == complaint()
    assert row["details"]["nrp"] == "87020991" and row["details"]["instagram"] == "budi.s"
    assert row["details"]["issues"] == ["Sudah melaksanakan Instagram belum terdata."]
    assert row["details"]["session"] == "operator" and row["details"]["sender"] == BUDI


async def test_t18_recorded_activity_is_reported(bot, world) -> None:
    await _sql(world,
               "INSERT INTO posts (id, platform, external_id, client_id, uploaded_at) VALUES "
               "(1, 'instagram', 'IGSATU', 'POLRES_A', '2025-12-01T08:00:00+07:00'), "
               "(2, 'instagram', 'IGLAMA', 'POLRES_A', '2025-10-01T08:00:00+07:00'), "
               "(3, 'tiktok', '7001', 'POLRES_A', '2025-12-05T08:00:00+07:00')",
               "INSERT INTO engagements (post_id, kind, username) VALUES "
               "(1, 'like', 'budi.s'), (2, 'like', 'budi.s'), (3, 'comment', 'budi.tt')")
    sent = await _said(bot, BUDI, complaint("87020991", "Sudah melaksanakan IG belum terdata",
                                            "Sudah melaksanakan TikTok belum terdata"),
                       session="gateway")
    assert _recipients(sent) == {phone_to_jid(BUDI)} and sent[0]["session"] == "gateway"
    answer = sent[0]["text"]
    assert "*Instagram:* aktivitas tercatat (1 konten dalam 30 hari terakhir)" in answer
    assert "*TikTok:* aktivitas tercatat (1 konten" in answer and "@budi.tt" in answer
    assert "Langkah pemeriksaan" not in answer
    [row] = await _complaints(world)
    assert row["issue_type"] == "instagram_not_recorded,tiktok_not_recorded"


async def test_t18_an_operator_on_behalf_of_the_reporter(bot, world) -> None:
    sent = await _said(bot, OPERATOR, complaint(
        "87020991", "Sudah melaksanakan Instagram belum terdata.", instagram="@budi.lain"))
    assert _recipients(sent) == {phone_to_jid(BUDI), phone_to_jid(OPERATOR)}
    [answer] = _to(sent, BUDI)
    assert answer["session"] == "operator"
    assert "Username di komplain (*@budi.lain*) berbeda" in answer["text"]
    assert "terdaftar di Cicero (*@budi.s*)" in answer["text"]
    assert "userrequest" in answer["text"]
    [summary] = _to(sent, OPERATOR)
    [row] = await _complaints(world)
    assert summary["text"] == (f"✅ Respon komplain No. *{row['id']}* telah dikirim ke "
                               "BRIPKA BUDI SANTOSO (87020991).")
    assert row["from_phone"] == OPERATOR and row["status"] == "answered"


async def test_t18_a_stranger_is_refused_and_nothing_leaks(bot, world) -> None:
    sent = await _said(bot, OTHER, complaint("87020991"))  # CITRA, same satker, not operator
    assert _recipients(sent) == {phone_to_jid(OTHER)}
    refusal = sent[0]["text"]
    assert refusal == texts.REFUSED
    for secret in ("87020991", "BUDI", BUDI, "budi.s", "POLRES"):
        assert secret not in refusal
    # an unknown NRP reads exactly the same: not even existence is revealed
    assert [m["text"] for m in await _said(bot, NEW, complaint("99999999"))] == [texts.REFUSED]
    assert [m["text"] for m in await _said(bot, NEW, complaint("87020991"))] == [texts.REFUSED]
    # an operator of another satker is a stranger too
    assert [m["text"] for m in await _said(bot, OPERATOR, complaint("87020993"))] == \
        [texts.REFUSED]
    assert await _complaints(world) == []


# --- T19: negatives -------------------------------------------------------------------------


async def test_t19_without_nrp_it_is_not_a_complaint(bot, world) -> None:
    sent = await _said(bot, BUDI, "Pesan Komplain\nNama : BUDI\nKendala\n"
                                  "- Sudah melaksanakan Instagram belum terdata.")
    assert _recipients(sent) == {phone_to_jid(BUDI)}
    assert "Perintah tidak dikenali" in sent[0]["text"]
    assert await _complaints(world) == []


async def test_t19_unknown_nrp_then_batal_closes(bot, world) -> None:
    sent = await _said(bot, OPERATOR, complaint("99999999"))
    assert [m["to"] for m in sent] == [phone_to_jid(OPERATOR)]
    assert "NRP/NIP *99999999* tidak ditemukan" in sent[0]["text"]
    assert "*batal*" in sent[0]["text"]
    sent = await _said(bot, OPERATOR, "halo")
    assert [m["text"] for m in sent] == [texts.FIX_NRP_HINT]
    sent = await _said(bot, OPERATOR, "batal")
    assert [m["to"] for m in sent] == [phone_to_jid(OPERATOR)]
    assert "Menu ditutup" in sent[0]["text"]
    sent = await _said(bot, OPERATOR, "halo")
    assert "Perintah tidak dikenali" in sent[0]["text"]
    assert await _complaints(world) == []


async def test_t19_unknown_nrp_then_the_right_one(bot, world) -> None:
    await _said(bot, OPERATOR, complaint("99999999"))
    sent = await _said(bot, OPERATOR, "87020991")
    assert _recipients(sent) == {phone_to_jid(BUDI), phone_to_jid(OPERATOR)}
    assert "telah dikirim ke BRIPKA BUDI SANTOSO (87020991)" in _to(sent, OPERATOR)[0]["text"]
    [row] = await _complaints(world)
    assert row["user_id"] == "87020991" and row["details"]["nrp"] == "87020991"
    assert row["body"] == complaint("99999999")


async def test_t19_the_rincian_kendala_header_is_accepted(bot, world) -> None:
    sent = await _said(bot, BUDI, complaint(header="*Rincian Kendala:*"))
    assert _recipients(sent) == {phone_to_jid(BUDI)}
    assert "*Solusi / Tindak Lanjut:*" in sent[0]["text"]
    assert [row["status"] for row in await _complaints(world)] == ["answered"]


# --- other answers --------------------------------------------------------------------------


async def test_unmatched_issue_is_forwarded_to_the_operator(bot, world) -> None:
    sent = await _said(bot, BUDI, complaint("87020991", "Aplikasi error saat login"),
                       session="gateway")
    assert _recipients(sent) == {phone_to_jid(BUDI), phone_to_jid(OPERATOR)}
    [reply] = _to(sent, BUDI)
    assert reply["session"] == "gateway"
    assert "Komplain Anda tercatat dengan nomor *1*" in reply["text"]
    assert "diteruskan ke operator POLRES A" in reply["text"]
    [notice] = _to(sent, OPERATOR)
    assert notice["session"] == "operator"
    for phrase in ("Komplain No. 1 perlu ditindaklanjuti", "BRIPKA BUDI SANTOSO (87020991)",
                   "- Aplikasi error saat login", "pelapor sendiri", BUDI):
        assert phrase in notice["text"]
    [row] = await _complaints(world)
    assert row["status"] == "open" and row["issue_type"] == "unmatched"
    assert row["response"] is None and row["resolved_at"] is None


async def test_a_complaint_in_a_registered_group(bot, world) -> None:
    sent = await _said(bot, OPERATOR, complaint(), group=GROUP)
    assert _recipients(sent) == {phone_to_jid(BUDI), GROUP}
    assert {m["session"] for m in sent} == {"operator"}
    assert "*Solusi / Tindak Lanjut:*" in _to(sent, BUDI)[0]["text"]
    assert _to(sent, GROUP)[0]["text"].endswith(
        "telah dikirim ke BRIPKA BUDI SANTOSO (87020991).")
    # the reporter themself in the group: the answer in private, a note in the group
    sent = await _said(bot, BUDI, complaint(), group=GROUP)
    assert _recipients(sent) == {phone_to_jid(BUDI), GROUP}
    # a stranger in the group is refused there, and the reporter hears nothing
    sent = await _said(bot, OTHER, complaint(), group=GROUP)
    assert [(m["to"], m["text"]) for m in sent] == [(GROUP, texts.REFUSED)]
    assert len(await _complaints(world)) == 2


async def test_groups_on_the_personnel_number_stay_silent(bot, world) -> None:
    assert await _said(bot, OPERATOR, complaint(), session="user", group=GROUP) == []
    assert await _complaints(world) == []


async def test_the_personnel_number_answers_complaints(bot, world) -> None:
    sent = await _said(bot, BUDI, complaint(), session="user")
    assert _recipients(sent) == {phone_to_jid(BUDI)} and sent[0]["session"] == "user"
    assert "*Solusi / Tindak Lanjut:*" in sent[0]["text"]
    assert "Identitas Anda" not in sent[0]["text"]  # not the registration flow


async def test_inactive_reporter_without_whatsapp(bot, world) -> None:
    sent = await _said(bot, OPERATOR, complaint("87020994"))  # EKO: inactive, no number
    assert _recipients(sent) == {phone_to_jid(OPERATOR)}
    assert "belum memiliki nomor WhatsApp terdaftar" in sent[0]["text"]
    assert "*NONAKTIF*" in sent[1]["text"] and "mengaktifkan kembali" in sent[1]["text"]
    [row] = await _complaints(world)
    assert row["issue_type"] == "inactive" and row["status"] == "answered"


async def test_no_usernames_explains_how_to_register(bot, world) -> None:
    await _sql(world, f"UPDATE personnel SET whatsapp = '{NEW}' WHERE user_id = '87020990'")
    sent = await _said(bot, NEW, complaint("87020990", instagram="-"))
    assert _recipients(sent) == {phone_to_jid(NEW)}
    answer = sent[0]["text"]
    assert "Username Instagram dan TikTok Anda belum terdaftar" in answer
    assert "*userrequest*" in answer
    [row] = await _complaints(world)
    assert row["issue_type"] == "no_username"


async def test_attendance_short_lists_the_posts_not_liked_and_not_reported_today(
        bot, world) -> None:
    await _sql(world,
               "INSERT INTO posts (id, platform, external_id, client_id, uploaded_at) VALUES "
               "(1, 'instagram', 'SATKERSATU', 'POLRES_A', '2025-12-06T07:00:00+07:00'), "
               "(2, 'instagram', 'SATKERDUA', 'POLRES_A', '2025-12-06T08:00:00+07:00'), "
               "(3, 'instagram', 'DITSATU', 'DITBINMAS', '2025-12-06T08:30:00+07:00'), "
               "(4, 'instagram', 'KEMARIN', 'POLRES_A', '2025-12-05T08:00:00+07:00'), "
               "(5, 'instagram', 'LAIN', 'POLRES_B', '2025-12-06T08:00:00+07:00')",
               "INSERT INTO engagements (post_id, kind, username) VALUES "
               "(1, 'like', 'taken.user'), (2, 'like', 'budi.s')")
    issue = "Sudah melaksanakan tapi terabsen kurang"
    sent = await _said(bot, OTHER, complaint("87020992", issue, instagram="@taken.user"))
    # CITRA: POLRES_A and the DITBINMAS posts; the likes, then the link reports
    likes, links = sent[0]["text"].split("*Laporan link amplifikasi hari ini:*")
    assert "dari 3 konten Instagram hari ini (06 Desember 2025), 2 konten" in likes
    assert "- https://www.instagram.com/p/SATKERDUA" in likes
    assert "- https://www.instagram.com/p/DITSATU" in likes
    for other in ("SATKERSATU", "KEMARIN", "LAIN"):
        assert other not in likes
    assert "3 dari 3 tugas belum dilaporkan" in links and "p/SATKERSATU" in links
    assert "*lapor*" in links and "KEMARIN" not in links and "LAIN" not in links
    await _sql(world, "INSERT INTO link_reports (post_id, user_id, facebook_link) VALUES "
                      "(1, '87020991', 'https://fb.watch/a')")
    sent = await _said(bot, BUDI, complaint("87020991", issue))  # BUDI: POLRES_A only
    likes, links = sent[0]["text"].split("*Laporan link amplifikasi hari ini:*")
    assert "dari 2 konten Instagram hari ini" in likes and "p/SATKERSATU" in likes
    for other in ("SATKERDUA", "DITSATU"):
        assert other not in likes
    assert "1 dari 2 tugas belum dilaporkan" in links and "p/SATKERDUA" in links
    assert "SATKERSATU" not in links

"""The amplification link sheet (reference §3.9, "monthly amplify"): one row per link report
of the period, with the person and the five platform links.

Columns of the reference: Date · Pangkat Nama · NRP · Satfung · Link Instagram · Link
Facebook · Link Twitter · Link Tiktok · Link Youtube. Added last: Link Konten (the post the
report is for), because one person reports several posts a day. Date is the post's date.
"""

from __future__ import annotations

from datetime import timedelta

from menus.excel.sheets import XLSX_MIMETYPE, Book
from menus.format import MONTH_NAMES, person_label, post_url
from menus.reports.base import ReportFile, ReportRequest
from storage.amplification import LINK_PLATFORMS, Amplification
from storage.ordering import person_key, satfung_key

SHEET = "Amplifikasi"
_PLATFORM_TITLES = {"instagram": "Instagram", "facebook": "Facebook", "twitter": "Twitter",
                    "tiktok": "Tiktok", "youtube": "Youtube"}
HEADERS = ("Tanggal", "Pangkat Nama", "NRP", "Satfung",
           *(f"Link {_PLATFORM_TITLES[platform]}" for platform in LINK_PLATFORMS), "Link Konten")


def workbook_filename(data: Amplification) -> str:
    period = data.period
    whole_month = (period.start.day == 1 and (period.end + timedelta(days=1)).day == 1
                   and period.start.month == period.end.month)
    special = "Tugas_Khusus_" if data.source.special else ""
    if whole_month:
        month = MONTH_NAMES[period.start.month - 1]
        return f"{data.client.client_id}_{special}{month}_{period.start.year}.xlsx"
    span = period.start.isoformat() if period.start == period.end else \
        f"{period.start.isoformat()}_{period.end.isoformat()}"
    return f"{data.client.client_id}_{special or 'Amplifikasi_'}{span}.xlsx"


def amplification_workbook(data: Amplification, request: ReportRequest) -> ReportFile:
    book = Book()
    sheet = book.sheet(SHEET)
    day_format = book.workbook.add_format({"num_format": "dd/mm/yyyy", "border": 1,
                                           "align": "center"})
    for column, title in enumerate(HEADERS):
        sheet.header(0, column, title)

    posts = {post.id: post for post in data.posts}
    people = {person.user_id: person for person in data.people}
    order = {post.id: index for index, post in enumerate(data.posts)}
    reports = sorted(data.reports, key=lambda r: (
        order[r.post_id], satfung_key(people[r.user_id].satfung),
        *person_key(people[r.user_id].rank, people[r.user_id].name), r.user_id))
    for row, report in enumerate(reports, start=1):
        person, post = people[report.user_id], posts[report.post_id]
        sheet.ws.write_datetime(row, 0, post.business_date, day_format)
        sheet.measure(0, "00/00/0000")
        sheet.text(row, 1, person_label(person.rank, person.name))
        sheet.text(row, 2, person.user_id)
        sheet.text(row, 3, person.satfung)
        for column, platform in enumerate(LINK_PLATFORMS, start=4):
            sheet.text(row, column, report.links[platform] or "")
        sheet.text(row, 9, post_url("instagram", post.external_id))
    sheet.fit_columns(minimum=12)
    sheet.ws.freeze_panes(1, 0)
    if reports:
        sheet.ws.autofilter(0, 0, len(reports), len(HEADERS) - 1)
    return ReportFile(workbook_filename(data), book.content(), XLSX_MIMETYPE)

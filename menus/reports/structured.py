"""The JSON form of a report (spec/interfaces.md "Report names and JSON output")."""

from __future__ import annotations

from typing import Any

from menus.format import post_url
from menus.reports.base import ReportRequest
from storage.attendance import Attendance


def period_json(request: ReportRequest) -> dict[str, str]:
    return {"start": request.period.start.isoformat(), "end": request.period.end.isoformat()}


def attendance_json(report: str, attendance: Attendance, request: ReportRequest) -> dict[str, Any]:
    account = (attendance.client.instagram if attendance.platform == "instagram"
               else attendance.client.tiktok)
    return {
        "report": report,
        "client": attendance.client.client_id,
        "policy": attendance.policy.name,
        "platform": attendance.platform.value,
        "posts_of": attendance.posts_of,
        "period": period_json(request),
        "posts": [{"platform": post.platform, "id": post.external_id,
                   "url": post_url(post.platform, post.external_id, account),
                   "engagers": post.engagers} for post in attendance.posts],
        "people": [{"user_id": p.user_id, "name": p.name, "rank": p.rank,
                    "satker": p.satker_id, "satfung": p.satfung, "username": p.username,
                    "engaged": p.engaged, "posts": p.posts, "status": p.status.value}
                   for p in attendance.people],
    }


def rows_json(report: str, client_id: str, policy: str | None, request: ReportRequest,
              rows: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"report": report, "client": client_id, "policy": policy,
            "period": period_json(request), "rows": rows, **extra}

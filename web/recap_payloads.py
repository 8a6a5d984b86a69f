"""The JSON bodies of the dashboard recaps (reference §2.3 #9, #10, #11), shaped from the
structured results of the one attendance engine and of storage.amplification. Pure
functions: nothing here counts engagement or touches the database.

Engine statuses become the dashboard's words in one table, `menus.status_words.DASHBOARD_STATUS`.
"""

from __future__ import annotations

from typing import Any

from menus.format import person_label
from menus.status_words import DASHBOARD_STATUS, STATUS_LEGEND
from storage.amplification import Amplification, AmplifyPerson
from storage.attendance import Attendance, PersonResult, Status
from storage.ordering import NO_SATFUNG

BADGE_EXCEPTION = "Pengecualian"
BADGE_TOP = "Teratas"
BADGE_COMPLETE = "Target tercapai"
CHART_MIN_HEIGHT = 320
CHART_ROW_HEIGHT = 28


def dashboard_status(status: Status) -> str:
    return DASHBOARD_STATUS[status]


def chart_height(rows: int) -> int:
    return max(CHART_MIN_HEIGHT, rows * CHART_ROW_HEIGHT)


def rankings(values: list[int]) -> list[int]:
    """Competition ranking, highest first: 5, 3, 3, 1 -> 1, 2, 2, 4."""
    ordered = sorted(values, reverse=True)
    first_position = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return [first_position[value] for value in values]


def _percent(part: float, whole: float) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _divisi(satfung: str) -> str | None:
    return None if satfung == NO_SATFUNG else satfung


# --- Instagram likes (#9) -------------------------------------------------------------------


def _like_row(person: PersonResult, ranking: int, required: int, best: int) -> dict[str, Any]:
    """`best`: the most likes of anyone who is not an exception (they count by rule, not by
    deed, so they never get the top badge)."""
    posts = person.posts
    status = dashboard_status(person.status)
    badges = [BADGE_EXCEPTION] if person.exception else []
    if not person.exception and person.engaged == best > 0:
        badges.append(BADGE_TOP)
    if status == "sudah":
        badges.append(BADGE_COMPLETE)
    return {
        "user_id": person.user_id, "title": person.rank, "nama": person.name,
        "username": person.username, "divisi": _divisi(person.satfung),
        "jabatan": person.jabatan, "exception": person.exception,
        "client_id": person.satker_id, "client_name": person.satker_name,
        "jumlah_like": person.engaged, "ranking": ranking,
        "completionRate": round(person.engaged / posts, 4) if posts else 0.0,
        "completionPercentage": _percent(person.engaged, posts),
        "missingLikes": max(required - person.engaged, 0) if posts else 0,
        "status": status, "badges": badges,
    }


def _likes_insights(attendance: Attendance, rows: list[dict[str, Any]]) -> list[str]:
    posts = len(attendance.posts)
    if not posts:
        return ["Belum ada konten Instagram pada periode ini."]
    totals = attendance.totals
    with_username = totals.total - totals.no_username
    required = attendance.policy.required(posts)
    insights = [f"Target: like minimal {required} dari {posts} konten per personel.",
                f"{totals.done} dari {with_username} personel ber-username memenuhi target "
                f"({_percent(totals.done, with_username)}%)."]
    if totals.none:
        insights.append(f"{totals.none} personel belum like satu pun konten.")
    if totals.no_username:
        insights.append(f"{totals.no_username} personel belum mengisi username Instagram.")
    best = [row for row in rows if BADGE_TOP in row["badges"]]
    if best:
        names = ", ".join(person_label(row["title"], row["nama"]) for row in best[:3])
        insights.append(f"Like terbanyak ({best[0]['jumlah_like']} konten): {names}.")
    return insights


def likes_payload(attendance: Attendance) -> dict[str, Any]:
    """Everything §2.3 #9 lists, top level beside `success`."""
    people = attendance.people
    posts = len(attendance.posts)
    required = attendance.policy.required(posts)
    best = max((p.engaged for p in people if not p.exception), default=0)
    rows = [_like_row(person, ranking, required, best) for person, ranking
            in zip(people, rankings([p.engaged for p in people]), strict=True)]

    def usernames(status: str) -> list[str]:
        return [row["username"] for row in rows if row["status"] == status]

    with_username = [row for row in rows if row["username"]]
    without_username = [row for row in rows if not row["username"]]
    distribution = {name: sum(1 for row in rows if row["status"] == status)
                    for name, status in (("sudah", "sudah"), ("kurang", "kurang"),
                                         ("belum", "belum"), ("noUsername", "no_username"),
                                         ("noPosts", "no_posts"))}
    average = (round(sum(row["completionPercentage"] for row in with_username)
                     / len(with_username), 1) if with_username and posts else 0.0)
    participants = sum(1 for row in with_username if row["jumlah_like"] > 0)
    chart = [{"label": person_label(row["title"], row["nama"]), "likes": row["jumlah_like"],
              "missingLikes": row["missingLikes"],
              "completionPercentage": row["completionPercentage"]} for row in with_username]
    sudah, kurang, belum = usernames("sudah"), usernames("kurang"), usernames("belum")
    return {
        "data": rows, "totalPosts": posts, "chartHeight": chart_height(len(chart)),
        "sudahUsers": sudah, "kurangUsers": kurang, "belumUsers": belum,
        "sudahUsersCount": len(sudah), "kurangUsersCount": len(kurang),
        "belumUsersCount": len(belum),
        "noUsernameUsers": [row["nama"] for row in without_username],
        "noUsernameUsersCount": len(without_username),
        "usersCount": len(rows),
        "summary": {
            "totalPosts": posts, "totalUsers": len(rows),
            "totalLikes": sum(row["jumlah_like"] for row in rows),
            "averageCompletionPercentage": average,
            "participationRatePercentage": _percent(participants, len(with_username)),
            "distribution": distribution,
        },
        "chartData": chart,
        "insights": _likes_insights(attendance, rows),
        "statusLegend": STATUS_LEGEND,
        "noUsernameUsersDetails": [
            {key: row[key] for key in ("user_id", "nama", "title", "divisi", "client_id",
                                       "client_name")} for row in without_username],
    }


# --- TikTok comments (#10) ------------------------------------------------------------------


def comments_payload(attendance: Attendance) -> dict[str, Any]:
    posts = len(attendance.posts)
    rows = [{
        "client_id": p.satker_id, "client_name": p.satker_name, "user_id": p.user_id,
        "title": p.rank, "nama": p.name, "username": p.username, "divisi": _divisi(p.satfung),
        "exception": p.exception, "jumlah_komentar": p.engaged, "total_konten": posts,
        "status": dashboard_status(p.status),
    } for p in attendance.people]
    with_comments = [row["username"] for row in rows if row["jumlah_komentar"] > 0]
    without = [row["username"] for row in rows
               if row["username"] and row["jumlah_komentar"] == 0]
    return {
        "data": rows, "totalPosts": posts, "chartHeight": chart_height(len(rows)),
        "usersWithComments": with_comments, "usersWithoutComments": without,
        "usersWithCommentsCount": len(with_comments),
        "usersWithoutCommentsCount": len(without),
        "usersCount": len(rows),
    }


# --- link amplification (#11) ---------------------------------------------------------------


def _amplify_row(person: AmplifyPerson, username: str | None) -> dict[str, Any]:
    status = dashboard_status(person.status)
    return {
        "client_id": person.satker_id, "client_name": person.satker_name,
        "nama_client": person.satker_name, "user_id": person.user_id, "title": person.rank,
        "nama": person.name, "username": username, "divisi": _divisi(person.satfung),
        "exception": person.exception, "jumlah_link": person.tasks_done,
        "sudahMelaksanakan": status == "sudah", "status": status,
    }


def amplify_payload(amplification: Amplification,
                    instagram: dict[str, str | None]) -> dict[str, Any]:
    """`instagram`: user_id -> Instagram username of the listed people."""
    rows = [_amplify_row(person, instagram.get(person.user_id))
            for person in amplification.people]
    return {"data": rows, "totalPosts": len(amplification.posts),
            "chartHeight": chart_height(len(rows)), "usersCount": len(rows)}

"""The khusus recaps: link lists per platform, per special task, and amplification attendance
over the special tasks only (not the official posts, and the other way round)."""

from __future__ import annotations

from menus.reports import catalog
from storage.amplification import SPECIAL, amplification_for
from tests.menus.test_amplification import FIVE, Org, _at, _request


async def _org(engine) -> Org:
    org = Org(engine)
    await org.client("POLRES_X")
    ani = await org.person("POLRES_X", "ANI")
    budi = await org.person("POLRES_X", "BUDI", rank="AKP")
    await org.person("POLRES_X", "CITRA")
    official = await org.post("POLRES_X", "OFFICIAL1", _at(8))
    await org.report(official, ani, *FIVE)  # a regular report: not in the khusus recaps
    tasks = []
    for code, hour in (("KHUSUS1", 9), ("KHUSUS2", 11)):
        result = await org.sql(
            "INSERT INTO special_tasks (client_id, shortcode, uploaded_at, registered_by, "
            "registered_at) VALUES ('POLRES_X', :code, :at, 'op', :at) RETURNING id",
            code=code, at=_at(hour))
        tasks.append(result.scalar_one())
    for task, user, links in ((tasks[0], ani, ("https://www.instagram.com/p/AniShare",
                                               "https://fb.watch/ani")),
                              (tasks[1], ani, (None, "https://fb.watch/ani2")),
                              (tasks[0], budi, (None, None, "https://x.com/budi/status/1"))):
        values = [*links, None, None, None, None, None][:5]
        await org.sql(
            "INSERT INTO special_link_reports (task_id, user_id, instagram_link, facebook_link, "
            "twitter_link, tiktok_link, youtube_link) VALUES (:t, :u, :l0, :l1, :l2, :l3, :l4)",
            t=task, u=user, **{f"l{n}": value for n, value in enumerate(values)})
    return org


def _render(name: str, data, mode: str = "all") -> str:
    spec = catalog.get(name)
    assert spec is not None
    return "\n\n".join(spec.render(data, _request("POLRES_X", mode)).messages)


async def test_the_khusus_link_recap_lists_urls_per_platform(engine) -> None:
    await _org(engine)
    data = await amplification_for(engine, "POLRES_X", _request("POLRES_X").period, SPECIAL)
    text = _render("khusus-link-recap", data)
    assert "Mohon ijin melaporkan rekap link Tugas Khusus *POLRES X* pada hari:" in text
    assert "⭐ Jumlah Konten Tugas Khusus: 2" in text
    assert "https://www.instagram.com/p/KHUSUS1\n\nhttps://www.instagram.com/p/KHUSUS2" in text
    assert "👥 Personil yang melaporkan: 2 pers\n🔗 Jumlah link: 4 link" in text
    assert ("*Facebook (2):*\nhttps://fb.watch/ani\nhttps://fb.watch/ani2\n\n"
            "*Instagram (1):*\nhttps://www.instagram.com/p/AniShare\n\n"
            "*Twitter (1):*\nhttps://x.com/budi/status/1\n\n*TikTok (0):*\n-\n\n"
            "*Youtube (0):*\n-") in text
    assert "OFFICIAL1" not in text and "instagram.com/a" not in text


async def test_the_per_task_recap_can_be_one_task(engine) -> None:
    await _org(engine)
    data = await amplification_for(engine, "POLRES_X", _request("POLRES_X").period, SPECIAL)
    every = _render("khusus-link-recap-post", data)
    assert "*1. https://www.instagram.com/p/KHUSUS1*\n👥 Personil yang melaporkan: 2 pers" in every
    assert "*2. https://www.instagram.com/p/KHUSUS2*\n👥 Personil yang melaporkan: 1 pers" in every
    one = _render("khusus-link-recap-post", data, mode="KHUSUS2")
    assert "KHUSUS1" not in one and "*Facebook (1):*\nhttps://fb.watch/ani2" in one


async def test_khusus_attendance_counts_the_special_tasks_only(engine) -> None:
    await _org(engine)
    data = await amplification_for(engine, "POLRES_X", _request("POLRES_X").period, SPECIAL)
    text = _render("khusus-amplify", data)
    assert "Pelaksanaan Tugas Khusus Amplifikasi *POLRES X*" in text
    assert "✅ *Sudah Melaksanakan Lengkap (1 pers)*" in text
    assert "BRIPDA ANI (Sudah: 2 Tugas / Belum: 0 Tugas / Total Link: 3 Link)" in text
    assert "AKP BUDI (Sudah: 1 Tugas / Belum: 1 Tugas / Total Link: 1 Link)" in text
    assert "BRIPDA CITRA (Sudah: 0 Tugas / Belum: 2 Tugas" in text
    document = catalog.get("khusus-amplify").to_json(data, _request("POLRES_X"))
    assert document["report"] == "khusus-amplify" and document["posts_of"] == "special"
    regular = await amplification_for(engine, "POLRES_X", _request("POLRES_X").period)
    assert [post.external_id for post in regular.posts] == ["OFFICIAL1"]


async def test_no_special_task_is_said_in_one_sentence(engine) -> None:
    org = Org(engine)
    await org.client("POLRES_X")
    data = await amplification_for(engine, "POLRES_X", _request("POLRES_X").period, SPECIAL)
    for name in ("khusus-link-recap", "khusus-link-recap-post", "khusus-amplify"):
        assert _render(name, data) == (
            "Belum ada tugas khusus POLRES X pada Sabtu, 06 Desember 2025.")

"""Charts: PNG images of the report data (checked by header, size and a few pixels), and the
chart form of the reports on the demo data."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from cicero.clock import clock
from menus.charts import (
    ABOVE_COLOUR,
    BELOW_COLOUR,
    DPI,
    PNG_MIMETYPE,
    WIDTH_INCHES,
    BarChart,
    Target,
    TrendChart,
    bar_chart_png,
    trend_chart_png,
)
from menus.reports import catalog
from menus.reports.base import ReportFile, ReportRequest
from menus.reports.report_charts import daily_achievement
from storage.attendance import MAJORITY
from tests.conftest import DEMO_DAY, DEMO_NOW
from tests.menus.test_laphar import attendance, person

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _image(content: bytes) -> Image.Image:
    assert content.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def _colours(image: Image.Image) -> set[str]:
    rgb = image.convert("RGB")
    return {"#{:02X}{:02X}{:02X}".format(*colour)
            for _, colour in rgb.getcolors(maxcolors=1 << 20) or []}


def test_bar_chart_is_a_png_sized_for_its_bars_with_both_colours() -> None:
    bars = [(f"POLRES {n}", n / 40) for n in range(39, -1, -1)]
    few = _image(bar_chart_png(BarChart("Judul", "Sub", "Capaian", bars[:3], Target(0.5, "T"))))
    many = _image(bar_chart_png(BarChart("Judul", "Sub", "Capaian", bars, Target(0.5, "T"))))
    assert few.format == many.format == "PNG"
    assert few.width == many.width == round(WIDTH_INCHES * DPI)
    assert many.height > few.height * 2  # a Polda's 39 satker get room
    colours = _colours(many)
    assert {ABOVE_COLOUR, BELOW_COLOUR} <= colours  # at or above the target / below it
    assert BELOW_COLOUR not in _colours(_image(bar_chart_png(
        BarChart("Judul", "Sub", "Capaian", bars[:3], Target(0.5, "T")))))


def test_trend_chart_leaves_days_without_posts_out() -> None:
    days = [date(2025, 12, 1) + timedelta(days=n) for n in range(31)]
    shares = [None if n % 7 == 6 else n / 31 for n in range(31)]
    image = _image(trend_chart_png(TrendChart("Tren", "Sub", "Capaian (%)", days,
                                              [("Instagram", shares)], Target(0.95, "Target"))))
    assert image.size == (round(WIDTH_INCHES * DPI), round(5.0 * DPI))


def test_daily_achievement_is_engaged_over_people_times_posts() -> None:
    people = [person("1", "ANDI", engaged=2, posts=2), person("2", "BUDI", engaged=1, posts=2),
              person("3", "CICI", engaged=0, posts=2, username=None)]
    result = attendance(people, posts=2, policy=MAJORITY)
    day = result.posts[0].business_date
    result.per_day = {"1": {day: 2}, "2": {day: 1}, "3": {}}
    assert daily_achievement(result, [day, day + timedelta(days=1)]) == [
        pytest.approx(3 / 6), None]


def _check_png(file: ReportFile, prefix: str) -> Image.Image:
    assert file.mimetype == PNG_MIMETYPE
    assert file.filename.startswith(prefix) and file.filename.endswith("_2025-12-06_1905.png")
    return _image(file.content)


# bars: how many satker bars (the demo directorate has 3 Polres and itself); None: a trend.
@pytest.mark.parametrize(("name", "period", "prefix", "bars"), [
    ("directorate-ig", "day", "Grafik_Capaian_Instagram_DITBINMAS", 4),
    ("directorate-tiktok", "week", "Grafik_Tren_Harian_Tiktok_DITBINMAS", None),
    ("directorate-ig", "month", "Grafik_Tren_Harian_Instagram_DITBINMAS", None),
    ("laphar-tiktok", "day", "Grafik_Capaian_Tiktok_DITBINMAS", 4),
    ("ranking", "week", "Grafik_Ranking_Satker_DITBINMAS", 3),
    ("kasatker", "month", "Grafik_Ranking_Satker_DITBINMAS", 3),
])
async def test_report_charts_on_the_demo_data(demo_engine, name: str, period: str,
                                              prefix: str, bars: int | None) -> None:
    spec = catalog.load()[name]
    assert spec.chart is not None
    span = {"day": clock.day, "week": clock.week, "month": clock.month}[period](DEMO_DAY)
    request = ReportRequest("DITBINMAS", span, DEMO_NOW)
    with clock.frozen(DEMO_NOW):
        image = _check_png(spec.chart(await spec.build(demo_engine, request), request), prefix)
    inches = 5.0 if bars is None else max(3.6, 2.0 + 0.28 * bars)
    assert image.size == (round(WIDTH_INCHES * DPI), round(inches * DPI))


async def test_a_trend_point_is_the_days_achievement_on_the_demo_data(demo_engine) -> None:
    spec = catalog.load()["directorate-ig"]
    request = ReportRequest("DITBINMAS", clock.week(DEMO_DAY), DEMO_NOW)
    data = await spec.build(demo_engine, request)
    shares = daily_achievement(data, clock.week(DEMO_DAY).days[:6])
    day = DEMO_DAY
    posts = len(data.posts_on(day))
    engaged = sum(by_day.get(day, 0) for by_day in data.per_day.values())
    assert shares[-1] == pytest.approx(engaged / (data.totals.total * posts))
    assert all(share is None or 0 <= share <= 1 for share in shares)

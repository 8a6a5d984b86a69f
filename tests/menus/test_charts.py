"""Charts: PNG images of plain data, checked by header, size and colours."""

from __future__ import annotations

import io
from datetime import date, timedelta

from PIL import Image

from menus.charts import (
    ABOVE_COLOUR,
    BELOW_COLOUR,
    DPI,
    WIDTH_INCHES,
    BarChart,
    Target,
    TrendChart,
    bar_chart_png,
    trend_chart_png,
)

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

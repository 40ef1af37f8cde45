"""The one chart renderer: what a reader of a chart sees."""

from __future__ import annotations

import re

from hytu_events.charts import bar_chart, column_chart


def test_bar_labels_are_whole_page_text_and_bars_keep_their_proportions():
    long = "Kuntien työpaja: Pohjois-Lappi ja Tunturi-Lappi yhdessä"
    drawn = str(bar_chart([(long, 3, 4), ("HYTU-klinikka: Ylitornio", 1, 4)]))
    labels = re.findall(r'<span class="bars__label">([^<]*)</span>', drawn)
    assert labels == [long, "HYTU-klinikka: Ylitornio"]  # never shortened with an ellipsis
    widths = re.findall(r'class="chart__bar" width="([\d.]+)"', drawn)
    assert widths == ["75.0", "25.0"]
    assert re.findall(r'class="bars__value">([^<]*)<', drawn) == ["3 / 4", "1 / 4"]


def test_a_titled_chart_is_one_image_with_its_title_an_untitled_one_is_hidden():
    titled = str(bar_chart([("a", 1)], chart_id="c", title="Täyttöaste", description="a: 1"))
    assert 'role="img" aria-labelledby="c-title c-desc"' in titled
    assert '<span class="visually-hidden" id="c-title">Täyttöaste</span>' in titled
    assert str(bar_chart([("a", 1)])).startswith('<div class="bars" aria-hidden="true">')


def test_a_column_chart_has_rows_for_narrow_screens_with_the_same_values():
    drawn = str(column_chart([("loka 2026", 4), ("marras 2026", 2)], shown=lambda v: f"{v:g}"))
    svg, rows = drawn.split('<div class="bars bars--narrow"')
    assert re.findall(r'class="chart__label"[^>]*>([^<]+)<', svg) == ["loka 2026", "marras 2026"]
    assert re.findall(r'class="bars__label">([^<]*)<', rows) == ["loka 2026", "marras 2026"]
    assert re.findall(r'class="bars__value">([^<]*)<', rows) == ["4", "2"]

"""Charts drawn on the server as SVG: no scripts, no external services, print-friendly.

The one chart renderer of the app, for the dashboard, the public summary, the report, the
indicator figures and the back office's fill rates and participant groups. Every chart stands
beside a table with the same numbers, which is what screen readers and printouts use. A chart
with a title is an image with a title and a description (role="img", aria-labelledby); a
chart without one is drawn for the eye only (aria-hidden), because the table in its figure
says everything it shows. Values are written by `shown`, so pages that format numbers in the
reader's language pass that formatter here too.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from markupsafe import Markup, escape

WIDTH = 640
BAR_GAP = 6
#: Roughly how wide a character of the 13-unit label font is, to shorten labels that would
#: run out of the label column.
CHARACTER_WIDTH = 6.5


def _frame(
    width: int, height: int, body: str, chart_id: str | None, title: str | None, description
) -> Markup:
    if title is None:
        head = 'aria-hidden="true" focusable="false"'
        texts = ""
    else:
        labelled = f"{escape(chart_id)}-title {escape(chart_id)}-desc"
        head = f'id="{escape(chart_id)}"'
        texts = (
            f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
            f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        )
    return Markup(  # noqa: S704 - every interpolated text is escaped
        f'<svg class="chart" {head} viewBox="0 0 {width} {height}" width="100%"'
        + (f' role="img" aria-labelledby="{labelled}"' if title is not None else "")
        + f' xmlns="http://www.w3.org/2000/svg">{texts}{body}</svg>'
    )


def _fitted(label: str, room: float) -> str:
    """The label, shortened with an ellipsis when it would not fit in `room` units."""
    most = max(int(room // CHARACTER_WIDTH), 4)
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def column_chart(
    items: list[tuple[str, float]],
    *,
    chart_id: str | None = None,
    title: str | None = None,
    description: str | None = None,
    shown: Callable[[float], str] = str,
) -> Markup:
    """Vertical bars over time (label under each bar, value above it as `shown` writes it)."""
    height, top, bottom, left = 240, 24, 40, 8
    plot = height - top - bottom
    count = max(len(items), 1)
    slot = (WIDTH - 2 * left) / count
    peak = max((value for _, value in items), default=0) or 1
    peak = peak if peak > 0 else 1
    parts = [
        f'<line class="chart__axis" x1="{left}" y1="{height - bottom}" '
        f'x2="{WIDTH - left}" y2="{height - bottom}" stroke="#595959"/>'
    ]
    for index, (label, value) in enumerate(items):
        bar = plot * max(value, 0) / peak
        width = max(min(slot - BAR_GAP, 90), 1)
        x = left + index * slot + (slot - width) / 2
        y = height - bottom - bar
        centre = x + width / 2
        parts.append(
            f'<rect class="chart__bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
            f'height="{bar:.1f}" fill="#0b5394"/>'
            f'<text class="chart__value" x="{centre:.1f}" y="{y - 4:.1f}" '
            f'text-anchor="middle" font-size="12">{escape(shown(value))}</text>'
            f'<text class="chart__label" x="{centre:.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle" font-size="11">{escape(label)}</text>'
        )
    return _frame(WIDTH, height, "".join(parts), chart_id, title, description)


def bar_chart(
    items: list[tuple],
    *,
    chart_id: str | None = None,
    title: str | None = None,
    description: str | None = None,
    total: float | None = None,
    full: float | None = None,
    shown: Callable[[float], str] = str,
    suffix: str = "",
    width: int = WIDTH,
) -> Markup:
    """Horizontal bars with their labels. With `total` (for all bars, or a third item in a
    bar's tuple), each bar shows a share of it on a grey track ("3 / 4"); with `full`, a bar
    that long means that value (100 for percentages); otherwise the longest bar is the
    largest value. `width` is the drawing's own width: a narrow one keeps the text at its
    size in a narrow column."""
    row, right = 30, 70
    label_width = min(230, round(width * 0.39))
    height = row * max(len(items), 1) + 10
    scale = (full or total or max((item[1] for item in items), default=0)) or 1
    scale = scale if scale > 0 else 1
    plot = width - label_width - right
    parts = []
    for index, (label, value, *own_total) in enumerate(items):
        of = own_total[0] if own_total else total
        y = 5 + index * row
        whole = (of or scale) or 1
        bar = plot * min(max(value, 0), whole) / whole
        text = f"{shown(value)} / {shown(of)}" if of else shown(value)
        if of:
            parts.append(
                f'<rect class="chart__track" x="{label_width}" y="{y + 4}" width="{plot}" '
                f'height="{row - 12}" fill="#e6e6e6"/>'
            )
        parts.append(
            f'<text class="chart__label" x="{label_width - 8}" y="{y + row / 2 + 4:.1f}" '
            f'text-anchor="end" font-size="13">{escape(_fitted(label, label_width - 8))}</text>'
            f'<rect class="chart__bar" x="{label_width}" y="{y + 4}" width="{bar:.1f}" '
            f'height="{row - 12}" fill="#0b5394"/>'
            f'<text class="chart__value" x="{label_width + bar + 6:.1f}" '
            f'y="{y + row / 2 + 4:.1f}" font-size="13">{escape(text + suffix)}</text>'
        )
    return _frame(width, height, "".join(parts), chart_id, title, description)


def init_app(app: Flask) -> None:
    """Templates that lay a chart out beside their own table draw it with these."""
    app.jinja_env.globals.update(bar_chart_svg=bar_chart, column_chart_svg=column_chart)

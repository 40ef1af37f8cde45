"""Charts drawn on the server (SVG, and rows of page text with SVG bars): no scripts, no
inline styles (CSP), no external services, print-friendly.

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
    wide = _frame(WIDTH, height, "".join(parts), chart_id, title, description)
    # A phone would shrink the drawing's text to a few pixels: there the same values are rows.
    narrow_id = f"{chart_id}-rows" if chart_id else None
    narrow = _bars_frame(
        _bar_rows(items, peak, None, shown, ""), narrow_id, title, description, " bars--narrow"
    )
    return Markup(f'<div class="columns">{wide}{narrow}</div>')  # noqa: S704 - both escaped


def _bar_rows(
    items: list[tuple],
    scale: float,
    total: float | None,
    shown: Callable[[float], str],
    suffix: str,
) -> str:
    """One row a bar: the label and the value as page text (at the reader's text size, wrapping
    rather than cut), the bar drawn in a one-line SVG stretched to the row's free width."""
    rows = []
    for label, value, *own_total in items:
        of = own_total[0] if own_total else total
        whole = (of or scale) or 1
        share = 100 * min(max(value, 0), whole) / whole
        text = f"{shown(value)} / {shown(of)}" if of else shown(value)
        track = '<rect class="chart__track" width="100" height="10" fill="#e6e6e6"/>' if of else ""
        rows.append(
            f'<div class="bars__row"><span class="bars__label">{escape(label)}</span>'
            '<svg class="bars__bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
            f'aria-hidden="true" focusable="false">{track}<rect class="chart__bar" '
            f'width="{share:.1f}" height="10" fill="#0b5394"/></svg>'
            f'<span class="bars__value">{escape(text + suffix)}</span></div>'
        )
    return "".join(rows)


def _bars_frame(
    body: str, chart_id: str | None, title: str | None, description, extra=""
) -> Markup:
    if title is None:
        head = 'aria-hidden="true"'
        texts = ""
    else:
        head = (
            f'id="{escape(chart_id)}" role="img" '
            f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc"'
        )
        hidden = '<span class="visually-hidden" id="{}">{}</span>'
        texts = hidden.format(escape(f"{chart_id}-title"), escape(title)) + hidden.format(
            escape(f"{chart_id}-desc"), escape(description)
        )
    return Markup(f'<div class="bars{extra}" {head}>{texts}{body}</div>')  # noqa: S704 - escaped


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
) -> Markup:
    """Horizontal bars with their labels. With `total` (for all bars, or a third item in a
    bar's tuple), each bar shows a share of it on a grey track ("3 / 4"); with `full`, a bar
    that long means that value (100 for percentages); otherwise the longest bar is the
    largest value. Drawn as rows of page text with a bar each, so that labels are never cut
    and text keeps its size on a phone."""
    scale = (full or total or max((item[1] for item in items), default=0)) or 1
    scale = scale if scale > 0 else 1
    return _bars_frame(_bar_rows(items, scale, total, shown, suffix), chart_id, title, description)


def init_app(app: Flask) -> None:
    """Templates that lay a chart out beside their own table draw it with these."""
    app.jinja_env.globals.update(draw_bar_chart=bar_chart, draw_column_chart=column_chart)

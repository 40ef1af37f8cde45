"""Charts drawn on the server as SVG: no scripts, no external services, print-friendly.

Each chart is an image with a title and a description (role="img", aria-labelledby); the page
shows the same numbers in a table beside it, which is what screen readers and printouts use.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

WIDTH = 640
BAR_GAP = 6


def _frame(chart_id: str, title: str, description: str, height: int, body: str) -> Markup:
    return Markup(  # noqa: S704 - every interpolated text is escaped above
        f'<svg class="plan-chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{escape(chart_id)}-title '
        f'{escape(chart_id)}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        f"{body}</svg>"
    )


def column_chart(
    chart_id: str,
    title: str,
    description: str,
    items: list[tuple[str, float]],
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
        f'<line class="plan-chart__axis" x1="{left}" y1="{height - bottom}" '
        f'x2="{WIDTH - left}" y2="{height - bottom}" stroke="#595959"/>'
    ]
    for index, (label, value) in enumerate(items):
        bar = plot * max(value, 0) / peak
        width = max(min(slot - BAR_GAP, 90), 1)
        x = left + index * slot + (slot - width) / 2
        y = height - bottom - bar
        centre = x + width / 2
        parts.append(
            f'<rect class="plan-chart__bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
            f'height="{bar:.1f}" fill="#0b5394"/>'
            f'<text class="plan-chart__value" x="{centre:.1f}" y="{y - 4:.1f}" '
            f'text-anchor="middle" font-size="12">{escape(shown(value))}</text>'
            f'<text class="plan-chart__label" x="{centre:.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle" font-size="11">{escape(label)}</text>'
        )
    return _frame(chart_id, title, description, height, "".join(parts))


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    items: list[tuple],
    total: int | None = None,
    shown: Callable[[float], str] = str,
) -> Markup:
    """Horizontal bars with their labels; with `total` (for all bars, or a third item in a
    bar's tuple), each bar shows a share of it."""
    row, label_width, right = 30, 230, 70
    height = row * max(len(items), 1) + 10
    scale = (total or max((item[1] for item in items), default=0)) or 1
    scale = scale if scale > 0 else 1
    plot = WIDTH - label_width - right
    parts = []
    for index, (label, value, *own_total) in enumerate(items):
        of = own_total[0] if own_total else total
        y = 5 + index * row
        bar = plot * max(value, 0) / ((of or scale) or 1)
        text = f"{shown(value)} / {shown(of)}" if of else shown(value)
        if of:
            parts.append(
                f'<rect class="plan-chart__track" x="{label_width}" y="{y + 4}" width="{plot}" '
                f'height="{row - 12}" fill="#e6e6e6"/>'
            )
        parts.append(
            f'<text class="plan-chart__label" x="{label_width - 8}" y="{y + row / 2 + 4:.1f}" '
            f'text-anchor="end" font-size="13">{escape(label)}</text>'
            f'<rect class="plan-chart__bar" x="{label_width}" y="{y + 4}" width="{bar:.1f}" '
            f'height="{row - 12}" fill="#0b5394"/>'
            f'<text class="plan-chart__value" x="{label_width + bar + 6:.1f}" '
            f'y="{y + row / 2 + 4:.1f}" font-size="13">{escape(text)}</text>'
        )
    return _frame(chart_id, title, description, height, "".join(parts))

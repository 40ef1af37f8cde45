"""Form fields the plan's forms share with the forms of outcomes and reporting above it."""

from __future__ import annotations

import math

from wtforms import SelectMultipleField, widgets


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def parse_decimal(text: str) -> float:
    """A number as people type it in Finland too (decimal comma, spaces)."""
    value = float(text.strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value

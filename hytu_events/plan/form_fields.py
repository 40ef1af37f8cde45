"""Form fields the plan's forms share with the forms of outcomes and reporting above it."""

from __future__ import annotations

import math

from flask_babel import LazyString
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice


def choices_of(enum_cls) -> list[SelectChoice]:
    """Options whose labels are translated when rendered, not when this module is imported."""
    return [SelectChoice(m.value, LazyString(lambda m=m: m.label)) for m in enum_cls]


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def parse_decimal(text: str) -> float:
    """A number as people type it in Finland too (decimal comma, spaces)."""
    value = float(text.strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value

"""The municipalities as choices of a form or a filter, in the reader's language."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from ..extensions import db
from .models import Municipality


def municipality_choices(language: str) -> list[SelectChoice]:
    """First the choice of none ("Region-wide or outside Lapland"), then the 21 by Finnish name."""
    municipalities = db.session.scalars(sa.select(Municipality).order_by(Municipality.name_fi))
    return [SelectChoice("", str(_l("Region-wide or outside Lapland")))] + [
        SelectChoice(str(m.id), m.name_in(language)) for m in municipalities
    ]

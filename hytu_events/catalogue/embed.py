"""The list municipalities put on their own web sites: /embed/events, the public list's upcoming
events (its filters and `?lang=`) in a small page without the site's header, made for an
iframe, each event linking to its page here; and the back office's ready snippet per
municipality.

Only the origins in HYTU_EMBED_ORIGINS may frame it: its Content-Security-Policy is the site's
with `frame-ancestors` naming them (X-Frame-Options cannot name several, so it is left out;
browsers that know frame-ancestors ignore it anyway). Every other page keeps
`frame-ancestors 'none'`.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, make_response, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy.orm import selectinload

from ..accounts.access import role_required
from ..accounts.models import Role
from ..db.types import utcnow
from ..events.filters import parse_event_filter
from ..events.models import Event
from ..events.queries import events_list
from ..extensions import CONTENT_SECURITY_POLICY, db, talisman
from ..i18n import current_language
from ..paging import requested_page
from ..partners.models import Municipality
from ..registrations.seats import seat_counts, seats_left

bp = Blueprint("embed", __name__)


def embed_policy() -> str:
    """The site's Content-Security-Policy, framed by the listed origins only."""
    origins = current_app.config["HYTU_EMBED_ORIGINS"]
    policy = {**CONTENT_SECURITY_POLICY, "frame-ancestors": " ".join(origins) or "'none'"}
    return "; ".join(f"{name} {value}" for name, value in policy.items())


@bp.get("/embed/events")
@talisman(frame_options=None, content_security_policy=None)  # set below, with the origins
def events():
    event_filter = parse_event_filter(request.args)
    query = events_list(event_filter, utcnow(), past=False).options(selectinload(Event.series))
    pagination = requested_page(query, current_app.config["HYTU_UPCOMING_EVENTS_PER_PAGE"])
    shown = list(pagination.items)
    counts = seat_counts([event.id for event in shown])
    response = make_response(
        render_template(
            "catalogue/embed.html",
            events=shown,
            counts=counts,
            seats_left=seats_left,
            event_filter=event_filter,
            filter_args=event_filter.as_args(),
            pagination=pagination,
        )
    )
    response.headers["Content-Security-Policy"] = embed_policy()
    return response


def snippet(municipality: Municipality, language: str) -> str:
    """The HTML a municipality's web site pastes: an iframe of its own upcoming events."""
    path = url_for("embed.events", municipality=municipality.slug, lang=language)
    title = _("HYTU events: %(municipality)s", municipality=municipality.name_in(language))
    return (
        f'<iframe src="{current_app.config["BASE_URL"]}{escape(path)}" title="{escape(title)}" '
        'width="100%" height="600" loading="lazy"></iframe>'
    )


@bp.get("/admin/embed")
@role_required(Role.VIEWER)
def snippets():
    language = current_language()
    municipalities = db.session.scalars(sa.select(Municipality).order_by(Municipality.name_fi))
    return render_template(
        "catalogue/embed_snippets.html",
        origins=current_app.config["HYTU_EMBED_ORIGINS"],
        snippets=[(m, snippet(m, language)) for m in municipalities],
    )

"""Self-service at /r/<token>: a participant sees, changes, cancels or erases their place.

Every page here is marked in `secret_links`: the token is the only key, so responses are never
stored, no request made from them carries the token in its Referer, and the back office shows
no such link.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..db.types import utcnow
from ..events.models import EventStatus, RegistrationState
from ..extensions import db, limiter
from ..feed_tokens.tokens import participant_feed_url, revoke_participant_feeds
from ..forms import Form
from ..i18n import current_language
from ..secret_links import private_page, secret_link
from .cancellation import cancel_registration
from .forms import LinkRequestForm, ParticipantForm
from .link_requests import note_link_request
from .models import Registration, RegistrationStatus
from .personal_data import erase_personal_data, export_personal_data
from .seats import waitlist_position
from .series_places import places_in_series
from .tokens import expires_at, registration_for_token, self_service_token

bp = Blueprint("self_service", __name__, url_prefix="/r")


def _registration_or_404(token: str) -> Registration:
    registration = registration_for_token(token)
    if registration is None:
        abort(404)
    return registration


def _is_changeable(registration: Registration) -> bool:
    return registration.status is not RegistrationStatus.CANCELLED and (
        registration.event.registration_state() is not RegistrationState.ENDED
    )


def _series_rows(registration: Registration, token: str) -> list[dict]:
    """The person's place at each date of the series the registration's date belongs to,
    each with the link that leaves it (that place's own, today's cancellation)."""
    rows = []
    for place in places_in_series(registration):
        own_token = token if place.id == registration.id else self_service_token(place)
        rows.append(
            {
                "place": place,
                "current": place.id == registration.id,
                "position": waitlist_position(place),
                "leave_url": url_for(".cancel", token=own_token) if _is_changeable(place) else None,
            }
        )
    return rows


def _has_dates(rows: list[dict]) -> bool:
    """Whether the person's own calendar file (calendar.own_dates) holds anything: an active
    place at a published date of the series."""
    return any(
        row["place"].status is not RegistrationStatus.CANCELLED
        and row["place"].event.status is EventStatus.PUBLISHED
        for row in rows
    )


def _leaves_series(rows: list[dict]) -> bool:
    """Whether "leave the whole series" has anything to leave: an active place at a date
    that has not started (series.registration.leave_series)."""
    now = utcnow()
    return any(
        row["place"].status is not RegistrationStatus.CANCELLED
        and row["place"].event.starts_at > now
        for row in rows
    )


@bp.route("/<token>", methods=["GET", "POST"])
@secret_link("token")
def overview(token: str):
    registration = _registration_or_404(token)
    event = registration.event
    form = ParticipantForm.for_registration(registration, reader_language=current_language())
    if _is_changeable(registration) and form.validate_on_submit():
        form.apply_to(registration)
        db.session.commit()
        flash(_("Your details were saved."), "success")
        return redirect(url_for(".overview", token=token), code=303)
    series_rows = _series_rows(registration, token)
    return render_template(
        "registrations/self_service.html",
        registration=registration,
        event=event,
        form=form,
        token=token,
        changeable=_is_changeable(registration),
        position=waitlist_position(registration),
        expires=expires_at(registration),
        feed_url=participant_feed_url(registration.email),
        reset_form=Form(),
        series_rows=series_rows,
        leaves_series=_leaves_series(series_rows),
        has_dates=_has_dates(series_rows),
    ), (422 if form.errors else 200)


@bp.post("/<token>/calendar-address")
@secret_link("token")
def reset_feed(token: str):
    """A new secret feed address; the old one stops working (e.g. after sharing it by mistake)."""
    registration = _registration_or_404(token)
    if Form().validate_on_submit():
        revoke_participant_feeds(registration.email)
        participant_feed_url(registration.email, commit=False)
        db.session.commit()
        flash(_("Your calendar address was changed; the old one no longer works."), "success")
    return redirect(url_for(".overview", token=token), code=303)


@bp.route("/<token>/cancel", methods=["GET", "POST"])
@secret_link("token")
def cancel(token: str):
    registration = _registration_or_404(token)
    if not _is_changeable(registration):
        return redirect(url_for(".overview", token=token))
    form = Form()  # nothing to fill in: the CSRF token proves the confirmation step
    if form.validate_on_submit():
        was_waiting = registration.status is RegistrationStatus.WAITLISTED
        cancel_registration(registration.id)
        db.session.commit()
        flash(
            _("You left the waiting list.")
            if was_waiting
            else _("Your registration was cancelled."),
            "success",
        )
        return redirect(url_for(".overview", token=token), code=303)
    return render_template(
        "registrations/confirm_cancel.html", registration=registration, token=token, form=form
    )


@bp.get("/<token>/data.json")
@secret_link("token")
def personal_data(token: str):
    registration = _registration_or_404(token)
    data = export_personal_data(registration.email)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="hytu-events-personal-data.json"'},
    )


@bp.route("/<token>/erase", methods=["GET", "POST"])
@secret_link("token")
def erase(token: str):
    registration = _registration_or_404(token)
    form = Form()
    if form.validate_on_submit():
        erase_personal_data(registration.email)
        db.session.commit()
        return redirect(url_for(".erased"), code=303)
    count = db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.email == registration.email, Registration.erased_at.is_(None)
        )
    )
    return render_template(
        "registrations/confirm_erase.html",
        registration=registration,
        token=token,
        form=form,
        count=count,
    )


@bp.get("/erased")
@private_page
def erased():
    return render_template("registrations/erased.html")


def _link_limit() -> str:
    return current_app.config["HYTU_LINK_RATE_LIMIT"]


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(_link_limit, methods=["POST"])
@private_page
def request_link():
    """The same answer, after the same work, whether or not the email has registrations:
    nobody learns who registered (the mail worker looks the address up, see link_requests)."""
    form = LinkRequestForm()
    if form.validate_on_submit():
        note_link_request(form.email.data)
        db.session.commit()
        return render_template("registrations/link_sent.html"), 200
    return render_template(
        "registrations/request_link.html",
        form=form,
        error_title=_("The link was not sent") if form.errors else None,
    ), (422 if form.errors else 200)

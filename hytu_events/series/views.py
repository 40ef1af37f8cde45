"""A series' public page with its one registration form, the confirmation after it, and
leaving the rest of a series from the self-service link of any of its places."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from ..db.types import utcnow
from ..events.models import RegistrationState
from ..extensions import db
from ..forms import Form
from ..i18n import current_language
from ..registrations.models import RegistrationStatus
from ..registrations.operations import ParticipantDetails
from ..registrations.seats import seat_counts, seats_left
from ..registrations.series_places import places_in_series
from ..registrations.tokens import own_calendar_url, registration_for_token, self_service_url
from ..registrations.views import registration_form_limit
from ..secret_links import private_page, secret_link
from .forms import SeriesRegistrationForm
from .queries import public_series_or_404, upcoming
from .registration import NotADateOfTheSeries, SeriesOutcome, leave_series, register_for_series
from .wording import rule_in_words

bp = Blueprint("series", __name__)

#: Session key for the outcome shown after the redirect: event ids, no personal data.
OUTCOME_KEY = "series_registration_outcome"


def _register_and_commit(
    series_id: int, details: ParticipantDetails, event_ids: list[int] | None
) -> SeriesOutcome:
    try:
        outcome = register_for_series(series_id, details, event_ids)
        db.session.commit()
    except IntegrityError:
        # Two submits of one email raced past each other; the second finds the first's places.
        db.session.rollback()
        outcome = register_for_series(series_id, details, event_ids)
        db.session.commit()
    return outcome


def _kept(outcome: SeriesOutcome) -> dict:
    """What the confirmation page shows, by date."""
    new = [place for place in outcome.places if place.created]
    link_place = outcome.link_place
    return {
        "series_id": outcome.series.id,
        "confirmed": [p.registration.event_id for p in new if p.waitlist_position is None],
        "waitlisted": [
            [p.registration.event_id, p.waitlist_position]
            for p in new
            if p.waitlist_position is not None
        ],
        "held": [registration.event_id for registration in outcome.held],
        "closed": [event.id for event in outcome.closed],
        # Only the person who just created places gets links here (see registrations.views).
        "manage_url": self_service_url(link_place) if link_place else None,
        "calendar_url": own_calendar_url(link_place) if link_place else None,
    }


@bp.route("/series/<id:series_id>", methods=["GET", "POST"])
@registration_form_limit
def detail(series_id: int):
    series, dates = public_series_or_404(series_id)
    now = utcnow()
    coming = upcoming(dates, now)
    counts = seat_counts([event.id for event in coming])
    open_dates = [e for e in coming if e.registration_state(now) is RegistrationState.OPEN]
    form, status, error_title = None, 200, None
    if open_dates:
        form = SeriesRegistrationForm(
            open_dates=open_dates,
            full={e.id for e in open_dates if seats_left(e, counts[e.id]) == 0},
            known={event.id for event in dates},
            asks_for_needs=any(event.asks_for_needs for event in open_dates),
            reader_language=current_language(),
        )
        if form.validate_on_submit():
            if form.looks_automated:
                # A bot filled the hidden field: answer as if all went well, store nothing.
                current_app.logger.info("Honeypot registration refused for series %s", series.id)
                return redirect(url_for(".detail", series_id=series.id), code=303)
            try:
                outcome = _register_and_commit(series.id, form.details(), form.chosen_ids())
            except NotADateOfTheSeries:
                db.session.rollback()
                form.dates.errors.append(_("Choose dates from the list."))
            else:
                if outcome.places:
                    session[OUTCOME_KEY] = _kept(outcome)
                    return redirect(url_for(".registered", series_id=series.id), code=303)
                form.form_errors.append(
                    _("Registration has closed for the dates you chose. Nothing was saved.")
                )
                status = 409
        if form.errors:
            status = 409 if status == 409 else 422
            error_title = _("Registration was not sent")
    elif request.method == "POST":
        status = 409  # no date is open: there is no form to send
    return render_template(
        "series/detail.html",
        series=series,
        rule=rule_in_words(series),
        dates=coming,
        counts=counts,
        seats_left=seats_left,
        form=form,
        error_title=error_title,
    ), status


@bp.get("/series/<id:series_id>/registered")
@private_page  # shows the new self-service link
def registered(series_id: int):
    series, dates = public_series_or_404(series_id)
    outcome = session.get(OUTCOME_KEY)
    if not outcome or outcome.get("series_id") != series.id:
        return redirect(url_for(".detail", series_id=series.id))
    by_id = {event.id: event for event in dates}

    def events(ids):
        return [by_id[event_id] for event_id in ids if event_id in by_id]

    return render_template(
        "series/registered.html",
        series=series,
        confirmed=events(outcome["confirmed"]),
        waitlisted=[(by_id[i], n) for i, n in outcome["waitlisted"] if i in by_id],
        held=events(outcome["held"]),
        closed=events(outcome["closed"]),
        manage_url=outcome["manage_url"],
        calendar_url=outcome.get("calendar_url"),
    )


@bp.route("/r/<token>/leave-series", methods=["GET", "POST"])
@secret_link("token")
def leave(token: str):
    """Leave every upcoming date of the series at once, after a confirmation step."""
    registration = registration_for_token(token)
    if registration is None or registration.event.series_id is None:
        abort(404)
    now = utcnow()
    leaving = [
        place
        for place in places_in_series(registration)
        if place.status is not RegistrationStatus.CANCELLED and place.event.starts_at > now
    ]
    form = Form()  # nothing to fill in: the CSRF token proves the confirmation step
    if leaving and form.validate_on_submit():
        cancelled = leave_series(registration.id, now)
        db.session.commit()
        flash(
            ngettext(
                "You left %(num)d date of the series.",
                "You left %(num)d dates of the series.",
                len(cancelled),
            ),
            "success",
        )
        return redirect(url_for("self_service.overview", token=token), code=303)
    return render_template(
        "series/confirm_leave.html",
        registration=registration,
        series=registration.event.series,
        leaving=leaving,
        token=token,
        form=form,
    )

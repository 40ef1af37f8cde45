"""The public registration form and its confirmation page."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..events.models import RegistrationState
from ..events.queries import public_event_or_404
from ..extensions import db, limiter
from ..i18n import current_language
from ..secret_links import private_page
from .forms import RegistrationForm
from .operations import ParticipantDetails, RegistrationNotOpen, register
from .seats import seat_counts, seats_left
from .tokens import own_calendar_url, self_service_url

bp = Blueprint("registrations", __name__)

#: Session key for the outcome shown after the redirect (no personal data in it).
OUTCOME_KEY = "registration_outcome"


def _register_and_commit(event_id: int, details: ParticipantDetails):
    try:
        outcome = register(event_id, details)
        db.session.commit()
    except IntegrityError:
        # Two submits of one email raced past each other; the second finds the first's place.
        db.session.rollback()
        outcome = register(event_id, details)
        db.session.commit()
    return outcome


def _registration_limit() -> str:
    return current_app.config["HYTU_REGISTRATION_RATE_LIMIT"]


#: HYTU_REGISTRATION_RATE_LIMIT counts the submissions of every registration form together
#: (one event's, a series'), per address: a second form is no second allowance.
registration_form_limit = limiter.shared_limit(
    _registration_limit, scope="registration-forms", methods=["POST"]
)


@bp.route("/events/<id:event_id>/register", methods=["GET", "POST"])
@registration_form_limit
def register_form(event_id: int):
    event = public_event_or_404(event_id)
    state = event.registration_state()
    count = seat_counts([event.id])[event.id]
    if state is not RegistrationState.OPEN:
        status = 410 if state in (RegistrationState.CANCELLED, RegistrationState.ENDED) else 403
        if request.method == "GET":
            status = 200
        return render_template("registrations/closed.html", event=event, state=state), status

    form = RegistrationForm(asks_for_needs=event.asks_for_needs, reader_language=current_language())
    if form.validate_on_submit():
        if form.looks_automated:
            # A bot filled the hidden field: answer as if all went well, store nothing.
            current_app.logger.info("Honeypot registration refused for event %s", event.id)
            return redirect(url_for("catalogue.detail", event_id=event.id), code=303)
        try:
            outcome = _register_and_commit(event.id, form.details())
        except RegistrationNotOpen as closed:
            db.session.rollback()
            return render_template(
                "registrations/closed.html", event=event, state=closed.state
            ), 409
        # Only the person who just created the place gets its links here; someone typing
        # another person's email must not (they get "already registered", nothing more).
        new = outcome.registration if outcome.created else None
        session[OUTCOME_KEY] = {
            "event_id": event.id,
            "status": outcome.registration.status.value,
            "created": outcome.created,
            "waitlist_position": outcome.waitlist_position,
            "manage_url": self_service_url(new) if new else None,
            "calendar_url": own_calendar_url(new) if new else None,
        }
        return redirect(url_for(".registered", event_id=event.id), code=303)
    status = 422 if form.errors else 200
    return render_template(
        "registrations/form.html",
        event=event,
        form=form,
        seats_left=seats_left(event, count),
        error_title=_("Registration was not sent") if form.errors else None,
    ), status


@bp.get("/events/<id:event_id>/registered")
@private_page  # shows the new self-service link
def registered(event_id: int):
    event = public_event_or_404(event_id)
    outcome = session.get(OUTCOME_KEY)
    if not outcome or outcome.get("event_id") != event.id:
        return redirect(url_for("catalogue.detail", event_id=event.id))
    return render_template("registrations/registered.html", event=event, outcome=outcome)

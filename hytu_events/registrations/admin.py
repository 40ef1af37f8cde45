"""An event's participants in the back office, under /admin: the table, adding by hand,
correcting details, cancelling, moving up, attendance, and sending someone their self-service
link again."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from ..accounts.access import role_required
from ..accounts.models import Role
from ..db.types import utcnow
from ..errors import reject
from ..events.queries import event_or_404
from ..extensions import db
from ..i18n import current_language, day
from ..numbers import whole_number
from ..partners.choices import municipality_choices
from ..partners.models import OrganisationCategory
from . import coordinator
from .admin_forms import AddParticipantForm, ConfirmForm
from .forms import ParticipantForm
from .models import Registration, RegistrationStatus
from .operations import RegistrationNotOpen
from .participants import SORT_COLUMNS, ParticipantQuery, confirmed_counts, participants
from .seats import seat_counts, seats_left

bp = Blueprint("participant_admin", __name__, url_prefix="/admin")

#: The attendance buttons: their value in the form and what it stores.
ATTENDANCE_VALUES = {"attended": True, "absent": False, "clear": None}


@bp.get("/events/<id:event_id>/participants")
@role_required(Role.VIEWER)
def index(event_id: int):
    event = event_or_404(event_id)
    query = ParticipantQuery.from_args(request.args)
    rows = participants(event.id, query)
    count = seat_counts([event.id])[event.id]
    return render_template(
        "admin/events/participants.html",
        event=event,
        rows=rows,
        query=query,
        sort_columns=SORT_COLUMNS,
        statuses=list(RegistrationStatus),
        categories=list(OrganisationCategory),
        municipalities=municipality_choices(current_language())[1:],
        counts=confirmed_counts(event.id),
        count=count,
        seats_left=seats_left(event, count),
        attendance_opens_on=day(opens_at := coordinator.attendance_opens_at(event), weekday=True),
        attendance_open=(now := utcnow()) >= opens_at,
        ended=event.ends_at <= now,
        confirm_form=ConfirmForm(),
    )


@bp.route("/events/<id:event_id>/participants/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def add(event_id: int):
    event = event_or_404(event_id)
    form = AddParticipantForm(
        asks_for_needs=event.asks_for_needs, reader_language=current_language()
    )
    if form.validate_on_submit():
        try:
            outcome = coordinator.add_participant(
                event.id, form.details(), over_capacity=form.over_capacity.data
            )
            db.session.commit()
        except RegistrationNotOpen:
            db.session.rollback()
            form.email.errors = [
                _("Participants can be added only to published events that have not ended.")
            ]
        except IntegrityError:
            db.session.rollback()
            form.email.errors = [_("This email was registered at the same moment. Try again.")]
        else:
            if not outcome.created:
                flash(_("This person already has a place; nothing was changed."), "info")
            elif outcome.waitlist_position:
                flash(_("The event is full: the person is on the waiting list."), "info")
            else:
                flash(_("The participant was added."), "success")
            return redirect(url_for(".index", event_id=event.id), 303)
    return render_template("admin/events/add_participant.html", form=form, event=event)


@bp.route("/registrations/<id:registration_id>/edit", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit(registration_id: int):
    """Correct a participant's details for them (a typo, the wrong organisation)."""
    registration = db.get_or_404(Registration, registration_id)
    if registration.status is RegistrationStatus.CANCELLED:
        reject(409, _("A cancelled registration cannot be changed."))
    form = ParticipantForm.for_registration(registration, reader_language=current_language())
    if form.validate_on_submit():
        if coordinator.correct_details(registration, form.apply_to):
            db.session.commit()
            flash(_("The participant's details were saved."), "success")
        else:
            flash(_("Nothing was changed."), "info")
        return redirect(url_for(".index", event_id=registration.event_id), 303)
    return render_template(
        "admin/events/edit_participant.html",
        form=form,
        registration=registration,
        event=registration.event,
    ), (400 if form.errors else 200)


@bp.post("/registrations/<id:registration_id>/cancel")
@role_required(Role.COORDINATOR)
def cancel(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    event_id = registration.event_id
    if registration.status is RegistrationStatus.CANCELLED:
        reject(409, _("This registration is already cancelled."))
    _cancelled, promoted = coordinator.cancel_by_coordinator(registration_id)
    db.session.commit()
    message = _("The registration was cancelled.")
    if promoted:
        message += " " + ngettext(
            "%(num)d person moved up from the waiting list.",
            "%(num)d people moved up from the waiting list.",
            len(promoted),
        )
    flash(message, "success")
    return redirect(url_for(".index", event_id=event_id), 303)


@bp.post("/registrations/<id:registration_id>/promote")
@role_required(Role.COORDINATOR)
def promote(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    event_id = registration.event_id
    form = ConfirmForm()
    try:
        coordinator.promote_by_coordinator(registration_id, over_capacity=form.over_capacity.data)
    except ValueError:
        reject(409, _("This person is not on the waiting list."))
    except coordinator.EventFull:
        db.session.rollback()
        flash(
            _(
                "The event is full. Tick “Confirm even though the event is full” to give a place "
                "beyond the limit."
            ),
            "error",
        )
    else:
        db.session.commit()
        flash(_("The person has a confirmed place now."), "success")
    return redirect(url_for(".index", event_id=event_id), 303)


@bp.post("/registrations/<id:registration_id>/send-link")
@role_required(Role.COORDINATOR)
def send_link(registration_id: int):
    """The person lost their link: mail it to them (nobody here may read it)."""
    registration = db.get_or_404(Registration, registration_id)
    try:
        coordinator.send_link(registration)
    except ValueError:
        reject(409, _("This registration is cancelled or erased: there is no link to send."))
    db.session.commit()
    flash(
        _("The self-service link is on its way to %(email)s.", email=registration.email),
        "success",
    )
    return redirect(url_for(".index", event_id=registration.event_id), 303)


@bp.post("/events/<id:event_id>/attendance")
@role_required(Role.COORDINATOR)
def mark_attendance(event_id: int):
    event = event_or_404(event_id)
    value = request.form.get("attendance", "")
    if value not in ATTENDANCE_VALUES:
        reject(400, _("Choose whether the selected people attended."))
    ids = [n for v in request.form.getlist("registration") if (n := whole_number(v)) is not None]
    everyone = request.form.get("everyone") == "confirmed"
    if not ids and not everyone:
        flash(_("Select at least one participant first."), "error")
        return redirect(url_for(".index", event_id=event.id, **request.args), 303)
    try:
        changed = coordinator.mark_attendance(
            event, None if everyone else ids, ATTENDANCE_VALUES[value]
        )
    except coordinator.AttendanceNotOpen as error:
        flash(
            _(
                "Attendance can be marked from the day of the event, %(day)s.",
                day=day(error.opens_at, weekday=True),
            ),
            "error",
        )
    else:
        db.session.commit()
        flash(
            ngettext(
                "Attendance marked for %(num)d person.",
                "Attendance marked for %(num)d people.",
                changed,
            ),
            "success",
        )
    return redirect(url_for(".index", event_id=event.id, **request.args), 303)

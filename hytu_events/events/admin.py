"""Event pages of the back office, under /admin/events: list, create, edit, publish, cancel,
delete, duplicate (the preview of a draft's public page is the catalogue's).

Every view carries `accounts.access.role_required`: VIEWER for pages that only show, COORDINATOR
for anything that changes data (tests/test_authorisation.py walks the URL map to check).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from .. import audit
from ..accounts.access import role_required
from ..accounts.models import Role
from ..db.types import utcnow
from ..errors import reject
from ..extensions import db
from ..local_time import utc_to_local
from ..paging import requested_page, requested_tab
from . import operations, repeats
from .admin_forms import CancelForm, DuplicateForm, EventForm
from .models import Event, EventStatus
from .new_event_form import NewEventForm
from .occupancy import confirmed_count, seat_counts
from .queries import event_or_404

bp = Blueprint("event_admin", __name__, url_prefix="/admin")

LIST_TABS = ("upcoming", "past", "drafts")


def _listing(tab: str, text: str) -> sa.Select:
    now = utcnow()
    query = sa.select(Event)
    if tab == "drafts":
        query = query.where(Event.status == EventStatus.DRAFT).order_by(Event.starts_at)
    elif tab == "past":
        query = query.where(Event.status != EventStatus.DRAFT, Event.ends_at <= now).order_by(
            Event.starts_at.desc()
        )
    else:
        query = query.where(Event.status != EventStatus.DRAFT, Event.ends_at > now).order_by(
            Event.starts_at
        )
    if text:
        escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        # The Finnish title, or either translation: coordinators search by what they read.
        query = query.where(
            sa.or_(
                *(
                    sa.func.lower(column).like(pattern, escape="\\")
                    for column in (Event.title, Event.title_sv, Event.title_en)
                )
            )
        )
    return query.order_by(Event.id)


@bp.get("/events")
@role_required(Role.VIEWER)
def index():
    tab = requested_tab(LIST_TABS)
    text = request.args.get("q", "").strip()[:100]
    page = requested_page(
        _listing(tab, text), current_app.config.get("HYTU_ADMIN_EVENTS_PER_PAGE", 50)
    )
    events = list(page.items)
    return render_template(
        "admin/events/list.html",
        events=events,
        counts=seat_counts([e.id for e in events]),
        pagination=page,
        tab=tab,
        tabs=LIST_TABS,
        text=text,
    )


@bp.route("/events/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def new():
    form = NewEventForm()
    if form.validate_on_submit():
        repetition = form.repetition()
        if repetition is None:
            event = operations.create_event(form.details(), current_user)
            db.session.commit()
            flash(_("The event was saved as a draft."), "success")
            return redirect(url_for(".detail", event_id=event.id), 303)
        try:
            made = repeats.make_series(form.details(), repetition, current_user)
        except repeats.RepetitionRefused as refusal:
            db.session.rollback()
            form[refusal.field].errors = [refusal.message]
        else:
            db.session.commit()
            flash(_series_saved(made.dates, published=False), "success")
            return redirect(made.url, 303)
    return render_template("admin/events/form.html", form=form, event=None)


def _series_saved(dates: int, *, published: bool) -> str:
    if published:
        return ngettext(
            "The series was published with %(num)d date.",
            "The series was published with %(num)d dates.",
            dates,
        )
    return ngettext(
        "The series was saved with %(num)d date, as a draft.",
        "The series was saved with %(num)d dates, as drafts.",
        dates,
    )


@bp.get("/events/<id:event_id>")
@role_required(Role.VIEWER)
def detail(event_id: int):
    event = event_or_404(event_id)
    count = seat_counts([event.id])[event.id]
    return render_template(
        "admin/events/detail.html",
        event=event,
        count=count,
        entries=audit.entries_for_event(event.id),
    )


@bp.route("/events/<id:event_id>/edit", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit(event_id: int):
    event = event_or_404(event_id)
    if event.status is EventStatus.CANCELLED:
        reject(409, _("A cancelled event cannot be changed."))
    confirmed = confirmed_count(event.id)
    form = EventForm.for_editing(event, confirmed=confirmed)
    if form.validate_on_submit():
        try:
            operations.update_event(event.id, form.details(event))
        except operations.CapacityBelowConfirmed as error:
            # Someone registered while the form was open.
            db.session.rollback()
            form.capacity.errors = [
                _(
                    "%(num)d people are already confirmed: the number of places cannot be lower.",
                    num=error.confirmed,
                )
            ]
        else:
            db.session.commit()
            flash(_("The changes were saved."), "success")
            return redirect(url_for(".detail", event_id=event_id), 303)
    return render_template("admin/events/form.html", form=form, event=event)


def _change_state(event_id: int, change: Callable[[int], object], refusal: str) -> None:
    """Make a change that the event's state may forbid (operations raise EventStateError) and
    commit it; a forbidden one is a 409 that says why."""
    event_or_404(event_id)
    try:
        change(event_id)
    except operations.EventStateError:
        reject(409, refusal)
    db.session.commit()


@bp.post("/events/<id:event_id>/publish")
@role_required(Role.COORDINATOR)
def publish(event_id: int):
    _change_state(event_id, operations.publish_event, _("Only drafts can be published."))
    flash(_("The event is published."), "success")
    return redirect(url_for(".detail", event_id=event_id), 303)


@bp.route("/events/<id:event_id>/cancel", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def cancel(event_id: int):
    event = event_or_404(event_id)
    if event.status is not EventStatus.PUBLISHED:
        reject(409, _("Only published events can be cancelled; a draft can be deleted."))
    form = CancelForm()
    if form.validate_on_submit():
        operations.cancel_event(event_id, form.reason.data)
        db.session.commit()
        flash(_("The event is cancelled. The reason is shown on its public page."), "success")
        return redirect(url_for(".detail", event_id=event_id), 303)
    return render_template("admin/events/cancel.html", form=form, event=event)


@bp.post("/events/<id:event_id>/delete")
@role_required(Role.COORDINATOR)
def delete(event_id: int):
    _change_state(
        event_id,
        operations.delete_draft,
        _("Only drafts can be deleted; cancel a published event instead."),
    )
    flash(_("The draft was deleted."), "success")
    return redirect(url_for(".index", show="drafts"), 303)


@bp.route("/events/<id:event_id>/duplicate", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def duplicate(event_id: int):
    event = event_or_404(event_id)
    form = DuplicateForm()
    if form.validate_on_submit():
        if form.repeats():
            made = _repeat_as_series(event, form)
            db.session.commit()
            flash(_series_saved(made.dates, published=form.publish.data), "success")
            return redirect(made.url, 303)
        copies = operations.duplicate_event(
            event_id,
            current_user,
            every_weeks=form.every_weeks.data or 0,
            times=form.times.data,
            publish=form.publish.data,
        )
        db.session.commit()
        flash(
            ngettext("%(num)d copy was made.", "%(num)d copies were made.", len(copies)),
            "success",
        )
        return redirect(url_for(".detail", event_id=copies[0].id), 303)
    return render_template("admin/events/duplicate.html", form=form, event=event)


def _repeat_as_series(event: Event, form: DuplicateForm) -> repeats.MadeSeries:
    """Repeated copies are the dates of a series: the first one interval after the original,
    on its day of the week, so the rule cannot be refused (at most MAX_REPEAT dates). The
    dates serve the original's measures."""
    weeks = form.every_weeks.data
    return repeats.make_series(
        operations.moved_by(operations.EventDetails.of(event), timedelta(weeks=weeks)),
        repeats.Repetition(
            frequency=repeats.WEEKLY,
            every=weeks,
            weekdays=(repeats.WEEKDAY_CODES[utc_to_local(event.starts_at).weekday()],),
            week_of_month=None,
            until=None,
            count=form.times.data,
        ),
        current_user,
        publish=form.publish.data,
        measures_of=event.id,
    )

"""A series' pages in the back office, under /admin/series: the list, one series with its dates
and attendance, a date's edit with the dates it applies to, the series' end, publishing and
deleting it. Each date keeps its own event pages (events.admin): cancelling or moving one date
is done there. The measures of a series are outcomes' page (outcomes.series_measures), the
message to everyone registered the back office's (backoffice.series_message).

Every view carries `accounts.access.role_required`: VIEWER for pages that only show,
COORDINATOR for anything that changes data (tests/test_authorisation.py walks the URL map).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from .. import audit
from ..accounts.access import role_required
from ..accounts.models import Role
from ..db.types import utcnow
from ..errors import reject
from ..events.models import Event, EventStatus
from ..events.occupancy import confirmed_count
from ..events.operations import CapacityBelowConfirmed, update_event
from ..extensions import db
from ..i18n import short_day
from ..paging import requested_page
from . import changes, ends, making  # noqa: F401 - making: the events' forms make series
from .admin_forms import ALL, FOLLOWING, THIS, DateForm, EndForm
from .models import Series
from .overview import overview
from .recurrence import MAX_DATES, RuleError, TooManyDates
from .wording import rule_in_words

bp = Blueprint("series_admin", __name__, url_prefix="/admin")

bp.add_app_template_filter(rule_in_words)


def _series_or_404(series_id: int) -> Series:
    return db.get_or_404(Series, series_id)


@bp.get("/series")
@role_required(Role.VIEWER)
def index():
    query = (
        sa.select(Series)
        .options(selectinload(Series.dates))
        .order_by(Series.first_date.desc(), Series.id.desc())
    )
    page = requested_page(query, current_app.config.get("HYTU_ADMIN_EVENTS_PER_PAGE", 50))
    return render_template("admin/series/list.html", pagination=page, now=utcnow())


@bp.get("/series/<id:series_id>")
@role_required(Role.VIEWER)
def detail(series_id: int):
    series = _series_or_404(series_id)
    return render_template(
        "admin/series/detail.html",
        series=series,
        overview=overview(series, utcnow()),
        entries=audit.entries_for_target(audit.target_type_of(series), series.id),
    )


def _date_or_404(series: Series, event_id: int) -> Event:
    try:
        return changes.date_of(series, event_id)
    except LookupError:
        reject(404, _("That date is not one of this series."))


@bp.route("/series/<id:series_id>/dates/<id:event_id>/edit", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit_date(series_id: int, event_id: int):
    series = _series_or_404(series_id)
    event = _date_or_404(series, event_id)
    if event.status is EventStatus.CANCELLED:
        reject(409, _("A cancelled event cannot be changed."))
    confirmed = confirmed_count(event.id)
    form = DateForm.for_editing(event, confirmed=confirmed)
    if form.validate_on_submit() and (changed := _change_dates(series, event, form)):
        db.session.commit()
        flash(_("The changes were saved."), "success")
        return redirect(url_for(".detail", series_id=changed.id), 303)
    return render_template("admin/series/edit_date.html", form=form, series=series, event=event)


def _change_dates(series: Series, event: Event, form: DateForm) -> Series | None:
    """The change to the dates the form names; None, with the reason at its field, when it
    cannot be (the transaction rolled back)."""
    details = form.details(event)
    try:
        if form.scope.data == THIS:
            update_event(event.id, details)
            return series
        several = {FOLLOWING: changes.edit_following, ALL: changes.edit_all}[form.scope.data]
        return several(series.id, event.id, details)
    except CapacityBelowConfirmed as error:  # someone registered while the form was open
        message = _(
            "%(num)d people are already confirmed: the number of places cannot be lower.",
            num=error.confirmed,
        )
    except changes.CapacityRefused as error:
        message = _(
            "%(num)d people are already confirmed on %(day)s: the number of places cannot "
            "be lower.",
            num=error.confirmed,
            day=short_day(changes.rule_day(error.event)),
        )
    except changes.NotOnItsDay as error:
        db.session.rollback()
        form.starts_at.errors = [
            _(
                "Several dates keep their own days (this one is on %(day)s): change the time "
                "of day only, or change this date only.",
                day=short_day(error.day),
            )
        ]
        return None
    db.session.rollback()
    form.capacity.errors = [message]
    return None


@bp.route("/series/<id:series_id>/end", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def end(series_id: int):
    series = _series_or_404(series_id)
    form = EndForm() if request.method == "POST" else EndForm.for_series(series)
    if form.validate_on_submit() and (change := _change_end(series, form)) is not None:
        db.session.commit()
        _flash_end(change)
        return redirect(url_for(".detail", series_id=series.id), 303)
    return render_template("admin/series/end.html", form=form, series=series, max_dates=MAX_DATES)


def _change_end(series: Series, form: EndForm) -> ends.EndChange | None:
    """The new end; None, with the reason at its field, when it cannot be (rolled back)."""
    end = form.end()
    field = form.ends_on if end["until"] is not None else form.number_of_dates
    try:
        return ends.change_end(
            series.id, **end, reason=form.reason.data or "", creator=current_user
        )
    except TooManyDates:
        message = _("A series has at most %(max)d dates: end it sooner.", max=MAX_DATES)
    except RuleError:
        message = _("The series would end before its first date.")
    except ends.EndRefused as refusal:
        if refusal.why == ends.EndRefused.REASON_NEEDED:
            field = form.reason
            message = _("Published dates are removed: tell participants why they are cancelled.")
        elif refusal.why == ends.EndRefused.DATES_HELD:
            message = _("Dates that have begun or been held cannot be removed.")
        else:
            message = _("The series already ends with that date.")
    db.session.rollback()
    field.errors = [message]
    return None


def _flash_end(change: ends.EndChange) -> None:
    if change.added:
        flash(ngettext("%(num)d date added.", "%(num)d dates added.", len(change.added)), "success")
    if change.deleted:
        flash(
            ngettext("%(num)d draft date deleted.", "%(num)d draft dates deleted.", change.deleted),
            "success",
        )
    if change.cancelled:
        flash(
            ngettext("%(num)d date cancelled.", "%(num)d dates cancelled.", len(change.cancelled)),
            "success",
        )


@bp.post("/series/<id:series_id>/publish")
@role_required(Role.COORDINATOR)
def publish(series_id: int):
    _series_or_404(series_id)
    try:
        published = changes.publish_drafts(series_id)
    except changes.SeriesStateError:
        reject(409, _("The series has no draft dates to publish."))
    db.session.commit()
    flash(
        ngettext("%(num)d date was published.", "%(num)d dates were published.", len(published)),
        "success",
    )
    return redirect(url_for(".detail", series_id=series_id), 303)


@bp.post("/series/<id:series_id>/delete")
@role_required(Role.COORDINATOR)
def delete(series_id: int):
    _series_or_404(series_id)
    try:
        changes.delete_series(series_id)
    except changes.SeriesStateError:
        reject(
            409, _("Only a series whose dates are all drafts can be deleted; cancel dates instead.")
        )
    db.session.commit()
    flash(_("The series and its draft dates were deleted."), "success")
    return redirect(url_for(".index"), 303)

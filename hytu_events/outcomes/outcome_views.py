"""Back office: the measures an event serves, and the outcome form after the event."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..accounts.access import role_required
from ..accounts.models import Role
from ..db.types import utcnow
from ..events.filters import all_municipalities
from ..events.models import Event
from ..events.queries import event_or_404
from ..extensions import db
from ..form_pages import form_page
from ..local_time import zone
from ..plan.models import Indicator, MunicipalPlanStatusChange
from ..plan.queries import all_measures, measures_of_event
from .attendance import attendance_of
from .event_measures import link_measures
from .forms import EventMeasuresForm, OutcomeForm
from .models import Outcome
from .outcomes import OutcomeError, can_record_outcome, record_outcome

bp = Blueprint("outcomes", __name__, url_prefix="/admin/events")


@bp.get("/<id:event_id>/measures")
@role_required(Role.VIEWER)
def measures(event_id: int):
    event = event_or_404(event_id)
    form = EventMeasuresForm()
    form.measures.data = [m.id for m in measures_of_event(event.id)]
    return render_template("outcomes/event_measures.html", event=event, form=form)


@bp.post("/<id:event_id>/measures")
@role_required(Role.COORDINATOR)
def save_measures(event_id: int):
    event = event_or_404(event_id)
    form = EventMeasuresForm()
    return form_page(
        form,
        "outcomes/event_measures.html",
        lambda: link_measures(event, form.measures.data or []),
        saved=lambda _result: flash(_("The measures were saved."), "success"),
        next_url=url_for(".measures", event_id=event.id),
        invalid_status=400,
        event=event,
    )


def _outcome_form(event: Event, outcome: Outcome | None, formdata=True) -> OutcomeForm:
    measures = all_measures()
    linked = {m.id for m in measures_of_event(event.id)}
    notes = {om.measure_id: om.note for om in outcome.measures} if outcome else {}
    if formdata:
        form = OutcomeForm()
    else:
        data = {}
        if outcome:
            data = dict(
                summary=outcome.summary,
                agreements=outcome.agreements,
                manual_attendance=outcome.manual_attendance,
                follow_ups=[
                    dict(what=f.what, who=f.who, due_on=f.due_on, status=f.status.value)
                    for f in outcome.follow_ups
                ],
                indicator_values=[
                    dict(
                        indicator=str(v.indicator_id),
                        municipality=str(v.municipality_id or ""),
                        year=v.year,
                        value=str(v.value),
                    )
                    for v in outcome.indicator_values
                ],
                status_moves=[
                    dict(municipality=str(c.municipality_id), status=c.status.value, note=c.note)
                    for c in db.session.scalars(
                        db.select(MunicipalPlanStatusChange)
                        .where(MunicipalPlanStatusChange.outcome_id == outcome.id)
                        .order_by(MunicipalPlanStatusChange.id)
                    )
                ],
            )
        data["measures"] = [
            dict(
                measure_id=str(m.id),
                advanced=(m.id in notes) if outcome else (m.id in linked),
                note=notes.get(m.id, ""),
            )
            for m in measures
        ]
        form = OutcomeForm(formdata=None, data=data)
        # Room for new follow-ups and indicator values below the saved ones.
        saved = (len(outcome.follow_ups), len(outcome.indicator_values)) if outcome else (0, 0)
        for entries, count, spare in (
            (form.follow_ups, saved[0], 2),
            (form.indicator_values, saved[1], 1),
        ):
            while len(entries) < max(entries.min_entries, count + spare):
                entries.append_entry()
    municipality_choices = [SelectChoice("", _("Whole region"))] + [
        SelectChoice(str(m.id), m.name_fi) for m in all_municipalities()
    ]
    indicator_choices = [SelectChoice("", _("(none)"))] + [
        SelectChoice(str(i.id), f"{i.name} ({i.unit})")
        for i in db.session.scalars(db.select(Indicator).order_by(Indicator.code))
    ]
    for entry in form.indicator_values:
        entry.indicator.choices = indicator_choices
        entry.municipality.choices = municipality_choices
    for entry in form.status_moves:
        entry.municipality.choices = [SelectChoice("", _("(none)"))] + municipality_choices[1:]
    by_id = {str(m.id): m for m in measures}
    form.measure_rows = [(by_id.get(entry.measure_id.data), entry) for entry in form.measures]
    return form


def _render_outcome(event, form, outcome, status=200):
    return (
        render_template(
            "outcomes/outcome.html",
            event=event,
            form=form,
            outcome=outcome,
            attendance=attendance_of(event.id),
            can_record=can_record_outcome(event, utcnow()),
        ),
        status,
    )


@bp.get("/<id:event_id>/outcome")
@role_required(Role.VIEWER)
def outcome(event_id: int):
    event = event_or_404(event_id)
    existing = db.session.scalar(db.select(Outcome).where(Outcome.event_id == event.id))
    return _render_outcome(event, _outcome_form(event, existing, formdata=False), existing)


@bp.post("/<id:event_id>/outcome")
@role_required(Role.COORDINATOR)
def save_outcome(event_id: int):
    event = event_or_404(event_id)
    existing = db.session.scalar(db.select(Outcome).where(Outcome.event_id == event.id))
    form = _outcome_form(event, existing)
    if not form.validate_on_submit():
        return _render_outcome(event, form, existing, 400)
    try:
        record_outcome(
            event,
            form.to_input(),
            user_id=current_user.id,
            zone=zone(),
        )
    except OutcomeError as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        return _render_outcome(event, form, existing, 400)
    db.session.commit()
    current_app.logger.info("outcome recorded for event %s", event.id)
    flash(_("The outcome was saved."), "success")
    return redirect(url_for(".outcome", event_id=event.id), code=303)

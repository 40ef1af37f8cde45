"""Back office: editing the plan itself, its focus areas, measures, indicators and their figures.

Viewers see the overview and the figures; coordinators add, change and delete. The rules and
the audit log are the operations' (editing.py, figures.py); here forms are read and pages shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import audit
from ..accounts.access import role_required
from ..accounts.models import Role
from ..extensions import db
from ..i18n import current_language
from . import editing, figures
from .editing_forms import (
    CODE_TAKEN,
    FocusAreaForm,
    IndicatorForm,
    IndicatorValueForm,
    MeasureForm,
    PlanForm,
)
from .indicator_charts import indicator_charts
from .models import FocusArea, Indicator, IndicatorValue, Measure, Plan
from .queries import all_measures, current_plan, focus_areas_of

bp = Blueprint("plan_edit", __name__, url_prefix="/admin/plan")


@dataclass(frozen=True)
class Editable:
    """One kind of row of the plan that coordinators add, change and delete the same way."""

    #: The part of the endpoint names (`measure` -> `.edit_measure`) and of the anchors.
    name: str
    model: type
    form: type
    #: What a row is called on its pages ("T1 HYTU-klinikat kunnille").
    label: Callable[..., str]
    new_heading: LazyString
    saved: LazyString
    deleted: LazyString
    #: A warning shown above the row's form, if it needs one.
    notice: Callable[..., str | None] = lambda row: None


FOCUS_AREA = Editable(
    "focus_area",
    FocusArea,
    FocusAreaForm,
    lambda area: f"{area.code} {area.name_in(current_language())}",
    _l("New focus area or theme"),
    _l("The focus area was saved."),
    _l("The focus area was deleted."),
)
MEASURE = Editable(
    "measure",
    Measure,
    MeasureForm,
    lambda measure: f"{measure.code} {measure.title_in(current_language())}",
    _l("New measure"),
    _l("The measure was saved."),
    _l("The measure was deleted."),
    editing.code_in_use_notice,
)
INDICATOR = Editable(
    "indicator",
    Indicator,
    IndicatorForm,
    lambda indicator: indicator.name_in(current_language()),
    _l("New indicator"),
    _l("The indicator was saved."),
    _l("The indicator was deleted."),
)


def _plan_or_redirect() -> Plan:
    plan = current_plan()
    if plan is None:
        # Focus areas and measures belong to a plan: name the plan first.
        flash(_("Give the plan its name and period first."), "warning")
        abort(redirect(url_for(".edit_plan"), 303))
    return plan


@bp.get("")
@role_required(Role.VIEWER)
def index():
    plan = current_plan()
    return render_template(
        "plan/editing/index.html",
        plan=plan,
        focus_areas=focus_areas_of(plan.id if plan else None),
        measures=all_measures(),
        indicators=list(db.session.scalars(sa.select(Indicator).order_by(Indicator.code))),
        measures_per_focus_area=editing.measures_per_focus_area(),
        events_per_measure=editing.events_per_measure(),
        values_per_indicator=editing.values_per_indicator(),
        measures_per_indicator=editing.measures_per_indicator(),
    )


@bp.route("/edit", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit_plan():
    plan = current_plan()
    form = PlanForm() if request.method == "POST" else PlanForm(obj=plan)
    if form.validate_on_submit():
        editing.save_plan(plan, form.values())
        db.session.commit()
        flash(_("The plan was saved."), "success")
        return redirect(url_for(".index"), 303)
    return _form_page(
        form,
        heading=_("The plan") if plan else _("Name the plan"),
        row=plan,
        audit_type="plan",
    )


def _form_page(
    form, *, heading, row=None, audit_type=None, delete_url=None, notice=None, status=None
):
    history = audit.entries_for_target(audit_type, row.id, limit=50) if row is not None else []
    page = render_template(
        "plan/editing/form.html",
        form=form,
        heading=heading,
        history=history,
        delete_url=delete_url,
        notice=notice,
    )
    return page, status or (400 if form.errors else 200)


def _save(kind: Editable, row, form):
    """Save a valid form onto `row` (None: a new row); a code taken meanwhile is a form error."""
    try:
        if row is None:
            row = editing.create(kind.model, form.values(), plan_id=form.plan_id)
        else:
            row = editing.update(row, form.values())
    except sa.exc.IntegrityError:
        # Someone saved the same code between our check and this save.
        db.session.rollback()
        form.code.errors = [str(CODE_TAKEN)]
        return None
    db.session.commit()
    flash(str(kind.saved), "success")
    return row


def _new(kind: Editable):
    plan = _plan_or_redirect()
    form = kind.form(plan_id=plan.id)
    status = None
    if form.validate_on_submit():
        if _save(kind, None, form) is not None:
            return redirect(url_for(".index") + f"#{kind.name}s", 303)
        status = 409  # the code was taken meanwhile
    return _form_page(form, heading=str(kind.new_heading), status=status)


def _edit(kind: Editable, row_id: int):
    row = db.get_or_404(kind.model, row_id)
    plan_id = getattr(row, "plan_id", None)
    if request.method == "POST":
        form = kind.form(plan_id=plan_id, editing=row)
    else:
        form = kind.form.filled(row)
    status = None
    if form.validate_on_submit():
        if _save(kind, row, form) is not None:
            return redirect(url_for(".index") + f"#{kind.name}s", 303)
        status = 409  # the code was taken meanwhile
    return _form_page(
        form,
        heading=kind.label(row),
        row=row,
        audit_type=audit.target_type_of(row),
        delete_url=url_for(f".delete_{kind.name}", **{f"{kind.name}_id": row.id}),
        notice=kind.notice(row),
        status=status,
    )


def _delete(kind: Editable, row_id: int):
    row = db.get_or_404(kind.model, row_id)
    if request.method != "POST":
        reason = editing.why_not_delete(row)
    else:
        try:
            reason = editing.delete(row)
            if reason is None:
                db.session.commit()
                flash(str(kind.deleted), "success")
                return redirect(url_for(".index") + f"#{kind.name}s", 303)
        except sa.exc.IntegrityError:
            # Something came to depend on it between the check and the delete.
            db.session.rollback()
            row = db.get_or_404(kind.model, row_id)
            reason = editing.why_not_delete(row) or _("It is in use now. Try again later.")
    page = render_template(
        "plan/editing/delete.html",
        label=kind.label(row),
        reason=reason,
        back_url=url_for(f".edit_{kind.name}", **{f"{kind.name}_id": row.id}),
    )
    return page, 409 if reason else 200


@bp.route("/focus-areas/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def new_focus_area():
    return _new(FOCUS_AREA)


@bp.route("/focus-areas/<id:focus_area_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit_focus_area(focus_area_id: int):
    return _edit(FOCUS_AREA, focus_area_id)


@bp.route("/focus-areas/<id:focus_area_id>/delete", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def delete_focus_area(focus_area_id: int):
    return _delete(FOCUS_AREA, focus_area_id)


@bp.route("/measures/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def new_measure():
    return _new(MEASURE)


@bp.route("/measures/<id:measure_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit_measure(measure_id: int):
    return _edit(MEASURE, measure_id)


@bp.route("/measures/<id:measure_id>/delete", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def delete_measure(measure_id: int):
    return _delete(MEASURE, measure_id)


@bp.route("/indicators/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def new_indicator():
    return _new(INDICATOR)


@bp.route("/indicators/<id:indicator_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit_indicator(indicator_id: int):
    return _edit(INDICATOR, indicator_id)


@bp.route("/indicators/<id:indicator_id>/delete", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def delete_indicator(indicator_id: int):
    return _delete(INDICATOR, indicator_id)


# The figures of one indicator.


def _values_page(indicator: Indicator, form: IndicatorValueForm, status: int = 200):
    values = db.session.scalars(
        sa.select(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id)
    )
    # Newest year first; within a year the whole region, then the municipalities by name.
    values = sorted(
        values,
        key=lambda v: (-v.year, v.municipality is not None, getattr(v.municipality, "name_fi", "")),
    )
    return (
        render_template(
            "plan/editing/values.html",
            indicator=indicator,
            values=values,
            charts=indicator_charts(indicator, values, current_language()),
            form=form,
            history=audit.entries_for_target("indicator", indicator.id, limit=50),
        ),
        status,
    )


@bp.get("/indicators/<id:indicator_id>/values")
@role_required(Role.VIEWER)
def values(indicator_id: int):
    indicator = db.get_or_404(Indicator, indicator_id)
    return _values_page(indicator, IndicatorValueForm())


@bp.post("/indicators/<id:indicator_id>/values")
@role_required(Role.COORDINATOR)
def save_value(indicator_id: int):
    indicator = db.get_or_404(Indicator, indicator_id)
    form = IndicatorValueForm()
    if not form.validate_on_submit():
        return _values_page(indicator, form, 400)
    try:
        saved = figures.save_figure(
            indicator, form.municipality_id, form.year.data, form.value.number
        )
    except sa.exc.IntegrityError:
        db.session.rollback()
        form.value.errors = [_("Someone saved a figure for the same year just now. Send again.")]
        return _values_page(indicator, form, 409)
    db.session.commit()
    flash(
        _("The figure was saved.")
        if saved.previous is None
        else _("The figure replaced the one saved for the same year and area."),
        "success",
    )
    return redirect(url_for(".values", indicator_id=indicator.id), 303)


@bp.route("/indicators/<id:indicator_id>/values/<id:value_id>/delete", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def delete_value(indicator_id: int, value_id: int):
    indicator = db.get_or_404(Indicator, indicator_id)
    value = db.session.get(IndicatorValue, value_id)
    if value is None or value.indicator_id != indicator.id:
        abort(404)
    if request.method == "POST":
        figures.delete_figure(indicator, value)
        db.session.commit()
        flash(_("The figure was deleted."), "success")
        return redirect(url_for(".values", indicator_id=indicator.id), 303)
    shown = figures.figure_snapshot(value, value.value)
    label = f"{indicator.name_in(current_language())}: {shown['area']} {shown['year']}"
    return render_template(
        "plan/editing/delete.html",
        label=label,
        reason=None,
        back_url=url_for(".values", indicator_id=indicator.id),
    )

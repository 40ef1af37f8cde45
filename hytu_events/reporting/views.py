"""Back office: the dashboard, the printable report, report downloads and the plan tracker."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from ..accounts.access import role_required
from ..accounts.models import Role
from ..db.types import utcnow
from ..errors import reject
from ..events.filters import all_municipalities, find_municipality
from ..extensions import db
from ..local_time import zone
from ..outcomes.outcomes import event_ids_of_outcomes
from ..plan.models import MunicipalPlanStatus
from ..plan.statuses import current_statuses
from ..spreadsheets import to_xlsx
from .filters import parse_dashboard_filter
from .forms import StatusChangeForm
from .presentation import dashboard_context
from .reports import KINDS, as_csv, report_table
from .tracker import history, record_status_change

bp = Blueprint("reporting", __name__, url_prefix="/admin")


@bp.get("/dashboard")
@role_required(Role.VIEWER)
def dashboard():
    context = dashboard_context(parse_dashboard_filter(request.args))
    return render_template("reporting/dashboard.html", **context)


@bp.get("/report")
@role_required(Role.VIEWER)
def report():
    """The dashboard laid out for printing (or saving as PDF from the browser)."""
    context = dashboard_context(parse_dashboard_filter(request.args))
    return render_template("reporting/report.html", **context)


@bp.get(
    '/reports/<any("outcomes", "follow-ups", "indicator-values", "feedback", '
    '"feedback-measures"):kind>.<any(csv, xlsx):fmt>'
)
@role_required(Role.VIEWER)
def download(kind: str, fmt: str):
    if kind not in KINDS or fmt not in ("csv", "xlsx"):
        abort(404)
    dashboard_filter = parse_dashboard_filter(request.args)
    header, rows = report_table(kind, dashboard_filter, utcnow(), zone())
    suffix = "-".join(
        str(part)
        for part in (dashboard_filter.year, getattr(dashboard_filter.sub_region, "value", None))
        if part
    )
    filename = f"hytu-{kind}{'-' + suffix if suffix else ''}.{fmt}"
    if fmt == "csv":
        body, mimetype = as_csv(header, rows), "text/csv"  # Werkzeug adds the charset
    else:
        body = to_xlsx(kind, header, rows)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _tracker_page(form: StatusChangeForm, status: int = 200):
    municipalities = all_municipalities()
    statuses = current_statuses()
    selected = None
    if raw := request.args.get("municipality", "").strip():
        if (municipality := find_municipality(raw.lower())) is None:
            reject(400, _("Unknown municipality in the address (municipality)."))
        selected = municipality.id
    changes = history(selected) if selected else []
    return (
        render_template(
            "reporting/tracker.html",
            form=form,
            municipalities=municipalities,
            statuses=statuses,
            not_started=MunicipalPlanStatus.NOT_STARTED,
            selected=selected,
            history=changes,
            event_of_outcome=event_ids_of_outcomes(c.outcome_id for c in changes),
        ),
        status,
    )


def _status_form() -> StatusChangeForm:
    form = StatusChangeForm()
    form.municipality.choices = [SelectChoice(m.id, m.name_fi) for m in all_municipalities()]
    return form


@bp.get("/plan/municipalities")
@role_required(Role.VIEWER)
def tracker():
    return _tracker_page(_status_form())


@bp.post("/plan/municipalities")
@role_required(Role.COORDINATOR)
def add_status_change():
    form = _status_form()
    if not form.validate_on_submit():
        return _tracker_page(form, 400)
    record_status_change(
        form.municipality.data,
        MunicipalPlanStatus(form.status.data),
        form.changed_on.data,
        source_text=form.source_text.data,
        note=form.note.data or "",
    )
    db.session.commit()
    flash(_("The status was recorded."), "success")
    return redirect(url_for(".tracker", municipality=form.municipality.data), code=303)

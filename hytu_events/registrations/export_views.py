"""Downloads in the back office, under /admin: an event's participants, and all registrations
of events in a date range."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from ..accounts.access import role_required
from ..accounts.models import Role
from ..events.queries import event_or_404
from ..forms import Form
from ..spreadsheets import to_csv, to_xlsx
from .exports import event_rows, header, range_rows

bp = Blueprint("export_admin", __name__, url_prefix="/admin")

FORMATS = ("csv", "xlsx")
MIMETYPES = {
    "csv": "text/csv",  # Werkzeug adds "; charset=utf-8" to text types
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: A date range wider than this is most likely a typo in the year.
MAX_RANGE_DAYS = 3 * 366


def _download(name: str, fmt: str, sheet_title: str, columns: list[str], rows) -> Response:
    body = to_csv(columns, rows) if fmt == "csv" else to_xlsx(sheet_title, columns, rows)
    return Response(
        body,
        mimetype=MIMETYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
            "Cache-Control": "no-store",  # personal data: never kept by a proxy or browser
        },
    )


@bp.get("/events/<id:event_id>/participants.<any(csv, xlsx):fmt>")
@role_required(Role.VIEWER)
def event_participants(event_id: int, fmt: str):
    event = event_or_404(event_id)
    return _download(
        f"participants-event-{event.id}",
        fmt,
        _("Participants"),
        header(with_event=False),
        event_rows(event.id),
    )


class RangeForm(Form):
    class Meta:
        csrf = False  # a GET form that changes nothing

    first = DateField(_l("From"), validators=[DataRequired(_l("Enter a date, e.g. 2027-01-01."))])
    last = DateField(_l("To"), validators=[DataRequired(_l("Enter a date, e.g. 2027-12-31."))])
    format = RadioField(
        _l("File format"),
        choices=[
            SelectChoice("xlsx", _l("Excel (XLSX)")),
            SelectChoice("csv", _l("CSV (semicolon-separated)")),
        ],
        default="xlsx",
        validators=[DataRequired(_l("Choose a file format."))],
    )

    def validate_last(self, field):
        if field.data and self.first.data:
            if field.data < self.first.data:
                raise ValidationError(_l("The end date must not be before the start date."))
            if (field.data - self.first.data).days > MAX_RANGE_DAYS:
                raise ValidationError(_l("Choose at most three years at a time."))


@bp.get("/exports")
@role_required(Role.VIEWER)
def index():
    form = RangeForm(request.args)
    if "first" in request.args and form.validate():
        first, last = form.first.data, form.last.data
        return _download(
            f"registrations-{first.isoformat()}-{last.isoformat()}",
            form.format.data,
            _("Registrations"),
            header(with_event=True),
            range_rows(first, last),
        )
    if "first" not in request.args:
        today = date.today()
        form.first.data, form.last.data = today.replace(month=1, day=1), today
    return render_template("admin/exports.html", form=form)

"""Back office: the plan's CSV files in and out, as `flask plan import` and `plan export` do
on the command line (same layouts, same checks: all rows or none)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy.exc import IntegrityError

from ..accounts.access import role_required
from ..accounts.models import Role
from ..extensions import db
from ..forms import Form
from .csvformat import KINDS
from .exporting import export_csv
from .importing import import_plan_file

bp = Blueprint("plan_files", __name__, url_prefix="/admin/plan")


class ImportForm(Form):
    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "txt"], _l("Choose a CSV file (.csv).")),
        ],
        description=_l("UTF-8; separated by commas or semicolons, as spreadsheets save them."),
    )


def _page(form: ImportForm, result=None, status: int = 200):
    return (
        render_template("plan/editing/import.html", form=form, result=result, kinds=KINDS),
        status,
    )


@bp.get("/import")
@role_required(Role.COORDINATOR)
def import_page():
    return _page(ImportForm())


@bp.post("/import")
@role_required(Role.COORDINATOR)
def import_file():
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        text = form.file.data.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        form.file.errors = [_("The file is not UTF-8 text: save it as “CSV UTF-8”.")]
        return _page(form, status=400)
    try:
        result = import_plan_file(text, form.file.data.filename)
    except IntegrityError:  # import_csv has rolled back: nothing of the file was saved
        form.file.errors = [_("The same data was changed at this moment. Send the file again.")]
        return _page(form, status=409)
    if not result.ok:
        return _page(form, result, status=400)
    db.session.commit()
    flash(
        _(
            "The file was imported: %(created)d added, %(updated)d updated.",
            created=result.created,
            updated=result.updated,
        ),
        "success",
    )
    return redirect(url_for("plan_edit.index"), 303)


@bp.get('/export/<any("measures", "indicator-values"):kind>.csv')
@role_required(Role.VIEWER)
def export(kind: str):
    return Response(
        export_csv(kind, spreadsheet=True),
        mimetype="text/csv",  # Werkzeug adds "; charset=utf-8" to text types
        headers={"Content-Disposition": f'attachment; filename="hytu-{kind}.csv"'},
    )

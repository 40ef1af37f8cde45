"""Back office: the follow-ups of every event, to see what is due and tick off what is done."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..accounts.access import role_required
from ..accounts.models import Role
from ..db.types import utcnow
from ..extensions import db
from ..local_time import zone
from ..paging import requested_page, requested_tab, tab_of
from .follow_ups import SHOW, follow_ups_query, rows_of, set_status
from .models import FollowUp, FollowUpStatus

bp = Blueprint("follow_ups", __name__, url_prefix="/admin/follow-ups")


def _today():
    return utcnow().astimezone(zone()).date()


@bp.get("")
@role_required(Role.VIEWER)
def index():
    show = requested_tab(SHOW)
    today = _today()
    page = requested_page(
        follow_ups_query(show, today), current_app.config.get("HYTU_FOLLOW_UPS_PER_PAGE", 50)
    )
    return render_template(
        "outcomes/follow_ups.html",
        rows=rows_of(page.items, today),
        pagination=page,
        show=show,
        shows=SHOW,
        today=today,
    )


def _change(follow_up_id: int, status: FollowUpStatus, message: str):
    follow_up = db.get_or_404(FollowUp, follow_up_id)
    if set_status(follow_up, status):
        db.session.commit()
        flash(message, "success")
    return redirect(url_for(".index", show=tab_of(request.form.get("show"), SHOW)), 303)


@bp.post("/<id:follow_up_id>/done")
@role_required(Role.COORDINATOR)
def mark_done(follow_up_id: int):
    return _change(follow_up_id, FollowUpStatus.DONE, _("The follow-up is marked done."))


@bp.post("/<id:follow_up_id>/reopen")
@role_required(Role.COORDINATOR)
def reopen(follow_up_id: int):
    return _change(follow_up_id, FollowUpStatus.OPEN, _("The follow-up is open again."))

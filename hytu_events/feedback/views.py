"""The feedback form at /feedback/<token>: no login, one answer per link.

The page is marked in `secret_links` (the token is the only key): never stored by a browser
or proxy, never named in a Referer, and the back office shows no such link.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..i18n import current_language
from ..plan.queries import measures_of_event
from ..registrations.models import Registration
from ..secret_links import secret_link
from .answering import Answer, record_answer
from .forms import feedback_form
from .links import request_for_token
from .switches import own_question

bp = Blueprint("feedback", __name__, url_prefix="/feedback")


@bp.route("/<token>", methods=["GET", "POST"])
@secret_link("token")
def answer(token: str):
    request = request_for_token(token)
    if request is None:
        abort(404)
    registration = db.session.get(Registration, request.registration_id)
    event = registration.event
    if request.answered:
        return render_template("feedback/received.html", event=event)
    question = own_question(event)
    form = feedback_form(measures_of_event(event.id), question, current_language())
    if form.validate_on_submit():
        record_answer(
            request,
            registration,
            Answer(
                usefulness=int(form.usefulness.data),
                helped=form.measure_answers(),
                take_forward=form.take_forward.data or "",
                comment=form.comment.data or "",
                own_question=question or "",
                own_answer=(form.own_answer.data or "") if question else "",
            ),
        )
        db.session.commit()
        return redirect(url_for(".answer", token=token), code=303)
    return render_template(
        "feedback/form.html",
        event=event,
        form=form,
        token=token,
        error_title=_("The feedback was not sent") if form.errors else None,
    ), (422 if form.errors else 200)

"""Back office: the outbox (what was sent, what waits, what failed) and messages to
participants.

Stored messages are shown only through `secret_links.redact` (the text, and the subject and
error through the `redact_secrets` filter): no role reads a participant's link here.
"""

from __future__ import annotations

from email import message_from_bytes, policy

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..accounts.access import role_required
from ..accounts.models import Role
from ..errors import reject
from ..events.queries import event_or_404
from ..extensions import db
from ..form_pages import form_page
from ..forms import Form
from ..secret_links import redact
from .forms import CoordinatorMessageForm
from .models import MessageStatus, OutboxMessage
from .notify import send_coordinator_message
from .outbox import retry
from .sent_notice import flash_sent

bp = Blueprint("mailing", __name__)

PAGE_SIZE = 100


def _status_filter() -> MessageStatus | None:
    raw = request.args.get("status")
    if not raw:
        return None
    try:
        return MessageStatus(raw)
    except ValueError:
        reject(400, _("Unknown message status."))


@bp.get("/admin/outbox")
@role_required(Role.VIEWER)
def outbox():
    status = _status_filter()
    query = sa.select(OutboxMessage).order_by(
        OutboxMessage.created_at.desc(), OutboxMessage.id.desc()
    )
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    messages = list(db.session.scalars(query.limit(PAGE_SIZE)))
    counts = dict(
        db.session.execute(
            sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    return render_template(
        "admin/outbox/index.html",
        messages=messages,
        status=status,
        statuses=list(MessageStatus),
        counts=counts,
        page_size=PAGE_SIZE,
        retry_form=Form(),
    )


def _text_part(raw: bytes) -> str:
    """The text as the back office may show it: a participant's self-service and feed
    addresses replaced by a label, since whoever reads them could act as the participant."""
    parsed = message_from_bytes(raw, policy=policy.default)
    part = parsed.get_body(preferencelist=("plain",))
    return redact(part.get_content()) if part is not None else ""


@bp.get("/admin/outbox/<id:message_id>")
@role_required(Role.VIEWER)
def message(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    parsed = message_from_bytes(message.mime, policy=policy.default)
    calendar_method = next(
        (
            part.get_param("method")
            for part in parsed.walk()
            if part.get_content_type() == "text/calendar"
        ),
        None,
    )
    return render_template(
        "admin/outbox/message.html",
        message=message,
        text=_text_part(message.mime),
        calendar_method=calendar_method,
        retry_form=Form(),
    )


@bp.post("/admin/outbox/<id:message_id>/retry")
@role_required(Role.COORDINATOR)
def retry_message(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)  # CSRFProtect has checked the token already
    if retry(message):
        db.session.commit()
        flash(_("The message is queued again."), "success")
    elif not message.built:
        flash(_("This message could not be built, so there is nothing to send again."), "error")
    else:
        flash(_("Only failed messages can be retried."), "error")
    return redirect(url_for(".message", message_id=message.id), code=303)


@bp.route("/admin/events/<id:event_id>/message", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def coordinator_message(event_id: int):
    event = event_or_404(event_id)
    form = CoordinatorMessageForm()
    return form_page(
        form,
        "admin/outbox/compose.html",
        lambda: send_coordinator_message(event, *form.message()),
        saved=flash_sent,
        next_url=url_for(".outbox"),
        event=event,
    )

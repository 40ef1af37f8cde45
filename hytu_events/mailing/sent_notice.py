"""What a coordinator is told after writing to a group: how many messages were queued, how many
could not be built (the outbox says why), or that the group was empty."""

from __future__ import annotations

from collections.abc import Sequence

from flask import flash
from flask_babel import gettext as _
from flask_babel import ngettext

from .models import MessageStatus, OutboxMessage


def flash_sent(sent: Sequence[OutboxMessage | None]) -> None:
    queued = [m for m in sent if m is not None and m.status is MessageStatus.QUEUED]
    if queued:
        flash(
            ngettext(
                "The message was queued for %(num)d recipient.",
                "The message was queued for %(num)d recipients.",
                len(queued),
            ),
            "success",
        )
    if unbuilt := len(sent) - len(queued):
        flash(
            ngettext(
                "The message to %(num)d recipient could not be built; the outbox says why.",
                "The messages to %(num)d recipients could not be built; the outbox says why.",
                unbuilt,
            ),
            "error",
        )
    if not sent:
        flash(_("Nobody in that group: no message was sent."), "error")

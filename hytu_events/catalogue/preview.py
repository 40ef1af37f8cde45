"""The back office's preview of an event's public page, drafts included (the public URL 404s
drafts)."""

from __future__ import annotations

from flask import Blueprint

from ..accounts.access import role_required
from ..accounts.models import Role
from ..events.queries import event_or_404
from .views import render_event_page

bp = Blueprint("catalogue_admin", __name__, url_prefix="/admin")


@bp.get("/events/<id:event_id>/preview")
@role_required(Role.VIEWER)
def preview(event_id: int):
    """The public page as it will look."""
    return render_event_page(event_or_404(event_id), preview=True)

"""The back office at /admin/: coordinators run events, participants and exports here.

Every view carries `accounts.access.role_required`: VIEWER for pages that only show, COORDINATOR
for anything that changes data (tests/test_authorisation.py walks the URL map to check).
"""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import export_views, home, participant_views  # noqa: E402, F401

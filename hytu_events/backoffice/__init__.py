"""The back office's home page at /admin/, and the navigation every back-office page shares
(templates/admin/base.html). Each feature keeps its own back-office pages, under /admin too:
events in events.admin, participants and downloads in registrations.admin and
registrations.export_views, the plan, the outbox and users in theirs.

Every view carries `accounts.access.role_required`: VIEWER for pages that only show, COORDINATOR
for anything that changes data (tests/test_authorisation.py walks the URL map to check).
"""

from flask import Blueprint

#: The home page's (home.py). The package imports none of its modules, so that home.py may
#: import this without a cycle: create_app imports home to register the page.
bp = Blueprint("admin", __name__, url_prefix="/admin")

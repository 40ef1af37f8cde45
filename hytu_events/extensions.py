"""Flask extensions, created once here and bound to the app in `create_app`."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_talisman import Talisman
from flask_wtf import CSRFProtect

from .db.base import db  # noqa: F401 - created with the models' base, see there

migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
babel = Babel()
talisman = Talisman()
#: The site's Content-Security-Policy (Talisman, bound in create_app). Nothing may frame a page,
#: except the embeddable list (catalogue.embed), which names HYTU_EMBED_ORIGINS instead.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
}
#: Per-IP limits on public forms; behind a proxy set HYTU_PROXY_FIX so the IP is the client's.
limiter = Limiter(key_func=get_remote_address)
#: Back-office sessions; configured in accounts.auth.init_app (login view, user loader).
login_manager = LoginManager()
#: Compresses text responses for clients that accept it (Vary: Accept-Encoding on all).
compress = Compress()

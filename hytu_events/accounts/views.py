"""Logging in and out, and changing one's own password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from ..db.types import utcnow
from ..email_addresses import normalise_email
from ..extensions import db
from . import throttle
from .access import role_required
from .forms import LoginForm, PasswordChangeForm
from .models import Role, User, burn_password_check
from .next_url import safe_next_url
from .operations import UserError, change_password, find_user

bp = Blueprint("accounts", __name__)


def _home() -> str:
    return url_for("admin.home")


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None.

    Unknown emails cost one password check too, so timing does not tell them apart.
    """
    user = find_user(email)
    if user is None:
        burn_password_check(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next_url(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or _home())
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email, ip = normalise_email(form.email.data), get_remote_address()
        if throttle.is_throttled(email, ip):
            form.form_errors.append(
                _("Too many failed attempts. Wait a few minutes and try again.")
            )
            status = 429
        elif (user := authenticate(email, form.password.data)) is not None:
            login_user(user)
            user.last_login_at = utcnow()
            db.session.commit()  # also keeps a hash upgraded by check_password
            return redirect(next_url or _home(), code=303)
        else:
            throttle.record_failure(email, ip)
            # One message whatever went wrong, so it does not reveal which emails have accounts.
            form.form_errors.append(
                _("The email address or password is wrong, or the account is not in use.")
            )
    return render_template("accounts/login.html", form=form, next_url=next_url), status


@bp.route("/logout", methods=["POST"])
@role_required(Role.VIEWER)
def logout():
    # Ending the session on the server too: a copy of the cookie (or this user's session in
    # another browser) must not open the back office after "Log out".
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    flash(_("You have logged out."), "success")
    return redirect(url_for("accounts.login"), code=303)


@bp.route("/account/password", methods=["GET", "POST"])
@role_required(Role.VIEWER)
def password():
    form = PasswordChangeForm()
    form.email = current_user.email
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            try:
                change_password(user, form.new_password.data)
            except UserError as error:
                form.new_password.errors.append(error.message)
            else:
                db.session.commit()
                login_user(user)  # with the new session id: this session stays, others end
                flash(_("Your password has been changed."), "success")
                return redirect(url_for("accounts.password"), code=303)
    status = 422 if form.errors else 200
    return render_template("accounts/password.html", form=form), status


@bp.route("/account/calendar", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def calendar():
    """The secret feed of the events this coordinator runs, and changing its address."""
    from ..feed_tokens.tokens import coordinator_feed_url, revoke_coordinator_feeds
    from ..forms import Form

    form = Form()
    if form.validate_on_submit():
        revoke_coordinator_feeds(current_user.id)
        flash(_("Your calendar address was changed; the old one no longer works."), "success")
        return redirect(url_for(".calendar"), code=303)
    return render_template(
        "accounts/calendar.html", form=form, feed_url=coordinator_feed_url(current_user.id)
    )

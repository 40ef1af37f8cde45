"""User management for administrators, under /admin/users/."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from .. import audit
from ..extensions import db
from .access import role_required
from .models import Role, User
from .operations import UserError, change_password, create_user, set_active, update_user
from .passwords import generate_password
from .user_forms import UserCreateForm, UserDetailsForm

bp = Blueprint("users", __name__, url_prefix="/admin/users")


def _show_error(form, error: UserError) -> None:
    field = getattr(form, error.field, None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _password_shown_once(user: User, password: str):
    """The generated password, in this response only: never in a cookie, log or cache."""
    response = render_template("users/password_once.html", user=user, password=password)
    return response, 200, {"Cache-Control": "no-store"}


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    users = db.session.scalars(
        sa.select(User).order_by(User.active.desc(), sa.func.lower(User.name), User.id)
    ).all()
    return render_template("users/index.html", users=users)


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new():
    form = UserCreateForm(role=Role.COORDINATOR.value)
    if form.validate_on_submit():
        password = form.password.data or generate_password()
        try:
            user = create_user(
                email=form.email.data,
                name=form.name.data,
                role=Role(form.role.data),
                organisation_id=form.organisation.data,
                password=password,
            )
        except UserError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            db.session.commit()
            if not form.password.data:
                return _password_shown_once(user, password)
            flash(_("User %(name)s created.", name=user.name), "success")
            return redirect(url_for("users.index"), code=303)
    status = 422 if form.errors else 200
    return render_template("users/new.html", form=form), status


@bp.route("/<id:user_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserDetailsForm(
        data={"name": user.name, "role": user.role.value, "organisation": user.organisation_id}
    )
    if form.validate_on_submit():
        try:
            update_user(
                user,
                name=form.name.data,
                role=Role(form.role.data),
                organisation_id=form.organisation.data,
            )
        except UserError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            db.session.commit()
            if user.id == current_user.id:
                # A new role ended every session of the user, this one too: keep this one.
                login_user(user)
            flash(_("Changes to %(name)s saved.", name=user.name), "success")
            if not current_user.has_role(Role.ADMIN):  # an admin who just stepped down
                return redirect(url_for("accounts.password"), code=303)
            return redirect(url_for("users.index"), code=303)
    status = 422 if form.errors else 200
    history = audit.entries_for_target("user", user.id, limit=50)
    return render_template("users/edit.html", form=form, user=user, history=history), status


def _set_active(user_id: int, active: bool):
    user = db.get_or_404(User, user_id)
    try:
        set_active(user, active)
    except UserError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("users.edit", user_id=user.id), code=303)
    db.session.commit()
    if active:
        flash(_("%(name)s can log in again.", name=user.name), "success")
    else:
        flash(_("%(name)s can no longer log in.", name=user.name), "success")
    return redirect(url_for("users.index"), code=303)


@bp.post("/<id:user_id>/deactivate")
@role_required(Role.ADMIN)
def deactivate(user_id: int):
    return _set_active(user_id, False)


@bp.post("/<id:user_id>/reactivate")
@role_required(Role.ADMIN)
def reactivate(user_id: int):
    return _set_active(user_id, True)


@bp.post("/<id:user_id>/reset-password")
@role_required(Role.ADMIN)
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash(_("Change your own password on the Change password page."), "error")
        return redirect(url_for("users.edit", user_id=user.id), code=303)
    password = generate_password()
    change_password(user, password, by_admin=True)
    db.session.commit()
    return _password_shown_once(user, password)

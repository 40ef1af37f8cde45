"""Users for tests, and logging them in through the real login form."""

from __future__ import annotations

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import AuditEntry, Role, User
from tests.helpers import csrf_token

PASSWORD = "kahvia ja pullaa 2026"


def make_user(role: Role = Role.COORDINATOR, email: str | None = None, **overrides) -> User:
    """A user saved directly in the database (password: PASSWORD unless given)."""
    password = overrides.pop("password", PASSWORD)
    user = User(
        email=email or f"{role.value}@example.fi",
        name=overrides.pop("name", f"Test {role.value.title()}"),
        role=role,
        **overrides,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def login(client, email: str, password: str = PASSWORD, next_url: str | None = None, **kwargs):
    """POST the login form (English, CSRF token from the page); returns the response."""
    url = "/login?lang=en" + (f"&next={next_url}" if next_url else "")
    page = client.get(url, **kwargs)
    assert page.status_code == 200, page.status_code
    return client.post(
        url,
        data={"csrf_token": csrf_token(page.text), "email": email, "password": password},
        **kwargs,
    )


def log_in(client, user: User, password: str = PASSWORD) -> None:
    """Log `user` in on `client`, failing the test if it does not work."""
    response = login(client, user.email, password)
    assert response.status_code == 303, (response.status_code, response.text[:500])


def audit_entries(action: str | None = None) -> list[AuditEntry]:
    db.session.expire_all()
    query = sa.select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def reload_user(user_or_email) -> User | None:
    db.session.expire_all()
    email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    return db.session.scalars(sa.select(User).where(User.email == email.lower())).first()

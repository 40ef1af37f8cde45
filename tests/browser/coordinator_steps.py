"""Steps that browser tests of the back office share."""

from __future__ import annotations

from tests.accounts.helpers import PASSWORD


def log_in(page, email: str) -> None:
    """Log in from the login page, in English, and land in the back office."""
    page.goto("/login?lang=en")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/**")

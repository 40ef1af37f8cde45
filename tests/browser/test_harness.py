"""The harness itself: the app is served, Chromium reaches it, axe runs under the app's CSP."""

from __future__ import annotations

import pytest

from tests.browser.axe import violations

pytestmark = pytest.mark.browser


def test_axe_runs_under_the_content_security_policy(page, live_server):
    response = page.goto("/")
    assert response.status == 200
    assert "script-src" in (response.headers.get("content-security-policy") or "")
    # axe reports on something it checked: a page with an image lacking alt text fails.
    page.set_content('<html lang="fi"><title>t</title><main><img src="x.png"></main></html>')
    assert "image-alt" in {v["id"] for v in violations(page)}

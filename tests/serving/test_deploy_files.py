"""deploy/ stays in step with the app: every production setting in the environment example,
the nginx site passing what the app reads from a proxy."""

import re

from hytu_events.config import PROJECT_ROOT, SETTINGS

DEPLOY = PROJECT_ROOT / "deploy"
#: Read by Flask or the tests, never in production.
NOT_FOR_PRODUCTION = {"FLASK_DEBUG", "TEST_DATABASE_URL", "CI"}


def test_the_environment_example_names_every_production_setting():
    text = (DEPLOY / "env.example").read_text()
    named = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, re.M))
    declared = {s.variable for s in SETTINGS if s.variable} - NOT_FOR_PRODUCTION
    assert sorted(declared - named) == []
    assert sorted(named - declared) == []


def test_the_nginx_site_sends_what_the_app_expects_from_a_proxy():
    site = (DEPLOY / "nginx-hytu-events.conf").read_text()
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Request-ID"):
        assert f"proxy_set_header {header} " in site
    largest = next(s.default for s in SETTINGS if s.key == "MAX_CONTENT_LENGTH")
    assert f"client_max_body_size {largest // 2**20}m;" in site
    assert re.search(r"location = /metrics \{\s*return 404;", site)

"""Every HTML page of the app is valid HTML by the Nu HTML Checker (vnu), in Finnish and Swedish.

The pages are those of the accessibility walk (tests/browser/test_accessibility.py): every GET
rule of the URL map with the demo data, the public ones anonymous and logged in, the back office
as an administrator, and the pages that only show after a form (errors, confirmations, refusals).
Each is rendered by the test client into a file and vnu checks them all in one run (one JVM
start). vnu.jar comes from npm (`vnu-jar`, pinned in package-lock.json) and runs on the machine's
Java; without either the test skips locally and fails in CI.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from hytu_events.accounts.models import User
from hytu_events.extensions import db
from tests.accounts.helpers import log_in
from tests.browser.test_accessibility import AFTER_A_FORM
from tests.conftest import IsolatedClient, unavailable
from tests.demo_pages import Demo, make_demo, page_urls
from tests.helpers import municipality
from tests.url_walker import html_forms

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGUAGES = ("fi", "sv")


@pytest.fixture
def app_config() -> dict:
    # The same forms are sent in each language; the limits have tests of their own.
    return {"RATELIMIT_ENABLED": False}


#: What a page reached through a form shows, by what the form should have led to.
ERRORS, DONE = 'id="error-summary"', 'class="panel panel--success"'


@dataclass
class Rendering:
    """Pages as one visitor sees them in one language, written to `folder`."""

    client: FlaskClient
    demo: Demo
    language: str
    who: str
    folder: Path
    #: File name -> what the page is (its URL and how it was reached).
    pages: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.client.get(f"/privacy?lang={self.language}")  # remembered in the session

    def keep(self, label: str, response, status: int | None = 200, shows: str = "") -> None:
        """Write the page to a file if it is HTML; a status or content other than expected is
        a problem (the walk would check the wrong page)."""
        if status is not None and response.status_code != status:
            self.problems.append(f"{label}: HTTP {response.status_code}, expected {status}")
        elif shows and shows not in response.text:
            self.problems.append(f"{label}: HTTP {response.status_code} without {shows}")
        elif response.mimetype == "text/html":  # not feeds, downloads
            name = f"{self.language}-{self.who}-{len(self.pages):03d}.html"
            (self.folder / name).write_bytes(response.get_data())
            self.pages[name] = f"{label} ({self.language}, {self.who})"

    def visit(self, url: str, status: int = 200) -> None:
        self.keep(f"GET {url}", self.client.get(url), status)

    def send(self, url: str, label: str, changes: dict | None = None, *, shows=ERRORS, files=None):
        """The page's form (the one sent back to `url`) as rendered, with `changes` (name ->
        value, or a list of values) and `files` (name -> (file name, bytes)); a redirect is
        followed. The page it leads to must show `shows`."""
        page = self.client.get(url)
        [form] = [f for f in html_forms(page.text, url) if f.path == urlsplit(url).path]
        changes = changes or {}
        data = MultiDict([(k, v) for k, v in form.submission() if k not in changes])
        for name, value in changes.items():
            data.setlist(name, value if isinstance(value, list) else [value])
        for name, (filename, content) in (files or {}).items():
            data.add(name, (io.BytesIO(content), filename, "text/csv"))
        response = self.client.post(form.action, data=data)
        if response.status_code in (302, 303):
            response = self.client.get(response.location)
        self.keep(label, response, status=None, shows=shows)


def _public_states(pages: Rendering) -> None:
    rows, demo, someone = pages.demo.rows, pages.demo, f"{pages.language}.{pages.who}"
    register = f"/events/{rows['event_id']}/register"
    pages.send(register, "registration form with errors")
    person = {
        "name": "Eero Ylitalo",
        "email": f"eero.ylitalo.{someone}@example.fi",
        "organisation_other": "Pellon kunta",
        "needs": "Pyörätuoli",
        "consent": "y",
    }
    pages.send(register, "registration confirmed", person, shows=DONE)
    series = f"/series/{rows['series_id']}"
    pages.send(series, "series registration with errors")
    [form] = html_forms(pages.client.get(series).text, series)
    dates = [f.value for f in form.fields if f.name == "dates"]
    chosen = {"which": "chosen", "dates": dates[::2], "email": f"hanna.{someone}@example.fi"}
    pages.send(series, "series registration confirmed", {**person, **chosen}, shows=DONE)
    pages.visit(demo.series_place_path)
    pages.send(demo.self_service_path, "own registration with errors", {"name": ""})
    pages.send("/r/", "link request with errors")
    pages.send("/r/", "link sent", {"email": "aino.aikio@example.fi"}, shows="")
    # Without a score (the form's own rendering would pick the first of each required group).
    pages.send(
        f"/feedback/{demo.secrets['feedback']}", "feedback form with errors", {"usefulness": []}
    )
    pages.visit("/?when=past")
    pages.visit(f"/events/{rows['past_event_id']}")
    pages.visit(f"/events/{rows['cancelled_event_id']}")
    pages.visit(f"/events/{rows['cancelled_event_id']}/register")  # closed
    pages.visit("/no-such-page", status=404)


def _anonymous_states(pages: Rendering) -> None:
    pages.send("/login", "login form with errors")


def _back_office_states(pages: Rendering) -> None:
    rows = pages.demo.rows
    pages.send("/admin/events/new", "new event with errors")
    repeating = {
        "title": "Virtuaalikahvit",
        "starts_at": "2027-03-11T09:00",
        "ends_at": "2027-03-11T09:30",
        "online_url": "https://teams.example.fi/kahvit",
        "repeats": "weekly",
        "weekdays": "MO",  # not the Thursday of the first date, and no end
    }
    pages.send("/admin/events/new", "new series with errors", repeating)
    date = f"/admin/series/{rows['series_id']}/dates/{rows['series_date_id']}/edit"
    pages.send(date, "a date of a series with errors", {"scope": "all", "title": ""})
    pages.send(f"/admin/series/{rows['series_id']}/end", "end of a series", {"number_of_dates": ""})
    pages.send(f"/admin/plan/measures/{rows['measure_id']}", "measure with errors", {"title": ""})
    rejected = b"indicator;municipality;year;value\nno-such;inari;2024;1\n"
    files = {"file": ("luvut.csv", rejected)}
    pages.send("/admin/plan/import", "import with rejected rows", files=files)
    pages.visit(f"/admin/plan/measures/{rows['measure_id']}/delete", status=409)  # in use
    pages.visit(f"/admin/series/{rows['held_series_id']}")
    pages.visit(f"/admin/events/{rows['draft_event_id']}")
    pages.visit(f"/admin/events/{rows['past_event_id']}")
    pages.visit("/admin/events?show=past")
    pages.visit("/admin/events?show=drafts")
    pages.visit("/admin/follow-ups?show=all")
    pages.visit(f"/admin/plan/municipalities?municipality={municipality('pello').id}")
    pages.visit("/admin/report?sub_region=kemi-tornio")


#: Pages that send a logged-in visitor elsewhere.
ANONYMOUS_ONLY = {"accounts.login"}


def _walk(pages: Rendering, urls: list[tuple[str, str]], *states: Callable) -> Rendering:
    for endpoint, url in urls:
        if endpoint in AFTER_A_FORM:  # they redirect until a form was sent: see the states
            continue
        if pages.who == "anonymous" or endpoint not in ANONYMOUS_ONLY:
            pages.visit(url)
    for state in states:
        state(pages)
    return pages


def java_and_vnu() -> list[str]:
    """The command that runs vnu, or a skip (locally) or failure (in CI) saying what is missing."""
    java = shutil.which("java")
    if java is None:
        unavailable("Java is not installed (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        unavailable("node_modules/vnu-jar is missing: run `npm ci` (make test does)")
    return [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout"]


#: A page with a known error, checked in the same run: proof that vnu read the files.
CONTROL = "<!doctype html><html lang=fi><title>x</title><p id=a>1</p><p id=a>2</p></html>"


def vnu_errors(command: list[str], files: list[Path]) -> list[dict]:
    """vnu's errors (not warnings or notes) in `files`, all checked in one run of the JVM."""
    done = subprocess.run(  # noqa: S603 - our command, our files, no shell
        [*command, *map(str, files)], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.stdout, f"vnu gave no report (exit status {done.returncode}):\n{done.stderr}"
    messages = json.loads(done.stdout)["messages"]
    return [m for m in messages if m["type"] in ("error", "non-document-error")]


def _renderings(app: Flask, demo: Demo, folder: Path) -> Iterator[Rendering]:
    app.test_client_class = IsolatedClient  # each request in a context, and language, of its own
    admin = db.session.scalars(sa.select(User).where(User.email == demo.admin_email)).one()
    public, back_office = page_urls(app, demo, False), page_urls(app, demo, True)
    for language in LANGUAGES:
        anonymous = Rendering(app.test_client(), demo, language, "anonymous", folder)
        yield _walk(anonymous, public, _public_states, _anonymous_states)
        client = app.test_client()
        log_in(client, admin)
        staff = Rendering(client, demo, language, "admin", folder)
        yield _walk(staff, public + back_office, _public_states, _back_office_states)


def _file_name(message: dict) -> str:
    return Path(urlsplit(message.get("url", "")).path).name


def test_every_page_is_valid_html(app, tmp_path, capsys):
    command = java_and_vnu()
    demo = make_demo(app)
    renderings = list(_renderings(app, demo, tmp_path))
    problems = [problem for r in renderings for problem in r.problems]
    assert not problems, "\n".join(problems)
    pages = {name: label for r in renderings for name, label in r.pages.items()}
    control = tmp_path / "control.html"
    control.write_text(CONTROL, encoding="utf-8")
    errors = vnu_errors(command, [control, *sorted(tmp_path / name for name in pages)])
    assert any(_file_name(e) == control.name for e in errors), "vnu missed the control's error"
    report = [
        f"{pages.get(_file_name(e), e.get('url'))}, line {e.get('lastLine')}: {e['message']}"
        f"\n    {e.get('extract', '').strip()}"
        for e in errors
        if _file_name(e) != control.name
    ]
    assert not report, f"{len(report)} vnu errors in {len(pages)} pages:\n" + "\n".join(report)
    with capsys.disabled():
        print(f"\nvnu: {len(pages)} pages in {', '.join(LANGUAGES)}, no errors")

"""Walking the app's URL map with real rows, for tests that check every endpoint.

- `make_url_objects()` saves the rows URLs point at (an upcoming and a past event, a
  registration and its self-service token, a series with a place at its dates, a personal feed
  token, a user, the plan ...) and
  returns the values of each `<converter>` name; `url_values(rule, objects)` fills one rule's
  converters from them, `url_variants` every combination (both events, say);
- `Visitor` is a browser whose session cookie is replayed for every request, anonymous or
  logged in;
- `recording_query_reads(app)` tells which `request.args` names a request read;
- `html_forms(page)` reads the `<form>` elements of a page, with what a browser would send, and
  `learn_submission` finds values that pass a form's validation, as a person would;
- `table_fingerprints()` changes when any row of a table does, to tell whether a request saved
  anything.

A rule whose converter has no value here fails with a message saying where to add one.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask, url_for
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import AnyConverter, Rule

from hytu_events.extensions import db
from hytu_events.feed_tokens.tokens import participant_feed_token
from hytu_events.feedback.links import feedback_token
from hytu_events.feedback.models import FeedbackRequest
from hytu_events.models import EventStatus, OutboxMessage, Role
from hytu_events.outcomes.models import FollowUp, Outcome
from hytu_events.plan.models import FocusArea, IndicatorValue, Measure
from hytu_events.plan.seed import seed_plan
from hytu_events.registrations.tokens import self_service_token
from tests.accounts.helpers import log_in, make_user
from tests.helpers import csrf_token, make_event
from tests.registrations.people import register_person
from tests.series.registering import coming_series, take_series


def app_rules(app: Flask) -> list[Rule]:
    """Every rule but static files, in a stable order."""
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"),
        key=lambda rule: (rule.rule, rule.endpoint),
    )


def methods_of(rule: Rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def required_role(app: Flask, endpoint: str) -> Role | None:
    """What `accounts.access.role_required` recorded on the view, or None for public ones."""
    return getattr(app.view_functions[endpoint], "required_role", None)


def make_url_objects() -> dict:
    """Save the rows URLs point at; returns {converter name: value or [values]}.

    A list gives the variants `url_variants` walks (the first is what `url_values` takes): an
    event still to come, with a registration, and a published event that is over, whose
    outcome form is open. `"endpoint:name"` keys give one endpoint a value of its own.
    """
    seed_plan()
    event = make_event()
    past_start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=10)
    past = make_event(title="Mennyt työpaja", starts_at=past_start, status=EventStatus.PUBLISHED)
    registration = register_person(event, "Kaisa Keskitalo", "kaisa@example.fi")
    # Someone at the event that is over, asked for feedback (the form at /feedback/<token>).
    came = register_person(
        past, "Pekka Palaute", "pekka@example.fi", at=past_start - timedelta(days=1)
    )
    db.session.add(FeedbackRequest(registration_id=came.id, event_id=past.id))
    target = make_user(Role.VIEWER, email="managed@example.fi", name="Managed User")
    series = coming_series(make_user(Role.COORDINATOR, email="sarjat@example.fi"), count=2)
    series_place = take_series(series, 1).created[0]
    message = db.session.scalars(sa.select(OutboxMessage)).first()  # the confirmation email
    value = db.session.scalars(sa.select(IndicatorValue)).first()
    outcome = Outcome(event_id=past.id)
    db.session.add(outcome)
    db.session.flush()
    follow_up = FollowUp(outcome_id=outcome.id, what="Kysely kunnille")
    db.session.add(follow_up)
    db.session.commit()

    def first(model):
        return db.session.scalars(sa.select(model).order_by(model.id)).first().id

    return {
        "focus_area_id": first(FocusArea),
        "measure_id": first(Measure),
        "indicator_id": value.indicator_id,
        "value_id": value.id,
        "follow_up_id": follow_up.id,
        "event_id": [event.id, past.id],
        "registration_id": registration.id,
        "user_id": target.id,
        "message_id": message.id,
        "series_id": series.id,
        # A date of that series.
        "series_admin.edit_date:event_id": series.dates[0].id,
        "token": self_service_token(registration),
        "series.leave:token": self_service_token(series_place),
        "calendar.personal_feed_ics:token": participant_feed_token(registration.email),
        "feedback.answer:token": feedback_token(came),
    }


def _choices(rule: Rule, name: str, converter, objects: dict) -> list:
    for key in (f"{rule.endpoint}:{name}", name):
        if key in objects:
            value = objects[key]
            return list(value) if isinstance(value, list | tuple) else [value]
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)
    pytest.fail(
        f"{rule.endpoint} ({rule.rule}): no test value for <{name}> "
        f"({type(converter).__name__}). Add one to make_url_objects() in tests/url_walker.py.",
        pytrace=False,
    )


def url_variants(rule: Rule, objects: dict) -> list[dict]:
    """Every combination of the values `objects` has for the rule's converters."""
    names = list(rule._converters)
    lists = [_choices(rule, name, rule._converters[name], objects) for name in names]
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*lists)]


def url_values(rule: Rule, objects: dict) -> dict:
    return url_variants(rule, objects)[0]


def build_url(app: Flask, rule: Rule, values: dict) -> str:
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


class Visitor:
    """A logged-in (or anonymous) browser whose session is replayed for every request.

    Replaying the saved cookie means a request that logs out or changes the session (such as
    POST /logout) cannot affect the next check.
    """

    def __init__(self, app, user=None):
        self.app = app
        self.user = user
        client = app.test_client()
        if user is not None:
            log_in(client, user)
            page = client.get("/account/password?lang=en")
        else:
            page = client.get("/login?lang=en")
        assert page.status_code == 200
        self.token = csrf_token(page.text)
        self.cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value

    @property
    def role(self) -> Role | None:
        return None if self.user is None else self.user.role

    @property
    def name(self) -> str:
        return "anonymous" if self.user is None else self.user.role.value

    def open(self, url: str, method: str = "GET", **kwargs):
        """One request with this visitor's session; keyword arguments as for the test client."""
        client = self.app.test_client()
        client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], self.cookie)
        return client.open(url, method=method, **kwargs)

    def request(self, method: str, url: str):
        """The request with nothing in it but, for a POST, a valid CSRF token."""
        data = None if method == "GET" else {"csrf_token": self.token}
        return self.open(url, method, data=data)


class _RecordingArgs(ImmutableMultiDict):
    """`request.args` that notes the names a view asks for."""

    reads: set[str] | None = None

    def _note(self, key):
        if _RecordingArgs.reads is not None and isinstance(key, str):
            _RecordingArgs.reads.add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def getlist(self, key, type=None):  # noqa: A002 - werkzeug's signature
        self._note(key)
        return super().getlist(key, type=type)


@contextlib.contextmanager
def recording_query_reads(app: Flask) -> Iterator[set[str]]:
    """Inside the block, the names of query arguments requests read collect in the set.

    Only `request.args` records: the form is parsed with the storage class werkzeug gives it.
    """
    original = app.request_class

    class RecordingRequest(original):
        @property
        def args(self):
            storage = self.__dict__.get("_recording_args")
            if storage is None:
                storage = _RecordingArgs(super().args)
                self.__dict__["_recording_args"] = storage
            return storage

    reads: set[str] = set()
    app.request_class = RecordingRequest
    _RecordingArgs.reads = reads
    try:
        yield reads
    finally:
        _RecordingArgs.reads = None
        app.request_class = original


@dataclass
class FormField:
    name: str
    kind: str  # an input's type, or "select", "select-multiple", "textarea", "button"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    #: The attributes that say what the field needs: required, min, max, maxlength.
    needs: dict[str, str] = field(default_factory=dict)

    def candidates(self) -> list[str]:
        """Values a person could type here, the likeliest first; "{n}" stands for a number
        that makes each submission differ (unique codes and email addresses)."""
        if self.kind in ("select", "select-multiple", "radio"):
            return [option for option in self.options if option]
        bounded = [self.needs[k] for k in ("min", "max") if self.needs.get(k)]
        by_kind = CANDIDATES.get(self.needs.get("inputmode", ""), CANDIDATES.get(self.kind))
        values = bounded + (by_kind or CANDIDATES["text"])
        limit = int(self.needs.get("maxlength") or 10_000)
        return [value for value in values if len(value) <= limit]


#: Candidate values by input type or inputmode ("fz-{n}" also passes the plan's code patterns).
CANDIDATES = {
    "text": ["fz-{n}", "12,5", "2025", "fuzz{n}@example.fi", "https://example.fi/{n}"],
    "textarea": ["fz-{n}", "12,5"],
    "email": ["fuzz{n}@example.fi"],
    "date": ["2027-03-15", "2027-03-16"],
    "datetime-local": ["2027-03-15T10:00", "2027-03-15T12:00", "2027-03-16T10:00"],
    "time": ["10:00", "12:00"],
    "number": ["3", "2025", "1"],
    "numeric": ["3", "2025", "1"],
    "decimal": ["12,5", "3"],
    "url": ["https://example.fi/{n}"],
    "password": ["kolme pitkää sanaa {n}"],
    "tel": ["0401234567"],
}


@dataclass
class HtmlForm:
    """One <form> of a page: where it goes and its fields as rendered."""

    action: str
    method: str
    enctype: str
    fields: list[FormField] = field(default_factory=list)

    @property
    def path(self) -> str:
        return urlsplit(self.action).path

    def names(self) -> list[str]:
        return list(dict.fromkeys(f.name for f in self.fields))

    def field(self, name: str) -> FormField:
        return next(f for f in self.fields if f.name == name)

    def submission(
        self, *, fill_required: bool = False, chosen: dict | None = None, n: int = 1
    ) -> list[tuple[str, str]]:
        """What a browser sends when the form is submitted as rendered (first button).

        `fill_required` also fills what the page marks `required` and leaves empty, ticks
        required boxes and picks the first real option of required lists; `chosen` overrides
        values by name ("{n}" in them becomes `n`).
        """
        chosen = chosen or {}
        pairs: list[tuple[str, str]] = []
        done: set[str] = set()
        button_done = False
        for f in self.fields:
            if f.name in chosen:
                if f.name not in done:
                    pairs.append((f.name, chosen[f.name].replace("{n}", str(n))))
                    done.add(f.name)
                continue
            needed = fill_required and "required" in f.needs
            if f.kind == "checkbox" and (f.checked or needed):
                pairs.append((f.name, f.value or "y"))
            elif f.kind == "radio":
                if f.name in done:
                    continue
                picked = [r for r in self.fields if r.name == f.name and r.checked]
                pairs.append((f.name, (picked[0] if picked else f).value))
                done.add(f.name)
            elif f.kind == "select":
                value = (f.selected or f.options or [""])[0]
                if needed and not value:
                    value = next(iter(f.candidates()), "")
                pairs.append((f.name, value))
            elif f.kind == "select-multiple":
                pairs.extend((f.name, value) for value in f.selected)
            elif f.kind in ("submit", "button"):
                if not button_done:
                    pairs.append((f.name, f.value))
                    button_done = True
            elif f.kind in ("file", "reset", "image", "checkbox"):
                continue
            elif needed and not f.value:
                pairs.append((f.name, next(iter(f.candidates()), "x").replace("{n}", str(n))))
            else:
                pairs.append((f.name, f.value))
        return pairs


_FIELD_ERROR = re.compile(r'<p class="field-error" id="([^"]+)-error"')
_serial = itertools.count(1)


def learn_submission(visitor: Visitor, form: HtmlForm, rounds: int = 5) -> dict[str, str]:
    """Values that make `form` pass validation, found as a person would: submit, read which
    fields the page marks wrong, try the next likely value there. Returns the values chosen
    (for `HtmlForm.submission(chosen=...)`); the form is submitted up to `rounds` times."""
    chosen: dict[str, str] = {}
    names = set(form.names())
    for _ in range(rounds):
        pairs = form.submission(fill_required=True, chosen=chosen, n=next(_serial))
        response = visitor.open(form.action, "POST", data=MultiDict(pairs))
        wrong = _FIELD_ERROR.findall(response.get_data(as_text=True))
        moved = False
        for name in dict.fromkeys(wrong):
            if name not in names:
                continue
            field = form.field(name)
            options, current = field.candidates(), chosen.get(name)
            if current is not None:
                rest = options[options.index(current) + 1 :] if current in options else []
            elif "required" in field.needs and not (field.value or field.selected):
                rest = options[1:]  # the first was sent already
            else:
                rest = options
            if rest:
                chosen[name] = rest[0]
                moved = True
        if not moved:
            break
    return chosen


_NEEDS = ("required", "min", "max", "maxlength", "inputmode")


def _needs(attributes: dict) -> dict[str, str]:
    return {k: v for k, v in attributes.items() if k in _NEEDS}


class _FormParser(HTMLParser):
    def __init__(self, base_url: str):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: FormField | None = None
        #: The open <option>: its value attribute (None: its text is the value), selected, text.
        self._option: tuple[str | None, bool, list[str]] | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = HtmlForm(
                action=urljoin(self.base_url, a.get("action") or self.base_url),
                method=(a.get("method") or "get").upper(),
                enctype=a.get("enctype") or "application/x-www-form-urlencoded",
            )
            self.forms.append(self._form)
        elif self._form is None or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            self._form.fields.append(
                FormField(
                    a["name"], kind, a.get("value", ""), checked="checked" in a, needs=_needs(a)
                )
            )
        elif tag == "button" and a.get("name") and (a.get("type") or "submit") == "submit":
            self._form.fields.append(FormField(a["name"], "button", a.get("value", "")))
        elif tag == "select" and a.get("name"):
            kind = "select-multiple" if "multiple" in a else "select"
            self._select = FormField(a["name"], kind, needs=_needs(a))
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._end_option()
            self._option = (a.get("value"), "selected" in a, [])
        elif tag == "textarea" and a.get("name"):
            self._textarea = FormField(a["name"], "textarea", needs=_needs(a))
            self._form.fields.append(self._textarea)

    def _end_option(self):
        if self._option is None or self._select is None:
            return
        value, selected, text = self._option
        value = value if value is not None else "".join(text).strip()
        self._select.options.append(value)
        if selected:
            self._select.selected.append(value)
        self._option = None

    def handle_endtag(self, tag):
        if tag == "option":
            self._end_option()
        elif tag == "select":
            self._end_option()
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # As browsers do: a line break right after <textarea> is not part of the value.
            value = self._textarea.value
            value = value[2:] if value.startswith("\r\n") else value.removeprefix("\n")
            self._textarea.value = value
            self._textarea = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._option is not None:
            self._option[2].append(data)


def html_forms(html: str, page_url: str) -> list[HtmlForm]:
    """The forms of a page, their actions made absolute against `page_url` (a path)."""
    parser = _FormParser("http://localhost" + page_url)
    parser.feed(html)
    parser.close()
    for form in parser.forms:
        parts = urlsplit(form.action)
        form.action = parts.path + (f"?{parts.query}" if parts.query else "")
    return parser.forms


def table_fingerprints() -> dict[str, object]:
    """Per table, something that changes whenever any of its rows does (read on a connection
    of its own): on PostgreSQL a hash of the rows computed there, in one query; on SQLite,
    which is in the same process, the rows themselves."""
    tables = [table.name for table in db.metadata.sorted_tables]
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            quote = connection.dialect.identifier_preparer.quote
            # Table names from the models, quoted: no outside text in this statement.
            hashes = ", ".join(
                f"(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
                f"FROM {quote(name)} t)"
                for name in tables
            )
            row = connection.execute(sa.text(f"SELECT {hashes}")).one()
            return dict(zip(tables, row, strict=True))
        tables_by_name = db.metadata.tables
        return {
            name: sorted(map(tuple, connection.execute(sa.select(tables_by_name[name]))), key=repr)
            for name in tables
        }


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


def path_of(rule: Rule, values: dict) -> str:
    """The rule's path with `values` put in as they are, unconverted and unquoted (so a test
    can put there what `url_for` would refuse to build)."""
    return re.sub(r"<(?:[^<>:]+:)?([^<>:]+)>", lambda m: str(values[m.group(1)]), rule.rule)

"""Hostile input anywhere gets a clear answer (a form error, a 400 with the reason or a 404),
never a 500, and a refused request saves nothing.

`test_no_hostile_input_breaks_the_app` walks the URL map (tests/url_walker.py) with real rows,
as an anonymous visitor, a coordinator and (for user management) an administrator, and sends
hypothesis-drawn hostile values: control characters, huge and negative integers, digits that
are not ASCII, very long strings, wrong types, repeated parameters, invalid UTF-8 (percent-
encoded and raw) and hostile files. It finds what to send without being told:
- query parameters: the names each page reads from `request.args` on a plain GET (recorded),
  the fields of its GET forms, and the common names in `COMMON_PARAMETERS`;
- path values: every `<id:...>` and `<token>` of every rule, replaced by out-of-range, malformed
  and encoded values, which must be a 404;
- forms: every <form method="post"> rendered on any page, submitted as a browser would (its
  CSRF token included, so the request reaches validation) with hostile values in some fields;
  POST endpoints no page renders a form for get the CSRF token and the common names.
After every answer that refuses (4xx, or a page showing form errors) every row of every table
must be as before. Endpoints that end the state the walk needs (deleting, erasing, cancelling,
logging out, changing passwords) are walked last instead of being left out.

Every page the walk opens must also not render Python's None into an attribute
(`required="None"` made optional fields required).

Problems are collected per target and reported together. The default `ci` profile is small,
seeded per target (the same examples every run) and does not shrink: the first failing
example is reported, and the walk stays within about half a minute per database.
`HYTU_FUZZ_SEED=N` draws other examples, as repeatable; `HYTU_FUZZ_PROFILE=thorough` draws ten
times as many random ones and shrinks each failure to the smallest (slow: many minutes);
`HYTU_FUZZ_TRACE=1` prints each target with its time and answers. The cases
found so far are kept readable in tests/app/test_bad_input.py.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, quote_from_bytes

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import AnyConverter, Rule

from hytu_events.models import Role
from tests.accounts.helpers import make_user
from tests.url_walker import (
    FormField,
    HtmlForm,
    Visitor,
    app_rules,
    build_url,
    changed_tables,
    html_forms,
    learn_submission,
    make_url_objects,
    methods_of,
    path_of,
    recording_query_reads,
    required_role,
    table_fingerprints,
    url_variants,
)

_COMMON = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck))
#: Small and without shrinking: when something breaks, the first failing example is reported.
settings.register_profile("ci", max_examples=6, phases=[Phase.explicit, Phase.generate], **_COMMON)
settings.register_profile("thorough", **_COMMON)
PROFILE = os.environ.get("HYTU_FUZZ_PROFILE", "ci")
#: Each target's number of examples is multiplied by this.
SCALE = 10 if PROFILE == "thorough" else 1
#: HYTU_FUZZ_SEED=N draws other (still repeatable) examples with the `ci` profile.
SEED = int(os.environ.get("HYTU_FUZZ_SEED", "0"))
REPEATABLE = PROFILE == "ci"
#: HYTU_FUZZ_TRACE=1 prints each target with its time, number of requests and answers.
TRACE = bool(os.environ.get("HYTU_FUZZ_TRACE"))

#: Names many endpoints read; sent to every page besides the names it was seen to read.
COMMON_PARAMETERS = [
    "page", "q", "status", "kind", "municipality", "measure", "year", "lang", "sort", "dir",
    "show", "next", "when", "sub_region", "category", "first", "last", "format", "id",
]  # fmt: skip

#: What answers a refusal (a field error or the error summary of a form).
FORM_ERROR = re.compile(r'class="(field-error|error-summary)"')
#: Python's None rendered into an attribute (`required="None"` makes a field required).
NONE_ATTRIBUTE = re.compile(r'<[^>]*\s[\w-]+="None"[^>]*>')

# --- hostile values, as the bytes that are sent (percent-encoded unless `raw`) -------------

CONTROL_CHARACTERS = [chr(c) for c in range(32)] + ["\x7f", "\x85", "\x9b"]
NUMBERS = [
    "0", "-0", "-1", "+1", " 1", "1 ", "2147483647", "2147483648", "-2147483649",
    "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
    "18446744073709551616", "99999999999999999999", "1" * 400, "1e309", "-1e309", "1e-400",
    "NaN", "inf", "-inf", "0x10", "1_000", "1.5", "1,5", "²", "١٢", "１２", "٣", "৪",
]  # fmt: skip
ODD_TEXT = [
    "", " ", "[]", "{}", "null", "true", "'", '"', "<script>x</script>", "%", "%%", "%00",
    "../../etc/passwd", "2026-13-45", "2026-02-30T25:61", "0000-00-00", "--", "' OR 1=1 --",
    "0001-01-01", "9999-12-31", "0001-01-01T00:00", "9999-12-31T23:59",
    "\u202e", "\ufeff", "\u00a0", "\ufffd", "\U0001f4a5" * 20, "a\u0301" * 50, "\ud7ff",
]  # fmt: skip
INVALID_UTF8 = [b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\x80abc", b"\xf4\x90\x80\x80", b"\xe2\x82"]


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


_short_text = st.text(max_size=12)
_control = st.builds(
    lambda before, char, after: before + char + after,
    _short_text,
    st.sampled_from(CONTROL_CHARACTERS),
    _short_text,
)
hostile_text = st.one_of(
    _control,  # the likeliest to slip through to the database: drawn more often
    _control,
    _control,
    st.sampled_from(NUMBERS),
    st.integers().map(str),
    st.integers(min_value=2**31).map(str),
    st.integers(max_value=-1).map(str),
    st.sampled_from(ODD_TEXT),
    st.builds(lambda char, n: char * n, st.sampled_from("a9ä€"), st.integers(300, 20_000)),
    st.text(max_size=40),
)
hostile_bytes = st.one_of(
    hostile_text.map(_utf8),
    st.sampled_from(INVALID_UTF8),
    st.binary(min_size=1, max_size=12),
)

#: Path segments that are never a row: each must answer 404.
BAD_SEGMENTS = [
    "0", "-1", "2147483648", "9223372036854775808", "99999999999999999999",
    "18446744073709551616", "1" * 400, "%00", "1%00", "%ff", "1.5", "1e3", "0x1", "%EF%BC%91",
    "%D9%A3", "%C2%B2", "%20", "a", "%0A", "1%2F2", "x" * 3000,
]  # fmt: skip


def _encode(pairs: list[tuple[str, bytes]]) -> str:
    return "&".join(
        f"{quote(name, safe='')}={quote_from_bytes(value, safe='')}" for name, value in pairs
    )


# --- the walk -----------------------------------------------------------------------------


@dataclass
class Target:
    """Something to send hostile values to: a page's query string, a form, a path."""

    visitor: Visitor
    method: str
    url: str
    endpoint: str
    names: list[str] = field(default_factory=list)
    form: HtmlForm | None = None
    examples: int = 6
    #: What is sent hostile values: "query", "form" or a path value ("<event_id>").
    kind: str = "query"
    #: For a form: the values that pass its validation (`learn_submission`).
    chosen: dict[str, str] = field(default_factory=dict)
    #: For a form with a file field: files the app exported that it accepts back.
    files: list[bytes] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.kind}: {self.visitor.name} {self.method} {self.url} ({self.endpoint})"


class Walk:
    """The requests sent, the problems found, and the tables as they were after the last one."""

    def __init__(self, app):
        self.app = app
        self.fingerprints = table_fingerprints()
        self.problems: dict[str, str] = {}
        self.requests = 0
        #: Answers per target, for HYTU_FUZZ_TRACE: shows whether forms reach validation.
        self.answers: dict[str, Counter] = {}

    def send(self, target: Target, description: str, url: str | None = None, **kwargs):
        """One request; a problem is raised as AssertionError, for hypothesis to see."""
        url = url or target.url
        where = f"{target.visitor.name} {target.method} {url[:300]} {description}"
        self.requests += 1
        try:
            response = target.visitor.open(url, target.method, **kwargs)
        except Exception as error:  # the test client re-raises what would be a 500
            first_line = (str(error).splitlines() or [""])[0][:300]
            raise AssertionError(f"{where}: raised {type(error).__name__}: {first_line}") from error
        before, self.fingerprints = self.fingerprints, table_fingerprints()
        self.answers.setdefault(target.label, Counter())[response.status_code] += 1
        assert response.status_code < 500, f"{where}: answered {response.status_code}"
        refused = response.status_code >= 400 or (
            response.status_code == 200
            and target.method == "POST"
            and FORM_ERROR.search(response.get_data(as_text=True))
        )
        if refused and (changed := changed_tables(before, self.fingerprints)):
            raise AssertionError(
                f"{where}: refused ({response.status_code}) but changed {', '.join(changed)}"
            )
        return response

    def run(self, target: Target, strategy, check: Callable) -> None:
        """`check(value)` for examples drawn from `strategy`; the first failure is recorded."""

        @settings(settings.get_profile(PROFILE), max_examples=target.examples * SCALE)
        @given(strategy)
        def examples(value):
            check(value)

        if REPEATABLE:
            examples = seed(zlib.crc32(target.label.encode()) + SEED)(examples)
        started, sent = time.perf_counter(), self.requests
        try:
            examples()
        except AssertionError as error:
            self.problems.setdefault(target.label, str(error).splitlines()[0])
        except Exception as error:  # hypothesis' own errors (flaky, unsatisfiable ...)
            self.problems.setdefault(target.label, f"{type(error).__name__}: {error}"[:500])
        if TRACE:
            print(
                f"{time.perf_counter() - started:6.2f}s {self.requests - sent:4d} {target.label} "
                f"{dict(self.answers.get(target.label, {}))}",
                file=sys.stderr,
            )


def _endpoint_of(app, path: str, method: str) -> str | None:
    try:
        endpoint, _ = app.url_map.bind("localhost").match(path, method=method)
    except (NotFound, MethodNotAllowed):
        return None
    return endpoint


#: Endpoints after which the walk's rows are no longer what it needs; walked last.
ENDING = re.compile(r"delete|erase|cancel|deactivate|logout|reset|password")


def _order(target: Target) -> tuple:
    return (bool(ENDING.search(target.endpoint)), target.endpoint, target.url)


def _multipart(target: Target, file_body: bytes, file_name: str, pairs=None) -> dict:
    form = target.form
    if pairs is None:
        submission = form.submission(fill_required=True, chosen=target.chosen)
        pairs = [(n, _utf8(v)) for n, v in submission]
    data: dict = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value.decode("utf-8", "replace"))
    for name in (f.name for f in form.fields if f.kind == "file"):
        data[name] = (io.BytesIO(file_body), file_name)
    return data


def _accepted_files(target: Target, samples: list[bytes]) -> list[bytes]:
    """The CSV files the app exported that this form takes back as they are."""
    accepted = []
    for sample in samples:
        data = _multipart(target, sample, "fuzz.csv")
        response = target.visitor.open(
            target.form.action, "POST", data=data, content_type="multipart/form-data"
        )
        if response.status_code < 400 and not FORM_ERROR.search(response.get_data(as_text=True)):
            accepted.append(sample)
    return accepted


def _form_examples(form: HtmlForm) -> int:
    files = sum(f.kind == "file" for f in form.fields)
    return min(4 + 2 * len(form.names()) + 20 * files, 40)


def _may_open(app, visitor: Visitor, rule: Rule) -> bool:
    needed = required_role(app, rule.endpoint)
    return needed is None or (visitor.user is not None and visitor.user.role >= needed)


def discover(app, visitors: list[Visitor], objects: dict):
    """GET every page as each visitor: query targets, form targets and CSV samples.

    The anonymous visitor and the coordinator open every page (a guarded one answers them with
    a redirect or 403, cheaply); the administrator only the pages that need one.
    """
    query_targets: dict[tuple, Target] = {}
    form_targets: dict[tuple, Target] = {}
    csv_samples: list[bytes] = []
    rendered_none: list[str] = []
    for rule in app_rules(app):
        if "GET" not in rule.methods:
            continue
        admin_only = required_role(app, rule.endpoint) is Role.ADMIN
        for values in url_variants(rule, objects):
            url = build_url(app, rule, values)
            for visitor in visitors:
                if visitor.role is Role.ADMIN and not admin_only:
                    continue
                with recording_query_reads(app) as reads:
                    page = visitor.open(url)
                allowed = _may_open(app, visitor, rule)
                query_targets[(visitor.name, url)] = Target(
                    visitor,
                    "GET",
                    url,
                    rule.endpoint,
                    sorted(reads),
                    examples=min(6 + 2 * len(reads), 20) if allowed else 2,
                )
                if page.mimetype == "text/csv":
                    csv_samples.append(page.data)
                if page.status_code != 200 or page.mimetype != "text/html":
                    continue
                if match := NONE_ATTRIBUTE.search(page.get_data(as_text=True)):
                    rendered_none.append(f"{visitor.name} GET {url}: {match.group(0)}")
                for form in html_forms(page.get_data(as_text=True), url):
                    endpoint = _endpoint_of(app, form.path, form.method)
                    if endpoint is None:
                        continue
                    if form.method == "GET":
                        target = query_targets.get((visitor.name, form.action))
                        if target is not None:
                            target.names = sorted(set(target.names) | set(form.names()))
                        continue
                    form_targets.setdefault(
                        (form.path, tuple(form.names())),
                        Target(
                            visitor,
                            "POST",
                            form.action,
                            endpoint,
                            form.names(),
                            form=form,
                            examples=_form_examples(form),
                            kind="form",
                        ),
                    )
    # POST endpoints no page offered a form for: the CSRF token and the common names.
    posted = {target.endpoint for target in form_targets.values()}
    for rule in app_rules(app):
        if "POST" not in rule.methods or rule.endpoint in posted:
            continue
        visitor = next(v for v in visitors[1:] if _may_open(app, v, rule))
        url = build_url(app, rule, url_variants(rule, objects)[0])
        form = HtmlForm(url, "POST", "application/x-www-form-urlencoded")
        form.fields.append(FormField("csrf_token", "hidden", visitor.token))
        form_targets[(url, ())] = Target(
            visitor, "POST", url, rule.endpoint, ["csrf_token"], form=form, examples=6, kind="form"
        )
    for target in form_targets.values():
        typed = [f for f in target.form.fields if f.kind not in ("hidden", "submit", "button")]
        if typed and not ENDING.search(target.endpoint):
            target.chosen = learn_submission(target.visitor, target.form)
        if any(f.kind == "file" for f in target.form.fields):
            # The richest first: hypothesis draws the first elements of a list most often.
            files = _accepted_files(target, csv_samples) or csv_samples
            target.files = sorted(files, key=len, reverse=True)
    return (
        sorted(query_targets.values(), key=_order),
        sorted(form_targets.values(), key=_order),
        csv_samples,
        rendered_none,
    )


# --- what is drawn for each kind of target -------------------------------------------------


def query_strategy(names: list[str]):
    """1-3 (name, value) pairs; a name may repeat; sometimes the whole string is sent raw."""
    name = st.sampled_from(names) if names else st.sampled_from(COMMON_PARAMETERS)
    if names:
        name = st.one_of(name, name, st.sampled_from(COMMON_PARAMETERS))
    pairs = st.lists(st.tuples(name, hostile_bytes), min_size=1, max_size=3)
    return st.tuples(pairs, st.booleans())


def check_query(walk: Walk, target: Target, drawn) -> None:
    pairs, raw = drawn
    if raw:
        # Bytes as a client may send them, not percent-encoded (a WSGI server hands them on
        # as latin-1); '&', '=', '#' and '%' keep their meaning, so they are encoded anyway.
        text = "&".join(
            name
            + "="
            + "".join(f"%{b:02X}" if b in b"&=#% +" or b < 0x21 else chr(b) for b in value)
            for name, value in pairs
        )
        walk.send(
            target,
            f"raw query {text[:200]!r}",
            url=target.url.split("?")[0],
            environ_overrides={"QUERY_STRING": text},
        )
        return
    separator = "&" if "?" in target.url else "?"
    query = _encode(pairs)
    walk.send(target, f"?{query[:300]}", url=target.url + separator + query)


def _mutated_csv(sample: bytes, cell: bytes, row: int, column: int) -> bytes:
    lines = sample.split(b"\n")
    data = [i for i, line in enumerate(lines) if line.strip()][1:] or [0]
    index = data[row % len(data)]
    cells = lines[index].split(b";")
    cells[column % len(cells)] = cell
    lines[index] = b";".join(cells)
    return b"\n".join(lines)


def form_strategy(target: Target, csv_samples: list[bytes]):
    names = target.names
    editable = [n for n in names if n != "csrf_token"] or names
    name = st.one_of(
        st.sampled_from(editable), st.sampled_from(editable), st.sampled_from(COMMON_PARAMETERS)
    )
    value = st.one_of(
        hostile_bytes.map(lambda b: ("set", b)),
        hostile_bytes.map(lambda b: ("repeat", b)),
        st.just(("drop", b"")),
    )
    # Mostly a file the app itself exported with one cell made hostile: it reaches the rows'
    # checks, where a file of noise stops at the header.
    mutated = st.builds(
        _mutated_csv,
        st.sampled_from(target.files or csv_samples or [b"a;b\n1;2\n"]),
        st.one_of(_control.map(_utf8), hostile_bytes),
        st.integers(0, 50),
        st.integers(0, 20),
    )
    files = st.one_of(mutated, mutated, mutated, mutated, st.binary(max_size=200), hostile_bytes)
    file_names = st.one_of(
        st.just(b"fuzz.csv"),
        st.sampled_from(INVALID_UTF8 + [b"\x00.csv", b"../../x.csv", b"a" * 300 + b".csv"]),
    )
    content_type = st.sampled_from(
        ["form"] * 12 + ["application/json", "text/plain", "multipart/form-data"]
    )
    return st.tuples(
        st.lists(st.tuples(name, value), min_size=1, max_size=3),
        files,
        file_names,
        content_type,
    )


_serial = itertools.count(1_000)


def check_form(walk: Walk, target: Target, drawn) -> None:
    edits, file_body, file_name, content_type = drawn
    form = target.form
    submission = form.submission(fill_required=True, chosen=target.chosen, n=next(_serial))
    pairs = [(n, _utf8(v)) for n, v in submission]
    for name, (how, value) in edits:
        if how != "repeat":
            pairs = [(n, v) for n, v in pairs if n != name]
        if how != "drop":
            pairs.append((name, value))
    files = [f.name for f in form.fields if f.kind == "file"]
    description = f"with {pairs!r}"[:400]
    if form.enctype == "multipart/form-data" or files:
        data = _multipart(target, file_body, file_name.decode("utf-8", "replace"), pairs)
        description += f" file {file_name!r}: {file_body[:120]!r}"
        walk.send(target, description, data=data, content_type="multipart/form-data")
        return
    body = _encode(pairs).encode("ascii")
    if content_type != "form":
        walk.send(target, f"as {content_type} {description}", data=body, content_type=content_type)
        return
    walk.send(target, description, data=body, content_type="application/x-www-form-urlencoded")


def path_targets(app, visitor: Visitor, objects: dict) -> list[tuple]:
    """(target, rule, values, name) for each value in a rule's path and each method.

    Routing answers before any view, so one visitor (who may open the page) is enough.
    """
    targets = []
    for rule in app_rules(app):
        values = url_variants(rule, objects)[0]
        for name, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                continue
            for method in methods_of(rule):
                url = path_of(rule, values)
                target = Target(visitor, method, url, rule.endpoint, examples=5, kind=f"<{name}>")
                targets.append((target, rule, values, name))
    return targets


def check_path(walk: Walk, target: Target, rule: Rule, values: dict, name: str, segment: str):
    url = path_of(rule, {**values, name: segment})
    # A POST carries its CSRF token: that check comes before routing decides on a 404.
    data = None if target.method == "GET" else {"csrf_token": target.visitor.token}
    response = walk.send(target, f"<{name}> = {segment[:60]!r}", url=url, data=data)
    assert response.status_code == 404, (
        f"{target.visitor.name} {target.method} {url[:200]}: answered {response.status_code}, "
        "not 404"
    )


# --- the test ----------------------------------------------------------------------------


@pytest.fixture
def app_config():
    # The limits would answer 429 before validation after a few requests; they are tested in
    # tests/registrations/test_abuse.py and tests/accounts/test_login.py.
    return {"RATELIMIT_ENABLED": False}


def test_no_hostile_input_breaks_the_app(app, client):
    objects = make_url_objects()
    coordinator = make_user(Role.COORDINATOR, email="fuzz-coordinator@example.fi")
    admin = make_user(Role.ADMIN, email="fuzz-admin@example.fi")
    visitors = [Visitor(app), Visitor(app, coordinator), Visitor(app, admin)]
    query_targets, form_targets, csv_samples, rendered_none = discover(app, visitors, objects)
    walk = Walk(app)
    for target in query_targets:
        walk.run(target, query_strategy(target.names), lambda d, t=target: check_query(walk, t, d))
    for target, rule, values, name in path_targets(app, visitors[1], objects):
        walk.run(
            target,
            st.sampled_from(BAD_SEGMENTS),
            lambda s, t=target, r=rule, v=values, n=name: check_path(walk, t, r, v, n, s),
        )
    for target in form_targets:
        walk.run(
            target,
            form_strategy(target, csv_samples),
            lambda d, t=target: check_form(walk, t, d),
        )
    print(
        f"\nhostile input: {walk.requests} requests to {len(query_targets)} pages, "
        f"{len(form_targets)} forms"
    )
    for page in rendered_none:
        walk.problems[f"rendered: {page.split(':')[0]}"] = "None in an attribute: " + page
    assert not walk.problems, "\n".join(
        f"- {label}:\n    {problem}" for label, problem in sorted(walk.problems.items())
    )

"""Hostile input that used to be a 500, each case as a reader meets it: a 400 with the reason
in the reader's language, a 404, or a message at the form field; and nothing saved.

tests/test_hostile_input.py walks the whole URL map with such input; these are the cases it and
issue 11 found, kept readable.
"""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from hytu_events.models import Role
from tests.accounts.helpers import log_in, make_user
from tests.helpers import csrf_token, field_error, make_event, page_text, post_form
from tests.url_walker import table_fingerprints

#: (path, query, answer, what the page says): known cases of issue 11, and what the walk found.
KNOWN_QUERIES = [
    ("/", "page=18446744073709551616", 400, "Unknown page number"),
    ("/", "page=9223372036854775807", 400, "Unknown page number"),
    ("/", "page=0", 400, "Unknown page number"),
    ("/", "page=%C2%B2", 400, "Unknown page number"),
    ("/", "municipality=99999999999999999999", 400, "Unknown municipality"),
    ("/", "q=%00", 400, "control characters"),
    ("/summary", "year=" + "9" * 5000, 400, "Unknown year"),
    ("/summary", "year=%C2%B2", 400, "Unknown year"),
    ("/events/99999999999999999999", "", 404, "Page not found"),
    ("/events/%D9%A1", "", 404, "Page not found"),  # an Arabic-Indic digit one
    ("/events/01", "", 404, "Page not found"),
    ("/r/%00", "", 404, "Page not found"),
    ("/admin/events", "q=%00", 400, "control characters"),
    ("/admin/events", "page=9223372036854775807", 400, "Unknown page number"),
    ("/admin/follow-ups", "page=18446744073709551616", 400, "Unknown page number"),
    ("/admin/events/{event}/participants", "q=%00", 400, "control characters"),
    ("/admin/events/{event}/participants", "municipality=%C2%B2", 200, "Participants"),
    ("/admin/plan/municipalities", "municipality=99999999999999999999", 400, "Unknown munic"),
    ("/admin/events/{event}/measures", "", 200, "Measures"),
]


@pytest.mark.parametrize("path, query, status, says", KNOWN_QUERIES)
def test_known_hostile_addresses_get_a_clear_answer(app, client, path, query, status, says):
    event = make_event()
    log_in(client, make_user(Role.COORDINATOR))
    url = path.replace("{event}", str(event.id)) + f"?lang=en&{query}"
    response = client.get(url)
    assert response.status_code == status
    assert says in page_text(response.text)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_id_beyond_the_database_range_is_404_whatever_the_method(app, client, method):
    # werkzeug answered 405 for a POST when the GET rule of the same path matched first.
    event = make_event()
    log_in(client, make_user(Role.COORDINATOR))
    data = {"csrf_token": csrf_token(client.get(f"/admin/events/{event.id}/measures").text)}
    for bad in ("0", "2147483648", "99999999999999999999"):
        url = f"/admin/events/{bad}/measures"
        response = client.open(url, method=method, data=data if method == "POST" else None)
        assert response.status_code == 404, (url, response.status_code)


def test_raw_bytes_that_are_not_utf8_in_the_address_are_read_percent_encoded(app, client):
    # Browsers percent-encode; other clients send bytes as they are (a WSGI server hands them
    # on as latin-1). They failed wherever request.args was first read.
    response = client.get("/", environ_overrides={"QUERY_STRING": "kind=\xff&lang=en"})
    assert response.status_code == 400
    assert "Unknown event type" in page_text(response.text)
    assert client.get("/", environ_overrides={"QUERY_STRING": "lang=\xc0\xaf"}).status_code == 200


def test_control_characters_in_the_address_are_refused_in_the_readers_language(app, client):
    response = client.get("/?lang=sv&q=%1b[31m")
    assert response.status_code == 400
    assert "styrtecken" in page_text(response.text)
    assert client.get("/?lang=fi&next=%0A").status_code == 400


def test_a_nul_in_the_login_email_is_a_form_error(app, client):
    # On PostgreSQL this was psycopg.DataError: text cannot hold NUL.
    page = client.get("/login?lang=en")
    response = client.post(
        "/login?lang=en",
        data={"csrf_token": csrf_token(page.text), "email": "a\x00@example.fi", "password": "x"},
    )
    assert response.status_code == 200
    assert "Remove the control characters" in field_error(response.text, "email")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "Klinikka\tInari", "on one line"),
        ("title", "Klinikka\nInari", "on one line"),
        ("title", "Klinikka\x0bInari", "control characters"),
        ("description", "Rivi 1\r\n\tRivi 2", None),  # multi-line text keeps them
        ("description", "Wordin\x0brivinvaihto", "control characters"),
        ("capacity", "99999999999", "Enter a smaller number."),
        ("capacity", "1\x00", "control characters"),
    ],
)
def test_every_form_field_refuses_control_characters_and_huge_numbers(
    app, client, field, value, message
):
    log_in(client, make_user(Role.COORDINATOR))
    data = {
        "kind": "hytu_clinic",
        "title": "Klinikka",
        "starts_at": "2030-03-15T10:00",
        "ends_at": "2030-03-15T12:00",
        "venue": "Inari",
        field: value,
    }
    before = table_fingerprints()
    response = post_form(client, "/admin/events/new?lang=en", data)
    if message is None:
        assert response.status_code == 303
        return
    assert message in (field_error(response.text, field) or ""), page_text(response.text)[:400]
    assert table_fingerprints() == before


@pytest.mark.parametrize(
    "url, data, field",
    [
        # Converting year 1 to UTC, or adding a week to year 9999, was an OverflowError.
        (
            "/admin/events/new",
            {"kind": "hytu_clinic", "title": "K", "starts_at": "0001-01-01T00:00"},
            "starts_at",
        ),
        (
            "/admin/events/new",
            {"kind": "hytu_clinic", "title": "K", "ends_at": "9999-12-31T23:59"},
            "ends_at",
        ),
    ],
)
def test_a_date_out_of_the_years_the_app_handles_is_a_field_error(app, client, url, data, field):
    log_in(client, make_user(Role.COORDINATOR))
    data = {"starts_at": "2030-03-15T10:00", "ends_at": "2030-03-15T12:00", "venue": "x"} | data
    before = table_fingerprints()
    response = post_form(client, url + "?lang=en", data)
    assert "between the years 1900 and 2200" in (field_error(response.text, field) or "")
    assert table_fingerprints() == before


def test_an_export_range_out_of_the_years_the_app_handles_is_a_field_error(app, client):
    log_in(client, make_user(Role.COORDINATOR))
    response = client.get("/admin/exports?lang=en&first=0001-01-01&last=9999-12-31&format=csv")
    assert response.mimetype == "text/html"
    assert "between the years 1900 and 2200" in (field_error(response.text, "first") or "")
    assert "between the years 1900 and 2200" in (field_error(response.text, "last") or "")


def test_a_number_beyond_the_integer_columns_is_a_field_error():
    from wtforms import IntegerField

    from hytu_events.forms import SubForm

    class Counted(SubForm):
        count = IntegerField()

    form = Counted(MultiDict({"count": "2147483648"}))
    assert not form.validate()
    assert [str(e) for e in form.count.errors] == ["Enter a smaller number."]
    form = Counted(MultiDict({"count": "-2147483649"}))
    assert not form.validate() and [str(e) for e in form.count.errors] == ["Enter a larger number."]


def test_every_form_of_the_app_derives_from_the_guarded_bases(app):
    """A form outside hytu_events.forms' bases would not refuse control characters."""
    from wtforms.form import BaseForm

    from hytu_events.forms import Form, SubForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    unguarded = sorted(
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in subclasses(BaseForm)
        if cls.__module__.startswith("hytu_events") and not issubclass(cls, Form | SubForm)
    )
    assert not unguarded, f"Derive these from hytu_events.forms.Form or SubForm: {unguarded}"

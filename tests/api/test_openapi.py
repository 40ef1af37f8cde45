"""The OpenAPI document is valid OpenAPI 3.1, generated from the code, and the app does what it
says: schemathesis sends every operation generated requests, valid and invalid, on SQLite and
on PostgreSQL, and runs all its checks on each answer."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator
from schemathesis.checks import CHECKS, load_all_checks

#: Few examples per operation and mode: the run stays within a minute or two on both databases.
MAX_EXAMPLES = 15
PLAIN = {"Accept-Encoding": "identity"}


def test_the_document_is_valid_openapi_3_1(client):
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200
    spec = document.get_json()
    assert spec["openapi"] == "3.1.0"
    validate(spec, cls=OpenAPIV31SpecValidator)
    assert sorted(spec["paths"]) == [
        "/api/v1/events",
        "/api/v1/events/{event_id}",
        "/api/v1/measures",
        "/api/v1/municipalities",
        "/api/v1/series",
        "/api/v1/series/{series_id}",
        "/api/v1/summary",
    ]


def test_every_operation_does_what_the_document_says(app, demo):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    load_all_checks()
    checks = CHECKS.get_all()
    assert len(checks) >= 14, CHECKS.get_all_names()  # all of them, not the one loaded at first
    failures, calls = [], []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7
    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def call(case):
                # Over WSGI schemathesis reads a body as sent, so it asks for it plain (it
                # sends requests' Accept-Encoding, and the app compresses what may be).
                case.call_and_validate(checks=checks, headers=PLAIN)
                calls.append(case)

            try:
                call()
            except Exception as failure:  # every operation's failure, not only the first
                failures.append(f"{operation.label} ({mode.value}): {failure}")
    assert not failures, "\n\n".join(failures)
    assert len(calls) > 7 * MAX_EXAMPLES

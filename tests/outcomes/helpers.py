"""Helpers of the outcome pages' tests."""

from __future__ import annotations

from tests.helpers import csrf_token


def outcome_form_token(client, event_id):
    page = client.get(f"/admin/events/{event_id}/outcome?lang=en")
    assert page.status_code == 200
    return {"csrf_token": csrf_token(page.text)}

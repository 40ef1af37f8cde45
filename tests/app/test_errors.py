"""Errors are friendly pages in the reader's language, never a stack trace."""

import pytest

from tests.helpers import page_text


@pytest.fixture
def app_config():
    # As in production: an unexpected error becomes the 500 page instead of reaching the test.
    return {"PROPAGATE_EXCEPTIONS": False}


def test_unexpected_error_is_a_friendly_500(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals: password=hunter2")

    response = client.get("/boom?lang=en")
    assert response.status_code == 500
    text = page_text(response.text)
    assert "Something went wrong on our side" in text
    assert "hunter2" not in response.text and "Traceback" not in response.text


def test_not_found_and_method_not_allowed(client):
    response = client.get("/no/such/page?lang=fi")
    assert response.status_code == 404
    assert "Sivua ei löydy" in response.text
    assert client.delete("/").status_code == 405


def test_too_large_a_request_is_413(client):
    response = client.post("/r/", data={"email": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413

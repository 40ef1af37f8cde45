"""Every user-facing string exists in Finnish and Swedish; English falls back to the source."""

import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "hytu_events" / "translations"


def _catalog(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


@pytest.fixture(scope="module")
def source_ids(tmp_path_factory) -> set:
    """Extracted afresh from the code and templates, as `make extract-messages` does: the
    committed messages.pot may be behind them."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        ["make", "-s", "--no-print-directory", "extract-messages", f"POT={pot}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with open(pot, "rb") as file:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(file) if m.id}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_catalog_translates_every_message(language, source_ids):
    catalog = _catalog(language)
    untranslated = [
        m.id
        for m in catalog
        if m.id
        and (
            "fuzzy" in m.flags
            or not (all(m.string) if isinstance(m.string, (tuple, list)) else m.string)
        )
    ]
    assert untranslated == [], f"{language}: translate these (make update-translations)"
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    missing = sorted(source_ids - ids)
    assert not missing, f"{language}: not in the catalog (make update-translations): {missing}"


def test_swedish_pages_are_swedish(client):
    html = client.get("/?lang=sv").text
    assert "Kommande evenemang" in html
    assert 'lang="sv"' in html


def test_finnish_is_the_default(client):
    assert "Tulevat tapahtumat" in client.get("/").text


def test_status_options_are_translated_when_rendered_not_at_import(app):
    from flask_babel import force_locale

    from hytu_events.outcomes.forms import StatusEntry

    for language, expected in (("fi", "Valmisteilla"), ("sv", "Under beredning")):
        with app.test_request_context("/"), force_locale(language):
            labels = [str(choice.label.text) for choice in StatusEntry().status]
            assert expected in labels, labels

"""No English on Finnish and Swedish pages: every page of the URL map, with the demo data, in
Finnish and in Swedish, as an anonymous visitor and as a coordinator (an admin for the pages only
admins open), every form of those pages sent empty (its errors shown) and the pages after
registering for an event and for a series hold no English source string of the catalog.

The rule, exactly: a message of the language's catalog leaks when one of its *pieces* appears on
the page, as whole words (a hyphen joins words) with the same capitals, in the visible text
(outside elements marked with another `lang`, and leaving out web addresses and `?name=value`
parameters) or in a `title`, `aria-label`, `placeholder` or `alt` attribute, or in the `value` of
a button. The pieces of a msgid are its texts between placeholders (`%(when)s`, `%d`) and tags,
trimmed of spaces and punctuation at their ends. A piece does not count when
- its message is a name: its translation in Finnish or in Swedish is the msgid itself ("HYTU",
  "Excel (XLSX)", "Kemi-Tornio");
- the language's own translations write it ("Google Calendar" in Swedish: "Calendar" is then
  no sign of English);
- it has fewer than four letters ("yes", "no", "All"): such short words occur in names and
  codes whatever the language.

Choices built once at import time (the event kinds of the new-event form, say) show in English
on every page in every language: this walk finds them.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po
from flask import Flask
from werkzeug.datastructures import MultiDict

from hytu_events.accounts.models import User
from hytu_events.extensions import db
from hytu_events.models import Role
from tests.accounts.helpers import make_user
from tests.demo_pages import Demo, make_demo, more_back_office_urls, more_public_urls, page_urls
from tests.url_walker import Visitor, html_forms

pytestmark = [
    # The pages are the same on either database; the walk is long enough once.
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

LANGUAGES = ("fi", "sv")
TRANSLATIONS = Path(__file__).resolve().parents[1] / "hytu_events" / "translations"
#: What separates the pieces of a msgid: placeholders and tags.
_BETWEEN_PIECES = re.compile(r"%\(\w+\)[sdif]|%[sdif]|<[^>]*>|\{\w*\}")
_TRIMMED = string.whitespace + ".,:;!?()[]–—-·…/'\"«»"
#: Fewer letters than this make a short token, left alone.
MIN_LETTERS = 4


@dataclass(frozen=True)
class Piece:
    text: str
    msgid: str
    pattern: re.Pattern


def _messages(language: str) -> list[tuple[list[str], list[str]]]:
    """(msgids, translations) of each message of the language's catalog."""
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po, locale=language)
    return [
        (
            [m.id] if isinstance(m.id, str) else list(m.id),
            [m.string] if isinstance(m.string, str) else list(m.string),
        )
        for m in catalog
        if m.id
    ]


def _words(text: str) -> re.Pattern:
    """`text` as whole words: a hyphen joins words ("Message-ID" is no "Message")."""
    return re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])")


def english_pieces(language: str) -> list[Piece]:
    """The pieces of the catalog's msgids that must not show on a page in `language`."""
    messages = _messages(language)
    names = {
        msgid
        for other in LANGUAGES
        for ids, strings in _messages(other)
        for msgid in ids
        if msgid in strings
    }
    own_words = "\n".join(text for _, strings in messages for text in strings)
    pieces: dict[str, Piece] = {}
    for ids, _ in messages:
        if names & set(ids):
            continue
        for msgid in ids:
            for part in _BETWEEN_PIECES.split(msgid):
                text = " ".join(part.split()).strip(_TRIMMED)
                if sum(c.isalpha() for c in text) < MIN_LETTERS or text in pieces:
                    continue
                pattern = _words(text)
                if not pattern.search(own_words):
                    pieces[text] = Piece(text, msgid, pattern)
    return sorted(pieces.values(), key=lambda piece: -len(piece.text))


#: Attributes people read or hear, and the value of a button, which is its text.
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
BUTTON_INPUTS = ("submit", "button", "reset")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _ReadText(HTMLParser):
    """The texts of a page that a reader of `language` sees or hears, one string each."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.texts: list[str] = []
        #: Open elements: (tag, whether its content is not read as the page's language).
        self._open: list[tuple[str, bool]] = []

    def _elsewhere(self) -> bool:
        return any(other for _, other in self._open)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        lang = a.get("lang", "").split("-")[0]
        other = tag in ("script", "style", "template") or bool(lang and lang != self.language)
        if not (other or self._elsewhere()):
            self.texts += [a[name] for name in READ_ATTRIBUTES if a.get(name)]
            if tag == "input" and a.get("type", "").lower() in BUTTON_INPUTS and a.get("value"):
                self.texts.append(a["value"])
        if tag not in VOID:
            self._open.append((tag, other))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._open.pop()

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                return

    def handle_data(self, data):
        if not self._elsewhere() and data.strip():
            self.texts.append(" ".join(data.split()))


#: Addresses and query parameters in text ("https://…/events/3", "?measure=T1") are not words.
_ADDRESSES = re.compile(r"\b[a-z][a-z+.-]*://\S+|[?&][\w-]+=\S*")


def read_texts(html: str, language: str) -> list[str]:
    parser = _ReadText(language)
    parser.feed(html)
    parser.close()
    return [_ADDRESSES.sub(" ", text) for text in parser.texts]


def leaks(html: str, language: str, pieces: list[Piece]) -> list[str]:
    """'"Virtual coffee" (msgid "Virtual coffee") in: <text>' for each piece found; the
    longest first, and what it covers is not searched again ("Other" in "Other event")."""
    texts = read_texts(html, language)
    joined = "\n".join(texts)
    found = []
    for piece in pieces:
        if piece.text not in joined or not piece.pattern.search(joined):
            continue
        where = next((text for text in texts if piece.pattern.search(text)), joined)
        found.append(f"{piece.text!r} (msgid {piece.msgid!r}) in: {where[:160]!r}")
        joined = piece.pattern.sub(lambda match: " " * len(match.group()), joined)
        texts = [piece.pattern.sub(" ", text) for text in texts]
    return found


@pytest.fixture
def app_config() -> dict:
    # The walk sends the same forms in two languages; the limits have tests of their own.
    return {"RATELIMIT_ENABLED": False}


@pytest.fixture
def demo(app: Flask, client) -> Demo:  # client: requests in contexts of their own
    return make_demo(app)


def with_language(url: str, language: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={language}"


@dataclass
class Seen:
    """What one visitor saw in one language: problems by page, and the forms it can send."""

    problems: list[str]
    forms: dict[tuple, str]


class Reader:
    """Opens pages as one visitor in one language and notes every leak."""

    def __init__(self, visitor: Visitor, language: str, pieces: list[Piece], problems: list):
        self.visitor, self.language, self.pieces = visitor, language, pieces
        self.problems = problems
        self.pages = 0

    def read(self, label: str, response) -> str | None:
        """The response's HTML once checked, or None when it is no page (a redirect, a file)."""
        if not response.content_type.startswith("text/html") or 300 <= response.status_code < 400:
            return None
        html = response.get_data(as_text=True)
        self.pages += 1
        self.problems += [
            f"{label} ({self.visitor.name}, {self.language}): {leak}"
            for leak in leaks(html, self.language, self.pieces)
        ]
        return html

    def open(self, url: str) -> str | None:
        return self.read(f"GET {url}", self.visitor.open(with_language(url, self.language)))

    def send_empty(self, action: str) -> None:
        """The form posted with nothing filled in: the page with its errors."""
        data = MultiDict({"csrf_token": self.visitor.token})
        response = self.visitor.open(with_language(action, self.language), "POST", data=data)
        self.read(f"POST {action} (empty)", response)


def fillable_post_forms(html: str, url: str) -> Iterator[str]:
    """Actions of the page's POST forms that have a field a person fills in: sent empty, they
    answer with errors (forms of buttons only, such as publish or log out, are actions)."""
    for form in html_forms(html, url):
        fields = {f.kind for f in form.fields} - {"hidden", "submit", "button", "reset"}
        if form.method == "POST" and fields:
            yield form.action


def confirmation(app: Flask, url: str, language: str, n: int) -> object:
    """The page after registering on the form at `url` (its own browser: the page is the
    registrant's session's)."""
    client = app.test_client()
    page = client.get(with_language(url, language))
    [form] = [f for f in html_forms(page.text, url) if f.method == "POST"]
    person = {"name": "Eero Ylitalo", "email": f"eero.{n}.{language}@example.fi"}
    pairs = form.submission(
        fill_required=True, chosen={**person, "organisation_other": "Pellon kunta"}
    )
    response = client.post(
        with_language(url, language), data=MultiDict(pairs), follow_redirects=True
    )
    assert response.request.path.endswith("/registered"), (url, response.status_code)
    return response


def test_finnish_and_swedish_pages_hold_no_english(app, demo, capsys):
    coordinator = make_user(Role.COORDINATOR, email="kielet@example.fi", name="Kielitarkastaja")
    admin = db.session.scalars(sa.select(User).where(User.email == demo.admin_email)).one()
    anonymous, staff, admins = Visitor(app), Visitor(app, coordinator), Visitor(app, admin)
    public = [url for _, url in page_urls(app, demo, False)]
    public += [url for url, _ in more_public_urls(demo)]
    back_office = page_urls(app, demo, True) + [("", url) for url, _ in more_back_office_urls(demo)]
    admin_only = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "required_role", None) is Role.ADMIN
    }
    problems: list[str] = []
    pages = 0
    for language in LANGUAGES:
        pieces = english_pieces(language)
        assert len(pieces) > 500, "the catalog should give hundreds of English pieces"
        readers = [Reader(v, language, pieces, problems) for v in (anonymous, staff, admins)]
        by_anyone, by_staff, by_admin = readers
        forms: dict[str, Reader] = {}
        visits = [(by_anyone, url) for url in public] + [(by_staff, url) for url in public]
        visits += [
            (by_admin if endpoint in admin_only else by_staff, url) for endpoint, url in back_office
        ]
        for reader, url in visits:
            html = reader.open(url)
            for action in fillable_post_forms(html or "", url):
                forms.setdefault(action, reader)
        # After every page was read as it is, since a form that is not refused changes rows.
        for action, reader in forms.items():
            reader.send_empty(action)
        for n, url in enumerate(registration_forms(demo)):
            by_anyone.read(f"registered on {url}", confirmation(app, url, language, n))
        pages += sum(reader.pages for reader in readers)
    assert not problems, "English on Finnish or Swedish pages:\n" + "\n".join(problems)
    with capsys.disabled():
        print(f"\nlanguage walk: {pages} pages in {', '.join(LANGUAGES)}, no English")


def registration_forms(demo: Demo) -> list[str]:
    """The public forms that end on a confirmation: an event's and a series'."""
    return [f"/events/{demo.rows['event_id']}/register", f"/series/{demo.rows['series_id']}"]


def test_the_rule_finds_english_and_leaves_names_and_other_languages_alone(app):
    pieces = english_pieces("fi")
    page = (
        '<html lang="fi"><body><p>Tapahtuman tyyppi: Virtual coffee</p>'
        '<a href="/" lang="en" title="Change history">English</a>'  # marked as English
        "<p>HYTU Kemi-Tornio Message-ID https://example.fi/events/3 (?measure=T1)</p>"
        '<input type="submit" value="Save"><img alt="Outcome of the event" src="x.png">'
        '<button aria-label="Open">Avaa</button></body></html>'
    )
    found = {leak.split(" (msgid")[0].strip("'") for leak in leaks(page, "fi", pieces)}
    assert found == {"Virtual coffee", "Save", "Outcome of the event", "Open"}, found

"""Texts written in Finnish, the network's own language, with optional Swedish and English
versions (the plan's measures and indicators, events and series).

A text shown in the reader's language may be the Finnish one where no translation was entered;
it then carries its language (`Shown.language`), so that a page marks it `lang="fi"` (WCAG
3.1.2: a screen reader reads it with Finnish rules) and a calendar gives it `LANGUAGE=fi`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_babel import LazyString, get_locale
from markupsafe import Markup, escape

#: The language texts are written in first; the others are optional.
SOURCE_LANGUAGE = "fi"

#: The optional translations of an event's (and a series') own texts, by language.
EVENT_TEXTS = {
    "title": {"sv": "title_sv", "en": "title_en"},
    "description": {"sv": "description_sv", "en": "description_en"},
}
#: Their column names: what forms set, copies take over and calendars show.
EVENT_TRANSLATIONS = tuple(name for names in EVENT_TEXTS.values() for name in names.values())


class Shown(str):
    """A text as shown to a reader, with the language it is written in."""

    language: str

    def __new__(cls, text: str, language: str) -> Shown:
        shown = super().__new__(cls, text)
        shown.language = language
        return shown


def in_language(finnish: str, **others: str) -> Callable[[Any, str], Shown]:
    """A method `(language) -> Shown` reading the attribute of that language (`others` names
    them by language code), or the Finnish one, the plan's own, where that one is empty."""

    def text_in(row, language: str) -> Shown:
        translated = language in others and getattr(row, others[language])
        if translated:
            return Shown(translated, language)
        return Shown(getattr(row, finnish) or "", SOURCE_LANGUAGE)

    return text_in


def language_of(text: str) -> str | None:
    """The language a shown text is in, if it knows it."""
    return getattr(text, "language", None)


def lang_attribute(text: str, page_language: str) -> Markup:
    """` lang="fi"` for an element holding `text` when it is not in the page's language."""
    language = language_of(text)
    if language is None or language == page_language:
        return Markup("")
    return Markup(' lang="%s"') % language


def marked(text: str, page_language: str) -> Markup:
    """`text` escaped, in a `<span lang>` when it is not in the page's language."""
    attribute = lang_attribute(text, page_language)
    if not attribute:
        return escape(text)
    return Markup("<span%s>%s</span>") % (attribute, text)


def _page_language() -> str:
    return str(get_locale() or SOURCE_LANGUAGE)


def localised(row: Any, name: str) -> Markup:
    """`row`'s text `name` (its `<name>_in` method) in the page's language, marked with its
    own language when it is the Finnish one shown in place of a missing translation."""
    language = _page_language()
    return marked(getattr(row, f"{name}_in")(language), language)


def in_reader_language(row: Any, name: str = "title") -> LazyString:
    """`row`'s text `name` in the language active when it is read: a message's subject is
    made before mail switches to the recipient's language (mailing.notify), and reads the
    title in it."""
    return LazyString(lambda: getattr(row, f"{name}_in")(_page_language()))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        localised=localised,
        lang_attribute=lambda text: lang_attribute(text, _page_language()),
    )

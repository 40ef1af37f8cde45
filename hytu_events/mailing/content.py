"""What a message says, as data: both the text and the HTML part are rendered from it, so
they cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, render_template
from flask_babel import gettext as _

from ..calendar.components import series_url
from ..events.models import Event
from ..i18n import current_language, event_time_range
from ..series.models import Series


@dataclass
class MailContent:
    language: str
    subject: str
    greeting: str
    paragraphs: list[str] = field(default_factory=list)
    #: (label, value) lines about the event: when, where, online link.
    facts: list[tuple[str, str]] = field(default_factory=list)
    #: (label, URL): the self-service link, the personal feed, the event page.
    links: list[tuple[str, str]] = field(default_factory=list)
    footer: str = ""

    def render(self) -> tuple[str, str]:
        """(text, html), from the same data."""
        text = render_template("mail/message.txt", mail=self)
        html = render_template("mail/message.html", mail=self)
        return text, html


def event_page_url(event: Event) -> str:
    return f"{current_app.config['BASE_URL']}/events/{event.id}"


def series_page_url(series: Series) -> str:
    return series_url(series, current_app.config["BASE_URL"])


def event_facts(event: Event, *, show_online_link: bool) -> list[tuple[str, str]]:
    """When and where, in the active locale and the network's time zone; for a date of a
    series, which series it belongs to."""
    language = current_language()
    facts = [(_("Event"), event.title_in(language))]
    if event.series is not None:
        facts.append((_("Series"), event.series.title_in(language)))
    facts.append((_("Time"), event_time_range(event.starts_at, event.ends_at)))
    return facts + _place_facts(event.venue, event.online_url, show_online_link)


def series_facts(
    series: Series, dates: list[Event], *, show_online_link: bool
) -> list[tuple[str, str]]:
    """The series and each of `dates` (by start), then where, as the series has it."""
    facts = [(_("Series"), series.title_in(current_language()))]
    for date in sorted(dates, key=lambda date: date.starts_at):
        facts.append((_("Date"), event_time_range(date.starts_at, date.ends_at)))
    return facts + _place_facts(series.venue, series.online_url, show_online_link)


def _place_facts(
    venue: str | None, online_url: str | None, show_online_link: bool
) -> list[tuple[str, str]]:
    facts = [(_("Place"), venue)] if venue else []
    if online_url:
        if show_online_link:
            facts.append((_("Online meeting"), online_url))
        else:
            facts.append((_("Online meeting"), _("the link is sent to confirmed participants")))
    return facts


def footer() -> str:
    return _(
        "This message was sent by the HYTU events service of the Lapland welfare and safety "
        "network. Questions: %(email)s",
        email=current_app.config["HYTU_CONTACT_EMAIL"],
    )


def paragraphs_of(body: str) -> list[str]:
    """A coordinator's text: paragraphs separated by blank lines, line breaks kept."""
    normalised = body.replace("\r\n", "\n").strip()
    return [part.strip() for part in normalised.split("\n\n") if part.strip()]

"""What a message says, as data: both the text and the HTML part are rendered from it, so
they cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, render_template
from flask_babel import gettext as _

from ..events.models import Event
from ..i18n import event_time_range


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


def event_facts(event: Event, *, show_online_link: bool) -> list[tuple[str, str]]:
    """When and where, in the active locale and the network's time zone."""
    facts = [
        (_("Event"), event.title),
        (_("Time"), event_time_range(event.starts_at, event.ends_at)),
    ]
    if event.venue:
        facts.append((_("Place"), event.venue))
    if event.is_online:
        if show_online_link:
            facts.append((_("Online meeting"), event.online_url))
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

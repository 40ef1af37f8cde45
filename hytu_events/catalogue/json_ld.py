"""An event page's schema.org Event, as JSON-LD in the page, so that search engines show the
event with its dates (Google's event rich results read these properties).

Public facts only, as on the page: the online link is given only where the organisers publish
it (otherwise the virtual location is the event's page, where registering gets the link).
"""

from __future__ import annotations

from flask import current_app, url_for

from ..events.models import Event, EventStatus, RegistrationState
from ..i18n import current_language
from ..local_time import zone
from ..series.models import Series

SCHEMA = "https://schema.org/"

#: Seats left at which an open event is "limited availability" rather than "in stock".
FEW_SEATS = 5


def _when(moment) -> str:
    return moment.astimezone(zone()).isoformat()


def attendance_mode(event: Event) -> str:
    if event.is_online and event.venue:
        return SCHEMA + "MixedEventAttendanceMode"
    if event.is_online:
        return SCHEMA + "OnlineEventAttendanceMode"
    return SCHEMA + "OfflineEventAttendanceMode"


def moved_from(event: Event):
    """The start a date of a series was moved from (its rule's), or None."""
    if event.series_id is not None and event.recurrence_id != event.starts_at:
        return event.recurrence_id
    return None


def event_status(event: Event) -> str:
    if event.status is EventStatus.CANCELLED:
        return SCHEMA + "EventCancelled"
    if moved_from(event) is not None:
        return SCHEMA + "EventRescheduled"
    return SCHEMA + "EventScheduled"


def _locations(event: Event, page_url: str) -> list[dict]:
    locations = []
    if event.venue:
        address = {"@type": "PostalAddress", "streetAddress": event.venue, "addressCountry": "FI"}
        if event.municipalities:
            address["addressLocality"] = event.municipalities[0].name_fi
        locations.append({"@type": "Place", "name": event.venue, "address": address})
    if event.is_online:
        link = event.online_url if event.online_url_public else page_url
        locations.append({"@type": "VirtualLocation", "url": link})
    return locations


def availability(event: Event, seats_left: int | None) -> str:
    state = event.registration_state()
    if state is RegistrationState.NOT_YET_OPEN:
        return SCHEMA + "PreSale"
    if state is not RegistrationState.OPEN:
        return SCHEMA + "Discontinued"  # closed, over or cancelled
    if seats_left == 0:
        return SCHEMA + "SoldOut"  # the waiting list is still open
    if seats_left is not None and seats_left <= FEW_SEATS:
        return SCHEMA + "LimitedAvailability"
    return SCHEMA + "InStock"


def _series(series: Series) -> dict:
    return {
        "@type": "EventSeries",
        "name": series.title_in(current_language()),
        "url": url_for("series.detail", series_id=series.id, _external=True),
    }


def event_json_ld(event: Event, seats_left: int | None) -> dict:
    """The event page's schema.org Event."""
    config = current_app.config
    page_url = url_for("catalogue.detail", event_id=event.id, _external=True)
    offer = {
        "@type": "Offer",
        "price": 0,
        "priceCurrency": "EUR",
        "url": url_for("registrations.register_form", event_id=event.id, _external=True),
        "availability": availability(event, seats_left),
    }
    if event.registration_opens_at is not None:
        offer["validFrom"] = _when(event.registration_opens_at)
    found = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": page_url,
        "url": page_url,
        # As the page shows them: in its language where the organisers wrote one.
        "name": event.title_in(current_language()),
        "description": event.description_in(current_language()),
        "startDate": _when(event.starts_at),
        "endDate": _when(event.ends_at),
        "eventAttendanceMode": attendance_mode(event),
        "eventStatus": event_status(event),
        "location": _locations(event, page_url),
        "organizer": {
            "@type": "Organization",
            "name": config["HYTU_ORGANIZER_NAME"],
            "url": url_for("catalogue.index", _external=True),
        },
        "isAccessibleForFree": True,
        "offers": offer,
        # Events are held in the network's language (they have no language of their own).
        "inLanguage": config["BABEL_DEFAULT_LOCALE"],
    }
    if (previous := moved_from(event)) is not None:
        found["previousStartDate"] = _when(previous)
    if event.capacity is not None:
        found["maximumAttendeeCapacity"] = event.capacity
        found["remainingAttendeeCapacity"] = seats_left
    if event.series is not None:
        found["superEvent"] = _series(event.series)
    return found

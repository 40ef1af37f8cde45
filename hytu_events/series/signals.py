"""What happens to a series as a whole, for other features to react to (mail sends the calendar
objects). A change to one date uses the event's own signals (hytu_events.events.signals) with
that date as sender: the date carries its series and its recurrence id.

Receivers run inside the sender's transaction, before commit.
"""

from blinker import Namespace

_signals = Namespace()

#: The rule or what the dates share changed for every date of the series (an edit of all
#: dates, dates added or removed at the end, the first part of a split); its revision went up.
#: Sender: the Series. Mail sends one update of the series to everyone with a place at any of
#: its dates, describing the dates they have places at.
series_changed = _signals.signal("series-changed")
#: A person took places at several dates of a series at once (the whole series or the dates
#: they chose). Sender: the Series; `registrations`: the new places, one per date, confirmed or
#: waitlisted. Mail sends one confirmation describing exactly those dates;
#: registrations.signals.registration_created is not sent for these places.
series_registered = _signals.signal("series-registered")
#: A person left several dates of a series at once (the rest of the series). Sender: the
#: Series; `registrations`: the places cancelled; `was_confirmed`: registration id -> whether
#: that place was confirmed (a waiting place was in no calendar). Mail sends one cancellation;
#: registration_cancelled is not sent for them (freed seats go to each date's waiting list).
series_left = _signals.signal("series-left")

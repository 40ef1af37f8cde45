"""What happens to a series as a whole, for other features to react to (mail sends the calendar
objects). A change to one date uses the event's own signals (hytu_events.events.signals) with
that date as sender: the date carries its series and its recurrence id.

Receivers run inside the sender's transaction, before commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from blinker import Namespace

_signals = Namespace()


@dataclass(frozen=True)
class FormerInstance:
    """A date as calendars held it in the series it left in a split: the new series has
    another UID, and the date may have another start and RECURRENCE-ID in it."""

    recurrence_id: datetime
    starts_at: datetime
    ends_at: datetime


#: The rule or what the dates share changed for every date of the series (an edit of all
#: dates, dates added or removed at the end, either part of a split); its revision went up.
#: Sender: the Series. Mail sends one update of the series to everyone with a confirmed place
#: at any of its published dates, describing the dates they have places at. Keyword arguments
#: say more about two changes, whose dates would otherwise stay in calendars that hold them
#: one by one (RECURRENCE-ID, no master):
#: - `split_from` (a Series) and `former` (event id -> FormerInstance): the sender is the
#:   series that "this and the following dates" made, and all its dates were those of
#:   `split_from`, held in calendars under that series' UID as `former` says. `split_from`
#:   had its own series_changed just before (no arguments: its rule now ends before them).
#:   Mail first cancels the former instances for everyone whose calendar held them one by
#:   one; the calendars that held the old master lose them by its update.
#: - `removed` (Events, now cancelled): published dates removed from the end; the rule no
#:   longer makes them. Mail cancels those instances for everyone who held them one by one;
#:   the update to those who held the master says which dates were removed.
#: - `added` (Events) and `given` (email -> Registrations): dates added at the end, and the
#:   places they gave to people registered for the whole series (series.followers). The update
#:   those people get describes their dates with the new ones and names the new places; a
#:   person whose new places are all on waiting lists, and who has no confirmed place to
#:   update, is told of those alone. One message per person either way.
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

"""What happens to events, for other features to react to (mail sends calendar updates, the
capacity rule of registrations.seats takes a new number of places).

Receivers run inside the sender's transaction, before commit.
"""

from blinker import Namespace

_signals = Namespace()

#: What participants' calendars show of a published event changed (events.operations
#: SHOWN_FIELDS); its revision went up if the change was significant. Sent once per save.
#: Sender: the Event.
event_changed = _signals.signal("event-changed")
#: A published event was cancelled (revision raised, reason set). Sender: the Event.
event_cancelled = _signals.signal("event-cancelled")
#: An edit gives an event its number of places (perhaps unchanged), in `update_event` under the
#: event's lock, after the edit's other changes. Sender: the Event; `capacity`: the number, None
#: for no limit. The receiver is the capacity rule (registrations.seats.set_capacity): it stores
#: the number or refuses it with events.operations.CapacityBelowConfirmed, and gives seats it
#: adds to the waiting list. Places are registrations, above events: events cannot count them.
capacity_submitted = _signals.signal("capacity-submitted")

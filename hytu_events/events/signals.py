"""What happens to events, for other features to react to (mail sends calendar updates).

Receivers run inside the sender's transaction, before commit.
"""

from blinker import Namespace

_signals = Namespace()

#: A published event's time, place or status changed and its revision went up.
#: Sender: the Event.
event_changed = _signals.signal("event-changed")
#: A published event was cancelled (revision raised, reason set). Sender: the Event.
event_cancelled = _signals.signal("event-cancelled")

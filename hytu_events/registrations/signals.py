"""What happens to registrations, for other features to react to (mail, audit, statistics).

Receivers run synchronously inside the sender's transaction, so an outbox row written by a
receiver commits or rolls back together with the change that caused it.
"""

from blinker import Namespace

_signals = Namespace()

#: A new place (confirmed or waitlisted) was created. Sender: the Registration.
registration_created = _signals.signal("registration-created")
#: Someone registered again with an email that already has a place. Sender: the Registration.
registration_repeated = _signals.signal("registration-repeated")
#: A waitlisted registration got a confirmed place. Sender: the Registration.
registration_promoted = _signals.signal("registration-promoted")
#: A registration was cancelled (by the person or a coordinator). Sender: the Registration;
#: `was_confirmed` tells whether a seat was freed.
registration_cancelled = _signals.signal("registration-cancelled")
#: A person asked for their self-service links again. Sender: the email address;
#: `registrations` holds their active registrations (possibly none).
links_requested = _signals.signal("links-requested")

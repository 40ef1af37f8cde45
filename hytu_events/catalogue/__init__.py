"""The public catalogue: the list of events with its filters, and one event's page (with how
many seats are left), which the back office previews for drafts."""

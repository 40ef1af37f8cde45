"""Secret addresses of personal calendar feeds: the token rows and the functions that make,
find and revoke them.

Apart from the calendar package, which serves the feeds: accounts (a coordinator's feed) and
registrations (the participant's feed link on the self-service page) hand the addresses out,
and they sit below calendar.
"""

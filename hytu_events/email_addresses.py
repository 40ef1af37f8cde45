"""Email addresses: what is accepted, how it is stored, how it goes on the wire.

One rule for every form and operation that takes an address: email-validator's syntax
check, internationalised addresses included (EAI: RFC 6531/6532, `lauri.jääskö@example.fi`;
IDN domains, `anna@tähti.example`). The stored form is email-validator's normalised one
(NFC, the domain as Unicode U-labels, so `anna@xn--thti-loa.example` is the same person),
then lower case: the app has always treated addresses as case-insensitive, so one person
cannot hold two places by changing case.
"""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email


class InvalidEmail(ValueError):
    """Not an address we can send to; the text is email-validator's (English) reason."""


def _validated(value: str, **options):
    try:
        # Syntax only: a DNS look-up would make registering depend on the network (and
        # tests and offline development impossible).
        return validate_email(value.strip(), check_deliverability=False, **options)
    except EmailNotValidError as error:
        raise InvalidEmail(str(error)) from error


def canonical_email(value: str) -> str:
    """The stored form of a new address; raises InvalidEmail when it is not one."""
    normalised = _validated(value or "").normalized
    # Lower-casing can in rare cases undo NFC; normalise once more so equal means equal.
    return unicodedata.normalize("NFC", normalised.lower())


def normalise_email(value: str | None) -> str:
    """The form to look an address up by. Never raises: what is already stored (and what
    someone types at the login) may not pass today's rule, and must still be found."""
    try:
        return canonical_email(value or "")
    except InvalidEmail:
        return (value or "").strip().lower()


def wire_address(address: str) -> str:
    """The address as it goes into To, RCPT TO and the invitation's ATTENDEE.

    With an ASCII local part the domain goes as A-labels (punycode), so the message is
    plain 7-bit mail any server takes. A non-ASCII local part has no ASCII form at all: it
    stays UTF-8 and can only travel over SMTPUTF8 (see `needs_smtputf8`).
    """
    local, _, _ = address.rpartition("@")
    if address.isascii() or not local.isascii():
        return address
    try:
        # test_environment: what is already stored (e.g. `@hytu.test`) is never refused here.
        validated = _validated(address, test_environment=True)
    except InvalidEmail:
        return address
    return f"{local}@{validated.ascii_domain}"


def needs_smtputf8(address: str) -> bool:
    """True when the address can reach its mailbox only through SMTPUTF8 (RFC 6531)."""
    return not wire_address(address).isascii()

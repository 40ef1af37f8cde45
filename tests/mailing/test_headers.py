"""Headers as mail servers and clients read them: encoded words of at most 75 characters
(RFC 2047 2), lines of at most 78 (RFC 5322 2.1.1), and the same text once decoded."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.header import decode_header, make_header

import pytest

from hytu_events.extensions import db
from hytu_events.mailing.messages import build_mime
from hytu_events.registrations.models import Language
from hytu_events.registrations.operations import ParticipantDetails, register
from tests.helpers import make_event, organisation

from .replay import deliver

ENCODED_WORD = re.compile(rb"=\?[^?]+\?[QqBb]\?[^?]*\?=")
#: Finnish, Swedish and Sámi letters, a dash and punctuation a title may have.
LETTERS = "Ääkkösiä ja åäö – Anár, Ohcejohka; Övertorneå (kevät) “HYTU” "


def _header_block(raw: bytes) -> bytes:
    return raw.split(b"\r\n\r\n", 1)[0]


def _check(raw: bytes) -> None:
    head = _header_block(raw)
    for word in ENCODED_WORD.findall(head):
        assert len(word) <= 75, word
    for line in head.split(b"\r\n"):
        assert len(line) <= 78, line
        assert line.isascii()


def _decoded(raw: bytes, name: str) -> str:
    """A header as an RFC 2047 reader joins its encoded words (whitespace between adjacent
    ones is not part of the text)."""
    value = message_from_bytes(raw, policy=policy.compat32)[name]
    return str(make_header(decode_header(value)))


@pytest.mark.parametrize("length", [1, 20, 40, 57, 58, 59, 60, 75, 76, 77, 120, 200, 300])
def test_subjects_and_names_of_any_length_fold_into_short_encoded_words(app, length):
    text = (LETTERS * 10)[:length].strip() or "Ä"
    raw = build_mime(
        message_id="<1@hytu.test>",
        to_name=text,
        to_address="anna@example.fi",
        subject=f"Ilmoittautuminen vahvistettu: {text}",
        text="x",
        html="<p>x</p>",
        language="fi",
    )
    _check(raw)
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == f"Ilmoittautuminen vahvistettu: {text}"
    assert _decoded(raw, "Subject") == f"Ilmoittautuminen vahvistettu: {text}"
    assert _decoded(raw, "To") == f"{text} <anna@example.fi>"
    assert parsed["To"].addresses[0].addr_spec == "anna@example.fi"


def test_a_long_title_and_name_arrive_whole_over_smtp(app, mailbox):
    title = "HYTU-klinikka: Pohjois-Lapin kuntien hyvinvointi- ja turvallisuussuunnitelmat, "
    title += "Inari, Utsjoki ja Sodankylä – kevään 2027 työpaja"
    name = "Máret Ánne Äijälä-Jääskeläinen Ohcejoga gielddas"
    event = make_event(title=title)
    register(
        event.id,
        ParticipantDetails(
            name=name,
            email="maret@example.fi",
            organisation_id=organisation("lapin-liitto").id,
            organisation_other=None,
            municipality_id=None,
            job_title=None,
            needs=None,
            language=Language.FI,
        ),
    )
    db.session.commit()
    [message] = deliver(mailbox)
    [raw] = mailbox.received
    _check(raw)
    assert message["Subject"] == f"Ilmoittautuminen vahvistettu: {title}"
    assert _decoded(raw, "To") == f"{name} <maret@example.fi>"
    assert _decoded(raw, "From") == "HYTU-verkosto <hytu@hytu.test>"

"""Recording an answer: once per request, and without saying whose it is."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..db.locking import lock_for_update
from ..extensions import db
from ..registrations.models import Registration
from .models import FeedbackAnswer, FeedbackMeasureAnswer, FeedbackRequest, Helped


@dataclass
class Answer:
    usefulness: int
    helped: dict[int, Helped] = field(default_factory=dict)
    take_forward: str = ""
    comment: str = ""
    own_question: str = ""
    own_answer: str = ""


def record_answer(request: FeedbackRequest, registration: Registration, answer: Answer) -> bool:
    """Store the answer with the event and where the respondent works; False when the link
    has answered already (two tabs sent at once: the request row's lock lets one through).
    The caller commits."""
    locked = lock_for_update(FeedbackRequest, request.id)
    if locked is None or locked.answered:
        return False
    row = FeedbackAnswer(
        event_id=locked.event_id,
        municipality_id=registration.municipality_id,
        organisation_category=registration.organisation_category,
        usefulness=answer.usefulness,
        take_forward=answer.take_forward,
        comment=answer.comment,
        own_question=answer.own_question,
        own_answer=answer.own_answer,
    )
    row.measures = [
        FeedbackMeasureAnswer(measure_id=measure_id, helped=helped)
        for measure_id, helped in answer.helped.items()
    ]
    db.session.add(row)
    locked.answered = True
    db.session.flush()
    return True

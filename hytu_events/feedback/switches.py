"""Whether an event asks for feedback, and the coordinator's own question: set for the event
itself or for its series (all its dates). Off anywhere means off; the event's own question
wins over the series'."""

from __future__ import annotations

import sqlalchemy as sa

from .. import audit
from ..events.models import Event
from ..extensions import db
from .models import FeedbackSetting


def setting_of(*, event_id: int | None = None, series_id: int | None = None) -> FeedbackSetting:
    """The stored setting, or a new unsaved one that says "on, no question"."""
    column = FeedbackSetting.event_id if event_id is not None else FeedbackSetting.series_id
    found = db.session.scalar(sa.select(FeedbackSetting).where(column == (event_id or series_id)))
    return found or FeedbackSetting(
        event_id=event_id, series_id=series_id, enabled=True, question=None
    )


def _audited(setting: FeedbackSetting) -> dict:
    return {"feedback_enabled": setting.enabled, "feedback_question": setting.question}


def save_setting(
    setting: FeedbackSetting, *, enabled: bool, question: str | None, target=None
) -> None:
    """Store the choice, and note it in `target`'s change history (an Event or a Series) when
    it changed. The caller commits."""
    before = _audited(setting)
    setting.enabled = enabled
    setting.question = (question or "").strip() or None
    db.session.add(setting)
    db.session.flush()
    if target is not None and _audited(setting) != before:
        audit.record("feedback.settings", target, before=before, after=_audited(setting))


def _settings_for(event: Event) -> list[FeedbackSetting]:
    """The event's own setting first, then its series'."""
    conditions = [FeedbackSetting.event_id == event.id]
    if event.series_id is not None:
        conditions.append(FeedbackSetting.series_id == event.series_id)
    rows = db.session.scalars(sa.select(FeedbackSetting).where(sa.or_(*conditions)))
    return sorted(rows, key=lambda row: row.event_id is None)


def feedback_enabled(event: Event) -> bool:
    return all(setting.enabled for setting in _settings_for(event))


def own_question(event: Event) -> str | None:
    return next((s.question for s in _settings_for(event) if s.question), None)


def switched_off() -> sa.Select:
    """Ids of the events whose feedback is off, for itself or through its series."""
    own = sa.select(FeedbackSetting.event_id).where(
        FeedbackSetting.event_id.is_not(None), FeedbackSetting.enabled.is_(False)
    )
    through_series = (
        sa.select(Event.id)
        .join(FeedbackSetting, FeedbackSetting.series_id == Event.series_id)
        .where(FeedbackSetting.enabled.is_(False))
    )
    return sa.union(own, through_series)

"""The municipal HYTU plan tracker: each municipality's history, and the status changes that
come from outside an event (a council decision), recorded in the audit log."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from .. import audit
from ..extensions import db
from ..plan.models import MunicipalPlanStatus, MunicipalPlanStatusChange
from ..plan.statuses import change_status

#: What the audit log keeps of a change.
CHANGE_FIELDS = ["municipality_id", "status", "changed_on", "source_text"]


def history(municipality_id: int) -> list[MunicipalPlanStatusChange]:
    return list(
        db.session.scalars(
            sa.select(MunicipalPlanStatusChange)
            .where(MunicipalPlanStatusChange.municipality_id == municipality_id)
            .order_by(
                MunicipalPlanStatusChange.changed_on.desc(), MunicipalPlanStatusChange.id.desc()
            )
        )
    )


def record_status_change(
    municipality_id: int,
    status: MunicipalPlanStatus,
    changed_on: date,
    *,
    source_text: str,
    note: str = "",
) -> MunicipalPlanStatusChange:
    """Add a step with its source in words to the municipality's history, and record it in the
    audit log (the caller commits; ValueError without a source)."""
    change = change_status(municipality_id, status, changed_on, source_text=source_text, note=note)
    db.session.flush()
    audit.record("plan_status.changed", change, after=audit.snapshot(change, CHANGE_FIELDS))
    return change

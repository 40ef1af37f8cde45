"""Where each municipality's combined HYTU plan stands: its status is its latest change.

Event outcomes move statuses (hytu_events.outcomes) and the tracker page records council
decisions (hytu_events.reporting.tracker); both add their steps here.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..partners.models import Municipality
from .models import MunicipalPlanStatus, MunicipalPlanStatusChange


def latest_changes_query() -> sa.Select:
    """(municipality_id, status, changed_on) of each municipality's latest change."""
    ranked = sa.select(
        MunicipalPlanStatusChange.municipality_id,
        MunicipalPlanStatusChange.status,
        MunicipalPlanStatusChange.changed_on,
        sa.func.row_number()
        .over(
            partition_by=MunicipalPlanStatusChange.municipality_id,
            order_by=(
                MunicipalPlanStatusChange.changed_on.desc(),
                MunicipalPlanStatusChange.id.desc(),
            ),
        )
        .label("rank"),
    ).subquery()
    return sa.select(ranked.c.municipality_id, ranked.c.status, ranked.c.changed_on).where(
        ranked.c.rank == 1
    )


def current_statuses() -> dict[int, MunicipalPlanStatus]:
    """Municipality id -> current status, in one query; untracked ones are missing."""
    return {
        row.municipality_id: MunicipalPlanStatus(row.status)
        if not isinstance(row.status, MunicipalPlanStatus)
        else row.status
        for row in db.session.execute(latest_changes_query())
    }


def status_of(municipality_id: int) -> MunicipalPlanStatus:
    return current_statuses().get(municipality_id, MunicipalPlanStatus.NOT_STARTED)


def change_status(
    municipality: Municipality | int,
    status: MunicipalPlanStatus,
    changed_on: date,
    *,
    outcome_id: int | None = None,
    source_text: str | None = None,
    note: str = "",
) -> MunicipalPlanStatusChange:
    """Add a step to the history (the caller commits); a source is required."""
    if outcome_id is None and not (source_text or "").strip():
        raise ValueError("a status change needs a source: an outcome or a text")
    municipality_id = municipality if isinstance(municipality, int) else municipality.id
    change = MunicipalPlanStatusChange(
        municipality_id=municipality_id,
        status=status,
        changed_on=changed_on,
        outcome_id=outcome_id,
        source_text=(source_text or "").strip() or None,
        note=note,
    )
    db.session.add(change)
    return change

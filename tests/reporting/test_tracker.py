"""The municipal plan tracker's operation called directly, without HTTP."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask

from hytu_events.audit import AuditEntry
from hytu_events.extensions import db
from hytu_events.plan.models import MunicipalPlanStatus, MunicipalPlanStatusChange
from hytu_events.plan.seed import seed_plan
from hytu_events.plan.statuses import status_of
from hytu_events.reporting.tracker import history, record_status_change
from tests.helpers import municipality


@pytest.fixture
def seeded(app: Flask):
    seed_plan()
    db.session.commit()


def _entries() -> list[AuditEntry]:
    return list(
        db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "plan_status.changed"))
    )


def test_a_council_decision_moves_the_status_and_is_recorded(seeded):
    tornio = municipality("tornio")
    change = record_status_change(
        tornio.id,
        MunicipalPlanStatus.APPROVED,
        date(2026, 3, 12),
        source_text=" Valtuusto 12.3.2026 § 15 ",
    )
    db.session.commit()
    assert status_of(tornio.id) is MunicipalPlanStatus.APPROVED
    assert history(tornio.id)[0].id == change.id
    assert history(tornio.id)[0].source_text == "Valtuusto 12.3.2026 § 15"
    [entry] = _entries()
    assert (entry.target_type, entry.target_id) == ("municipalplanstatuschange", change.id)
    assert entry.after == {
        "municipality_id": tornio.id,
        "status": "approved",
        "changed_on": "2026-03-12",
        "source_text": "Valtuusto 12.3.2026 § 15",
    }


def test_a_change_without_a_source_is_refused_and_not_recorded(seeded):
    tornio = municipality("tornio")
    steps = db.session.scalar(sa.select(sa.func.count()).select_from(MunicipalPlanStatusChange))
    with pytest.raises(ValueError, match="needs a source"):
        record_status_change(
            tornio.id, MunicipalPlanStatus.APPROVED, date(2026, 3, 12), source_text="  "
        )
    db.session.rollback()
    assert status_of(tornio.id) is MunicipalPlanStatus.IN_PREPARATION
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(MunicipalPlanStatusChange))
        == steps
    )
    assert _entries() == []

"""Back office: feedback on or off, and the coordinator's own question, for an event or for a
series (all its dates); the event's page links here."""

from __future__ import annotations

from flask import Blueprint, flash, render_template, url_for
from flask_babel import gettext as _

from ..accounts.access import role_required
from ..accounts.models import Role
from ..events.queries import event_or_404
from ..extensions import db
from ..form_pages import form_page
from ..series.models import Series
from .forms import FeedbackSettingForm
from .models import FeedbackSetting
from .results import results_of_event
from .switches import save_setting, setting_of

bp = Blueprint("feedback_admin", __name__, url_prefix="/admin")

TEMPLATE = "feedback/setting.html"


def _form(setting: FeedbackSetting) -> FeedbackSettingForm:
    return FeedbackSettingForm(data={"enabled": setting.enabled, "question": setting.question})


def _save(form: FeedbackSettingForm, setting: FeedbackSetting, next_url: str, target, **context):
    return form_page(
        form,
        TEMPLATE,
        lambda: save_setting(
            setting, enabled=form.enabled.data, question=form.question.data, target=target
        ),
        saved=lambda _result: flash(_("The feedback settings were saved."), "success"),
        next_url=next_url,
        **context,
    )


@bp.get("/events/<id:event_id>/feedback")
@role_required(Role.VIEWER)
def event_setting(event_id: int):
    event = event_or_404(event_id)
    return render_template(
        TEMPLATE,
        form=_form(setting_of(event_id=event.id)),
        event=event,
        series=None,
        results=results_of_event(event),
    )


@bp.post("/events/<id:event_id>/feedback")
@role_required(Role.COORDINATOR)
def save_event_setting(event_id: int):
    event = event_or_404(event_id)
    return _save(
        FeedbackSettingForm(),
        setting_of(event_id=event.id),
        url_for(".event_setting", event_id=event.id),
        event,
        event=event,
        series=None,
        results=results_of_event(event),
    )


@bp.get("/series/<id:series_id>/feedback")
@role_required(Role.VIEWER)
def series_setting(series_id: int):
    series = db.get_or_404(Series, series_id)
    return render_template(
        TEMPLATE, form=_form(setting_of(series_id=series.id)), event=None, series=series
    )


@bp.post("/series/<id:series_id>/feedback")
@role_required(Role.COORDINATOR)
def save_series_setting(series_id: int):
    series = db.get_or_404(Series, series_id)
    return _save(
        FeedbackSettingForm(),
        setting_of(series_id=series.id),
        url_for(".series_setting", series_id=series.id),
        series,
        event=None,
        series=series,
    )

"""The network's time zone (HYTU_TIMEZONE): the day an event was held, what is late today."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["HYTU_TIMEZONE"])

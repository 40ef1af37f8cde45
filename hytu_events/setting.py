"""One setting: how it is declared, how its value is read from the environment, and what the
README's configuration table shows for it. The declarations themselves are in config.py.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Setting:
    """One setting: where its value comes from, its default, and what it means."""

    #: The app.config key; None for a variable read before there is an app, or not by the app.
    key: str | None
    #: What it means, in one line of Markdown (the README's table shows the configurable ones).
    meaning: str
    #: The environment variable; None for a value fixed here or computed from other settings.
    variable: str | None = None
    default: Any = None
    #: Turns the variable's text into the value (the default is a value already).
    parse: Callable[[str], Any] = str
    #: An empty variable counts as unset; otherwise the empty string is parsed like any text.
    blank_is_unset: bool = False
    #: For a default that depends on something found at run time.
    default_factory: Callable[[], Any] | None = None
    #: For a value computed from the settings that are not computed themselves.
    derive: Callable[[Mapping[str, Any]], Any] | None = None
    #: The README's default cell, when the default is not a plain value.
    shown_default: str | None = None

    @property
    def documented(self) -> bool:
        """Set from the environment, so it belongs in the README's table."""
        return self.variable is not None

    def read(self, environ: Mapping[str, str]) -> Any:
        """The value from `environ`, else the default (a fixed setting: always the default)."""
        raw = environ.get(self.variable) if self.variable else None
        if raw is None or (raw == "" and self.blank_is_unset):
            if self.default_factory is not None:
                return self.default_factory()
            return copy.deepcopy(self.default)
        return self.parse(raw)

    def default_cell(self) -> str:
        if self.shown_default is not None:
            return self.shown_default
        value = self.default
        if value is None or value == "":
            return "empty"
        if isinstance(value, bool):
            return "`true`" if value else "`false`"
        if isinstance(value, float):
            return f"`{value:g}`"
        return f"`{value}`"


def _parse_bool(raw: str) -> bool:
    return raw.strip().lower() in _TRUE


_PARSERS: dict[type, Callable[[str], Any]] = {bool: _parse_bool, int: int, float: float, str: str}


def env(name: str, default: Any, meaning: str, **options: Any) -> Setting:
    """A setting read from the variable of the same name, parsed by its default's type; an
    empty boolean counts as unset."""
    kind = type(default)
    options.setdefault("parse", _PARSERS.get(kind, str))
    options.setdefault("blank_is_unset", kind is bool)
    return Setting(name, meaning, variable=name, default=default, **options)


def fixed(key: str, value: Any, meaning: str) -> Setting:
    """A value the app sets itself; not configurable, so not in the README's table."""
    return Setting(key, meaning, default=value)


def derived(key: str, derive: Callable[[Mapping[str, Any]], Any], meaning: str) -> Setting:
    """A value computed from other settings (see their meaning in the README's table)."""
    return Setting(key, meaning, derive=derive)


def not_read_by_the_app(name: str, meaning: str) -> Setting:
    """A variable documented here and read by Flask or the tests, never by from_environment()."""
    return Setting(None, meaning, variable=name, shown_default="unset")

"""Values copied from a row into a dataclass that names the same fields."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

T = TypeVar("T")


def copied(cls: type[T], source: Any, **given: Any) -> T:
    """A `cls` (a dataclass) whose fields are the same-named attributes of `source`, except
    those in `given` (fields the source calls otherwise, or values it does not have)."""
    values = {f.name: getattr(source, f.name) for f in fields(cls) if f.name not in given}
    return cls(**values, **given)

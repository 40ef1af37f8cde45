"""The audit log: who changed what, when, and how it looked before and after."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db.constraints import not_empty
from ..db.types import CreatedAt, IntPK
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User


class AuditEntry(db.Model):
    """One change made in the back office (or on the command line, where `user_id` is None)."""

    __tablename__ = "audit_entries"

    id: Mapped[IntPK]
    at: Mapped[CreatedAt] = mapped_column(index=True)
    #: Who made the change; None for the command line and automatic changes.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: What was done, as `<target>.<verb>` (`event.published`); each feature names its own
    #: for the history (audit.register_actions).
    action: Mapped[str] = mapped_column(sa.String(60))
    #: The kind of thing changed (`event`, `registration`, `user`).
    target_type: Mapped[str] = mapped_column(sa.String(40))
    #: Its id; kept as a plain number so entries outlive a deleted draft.
    target_id: Mapped[int | None]
    #: The event the change belongs to, so the event's page can list it; None for users.
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    #: Changed fields before and after (JSON-safe values, see audit.snapshot).
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    #: By name: the users' table is the accounts feature's, which sits above the audit log.
    user: Mapped[User | None] = relationship("User", lazy="joined")

    __table_args__ = (
        not_empty("action"),
        # Feeds ask for the latest draft deletion on every request.
        sa.Index("ix_audit_entries_action_at", "action", "at"),
    )

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every field whose value differs, in a stable order."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

"""The plan itself: focus areas, measures, indicators and their figures, editing, import/export
and seed data. It imports no package above it; those register what the plan needs from them."""

"""Pages every public service must have: privacy notice, accessibility statement."""

"""Series: a rule, its dates as events."""

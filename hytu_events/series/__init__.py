"""Series: events that recur by one rule, with their dates as events of their own."""

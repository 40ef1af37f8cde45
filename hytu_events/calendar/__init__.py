"""Calendar output: iCalendar files, the public feed and personal feeds."""

"""`?next=` after logging in: only a path on this site, never somewhere else."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next_url(target: str | None) -> str | None:
    """`target` if it is a plain path on this site ('/admin/?x=1'), else None.

    Refused: absolute URLs, scheme-relative '//evil.example', backslashes (browsers read
    '/\\evil.example' as '//evil.example'), control characters (browsers drop tabs and newlines,
    turning '/\\t/evil' into '//evil'), and any scheme such as 'javascript:'.
    """
    if not target or len(target) > 2000:
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target

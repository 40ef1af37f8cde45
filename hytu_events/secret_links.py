"""Secret links: addresses that open something without logging in, because they carry a secret.

Whoever holds a self-service link (/r/<token>) can export, change, cancel or erase that
registration; whoever holds a personal feed address sees the person's events. Views say so
here, and everything else follows from those marks and the URL map:

- `@secret_link("token")` marks a view whose URL argument is the secret;
- `@private_page` marks a page that shows such a link without carrying one (the confirmation
  after registering), or sits among those that do;
- `redact(text)` replaces every address of a `secret_link` route in a text with a label. The
  back office shows stored mail only through it, so no role can read a participant's link;
- responses of marked views get `Cache-Control: no-store` (no copy left in a browser's or a
  proxy's cache) and `Referrer-Policy: strict-origin`: a request made from the page names
  only the origin, never the path that holds the secret, not even to this site's own logs.
  Not `no-referrer`: over https Flask-WTF refuses a form sent without a Referer, so the
  page's own forms (cancel, erase, save) would stop working.

A new secret route needs only its mark: tests/test_secret_links.py fails for a public route
whose URL takes free text and has none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, current_app, request
from flask_babel import gettext as _

F = TypeVar("F", bound=Callable)

#: View attribute: the name of the URL argument that is the secret.
LINK_ARGUMENT = "secret_link_argument"
#: View attribute: how its responses are kept private (NO_STORE or OWN_CACHE_CONTROL).
PRIVACY = "secret_link_privacy"
NO_STORE = "no-store"
#: Only the origin, to every site (see above for why not no-referrer).
REFERRER_POLICY = "strict-origin"
#: The view sets a private Cache-Control of its own (a feed that calendar apps revalidate).
OWN_CACHE_CONTROL = "own-cache-control"

#: `<converter(arguments):name>` in a rule.
_ARGUMENT = re.compile(r"<(?:[^<>:]+:)?([^<>:]+)>")
#: One path segment as it stands in a text: it ends at a slash, a space, a quote or a bracket.
_SEGMENT = r"[^/\s\"'<>?#]+"
#: Whatever follows the secret up to the end of the address (more path, query, fragment), so
#: the whole address goes, and the secret goes even where the rule's tail (`.ics`) is missing.
_REST = r"[^\s\"'<>]*"
#: The origin in front of the path when the address is absolute (https, http or webcal).
_ORIGIN = r"(?:(?:https?|webcal)://[^/\s\"'<>]+)?"


def secret_link(argument: str = "token", *, own_cache_control: bool = False) -> Callable[[F], F]:
    """Mark a view whose URL argument `argument` is a secret that opens it without a login.

    `own_cache_control` keeps the view's own (private) Cache-Control instead of `no-store`:
    for a calendar feed, which apps revalidate with its ETag and which shows no link.
    """

    def decorate(view: F) -> F:
        setattr(view, LINK_ARGUMENT, argument)
        setattr(view, PRIVACY, OWN_CACHE_CONTROL if own_cache_control else NO_STORE)
        return view

    return decorate


def private_page(view: F) -> F:
    """Mark a view whose responses must not be stored or leak their address through Referer."""
    setattr(view, PRIVACY, NO_STORE)
    return view


def secret_rules(app: Flask) -> list[tuple[str, str]]:
    """(rule, secret argument) of every route marked `secret_link`."""
    found = []
    for rule in app.url_map.iter_rules():
        argument = getattr(app.view_functions.get(rule.endpoint), LINK_ARGUMENT, None)
        if argument is not None:
            found.append((rule.rule, argument))
    return found


def _address_pattern(rule: str, secret: str) -> str:
    """The rule as a regular expression, up to and including its secret argument."""
    parts, position = [], 0
    for match in _ARGUMENT.finditer(rule):
        parts.append(re.escape(rule[position : match.start()]))
        parts.append(_SEGMENT)
        position = match.end()
        if match.group(1) == secret:
            return _ORIGIN + "".join(parts) + _REST
    raise ValueError(f"{rule} has no argument <{secret}>")


def _pattern() -> re.Pattern[str]:
    # Built once per app, on first use: the URL map is complete by then and does not change.
    cached = current_app.extensions.get("secret_links")
    if cached is None:
        alternatives = sorted(
            {_address_pattern(rule, argument) for rule, argument in secret_rules(current_app)},
            key=len,
            reverse=True,
        )
        cached = re.compile("|".join(alternatives) or r"(?!)")
        current_app.extensions["secret_links"] = cached
    return cached


def redact(text: str | None) -> str:
    """`text` with every secret address replaced by a label in the reader's language."""
    if not text:
        return ""
    label = _("[personal link]")
    return _pattern().sub(lambda _match: label, text)


def _keep_private(response: Response) -> Response:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    privacy = getattr(view, PRIVACY, None)
    if privacy is None:
        return response
    response.headers["Referrer-Policy"] = REFERRER_POLICY
    if privacy == NO_STORE:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Call before Talisman's init_app: Flask runs after_request hooks last-registered first,
    so this one runs after Talisman's and its Referrer-Policy is the one sent."""
    app.after_request(_keep_private)
    app.add_template_filter(redact, "redact_secrets")

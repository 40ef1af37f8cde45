"""axe-core checks for WCAG 2.1 A and AA, with a failure message a person can act on."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

#: The law (digital services act 306/2019) requires WCAG 2.1 levels A and AA.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now.

    axe-core is injected once per page load (a navigation drops it), so checking a page again,
    say at another width, costs only the run.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe.axe_script)
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    return page.evaluate(
        "options => axe.run(document, options).then(results => results.violations)", options
    )


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" [{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)


def assert_accessible(page, context_label: str) -> None:
    """Fail with every WCAG 2.1 A/AA violation axe-core finds on `page`."""
    found = violations(page)
    assert not found, (
        f"{context_label} ({page.url}): {len(found)} accessibility violation(s)\n{describe(found)}"
    )

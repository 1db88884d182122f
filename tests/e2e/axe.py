"""axe-core in the browser tests: WCAG 2.1 A/AA, plus the 24×24 px target size (WCAG 2.2's
2.5.8, which issue 18 asks of every page). axe comes from npm through `make setup` into
node_modules/ — never from a CDN — and is injected into the page under test."""

import json
from pathlib import Path

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EXTRA_RULES = ["target-size"]


def axe_source() -> str:
    if not AXE_JS.exists():
        raise AssertionError(
            f"{AXE_JS} is missing: run `make setup` (it installs axe-core from npm)."
        )
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict]:
    """Run axe over the page as it stands; the violations, each with its nodes."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    options = {
        "runOnly": {"type": "tag", "values": TAGS},
        "rules": {rule: {"enabled": True} for rule in EXTRA_RULES},
        "resultTypes": ["violations"],
    }
    # runOnly by tag would drop a rule of another tag; a second, rule-only run adds it.
    found = page.evaluate("o => axe.run(document, o).then(r => r.violations)", options)
    extra = {"runOnly": {"type": "rule", "values": EXTRA_RULES}, "resultTypes": ["violations"]}
    found += page.evaluate("o => axe.run(document, o).then(r => r.violations)", extra)
    return found


# What axe 4.x no longer reports (its duplicate-id rules are retired) or cannot see: ids used
# twice, and labels / aria-describedby / aria-labelledby naming an id that is not there.
BROKEN_REFERENCES = """() => {
  const seen = {}, out = [];
  document.querySelectorAll("[id]").forEach(el => { seen[el.id] = (seen[el.id] || 0) + 1; });
  Object.keys(seen).filter(id => seen[id] > 1).forEach(id => out.push("duplicate id " + id));
  document.querySelectorAll("label[for]").forEach(label => {
    if (!document.getElementById(label.htmlFor)) out.push("label for missing id " + label.htmlFor);
  });
  document.querySelectorAll("[aria-describedby], [aria-labelledby]").forEach(el => {
    const ids = ["aria-describedby", "aria-labelledby"].map(a => el.getAttribute(a) || "");
    ids.join(" ").split(/\\s+/).filter(Boolean).forEach(id => {
      if (!document.getElementById(id)) out.push((el.name || el.tagName) + " names no id " + id);
    });
  });
  return out;
}"""


def broken_references(page: Page) -> list[str]:
    return page.evaluate(BROKEN_REFERENCES)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines.extend(
            f"    {node['target']} {json.dumps(node.get('failureSummary', ''))[:300]}"
            for node in v["nodes"][:6]
        )
    return "\n".join(lines)


def problems_on(page: Page) -> str:
    """Everything wrong on the page as it stands, as text ("" when nothing is)."""
    text = describe(axe_violations(page))
    broken = broken_references(page)
    return "\n".join(filter(None, [text, *broken]))


def assert_accessible(page: Page, where: str = "") -> None:
    found = problems_on(page)
    assert not found, f"accessibility problems on {where or page.url}:\n{found}"

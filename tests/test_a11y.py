"""axe-core finds no accessibility violation on any page, in the light and the dark palette.

axe-core (npm, pinned in package.json) is injected into every page of the built site,
served from 127.0.0.1, in Debian's Chromium. Material's two schemes are set the way its
palette toggle sets them (`data-md-color-scheme` on <body>: "default" and "slate").
Quiz pages are checked again after one question of each type is answered, so the
widget's feedback is covered too.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from browser import chromium, html_pages, serve

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = ("default", "slate")

# Transitions would let axe read colours half-way through a palette switch.
NO_MOTION = "*, *::before, *::after { transition: none !important; animation: none !important; }"

SET_SCHEME = """scheme => {
  document.body.setAttribute("data-md-color-scheme", scheme);
  return getComputedStyle(document.body).getPropertyValue("--md-default-bg-color").trim();
}"""

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ") + "  " + (n.failureSummary || "")
      .split("\\n").slice(1, 2).join("").trim()),
  }));
}"""


ANSWER_ONE_OF_EACH_TYPE = """() => {
  // The first question of each type gets an answer (right or wrong) and is checked, so
  // the feedback, score and retry controls are on the page when axe runs again.
  const seen = new Set();
  for (const item of document.querySelectorAll(".quiz-item[data-type]")) {
    const form = item.querySelector("form");
    if (!form || seen.has(item.dataset.type)) continue;
    seen.add(item.dataset.type);
    const radio = form.querySelector("input[type=radio]");
    if (radio) radio.checked = true;
    for (const field of form.querySelectorAll("input[type=text]")) field.value = "1";
    for (const select of form.querySelectorAll("select")) select.selectedIndex = 1;
    form.requestSubmit();
  }
  return seen.size;
}"""


def answer_one_of_each_type(page) -> bool:
    """Answer the first question of each type on a quiz page; False if there is none."""
    return page.evaluate(ANSWER_ONE_OF_EACH_TYPE) > 0


@pytest.fixture(scope="module")
def violations(built_site) -> dict[str, list[str]]:
    """{rule: ["page [scheme]: target  summary", ...]} over every page and both schemes."""
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci`"
    pages = html_pages(built_site.site)
    assert "index.html" in pages and len(pages) >= 10, f"a built site is expected: {pages}"
    found: dict[str, list[str]] = defaultdict(list)
    checked = 0
    with chromium() as browser, serve(built_site.site) as base:
        context = browser.new_context(reduced_motion="reduce")
        # axe-core is put into every page the context opens as the page is created (sent
        # to the browser once, not once per page).
        context.add_init_script(path=str(AXE))
        page = context.new_page()
        # Each page loads once: both schemes are checked as loaded, then again after an
        # answer (the palette toggle switches schemes in place, so no reload is needed).
        for rel in pages:
            page.goto(base + rel, wait_until="load")
            page.add_style_tag(content=NO_MOTION)
            results = []
            for state in ("as loaded", "after an answer"):
                if state == "after an answer" and not (
                    "quiz" in rel and answer_one_of_each_type(page)
                ):
                    break
                for scheme in SCHEMES:
                    backgrounds = page.evaluate(SET_SCHEME, scheme)
                    assert backgrounds, f"{rel}: Material's colour variables are missing"
                    results.append((f"{rel} [{scheme}, {state}]", page.evaluate(RUN_AXE)))
            for where, result in results:
                checked += 1
                for v in result:
                    found[f"{v['id']} ({v['impact']}): {v['help']}"] += [
                        f"{where}: {target}" for target in v["targets"]
                    ]
        context.close()
    assert checked >= 2 * len(pages)
    return found


def test_schemes_differ(built_site):
    """The dark check is real only if 'slate' changes the colours."""
    with chromium() as browser, serve(built_site.site) as base:
        page = browser.new_page()
        page.goto(base + "index.html")
        light, dark = (page.evaluate(SET_SCHEME, scheme) for scheme in SCHEMES)
    assert light and dark and light != dark, (light, dark)


def test_no_accessibility_violations(violations):
    if violations:
        report = []
        for rule, places in sorted(violations.items()):
            report.append(f"{rule}  [{len(places)} node(s)]")
            report += [f"    {place}" for place in places[:12]]
            if len(places) > 12:
                report.append(f"    ... and {len(places) - 12} more")
        pytest.fail("axe-core found violations:\n" + "\n".join(report), pytrace=False)

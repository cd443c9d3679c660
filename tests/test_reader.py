"""The built site as a reader sees it in Debian's Chromium, on a phone (390 px wide) and a
laptop (1366 px): no page scrolls sideways; no table hides a column, and a table wider
than the screen shows a scroll cue; every figure's text reads at 9 px or more on the
phone, and the figure opens full size; and
Material's palette toggle switches each figure to the drawing of the dark palette, on
the page's own background.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from browser import chromium, html_pages, serve
from PIL import Image

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
MIN_TEXT_PX = 9
SVG = "{http://www.w3.org/2000/svg}"
NO_MOTION = (
    "*, *::before, *::after { transition: none !important; animation: none !important; }"
    " html { scroll-behavior: auto !important; }"
)


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def base(built_site):
    with serve(built_site.site) as url:
        yield url


def reader_pages(built_site) -> list[str]:
    pages = [p for p in html_pages(built_site.site) if p != "404.html"]
    assert len(pages) >= 10
    return pages


def open_page(browser, viewport, url):
    context = browser.new_context(viewport=viewport, reduced_motion="reduce")
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.add_style_tag(content=NO_MOTION)
    return context, page


def rgb(css: str) -> tuple[int, int, int]:
    """'rgb(30, 33, 41)' or 'rgba(...)' -> (30, 33, 41)."""
    inside = css[css.index("(") + 1 : css.index(")")]
    return tuple(round(float(v)) for v in inside.replace("/", ",").split(",")[:3])


def near(a, b, tolerance: int = 6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


# --- page body ----------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390px", "1366px"])
def test_no_page_scrolls_sideways(built_site, browser, base, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    wide = []
    for rel in reader_pages(built_site):
        page.goto(base + rel, wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport["width"]:
            wide.append(f"{rel}: {width}px")
    context.close()
    assert not wide, f"wider than {viewport['width']} px: {wide}"


# --- tables on a phone -------------------------------------------------------------------

TABLES = """() => [...document.querySelectorAll("article table")].map(table => {
  const wrap = table.closest(".md-typeset__scrollwrap");
  const heads = [...table.querySelectorAll("thead th")].map(th => {
    const r = th.getBoundingClientRect();
    const s = getComputedStyle(th);
    return {text: th.textContent.trim(), width: r.width, shown: s.display !== "none"
            && s.visibility === "visible" && th.checkVisibility()};
  });
  return {heads, wrapped: !!wrap,
          overflow: wrap ? wrap.scrollWidth - wrap.clientWidth : 0,
          cells: table.querySelectorAll("td").length};
})"""


def test_tables_on_a_phone_hide_no_column_and_cue_the_scroll(built_site, browser, base):
    context, page = open_page(browser, PHONE, base + reader_pages(built_site)[0])
    scrolling = 0
    checked = 0
    for rel in reader_pages(built_site):
        page.goto(base + rel, wait_until="load")
        page.add_style_tag(content=NO_MOTION)
        for i, table in enumerate(page.evaluate(TABLES)):
            checked += 1
            for head in table["heads"]:
                assert head["shown"] and head["width"] > 0, f"{rel} table {i}: {head['text']}"
            if table["overflow"] <= 1:
                continue
            assert table["wrapped"], f"{rel} table {i} scrolls without Material's frame"
            scrolling += 1
            wrap = page.locator(".md-typeset__scrollwrap").nth(_wrap_index(page, i))
            assert _edge_is_shaded(wrap, page), f"{rel} table {i}: no scroll cue at the edge"
            # scrolled to its end, the cue moves to the other edge: what is hidden is shown
            wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
            assert _edge_is_shaded(wrap, page, side="left"), f"{rel} table {i}: left cue"
            wrap.evaluate("w => { w.scrollLeft = 0; }")
    context.close()
    assert checked > 20
    assert scrolling > 0, "some tables are wider than a phone: their cue is what is tested"


def _wrap_index(page, table_index: int) -> int:
    """Index among the scroll frames of the article's `table_index`-th table."""
    return page.evaluate(
        """i => {
          const table = document.querySelectorAll("article table")[i];
          return [...document.querySelectorAll(".md-typeset__scrollwrap")]
            .indexOf(table.closest(".md-typeset__scrollwrap"));
        }""",
        table_index,
    )


def _edge_is_shaded(wrap, page, side: str = "right") -> bool:
    """Most of the frame's outermost pixel column on `side` is darker than the page
    background (light palette): the shadow spans the frame's height, text does not."""
    wrap.scroll_into_view_if_needed()
    background = rgb(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    shot = Image.open(io.BytesIO(wrap.screenshot())).convert("RGB")
    x = shot.width - 2 if side == "right" else 1
    column = [shot.getpixel((x, y)) for y in range(shot.height)]
    shaded = [p for p in column if sum(background) - sum(p) > 12]
    return len(shaded) >= 0.8 * len(column)


# --- figures ----------------------------------------------------------------------------

FIGURES = """() => [...document.querySelectorAll("article img")]
  .filter(img => img.getAttribute("src").includes(".svg") && img.checkVisibility())
  .map(img => ({
    src: img.getAttribute("src"), shown: img.getBoundingClientRect().width,
    link: img.closest("a") ? img.closest("a").getAttribute("href") : null,
    natural: img.naturalWidth}))"""


def figure_pages(built_site) -> list[str]:
    return [
        p
        for p in reader_pages(built_site)
        if ".svg" in (built_site.site / p).read_text(encoding="utf-8") and "quizzes" not in p
    ]


def min_font(svg_file: Path) -> float:
    root = ET.parse(svg_file).getroot()
    return min(float(t.get("font-size")) for t in root.iter(f"{SVG}text"))


def test_figures_are_legible_on_a_phone_and_open_full_size(built_site, browser, base):
    pages = figure_pages(built_site)
    assert len(pages) >= 4
    context, page = open_page(browser, PHONE, base + pages[0])
    seen = 0
    for rel in pages:
        page.goto(base + rel, wait_until="load")
        page.evaluate("document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
        page.wait_for_function(
            "[...document.querySelectorAll('article img')]"
            ".every(i => i.complete || !i.checkVisibility())"
        )
        for fig in page.evaluate(FIGURES):
            seen += 1
            file = built_site.site / Path(rel).parent / unquote(fig["src"])
            smallest = min_font(file)
            shown = smallest * fig["shown"] / fig["natural"]
            assert shown >= MIN_TEXT_PX, f"{rel}: {fig['src']} text at {shown:.1f}px"
            # A tap opens the drawing itself, at its natural width.
            assert fig["link"] == fig["src"], f"{rel}: {fig['src']} does not open full size"
            viewer = context.new_page()
            viewer.goto(urljoin(base + rel, fig["link"]), wait_until="load")
            width = viewer.evaluate("document.documentElement.getBoundingClientRect().width")
            assert width == pytest.approx(fig["natural"], abs=1), fig["src"]
            viewer.close()
    context.close()
    assert seen >= 5


def _corners_until(page, img, background, tries: int = 10) -> list[tuple[int, int, int]]:
    """The figure's top-left and bottom-left pixels as painted, read again (up to `tries`
    times) while they differ from `background`: on a loaded machine the palette's image
    can be painted a frame or two after the switch. A wrong background never matches."""
    for _ in range(tries):
        shot = Image.open(io.BytesIO(img.screenshot())).convert("RGB")
        corners = [shot.getpixel((2, 2)), shot.getpixel((2, shot.height - 3))]
        if all(near(c, background) for c in corners):
            break
        page.wait_for_timeout(100)
    return corners


# Material's palette toggle: the one visible label of its form switches to the next palette.
TOGGLE = "form[data-md-component='palette'] label"


def test_palette_toggle_switches_figures_to_the_dark_drawing(built_site, browser, base):
    pages = figure_pages(built_site)
    # Tall enough that a whole figure fits below Material's sticky header.
    context, page = open_page(browser, {"width": 1366, "height": 2000}, base + pages[0])
    checked = 0
    for rel in pages:
        page.goto(base + rel, wait_until="load")
        page.add_style_tag(content=NO_MOTION)
        for scheme in ("default", "slate"):
            if scheme == "slate":
                page.locator(TOGGLE).filter(visible=True).first.click()
                page.wait_for_function(
                    "document.body.getAttribute('data-md-color-scheme') === 'slate'"
                )
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
            # The palette's drawings, now displayed, load (they have no size until then).
            page.evaluate("document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
            page.wait_for_function(
                "[...document.querySelectorAll('article a.figure-open img')]"
                ".filter(i => i.checkVisibility()).every(i => i.complete && i.naturalWidth > 0)"
            )
            background = rgb(page.evaluate("getComputedStyle(document.body).backgroundColor"))
            figures = page.locator("article a.figure-open img").filter(visible=True)
            count = figures.count()
            assert count >= 1, f"{rel} [{scheme}]: no figure shown"
            for i in range(count):
                img = figures.nth(i)
                src = urlsplit(img.get_attribute("src")).path
                assert src.endswith("-dark.svg") == (scheme == "slate"), f"{rel}: {src}"
                img.evaluate("i => i.scrollIntoView({block: 'center'})")
                page.wait_for_function("img => img.complete", arg=img.element_handle())
                corners = _corners_until(page, img, background)
                assert all(near(c, background) for c in corners), (
                    f"{rel} [{scheme}] {src}: {corners} on {background}"
                )
                checked += 1
        # back to the light palette for the next page (Material keeps the choice)
        page.locator(TOGGLE).filter(visible=True).first.click()
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    context.close()
    assert checked >= 10

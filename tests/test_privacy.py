"""Zero requests leave the machine: every page of the built site, over HTTP and from file://.

Every request the browser makes (pages, workers, fonts, images, search index) is
recorded through a route on the browser context, and anything not aimed at the local
server (or, from disk, at a local file) is aborted and reported. The site search is
used on one page per origin, so the search worker and its index are covered too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from browser import chromium, html_pages, serve

# Schemes that never reach a network: inline data and objects made by the page itself.
IN_PAGE = {"data", "blob", "about", "chrome-error"}
TABS = 8


def visit_all(browser, base: str, pages: list[str], is_local) -> tuple[list[str], list[str]]:
    """Open every page from `base`; return (requests seen, requests that were not local)."""
    seen: list[str] = []
    outside: list[str] = []
    context = browser.new_context(service_workers="block")

    def record(route):
        url = route.request.url
        seen.append(url)
        if urlsplit(url).scheme in IN_PAGE or is_local(url):
            route.continue_()
        else:
            outside.append(f"{url}  (from {route.request.frame.url})")
            route.abort()

    context.route("**/*", record)
    # Pages open in tabs of TABS at a time, so their half-second network-idle windows
    # overlap instead of adding up; every tab is still waited on until its network is idle.
    for start in range(0, len(pages), TABS):
        tabs = []
        for rel in pages[start : start + TABS]:
            page = context.new_page()
            page.goto(base + rel, wait_until="load")
            if rel == "index.html":  # not 404.html: its asset paths are absolute, for servers only
                search(page)
            tabs.append(page)
        for page in tabs:
            page.wait_for_load_state("networkidle")
            page.close()
    context.close()
    return seen, outside


def search(page) -> None:
    """Search the site as a reader would ('/' focuses Material's search box)."""
    page.keyboard.press("/")
    page.keyboard.type("EMILIA")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def pages(built_site) -> list[str]:
    found = html_pages(built_site.site)
    assert "index.html" in found and len(found) >= 10, f"a built site is expected: {found}"
    return found


def test_over_http_every_request_stays_on_the_local_server(browser, built_site, pages):
    with serve(built_site.site) as base:
        origin = urlsplit(base).netloc
        seen, outside = visit_all(browser, base, pages, lambda url: urlsplit(url).netloc == origin)
    assert len(seen) >= len(pages), "the browser made fewer requests than there are pages"
    assert not outside, "requests left the machine:\n" + "\n".join(sorted(set(outside)))


def test_from_disk_every_request_is_a_local_file(browser, built_site, pages):
    base = built_site.site.resolve().as_uri() + "/"

    def is_local(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme == "file" and parts.netloc in ("", "localhost")

    seen, outside = visit_all(browser, base, pages, is_local)
    assert len(seen) >= len(pages), "the browser made fewer requests than there are pages"
    assert not outside, "requests left the machine:\n" + "\n".join(sorted(set(outside)))

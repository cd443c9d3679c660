"""The learner's quiz app in Debian's Chromium, from the built site opened from disk.

Exam mode under Playwright's clock (countdown, pause, submit at zero, results equal to
the answers given), a whole exam by keyboard alone, the progress page's figures against
what was answered, export from one browser profile and import into a fresh one, the
review page scheduling a miss once the clock passes its due date, "Test yourself" links
from evidence sections, search ranking from file://, visible focus, and axe-core on every
new page and state in the light and dark palettes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import chromium
from conftest import two_flashcards
from test_a11y import AXE, NO_MOTION, RUN_AXE, SCHEMES, SET_SCHEME
from test_browser_quiz import open_page, widget_data

from generator.build import Project

QUIZZES = "generated/quizzes"
EXAM_SECONDS = 90  # per question (generator/quiz/pages.py EXAM_SECONDS_PER_ITEM)
START = "2026-11-20T09:00:00Z"


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


def url(site: Path, rel: str) -> str:
    return (site / rel).as_uri()


def choose(page, d: dict, right: bool) -> object:
    """Answer a single-best-answer item by pointer; returns the answer given."""
    choice = d["key"] if right else (d["key"] + 1) % len(d["options"])
    page.locator(f"label[for='{d['dom']}-o{choice}']").click()
    return choice


def stored(page) -> dict:
    return page.evaluate("JSON.parse(localStorage.getItem(QuizStore.KEY) || '{}')")


def test_exam_runs_under_the_clock_pauses_and_submits_at_zero(built_site: Project, browser):
    context = browser.new_context()
    page = context.new_page()
    page.clock.install(time=START)
    trouble: list[str] = []
    page.on("pageerror", lambda error: trouble.append(str(error)))
    page.goto(url(built_site.site, f"{QUIZZES}/mock-exam.html"))
    page.clock.pause_at("2026-11-20T09:00:05Z")  # from here time moves only when told
    data = widget_data(page, "mock-exam")
    items = data["items"]
    limit = EXAM_SECONDS * len(items)
    assert not page.locator(".quiz-item").first.is_visible(), "questions hidden until start"
    page.get_by_role("button", name="Start the exam").click()
    timer = page.locator(".quiz-timer")
    assert timer.inner_text() == f"Time left: {limit // 60}:{limit % 60:02d}"
    assert page.locator(".quiz-check").count() == 0, "no Check button in an exam"

    singles = [d for d in items if d["type"] == "single"][:4]
    given = {}
    for n, d in enumerate(singles):
        given[d["id"]] = choose(page, d, right=n % 2 == 0)
    # Answers change until submit: the second one is changed to the key.
    given[singles[1]["id"]] = choose(page, singles[1], right=True)
    page.get_by_role("button", name="Flag for review").nth(2).click()
    assert page.locator(".quiz-exam-counts").inner_text() == (
        f"Answered {len(singles)} of {len(items)}; flagged 1."
    )
    assert page.locator(".quiz-feedback").count() == 0, "no feedback before submit"

    page.clock.run_for(60_000)
    assert timer.inner_text() == f"Time left: {(limit - 60) // 60}:{(limit - 60) % 60:02d}"
    pause = page.get_by_role("button", name="Pause")
    pause.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.textContent") == "Resume", "focus stays"
    assert not page.locator(".quiz-item").first.is_visible(), "paused: questions hidden"
    page.clock.run_for(600_000)
    assert timer.inner_text().startswith(f"Time left: {(limit - 60) // 60}:")
    page.keyboard.press("Enter")  # resume
    page.clock.run_for((limit - 60) * 1000 + 2000)

    results = page.locator(".quiz-results")
    # The results load each option's reasons after submit (a script element): wait for it.
    results.wait_for(state="visible", timeout=15_000)
    right = sum(1 for d in singles if given[d["id"]] == d["key"])
    assert f"Score: {right} correct of {len(items)}" in results.inner_text()
    assert re.match(r"Results\s+Time is up", results.inner_text())
    for d in items:
        entry = page.locator(f"#{d['dom']}-result")
        verdict = entry.locator("h4").inner_text()
        if d["id"] in given:
            expected = "Correct" if given[d["id"]] == d["key"] else "Incorrect"
            assert verdict == f"Question {d['n']}: {expected}"
            assert f"Your answer: {'ABCDEFGH'[given[d['id']]]}." in entry.inner_text()
        else:
            assert verdict == f"Question {d['n']}: Not answered"
        assert f"The answer: {d['answer']}." in entry.inner_text()
        assert entry.locator("a.quiz-evidence").count() == 1
    by_topic = {
        row.locator("th").inner_text(): row.locator("td").first.inner_text()
        for row in results.locator(".quiz-by-topic tbody tr").all()
    }
    for title in set(data["titles"].values()):
        mine = [d for d in singles if data["titles"][d["topic"]] == title]
        assert by_topic[title] == str(sum(given[d["id"]] == d["key"] for d in mine))
    # The reasons for each option come from the topics' data scripts after submit.
    reasoned = page.evaluate(
        """ids => Object.values(quizBank).flatMap(b => b.items || [])
        .filter(d => ids.includes(d.id) && d.rationales.some(r => r))
        .map(d => [d.dom, d.rationales.filter(r => r)])""",
        [d["id"] for d in items],
    )
    assert reasoned, "the mock exam has items with reasons"
    for dom, reasons in reasoned:
        shown = page.locator(f"#{dom}-result .quiz-reasons li").all_inner_texts()
        assert len(shown) == len(reasons) and all(
            r in t for r, t in zip(reasons, shown, strict=True)
        )
    saved = stored(page)
    assert saved["exams"][-1]["right"] == right and "mock-exam" not in saved["running"]
    assert trouble == []
    context.close()


def test_a_whole_exam_by_keyboard_alone(built_site: Project, browser):
    context, page, trouble = open_page(browser, url(built_site.site, f"{QUIZZES}/exam.html"))
    page.locator("#pick-count").focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("3")
    page.keyboard.press("Enter")  # submits the builder form; exam mode is the default
    page.locator(".quiz-timer").wait_for()
    shown = page.evaluate(
        "[...document.querySelectorAll('#quiz-app .quiz .quiz-item')]"
        ".map(el => ({dom: el.id, type: el.dataset.type}))"
    )
    assert len(shown) == 3
    for d in shown:  # in page order: Tab only moves forward
        first = page.locator(f"#quiz-app #{d['dom']} input, #quiz-app #{d['dom']} select").first
        for _ in range(40):  # Tab until the question's first control has focus
            if first.evaluate("el => el === document.activeElement"):
                break
            page.keyboard.press("Tab")
        else:
            raise AssertionError(f"Tab never reached {d['dom']}")
        if d["type"] in ("single", "true-false"):
            page.keyboard.press("Space")
        elif d["type"] == "numeric":
            page.keyboard.type("1")
        else:
            page.keyboard.type("1" if d["type"] == "ordering" else "A")
    assert page.locator(".quiz-exam-counts").inner_text().startswith("Answered ")
    for _ in range(60):
        if page.evaluate("document.activeElement.textContent") == "Submit the exam":
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.locator(".quiz-results").wait_for(state="visible", timeout=15_000)
    assert page.evaluate("document.activeElement.textContent") == "Results"
    assert re.search(r"Score: \d correct of 3", page.locator(".quiz-results").inner_text())
    assert trouble == []
    context.close()


def answer_on_topic_pages(page, site: Path) -> dict[str, bool]:
    """Answer four single-best-answer items of the first trials part (two right, two
    wrong); returns {item id: right}."""
    page.goto(url(site, f"{QUIZZES}/trials.html"))
    singles = [d for d in widget_data(page, "trials")["items"] if d["type"] == "single"][:4]
    done = {}
    for n, d in enumerate(singles):
        choose(page, d, right=n < 2)
        page.locator(f"#{d['dom']} button[type=submit]").click()
        done[d["id"]] = n < 2
    return done


def progress_figures(page) -> dict[str, str]:
    rows = page.locator(".quiz-progress-table").first.locator("tbody tr").all()
    out = {
        r.locator("th").inner_text(): " | ".join(r.locator("td").all_inner_texts()) for r in rows
    }
    out["total"] = page.locator(".quiz-progress-total").inner_text()
    return out


def test_progress_page_counts_first_attempts_and_moves_between_profiles(
    built_site: Project, browser, tmp_path
):
    site = built_site.site
    context, page, trouble = open_page(browser, url(site, f"{QUIZZES}/index.html"))
    done = answer_on_topic_pages(page, site)
    page.goto(url(site, f"{QUIZZES}/progress.html"))
    figures = progress_figures(page)
    size = page.evaluate("Object.values(quizBank).reduce((n, b) => n + (b.items || []).length, 0)")
    assert figures["total"].startswith(f"Answered 4 of {size} questions")
    assert "2 right at the first attempt (50%)" in figures["total"]
    trials_row = figures["Clinical trials"]
    assert trials_row.startswith("4 of ") and "| 50% |" in trials_row
    page.goto(url(site, f"{QUIZZES}/index.html"))
    cell = page.locator(".quiz-progress-cell[data-quiz=trials]")
    total = cell.get_attribute("data-total")
    assert cell.inner_text() == f"4 of {total} answered, 50% right first time"
    page.goto(url(site, f"{QUIZZES}/progress.html"))
    weakest = page.locator(".quiz-weakest li")
    assert weakest.count() >= 1
    href = weakest.first.locator("a").get_attribute("href")
    assert (site / QUIZZES / href.partition("#")[0]).resolve().is_file()

    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress to a file").click()
    exported = tmp_path / "progress.json"
    download.value.save_as(exported)
    assert json.loads(exported.read_text())["format"] == "quiz-progress"
    context.close()

    fresh, page2, trouble2 = open_page(browser, url(site, f"{QUIZZES}/progress.html"))
    assert progress_figures(page2)["total"].startswith("Answered 0 of")
    page2.set_input_files("#quiz-import", str(exported))
    page2.locator(".quiz-status", has_text="Imported 4 answers").wait_for()
    assert progress_figures(page2) == figures
    # The quiz page in the new profile shows the imported answers, locked.
    page2.goto(url(site, f"{QUIZZES}/trials.html"))
    assert (
        page2.locator(".quiz-score").inner_text().startswith("Score for this part: 2 correct of 4")
    )

    page2.goto(url(site, f"{QUIZZES}/progress.html"))
    page2.get_by_role("button", name="Reset all progress…").click()
    assert progress_figures(page2)["total"].startswith("Answered 4 of"), "not before confirming"
    page2.get_by_role("button", name="Delete all my progress").click()
    assert progress_figures(page2)["total"].startswith("Answered 0 of")
    assert trouble == [] and trouble2 == []
    fresh.close()
    assert sum(not right for right in done.values()) == 2


def test_a_missed_item_is_due_for_review_once_the_clock_passes_its_due_date(
    built_site: Project, browser
):
    site = built_site.site
    context = browser.new_context()
    page = context.new_page()
    page.clock.install(time=START)
    page.goto(url(site, f"{QUIZZES}/trials.html"))
    d = next(x for x in widget_data(page, "trials")["items"] if x["type"] == "single")
    choose(page, d, right=False)
    page.locator(f"#{d['dom']} button[type=submit]").click()

    page.goto(url(site, f"{QUIZZES}/review.html"))
    count = page.locator(".quiz-review-count")
    # New flashcards are due at once; the miss is due a little after it happened.
    cards = page.evaluate("quizBank.cards.cards.length")
    assert count.inner_text() == due_text(cards)
    page.clock.fast_forward("02:00")  # past FSRS's first learning step
    page.reload()
    assert count.inner_text() == due_text(cards + 1)
    assert page.locator(".quiz-review-front .quiz-stem").inner_text() == page.evaluate(
        "id => Object.values(quizBank).flatMap(b => b.items || []).find(x => x.id === id).stem",
        d["id"],
    )
    page.get_by_role("button", name="Show the answer").click()
    assert f"The answer: {d['answer']}." in page.locator(".quiz-review-back").inner_text()
    page.get_by_role("button", name=re.compile(r"^Good")).click()
    assert count.inner_text() == due_text(cards)
    review = stored(page)["review"][f"item:{d['id']}"]
    assert review["card"]["reps"] >= 1

    page.goto(url(site, f"{QUIZZES}/index.html"))
    cards = page.evaluate("JSON.parse(document.getElementById('quiz-app').dataset.cards).length")
    assert page.locator("[data-review-due]").inner_text() == due_text(cards)
    page.clock.fast_forward("30:00:00")
    page.reload()
    assert page.locator("[data-review-due]").inner_text() == due_text(cards + 1)
    context.close()


def due_text(n: int) -> str:
    return "1 review due now." if n == 1 else f"{n} reviews due now."


def test_test_yourself_links_open_the_questions_on_that_section(built_site: Project, browser):
    site = built_site.site
    sections = json.loads((site / QUIZZES / "data/sections.json").read_text())
    page_name, anchors = next(
        (p, a) for p, a in sections.items() if p.startswith("trials/") and len(a) > 1
    )
    context, page, trouble = open_page(browser, url(site, "generated/" + page_name[:-3] + ".html"))
    links = page.locator(".quiz-test-yourself a")
    assert links.count() >= 1
    total = sum(int(re.search(r"(\d+) question", t)[1]) for t in links.all_inner_texts())
    assert total == sum(anchors.values())
    # Each line sits right after a heading.
    assert page.evaluate(
        "[...document.querySelectorAll('.quiz-test-yourself')].every("
        "p => /^H[1-6]$/.test(p.previousElementSibling.tagName))"
    )
    first = links.first
    expected = int(re.search(r"(\d+) question", first.inner_text())[1])
    first.click()
    page.locator(".quiz-practice .quiz-item").first.wait_for()
    assert page.locator(".quiz-practice .quiz-item").count() == expected
    assert page.locator("h2", has_text=f"Test yourself: {expected} question").count() == 1
    assert trouble == []
    context.close()


def test_search_from_disk_ranks_evidence_above_quizzes_and_shows_no_answers(
    built_site: Project, browser
):
    context, page, trouble = open_page(browser, url(built_site.site, "index.html"))
    page.keyboard.press("s")
    page.keyboard.type("thrombocytopenia")
    page.wait_for_function(
        "() => /matching/i.test(document.querySelector('.md-search-result__meta').textContent)",
        timeout=15_000,
    )
    hrefs = page.locator(".md-search-result__item > a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    pages = [re.split(r"[#?]", h)[0].rsplit("/", 1)[-1] for h in hrefs]
    assert "toxicity.html" in pages, pages
    quiz = [n for n, h in enumerate(hrefs) if "/quizzes/" in h]
    assert not quiz or pages.index("toxicity.html") < quiz[0], hrefs
    text = page.locator(".md-search-result").inner_text()
    assert "Answer key" not in text and "Objective:" not in text
    index = (built_site.site / "search/search_index.js").read_text(encoding="utf-8")
    assert "Answer key" not in index and "Evidence for question" not in index
    context.close()


def focus_ring(page, control) -> str:
    control.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    return control.evaluate("el => getComputedStyle(el).outlineStyle")


def test_controls_show_focus(built_site: Project, browser):
    site = built_site.site
    # Radio buttons and strike-outs are on every quiz; number fields and selects only
    # where the bank has numeric, matching or ordering questions.
    needed = {"input[type=radio]", ".quiz-strike"}
    seen: set[str] = set()
    context, page, _ = open_page(browser, url(site, f"{QUIZZES}/index.html"))
    for part in sorted((site / QUIZZES).glob("*.html")):
        page.goto(part.as_uri())
        for selector in ("input[type=radio]", ".quiz-strike", "select", "input.quiz-number"):
            control = page.locator(f".quiz-form {selector}").first
            if selector in seen or not control.count():
                continue
            assert focus_ring(page, control) not in ("none", ""), (part.name, selector)
            seen.add(selector)
    assert needed <= seen, f"no quiz page has {needed - seen}"
    page.goto(url(site, f"{QUIZZES}/exam.html"))  # the builder's fields
    for selector in ("#pick-count", "#pick-topic-trials", "#pick-mode-exam"):
        assert focus_ring(page, page.locator(selector)) not in ("none", ""), selector
    context.close()


# Material's tooltip container, left in the page by a pointer that passed over a link.
RUN_AXE_OURS = RUN_AXE.replace("axe.run(document,", "axe.run({exclude: [['[id^=__tooltip]']]},")


def axe_states(page) -> list[tuple[str, list]]:
    """axe in both palettes on the page as it stands (axe-core is put into each page as
    it is created: the context's init script)."""
    out = []
    for scheme in SCHEMES:
        page.evaluate(SET_SCHEME, scheme)
        out.append((scheme, page.evaluate(RUN_AXE_OURS)))
    return out


def test_axe_finds_nothing_on_the_new_pages_and_states(built_site: Project, browser):
    site = built_site.site
    context = browser.new_context()
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.clock.install(time=START)
    found = []

    def check(state: str) -> None:
        page.add_style_tag(content=NO_MOTION)
        for scheme, violations in axe_states(page):
            found.extend(f"{state} [{scheme}]: {v['id']}: {v['targets'][:3]}" for v in violations)

    page.goto(url(site, f"{QUIZZES}/mock-exam.html"))
    check("exam, before start")
    page.get_by_role("button", name="Start the exam").click()
    d = next(x for x in widget_data(page, "mock-exam")["items"] if x["type"] == "single")
    choose(page, d, right=False)
    page.get_by_role("button", name="Flag for review").first.click()
    page.locator(".quiz-strike").first.click()
    check("exam running")
    page.get_by_role("button", name="Pause").click()
    check("exam paused")
    page.get_by_role("button", name="Resume").click()
    page.get_by_role("button", name="Submit the exam").click()
    check("exam results")
    page.goto(url(site, f"{QUIZZES}/trials.html"))
    check("tutor")
    page.goto(url(site, f"{QUIZZES}/progress.html"))
    check("progress")
    page.get_by_role("button", name="Reset all progress…").click()
    check("progress, confirm reset")
    page.clock.fast_forward("02:00")
    page.goto(url(site, f"{QUIZZES}/review.html"))
    page.get_by_role("button", name="Show the answer").click()
    check("review, answer shown")
    page.goto(url(site, f"{QUIZZES}/exam.html"))
    check("builder")
    page.goto(url(site, f"{QUIZZES}/index.html"))
    check("index")
    context.close()
    assert found == []


def test_review_schedules_flashcards_with_fsrs(built_site: Project, browser, tmp_path):
    # A copy of the built site with a cards script of two cards only, so the counts of
    # reviews due are exact.
    import shutil

    from generator.quiz.pages import cards_data

    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    cards = two_flashcards()
    (site / QUIZZES / "data" / "cards.js").write_text(cards_data(cards), encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    page.clock.install(time=START)
    page.goto(url(site, f"{QUIZZES}/review.html"))
    count = page.locator(".quiz-review-count")
    assert count.inner_text() == "2 reviews due now."  # new cards are due at once
    front = page.locator(".quiz-review-front").inner_text()
    card = next(c for c in cards if c.front == front)
    page.get_by_role("button", name="Show the answer").click()
    back = page.locator(".quiz-review-back")
    assert card.back in back.inner_text()
    href = back.locator("a").get_attribute("href")
    assert (site / QUIZZES / href.partition("#")[0]).resolve().is_file()
    page.get_by_role("button", name=re.compile(r"^Easy")).click()
    assert count.inner_text() == "1 review due now."
    saved = stored(page)["review"][f"card:{card.id}"]["card"]
    assert saved["reps"] == 1 and saved["due"] > START.replace("Z", "")
    page.get_by_role("button", name="Show the answer").click()
    page.get_by_role("button", name=re.compile(r"^Again")).click()
    assert count.inner_text() == "0 reviews due now."
    page.clock.fast_forward("20:00")  # past the "again" card's short step
    page.reload()
    assert count.inner_text() == "1 review due now."
    assert page.locator(".quiz-review-front").inner_text() != card.front
    context.close()

"""Quiz pages stay small at any pack size: a topic's quiz is split into parts.

On a pack ten times the real one (bench/synth.py), every quiz page's Markdown stays under
the budget that keeps its built HTML under 150 KB, every item is on exactly one part of
its topic, and the parts link to each other (part 1 lists them all). On the real built
site, every quiz page's HTML is under 150 KB and every part beyond the first is reached
by links (not the nav).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import nav_paths

from bench.synth import synthesize
from generator.evidence import load_evidence
from generator.nav import MAX_LISTED_PARTS, NavNode, site_nav, unlisted
from generator.quiz import TOPICS, Bank, build_bank, load_models, mock_exam, site_pages
from generator.quiz.itemmodels import build_cards
from generator.quiz.pages import MOCK_EXAM, PART_SIZE, bank_fingerprint, split_parts

ROOT = Path(__file__).resolve().parent.parent
HTML_LIMIT = 150_000
# A built quiz page is about 1.4 bytes of HTML per byte of Markdown over Material's
# ~28 KB of page chrome, so 85 KB of Markdown stays under the HTML limit.
MARKDOWN_LIMIT = 85_000
DATA = re.compile(r'<script type="application/json" id="quiz-data-[a-z-]+">(.*?)</script>', re.S)


def widget_items(text: str) -> list[dict]:
    data = DATA.search(text)
    assert data
    return json.loads(data[1])["items"]


def topic_parts(pages: dict[str, str], topic: str) -> list[str]:
    names = [f"quizzes/{topic}.md"]
    while f"quizzes/{topic}-{len(names) + 1}.md" in pages:
        names.append(f"quizzes/{topic}-{len(names) + 1}.md")
    return names


@pytest.mark.parametrize("count", [0, 1, 19, 20, 21, 43, 64, 641])
def test_split_parts_keeps_order_and_sizes_parts_evenly(count):
    items = list(range(count))
    parts = split_parts(items)  # type: ignore[arg-type]
    assert [i for part in parts for i in part] == items
    assert all(len(part) <= PART_SIZE for part in parts)
    assert len(parts) == max(1, -(-count // PART_SIZE))
    assert max(map(len, parts)) - min(map(len, parts)) <= 1


@pytest.fixture(scope="module")
def pack10(tmp_path_factory):
    folder = synthesize(10, tmp_path_factory.mktemp("pack10") / "pack", ROOT / "content")
    ev = load_evidence(folder / "content", folder)
    # Copies of real trials share their values, so the item linter's balance rules fail
    # on a synthetic pack (bench/stages.py says why); the pages are what is tested here.
    models = load_models(folder / "quizzes", folder)
    bank = build_bank(ev, models)
    return bank, site_pages(Bank(bank, mock_exam(bank), build_cards(ev, models), []))


def test_every_quiz_page_of_a_10x_pack_stays_small_and_holds_each_item_once(pack10):
    bank, pages = pack10
    quiz_pages = {p: t for p, t in pages.items() if p.endswith(".md")}
    for path, text in quiz_pages.items():
        assert len(text.encode("utf-8")) < MARKDOWN_LIMIT, path
    seen: set[str] = set()
    for topic in TOPICS:
        names = topic_parts(pages, topic)
        mine = {i.id for i in bank if i.topic == topic}
        assert len(names) == len(split_parts(sorted(mine)))
        # 10x: every topic whose questions grow with the trials splits (mechanism's come
        # from the drug's pathways, which the synthetic pack does not copy)
        assert len(names) > 1 or len(mine) <= PART_SIZE, topic
        ids = [entry["id"] for name in names for entry in widget_items(pages[name])]
        assert len(ids) == len(set(ids)) and set(ids) == mine, topic
        seen |= set(ids)
        if len(names) == 1:
            continue  # one page: no parts to list or turn through
        for k, name in enumerate(names, 1):
            text = pages[name]
            assert f'data-quiz="{topic}"' in text  # progress stays keyed by the topic
            listed = re.search(r'<p class="quiz-parts" markdown>(.*?)</p>', text)
            assert listed, name
            if k == 1:  # part 1 lists every part; the others link to part 1
                others = [n.removeprefix("quizzes/") for n in names[1:]]
                assert all(f"]({other})" in listed[1] for other in others), name
            else:
                assert f"]({topic}.md)" in listed[1], name
            turn = re.search(r'<p class="quiz-turn" markdown>(.*?)</p>', text)
            assert turn, name
            if k > 1:
                assert f"]({names[k - 2].removeprefix('quizzes/')})" in turn[1]
            if k < len(names):
                assert f"]({names[k].removeprefix('quizzes/')})" in turn[1]
            # Every part scores the whole quiz too: the same size and version everywhere.
            data = json.loads(DATA.search(text)[1])
            assert data["total"] == len(mine), name
            assert data["bank"] == json.loads(DATA.search(pages[names[0]])[1])["bank"], name
            assert text.count('data-item="') == 2 * len(widget_items(text))  # key per part
    assert seen == {i.id for i in bank}
    assert f"quizzes/{MOCK_EXAM}.md" in pages and f"quizzes/{MOCK_EXAM}-2.md" not in pages


def test_built_quiz_pages_stay_under_the_limit_and_every_part_is_in_the_nav(built_site):
    quizzes = built_site.site / "generated" / "quizzes"
    html = {p.name: p for p in quizzes.glob("*.html")}
    assert html
    for name, path in html.items():
        assert path.stat().st_size < HTML_LIMIT, name
    nav = nav_paths(built_site)
    extra = sorted(n for n in html if re.fullmatch(r"[a-z]+-[0-9]+\.html", n))
    assert extra  # the real bank has topics of more than PART_SIZE questions
    for name in extra:
        first = html[name.rsplit("-", 1)[0] + ".html"].read_text(encoding="utf-8")
        assert f'href="{name}"' in first, name
    # The sidebar reaches every part, and previous/next walk them in order.
    for topic in TOPICS:
        parts = sorted(
            (n for n in html if re.fullmatch(rf"{topic}(-[0-9]+)?\.html", n)),
            key=lambda n: int(n[:-5].rpartition("-")[2] or 1) if "-" in n else 1,
        )
        listed = [f"generated/quizzes/{n[:-5]}.md" for n in parts]
        missing = [p for p in listed if p not in nav]
        assert not missing, f"generated nav lacks {missing} under the {topic} quiz"
        assert [p for p in nav if p in listed] == listed, topic
        for here, after in zip(parts, parts[1:], strict=False):
            footer = re.search(
                r'<a href="([^"]+)" class="md-footer__link md-footer__link--next"',
                html[here].read_text(encoding="utf-8"),
            )
            assert footer and footer[1] == after, (here, after)


def test_bank_fingerprint_names_the_items_and_their_keys(bank):
    # Saved answers count towards the whole-quiz score only under this fingerprint, so it
    # must change when a question is removed or re-keyed, and not when pages reorder.
    single = next(i for i in bank if i.type == "single")
    rekeyed = single.model_copy(update={"key": (single.key + 1) % len(single.options)})
    fingerprint = bank_fingerprint(bank)
    assert bank_fingerprint(list(reversed(bank))) == fingerprint
    assert bank_fingerprint(bank[1:]) != fingerprint
    assert bank_fingerprint([rekeyed if i is single else i for i in bank]) != fingerprint
    # A corrected value: the same key index, another option text.
    options = [*single.options[:-1], single.options[-1] + " (corrected)"]
    reworded = single.model_copy(update={"options": options})
    assert bank_fingerprint([reworded if i is single else i for i in bank]) != fingerprint


def test_a_quiz_of_very_many_parts_is_listed_by_its_first_part(evidence):
    # Every part in the sidebar of every quiz page grows each page with the pack; beyond
    # MAX_LISTED_PARTS a topic is listed by part 1 (which links every part), and MkDocs is
    # told the rest are left out of the nav on purpose.
    many = MAX_LISTED_PARTS + 2
    files = {f"generated/quizzes/{name}.md" for name in ("index", "trials", "toxicity")}
    files |= {f"generated/quizzes/trials-{n}.md" for n in range(2, many + 1)}
    files |= {"generated/quizzes/toxicity-2.md"}
    nav = site_nav(evidence, frozenset(files), {"trials": "Trials", "toxicity": "Toxicity"})
    quizzes = next(n for n in nav if n.title == "Quizzes").children
    assert NavNode(None, "generated/quizzes/trials.md") in quizzes
    toxicity = next(n for n in quizzes if n.title == "Toxicity")
    assert [c.path for c in toxicity.children] == [
        "generated/quizzes/toxicity.md",
        "generated/quizzes/toxicity-2.md",
    ]
    assert unlisted(nav, files) == sorted(
        f"generated/quizzes/trials-{n}.md" for n in range(2, many + 1)
    )

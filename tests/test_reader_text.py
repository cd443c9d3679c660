"""What a reader reads: no internal id on any page or in the PDF, no number run into a
word, glossary tooltips only on the term itself, one glossary row per page id.

Read from the built site's HTML (what a person sees, not the Markdown) and from the PDF's
text; the ids come from the model and the bank, so a new record is covered as it is added.
"""

from __future__ import annotations

import re
from collections import Counter

import markdown
from site_html import parse

from generator.exports import DOWNLOADS
from generator.model import GlossaryTerm
from generator.pages import abbreviations
from generator.render import markdown_environment, shields
from generator.validate import check, entity_index

# A lower-case word run into a number ("about4") or a number run into a word ("4days").
RUN_TOGETHER = re.compile(r"(?<![\w.-])(?:[a-z]{2,}\d[\w.]*|\d+[a-z]{3,}\w*)")


def internal_ids(evidence, bank) -> set[str]:
    """Names only the program uses: record names with a slash, hyphen or digit
    (`emilia/pfs-hr`, `her2-expansion`), discrepancy ids and kinds, quiz item ids."""
    names = {n for n in entity_index(evidence) if re.search(r"[/\-\d]", n)}
    names |= {d.id for d in evidence.discrepancies}
    names |= {d.kind for d in evidence.discrepancies if "-" in d.kind}
    names |= {item.id for item in bank}
    return names


def found_ids(text: str, names: set[str]) -> list[str]:
    return sorted(n for n in names if re.search(rf"(?<![\w/.\-]){re.escape(n)}(?![\w/\-])", text))


def page_texts(built_site) -> dict[str, str]:
    """Visible text of every built page, and of every figure (its <text> labels)."""
    texts = {
        str(path.relative_to(built_site.site)): parse(path.read_text(encoding="utf-8")).text()
        for path in sorted(built_site.site.rglob("*.html"))
    }
    for path in sorted((built_site.site / "generated").rglob("*.svg")):
        labels = re.findall(r">([^<]+)<", path.read_text(encoding="utf-8"))
        texts[str(path.relative_to(built_site.site))] = " ".join(labels)
    return texts


def test_no_internal_id_on_any_page(built_site, evidence, bank):
    names = internal_ids(evidence, bank)
    assert len(names) > 300, "the id list should cover records, discrepancies and items"
    texts = page_texts(built_site)
    assert len(texts) > 30
    shown = {page: found_ids(text, names) for page, text in texts.items()}
    assert not {page: ids for page, ids in shown.items() if ids}


def test_no_internal_id_in_the_pdf(pdf_page_texts, evidence, bank):
    text = "\n".join(pdf_page_texts)  # pypdf's text of the built site's PDF (conftest)
    # a word broken at a line end in the PDF reads on without the hyphen
    text = text.replace("\u2010\n", "")
    assert len(text) > 100_000
    assert not found_ids(text, internal_ids(evidence, bank))


def test_the_id_check_finds_an_id_in_text():
    assert found_ids("Concerns: emilia/pfs-hr.", {"emilia/pfs-hr", "pfs-hr"}) == ["emilia/pfs-hr"]
    assert found_ids("EMILIA and TDM4450g", {"emilia", "tdm4450g"}) == []


def test_no_number_runs_into_a_word(built_site, evidence):
    # Names that are written so: the glossary's terms and the download files' names.
    allowed = {g.abbr for g in evidence.glossary} | {name for name, _ in DOWNLOADS.values()}
    runs = {}
    for page, text in page_texts(built_site).items():
        found = [m.group(0) for m in RUN_TOGETHER.finditer(text) if m.group(0) not in allowed]
        if found:
            runs[page] = found
    assert not runs


def test_the_run_together_check_finds_the_slips_it_is_for():
    text = "Half-life: about4 days, 4days, 3.6 mg/kg, q3w, HER2, T-DM1, CDK4/6, 25–270 times"
    assert [m.group(0) for m in RUN_TOGETHER.finditer(text)] == ["about4", "4days"]


# --- glossary tooltips ---------------------------------------------------------------------


def render_with_tooltips(terms: list[GlossaryTerm], text: str) -> str:
    """Text through the pages' Markdown environment, then Python-Markdown with the
    abbreviation definitions the site appends to every page."""
    env = markdown_environment(shields((t.abbr, t.not_in) for t in terms))
    source = env.from_string("{{ text }}").render(text=text)
    defs = "\n".join(f"*[{t.abbr}]: {t.expansion}" for t in terms)
    return markdown.markdown(source + "\n\n" + defs, extensions=["abbr"])


def test_no_tooltip_inside_a_longer_term():
    iv = GlossaryTerm(abbr="IV", expansion="intravenous", not_in=["stage IV"])
    html = render_with_tooltips([iv], "Given IV in stage IV disease; stage IV again.")
    assert html.count('<abbr title="intravenous">IV</abbr>') == 1
    assert "stage IV" in parse(html).text()  # the reader still reads "stage IV"
    assert parse(html).text().count("stage IV") == 2


def test_a_longer_term_must_contain_the_abbreviation_as_a_word():
    for bad in (["stage IVa"], ["IV"]):
        try:
            GlossaryTerm(abbr="IV", expansion="intravenous", not_in=bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad} accepted")


def test_built_pages_keep_longer_terms_out_of_the_tooltips(built_site, evidence):
    shielded = [(g.abbr, p) for g in evidence.glossary for p in g.not_in]
    assert shielded, "the glossary names no longer term"
    seen = 0
    for path in sorted(built_site.site.rglob("*.html")):
        raw = path.read_text(encoding="utf-8")
        text = parse(raw).text()
        for abbr, phrase in shielded:
            wrapped = re.escape(phrase).replace(
                re.escape(abbr), rf"<abbr[^>]*>{re.escape(abbr)}</abbr>"
            )
            assert not re.search(wrapped, raw), f"{path.name}: tooltip inside {phrase!r}"
            seen += text.count(phrase)
    assert seen, "no page shows a longer term: the check would pass on nothing"


def test_abbreviations_file_has_one_definition_per_term(evidence):
    lines = [line for line in abbreviations(evidence).splitlines() if line]
    keys = [line.split("]:")[0] for line in lines]
    assert len(keys) == len(set(keys)) == len(evidence.glossary)


def test_glossary_terms_differing_only_in_case_are_rejected(evidence):
    twin = GlossaryTerm(abbr="hr", expansion="a term spelt like HR in lower case")
    changed = evidence.model_copy(update={"glossary": [*evidence.glossary, twin]})
    problems = [message for _, message in check(changed)]
    assert any("ignoring case" in m and "'hr'" in m for m in problems), problems
    assert not [m for _, m in check(evidence) if "ignoring case" in m]


def test_no_page_repeats_an_id(built_site):
    # "IDFS" and "iDFS" once gave the glossary two rows with one id: a link to either
    # landed on the first.
    repeated = {}
    for path in sorted(built_site.site.rglob("*.html")):
        found = Counter(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8")))
        twice = sorted(i for i, n in found.items() if n > 1)
        if twice:
            repeated[path.name] = twice
    assert not repeated

"""The built site: every fact on its page, links that resolve, nothing from another host,
content shown as text, navigation complete, failed builds that change nothing.

Pages are read as HTML (what a reader sees). Expected values come from the model through
the shared formatter `generator.fmt`, whose own spelling is pinned by hand-written
cases in test_fmt.py; the EMILIA numbers below are typed from the article.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import pytest
import yaml
from conftest import ROOT, copy_of_built, make_project, nav_paths, pack_of
from site_html import Node, ids, parse, record_text

from generator import fmt, links
from generator.build import BuildError, Project, build
from generator.cli import main
from generator.loader import InputError
from generator.render import md_escape
from generator.validate import entity_index

SVG_NS = "{http://www.w3.org/2000/svg}"


# --- helpers ---------------------------------------------------------------------------


def html_path(project: Project, page: str) -> Path:
    """Built file of a page as `links.locate` names it (use_directory_urls is off)."""
    return project.site / (links.docs_path(page).removesuffix(".md") + ".html")


_trees: dict[Path, Node] = {}


def tree(path: Path) -> Node:
    if path not in _trees:
        _trees[path] = parse(path.read_text(encoding="utf-8"))
    return _trees[path]


def record(project: Project, ev, name: str) -> str:
    """The text a reader sees for record `name`, found by its anchor on its page."""
    page, anchor = links.locate(name, ev)
    found = ids(tree(html_path(project, page)))
    assert anchor in found, f"{name}: no id={anchor!r} on {page}"
    return record_text(found[anchor])


def built_html(project: Project) -> list[Path]:
    """Every built page except 404.html, whose links MkDocs makes root-absolute for a web
    server's error handler; opened from disk there is no error page to show."""
    return sorted(p for p in project.site.rglob("*.html") if p.name != "404.html")


def snapshot(*folders: Path) -> dict[str, str]:
    out = {}
    for folder in folders:
        files = [folder] if folder.is_file() else sorted(folder.rglob("*"))
        for path in files:
            if path.is_file():
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


# --- navigation ------------------------------------------------------------------------


def test_every_completed_trial_has_a_nav_entry_and_every_entry_was_built(built_site, evidence):
    # The nav is generated (generator/nav.py): a trial added to the content is listed.
    nav = nav_paths(built_site)
    completed = [t for t in evidence.trials if t.status == "completed"]
    assert completed and nav
    for trial in completed:
        assert links.docs_path(links.trial_page(trial.id, evidence)) in nav, trial.id
    for entry in nav:
        assert (built_site.site / (entry.removesuffix(".md") + ".html")).is_file(), entry


def test_every_page_of_the_issue_is_in_the_nav(built_site):
    nav = set(nav_paths(built_site))
    for page in (
        links.HOME,
        links.MECHANISM,
        links.TIMELINE,
        links.COMPARISON,
        links.TOXICITY,
        links.RESISTANCE,
        links.ONGOING,
        links.GLOSSARY,
        links.SOURCES,
        links.BACKGROUND,
    ):
        assert links.docs_path(page) in nav, page


# --- every record on its page, with its value ----------------------------------------


def test_every_record_has_its_anchor_on_its_page(built_site, evidence):
    names = entity_index(evidence)
    assert len(names) > 100
    for name in names:
        record(built_site, evidence, name)


def test_trials_show_name_phase_and_size(built_site, evidence):
    for trial in evidence.trials:
        text = record(built_site, evidence, trial.id)
        assert trial.name in text
        assert fmt.count(trial.n) in text, trial.id
        assert f"phase {trial.phase}" in text or trial.phase == "preclinical"


def test_trials_say_when_randomisation_is_implied_not_stated(built_site, evidence):
    implied = [t for t in evidence.trials if not t.design.randomisation_stated]
    assert implied, "the pack records trials whose randomisation the review only implies"
    for trial in evidence.trials:
        text = record(built_site, evidence, trial.id)
        said = "randomised" if trial.design.randomised else "not randomised"
        assert said in text, trial.id
        assert ("does not state it" in text) == (trial in implied), trial.id


def test_endpoints_show_their_values(built_site, evidence):
    endpoints = [(t, e) for t in evidence.trials for e in t.endpoints]
    assert endpoints
    for trial, ep in endpoints:
        text = record(built_site, evidence, f"{trial.id}/{ep.id}")
        assert fmt.endpoint_value(ep) in text, f"{trial.id}/{ep.id}: {text}"
        if ep.ci:
            assert fmt.interval(ep.ci, ep.unit) in text


def test_comparisons_show_estimate_ci_and_p(built_site, evidence):
    comparisons = [(t, c) for t in evidence.trials for c in t.comparisons]
    assert any(c.measure == "HR" for _, c in comparisons)
    for trial, cmp in comparisons:
        text = record(built_site, evidence, f"{trial.id}/{cmp.id}")
        if fmt.comparison_value(cmp):
            assert fmt.comparison_value(cmp) in text, f"{trial.id}/{cmp.id}: {text}"
        if cmp.p:
            assert fmt.p_value(cmp.p) in text


def test_adverse_events_show_their_rates(built_site, evidence):
    events = [(t, a) for t in evidence.trials for a in t.adverse_events]
    assert events
    for trial, ae in events:
        text = record(built_site, evidence, f"{trial.id}/{ae.id}")
        assert fmt.adverse_event_value(ae) in text, f"{trial.id}/{ae.id}: {text}"
        assert ae.term in text


def test_findings_show_every_measurement(built_site, evidence):
    findings = [f for r in evidence.resistance for f in r.findings]
    assert any(f.measurements for f in findings)
    for finding in findings:
        text = record(built_site, evidence, finding.id)
        for m in finding.measurements:
            assert fmt.measurement_value(m) in text, f"{finding.id}: {m.label}"
            assert " ".join(m.label.split()) in text
            if m.ci:
                assert fmt.interval(m.ci, m.unit) in text, f"{finding.id}: {m.label} CI"
    # The one interval the review leaves open at the top reads as such.
    assert any(m.ci and m.ci.upper is None for f in findings for m in f.measurements)
    assert "4.6 months–NE" in record(built_site, evidence, "tdm4258g-her2-mrna")


def test_emilia_page_answers_the_acceptance_questions(built_site, evidence):
    """What EMILIA compared, in whom, with what PFS, OS, ORR, grade >=3 AEs and HRs:
    the numbers typed from the article (Phase 3 trials section)."""
    text = tree(html_path(built_site, links.trial_page("emilia", evidence))).text()
    for expected in (
        "991",
        "Lapatinib + capecitabine",
        "trastuzumab",
        "9.6 months",
        "6.4 months",
        "0.65 (0.55–0.77)",
        "30.9 months",
        "25.1 months",
        "0.68 (0.55–0.85)",
        "43.6%",
        "30.8%",
        "40.8%",
        "57.0%",
        "<0.001",
    ):
        assert expected in text, expected


def test_home_gives_evidence_date_and_not_medical_advice(built_site, evidence):
    text = tree(html_path(built_site, links.HOME)).text()
    assert evidence.source.evidence_date in text
    assert "Not medical advice" in text


def test_mechanism_lists_the_steps_in_order_with_a_figure(built_site, evidence):
    root = tree(html_path(built_site, links.MECHANISM))
    main_route = next(iter(evidence.vocabulary.pathways))  # the first: the drug's main route
    cytotoxic = sorted(
        (s for s in evidence.mechanism if s.pathway == main_route), key=lambda s: s.order
    )
    assert len(cytotoxic) >= 3
    found = ids(root)
    items = [found[links.anchor(s.id)] for s in cytotoxic]
    lists = {id(next(a for a in item.ancestors() if a.tag == "ol")) for item in items}
    assert len(lists) == 1, "the cytotoxic steps are one ordered list"
    ol = next(a for a in items[0].ancestors() if a.tag == "ol")
    shown = [li.text() for li in ol.iter("li")]
    assert [i for s in cytotoxic for i, t in enumerate(shown) if s.title in t] == list(
        range(len(cytotoxic))
    )
    assert any(img.attrs.get("src", "").endswith("mechanism.svg") for img in root.iter("img"))


def test_ongoing_trials_are_grouped_under_their_setting(built_site, evidence):
    ongoing = [t for t in evidence.trials if t.status == "ongoing"]
    assert ongoing
    root = tree(html_path(built_site, links.ONGOING))
    article = next(n for n in root.iter("article"))
    current = None
    seen = {}
    for node in article.iter():
        if node.tag == "h2":
            current = node.text().rstrip("¶ ").strip()
        if node.tag == "h3" and "id" in node.attrs:
            seen[node.attrs["id"]] = current
    for trial in ongoing:
        assert seen.get(links.anchor(trial.id)) == evidence.vocabulary.settings[trial.setting]


def test_discrepancies_show_every_value_and_the_value_shown(built_site, evidence):
    assert evidence.discrepancies
    for disc in evidence.discrepancies:
        text = record(built_site, evidence, disc.id)
        for value in disc.values:
            assert " ".join(value.value.split()) in text
            assert " ".join(value.where.split()) in text
        assert " ".join(disc.shown.split()) in text


def test_outside_facts_sit_in_an_after_the_review_box(built_site, evidence):
    assert evidence.outside
    for fact in evidence.outside:
        page, anchor = links.locate(fact.id, evidence)
        node = ids(tree(html_path(built_site, page)))[anchor]
        box = next((a for a in node.ancestors() if "admonition" in a.classes()), None)
        assert box is not None, fact.id
        title = next(p for p in box.iter("p") if "admonition-title" in p.classes())
        assert title.text() == "After the review (not from the review)"
        assert " ".join(fact.statement.split()) in box.text()


def test_probable_registry_numbers_are_labelled_probable(built_site, evidence):
    probable = [
        t
        for t in evidence.trials
        if t.nct_source and t.nct_source.outside and t.nct_source.outside.certainty == "probable"
    ]
    assert probable
    for trial in probable:
        text = record(built_site, evidence, trial.id)
        assert re.search(rf"{trial.nct}\s*\(probable", text), trial.id


def test_glossary_terms_have_tooltips_wherever_they_appear(built_site, evidence):
    # Python-Markdown's abbr extension matches between word boundaries (\b...\b), so a
    # term that ends in a sign, like "HER2+", is never wrapped: its stem ("HER2") carries
    # the tooltip instead. Such terms are left out here on purpose.
    terms = {
        g.abbr: " ".join(g.expansion.split())
        for g in evidence.glossary
        if re.fullmatch(r"\w(.*\w)?", g.abbr)
    }
    assert terms
    pages = [p for p in built_html(built_site) if "quizzes" not in p.parts]
    for path in pages:
        root = tree(path)
        article = next(root.iter("article"))
        tooltips = {a.text(): a.attrs.get("title") for a in article.iter("abbr")}
        text = article.text()
        for longer in (phrase for g in evidence.glossary for phrase in g.not_in):
            text = text.replace(longer, " ")  # "stage IV" is no "IV" (intravenous)
        words = set(re.findall(r"[\w+\-/]+", text))
        for abbr, expansion in terms.items():
            if abbr in words:
                assert tooltips.get(abbr) == expansion, f"{path.name}: {abbr}"


# --- figures --------------------------------------------------------------------------


def test_figures_have_text_alternatives_and_no_script(built_site):
    figures = sorted((built_site.site / links.GENERATED / "figures").glob("*.svg"))
    assert len(figures) >= 5
    used = {
        Path(unquote(img.attrs["src"])).name: img.attrs.get("alt", "")
        for page in built_html(built_site)
        for img in tree(page).iter("img")
        if img.attrs.get("src", "").endswith(".svg")
    }
    for svg in figures:
        root = ET.parse(svg).getroot()
        assert root.find(f"{SVG_NS}title").text.strip(), svg.name
        assert root.find(f"{SVG_NS}desc").text.strip(), svg.name
        assert not list(root.iter(f"{SVG_NS}script")), svg.name
        assert used.get(svg.name, "").strip(), f"{svg.name} is shown nowhere with alt text"


def test_forest_plot_draws_every_hazard_ratio(built_site, evidence):
    ratios = [c for t in evidence.trials for c in t.comparisons if c.measure == "HR"]
    assert ratios
    svg = ET.parse(built_site.site / links.GENERATED / "figures" / "forest.svg").getroot()
    texts = [t.text or "" for t in svg.iter(f"{SVG_NS}text")]
    for cmp in ratios:
        assert any(fmt.comparison_value(cmp) in t for t in texts), cmp.id


def test_grade3_chart_compares_tdm1_with_each_control(built_site, evidence):
    svg = ET.parse(built_site.site / links.GENERATED / "figures" / "grade3.svg").getroot()
    texts = " ".join(t.text or "" for t in svg.iter(f"{SVG_NS}text"))
    emilia = evidence.trial("emilia")
    severe = [a for a in emilia.adverse_events if a.grade == "3-4" and a.rate is not None]
    assert len(severe) >= 2
    for ae in severe:
        assert fmt.percent(ae.rate) in texts


# --- links and hosts ------------------------------------------------------------------


LINK_ATTRS = ("href", "src", "srcset", "action", "data", "poster")


def test_every_internal_link_and_image_resolves(built_site):
    pages = built_html(built_site)
    assert len(pages) > 10
    checked = 0
    for page in pages:
        for node in tree(page).iter():
            for attr in LINK_ATTRS:
                value = node.attrs.get(attr)
                if not value or attr == "srcset":
                    continue
                parts = urlsplit(value)
                if parts.scheme or value.startswith("//"):
                    continue  # other hosts: see the test below; data: URIs are inline
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                if target.is_dir():
                    target = target / "index.html"
                assert target.is_file(), f"{page.name}: {value}"
                if parts.fragment and target.suffix == ".html":
                    assert unquote(parts.fragment) in ids(tree(target)), f"{page.name}: {value}"
                checked += 1
    assert checked > 100


URL = re.compile(r"https?://[^\s\"'()<>`\\]+")
# URLs inside the theme's and libraries' JavaScript that the built site never requests,
# each with the reason; the test fails on any other.
THEME_JS_URLS = {
    "http://www.w3.org/": "XML namespace names, not requests",
    "https://api.github.com/": "repository facts, used only with repo_url (not set)",
    "https://${": "GitLab repository facts URL template, used only with repo_url (not set)",
    "https://unpkg.com/mermaid": "Mermaid loader, used only for mermaid diagrams (none)",
    "https://unpkg.com/resize-observer-polyfill": "polyfill for browsers without ResizeObserver",
    "https://clipboardjs.com/": "licence banner comment",
    "https://bit.ly/": "comment in the search worker",
    "http://lunrjs.com": "licence banner comment",
    "http://tartarus.org/": "comment: Porter stemmer reference",
    "http://snowball.tartarus.org/": "comments in lunr stemmers: Snowball reference",
    "http://www.mozilla.org/MPL/": "licence comments in lunr language support",
    "http://code.google.com/": "comments in lunr language support",
    "https://github.com/": "comments in lunr language support",
    "http://chasen.org/": "comment in lunr Japanese segmenter",
    "https://developer.mozilla.org/": "comment in lunr Thai segmenter (wordcut)",
    "http://docs.python.org/": "comment in wordcut",
    "http://en.wikipedia.org/": "comment in wordcut",
    "http://msdn.microsoft.com/": "comment in wordcut",
    "http://narwhaljs.org": "comment in wordcut",
    "http://people.mozilla.org/": "comment in wordcut",
    "http://underscorejs.org": "comment in wordcut",
    "http://wiki.commonjs.org/": "comment in wordcut",
    "http://wiki.ecmascript.org/": "comment in wordcut",
}
SVG_NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")


def test_no_reference_to_another_host_except_outbound_content_links(built_site):
    outbound = 0
    for page in built_html(built_site):
        for node in tree(page).iter():
            for attr in LINK_ATTRS:
                value = node.attrs.get(attr, "")
                if not re.match(r"(https?:)?//", value):
                    continue
                rel = node.attrs.get("rel", "").split()
                assert node.tag == "a" and "noopener" in rel, f"{page.name}: <{node.tag}> {value}"
                outbound += 1
            if node.tag in {"script", "style"}:
                inline = "".join(c for c in node.children if isinstance(c, str))
                assert not URL.search(inline), f"{page.name}: inline {node.tag}"
    assert outbound > 0, "the registry links are expected to be the only outbound links"
    for css in built_site.site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        for url in re.findall(r"(?:url\(\s*['\"]?|@import\s+['\"])(https?:[^'\")]+)", text):
            pytest.fail(f"{css.name}: {url}")
    for js in built_site.site.rglob("*.js"):
        for url in URL.findall(js.read_text(encoding="utf-8", errors="replace")):
            assert url.startswith(tuple(THEME_JS_URLS)), f"{js.relative_to(built_site.site)}: {url}"
    for svg in built_site.site.rglob("*.svg"):
        for url in URL.findall(svg.read_text(encoding="utf-8")):
            assert url.startswith(SVG_NAMESPACES), f"{svg.name}: {url}"
    config = yaml.safe_load(built_site.config.read_text(encoding="utf-8").split("\nnav:")[0])
    assert "repo_url" not in config
    assert not any("mermaid" in p.read_text(encoding="utf-8") for p in built_html(built_site))


def test_offline_shim_is_local_and_listed_first(built_site):
    for page in built_html(built_site):
        scripts = [s.attrs["src"] for s in tree(page).iter("script") if "src" in s.attrs]
        assert scripts and "iframe-worker/shim.js" in scripts[0], page.name
        assert (page.parent / scripts[0]).resolve().is_file()
    assert (built_site.site / "search" / "search_index.js").is_file()


# --- content is text ------------------------------------------------------------------

INJECTED = '<script>alert("x")</script> *not bold* [not a link](javascript:alert(1)) a|b'


def test_script_in_content_is_shown_as_text(tmp_path, evidence):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / "trials" / "emilia.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    emilia = data["trials"][0]
    emilia["population"] = INJECTED
    emilia["endpoints"][0]["note"] = INJECTED
    emilia["limitations"].append(INJECTED)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    glossary = content / "glossary.yaml"
    terms = yaml.safe_load(glossary.read_text(encoding="utf-8"))
    terms["glossary"][0]["expansion"] = INJECTED
    glossary.write_text(yaml.safe_dump(terms, allow_unicode=True), encoding="utf-8")

    project = make_project(tmp_path / "project", content)
    build(project)
    page = html_path(project, links.trial_page("emilia", evidence))
    root = parse(page.read_text(encoding="utf-8"))
    assert root.text().count(INJECTED) >= 3, "the injected text is shown verbatim"
    for script in root.iter("script"):
        assert "alert" not in "".join(c for c in script.children if isinstance(c, str))
    for a in root.iter("a"):
        assert not a.attrs.get("href", "").startswith("javascript:")
    assert not any(n.tag in {"strong", "em"} and n.text() == "not bold" for n in root.iter())
    titles = [a.attrs.get("title") for a in root.iter("abbr")]
    first = terms["glossary"][0]["abbr"]
    glossary_page = parse(html_path(project, links.GLOSSARY).read_text(encoding="utf-8"))
    assert INJECTED in glossary_page.text()
    if any(a.text() == first for a in root.iter("abbr")):
        assert INJECTED in titles


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "*stars* and _underscores_",
        "a | b | c",
        "[text](http://example.org)",
        "1. not a list",
        "- not a list",
        "# not a heading",
        "+ plus",
        "{#not-an-id}",
        "&amp; stays &amp;",
        "back\\slash `code`",
        "HR 0.65 (0.55–0.77); P <0.001",
    ],
)
def test_markdown_escape_round_trips(text):
    rendered = markdown.markdown(
        f"| x |\n|---|\n| {md_escape(text)} |\n\n{md_escape(text)}\n",
        extensions=["tables", "attr_list", "abbr", "md_in_html"],
    )
    root = parse(rendered)
    cell = next(root.iter("td"))
    paragraph = next(root.iter("p"))
    assert cell.text() == text
    assert paragraph.text() == text
    assert not [
        n for n in root.iter() if n.tag not in {"table", "thead", "tbody", "tr", "th", "td", "p"}
    ]


# --- failures change nothing ----------------------------------------------------------


@pytest.fixture
def rebuilt(tmp_path, built_site) -> Project:
    """A project copy after a good build (and `pdf`): the output a failed build must keep."""
    return copy_of_built(built_site, tmp_path / "project")


def test_failed_builds_leave_the_previous_output_intact(rebuilt, monkeypatch):
    before = snapshot(rebuilt.generated, rebuilt.home, rebuilt.site)
    assert len(before) > 20

    # 1. bad content: the loader refuses it
    broken = rebuilt.content / "trials" / "emilia.yaml"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("n: 991", "n: -991"), encoding="utf-8")
    with pytest.raises(InputError):
        build(rebuilt)
    assert snapshot(rebuilt.generated, rebuilt.home, rebuilt.site) == before
    broken.write_text(good, encoding="utf-8")

    # 2. a rendering step fails
    import generator.pages

    def explode(ev):
        raise RuntimeError("figure failed")

    with monkeypatch.context() as patch:
        patch.setattr(generator.pages, "site_figures", explode)
        with pytest.raises(BuildError, match="figure failed"):
            build(rebuilt)
    assert snapshot(rebuilt.generated, rebuilt.home, rebuilt.site) == before

    # 3. mkdocs --strict fails (a stray page in the docs_dir, with a dead link)
    (rebuilt.docs / "dead-link.md").write_text("# Dead\n\n[gone](nowhere.md)\n", encoding="utf-8")
    with pytest.raises(BuildError) as failure:
        build(rebuilt)
    assert any("nowhere.md" in p for p in failure.value.problems)
    assert snapshot(rebuilt.generated, rebuilt.home, rebuilt.site) == before


def test_build_command_exits_2_on_bad_content_and_writes_nothing(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "source.yaml").write_text("source: [unclosed\n", encoding="utf-8")
    live = snapshot(ROOT / "site_src" / links.GENERATED, ROOT / "site")
    assert main(["--pack", str(pack_of(content)), "build"]) == 2
    assert "source.yaml:" in capsys.readouterr().err
    assert snapshot(ROOT / "site_src" / links.GENERATED, ROOT / "site") == live

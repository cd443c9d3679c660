"""Script payloads planted in every text field of the content never run, and show as text.

The fields are found from the model (every `str` field of every record kind reachable
from `Evidence`, minus identifiers and other patterned or literal fields), so a field
added to the model is planted without editing this test. Each planted value is a unique
tag followed by markup that would run if any step put it into HTML raw: a closing
</title>, a <script>, an <img onerror>, an <svg onload>, an attribute break-out and a
Jinja expression. A field the validation refuses the payload for (a cross-reference, a
formatted value) is put back and listed; it cannot reach a page as planted text.

Then the site, the PDF and the exports are built once, in a copy of the project, and:
- Chromium opens every page and figure that shows a planted tag, the print edition's HTML,
  a search, and a glossary tooltip, with `__pwn` exposed: no payload ever calls it;
- each tag's payload appears whole as text (or as an attribute's value) where it shows;
- the exports hold it as text (QTI XML text, Anki's escaped HTML, GIFT marked [plain]).

The quiz linter rightly dislikes payloads in stems; here it is not fatal (the bank goes
out as `load_bank(strict=False)` builds it), as it is not for the benchmark's synthetic packs.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import sqlite3
import subprocess
import typing
import zipfile
from pathlib import Path
from types import UnionType
from xml.etree import ElementTree

import pytest
import yaml
from browser import chromium, serve
from conftest import ROOT, make_project
from pydantic import BaseModel

from generator import cli
from generator.build import build, nav_file
from generator.cli import main
from generator.evidence import load_evidence, yaml_files
from generator.exports import DOWNLOADS, DOWNLOADS_DIR
from generator.loader import InputError, Loc, format_loc, read_yaml
from generator.model import Evidence
from generator.nav import entries_from_json
from generator.pdf.build import edition_document
from generator.pipeline import load

TAG = "pwn{:04d}x"
TAG_RE = re.compile(r"pwn\d{4}x")


def payload(tag: str) -> str:
    # No whitespace (Markdown and the PDF would fold it) and no parentheses (quiz text
    # drops parenthetical asides): `__pwn` is called as a tagged template.
    return (
        f"{tag}\"'></title></textarea><script>__pwn`{tag}`</script>"
        f"<img/src=x/onerror=__pwn`{tag}`><svg/onload=__pwn`{tag}`>{{{{7*7}}}}"
    )


# --- which fields are text --------------------------------------------------------------


def _kinds(annotation) -> tuple[bool, list[type[BaseModel]]]:
    """Whether a field annotation takes free text, and the record classes inside it."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        if any(getattr(m, "pattern", None) for m in meta):
            return False, []  # an identifier or other patterned text
        for m in meta:
            if any(getattr(x, "pattern", None) for x in getattr(m, "metadata", [])):
                return False, []
        return _kinds(base)
    if origin is typing.Literal:
        return False, []
    if origin in (typing.Union, UnionType, list):
        text, models = False, []
        for arg in typing.get_args(annotation):
            t, m = _kinds(arg)
            text, models = text or t, models + m
        return text, models
    if annotation is str:
        return True, []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return False, [annotation]
    return False, []


def text_fields(model: type[BaseModel]) -> dict[str, tuple[bool, list[type[BaseModel]]]]:
    checked = {
        name
        for dec in model.__pydantic_decorators__.field_validators.values()
        for name in dec.info.fields
    }
    out = {}
    for name, info in model.model_fields.items():
        if any(getattr(m, "pattern", None) for m in info.metadata):
            continue
        text, models = _kinds(info.annotation)
        out[name] = (text and name not in checked, models)
    return out


def all_text_fields(model: type[BaseModel] = Evidence, seen=None) -> set[str]:
    """Every `Record.field` that takes free text, reachable from `model`."""
    seen = set() if seen is None else seen
    if model in seen:
        return set()
    seen.add(model)
    found = set()
    for name, (text, models) in text_fields(model).items():
        if text:
            found.add(f"{model.__name__}.{name}")
        for sub in models:
            found |= all_text_fields(sub, seen)
    return found


# --- planting -------------------------------------------------------------------------


class Planter:
    def __init__(self):
        self.count = 0
        # (file, loc in file) -> (tag, "Record.field", original value)
        self.planted: dict[tuple[str, Loc], tuple[str, str, str]] = {}
        self.refused: set[str] = set()  # "Record.field" the validation refused a payload for

    def new(self, display: str, loc: Loc, field: str, original: str) -> str:
        tag = TAG.format(self.count)
        self.count += 1
        self.planted[(display, loc)] = (tag, field, original)
        return payload(tag)

    def walk(self, data, model: type[BaseModel], display: str, loc: Loc) -> None:
        if not isinstance(data, dict):
            return
        fields = text_fields(model)
        for name, value in list(data.items()):
            if name not in fields:
                continue
            text, models = fields[name]
            here = (*loc, name)
            field = f"{model.__name__}.{name}"
            if text and isinstance(value, str):
                data[name] = self.new(display, here, field, value)
            elif text and isinstance(value, list):
                for i, v in enumerate(value):
                    if isinstance(v, str):
                        value[i] = self.new(display, (*here, i), field, v)
            for sub in models:
                items = value if isinstance(value, list) else [value]
                for i, item in enumerate(items):
                    self.walk(item, sub, display, (*here, i) if isinstance(value, list) else here)


def plant(content: Path, root: Path) -> Planter:
    """Plant a payload in every text value of every file under `content`; then put back
    those the validation refuses. Returns what stayed planted."""
    planter = Planter()
    files = {}
    for display, path in yaml_files(content, root):
        data, _, problems = read_yaml(path, display)
        assert not problems, problems
        for section, value in data.items():
            model = Evidence.model_fields[section].annotation
            text, models = _kinds(model)
            if text and isinstance(value, str):  # a section that is one text (case_subject)
                data[section] = planter.new(display, (section,), f"Evidence.{section}", value)
                continue
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                at = (section, i) if isinstance(value, list) else (section,)
                planter.walk(item, models[0], display, at)
        files[display] = (path, data)

    def write():
        for path, data in files.values():
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
            path.write_text(text, encoding="utf-8")

    for _ in range(10):
        write()
        try:
            load_evidence(content, root)
            return planter
        except InputError as exc:
            problems = exc.problems
        for problem in problems:
            for key, (_, _, original) in list(planter.planted.items()):
                planted_at = format_loc(key[1])
                same_place = key[0] == problem.path and (
                    planted_at.startswith(problem.field) or problem.field.startswith(planted_at)
                )
                # A value other records refer to by name ("no record named 'glossary/HER2'").
                named = f"'{key[1][0]}/{original}'" in problem.message
                if same_place or named:
                    planter.refused.add(planter.planted.pop(key)[1])
                    _set(files[key[0]][1], key[1], original)
    pytest.fail("the planted content never validated")


def _set(data, loc: Loc, value) -> None:
    for step in loc[:-1]:
        data = data[step]
    data[loc[-1]] = value


# --- the planted build ------------------------------------------------------------------


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """A project copy with planted content: site built, then `pdf` (PDF and exports)."""
    tmp = tmp_path_factory.mktemp("payload")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    planter = plant(content, tmp)
    project = make_project(tmp / "project", content)
    # Planted text changes which cases some item models find, and with the bank's size how
    # many parts a quiz has: the copy's nav lists the parts this bank makes.
    # Payloads in stems are lint findings, not fatal here: the bank is loaded leniently.
    loaded = load(project.root, strict=False)
    build(project, loaded)
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(io.StringIO()):
        patch.setattr(cli, "_load", lambda args, strict=True: load(args.pack, strict=False))
        assert main(["--pack", str(project.root), "pdf"]) == 0
    nav = entries_from_json(nav_file(project.site).read_text(encoding="utf-8"))
    edition = edition_document(project.site, loaded, nav, progress=lambda _message: None)
    return project, planter, edition


def test_every_text_field_of_the_model_is_planted(planted):
    _, planter, _ = planted
    fields = {field for _, field, _ in planter.planted.values()}
    assert len(planter.planted) > 500
    # What was not planted: fields the validation refuses the payload for (references),
    # never fields of a record kind the walk missed.
    missing = all_text_fields() - fields
    assert missing <= planter.refused, missing
    # The two fields the issue found running a script are among the planted.
    assert {"Trial.name", "Drug.abbreviation"} <= fields


# Every text node (outside <script>/<style>) and attribute value of the document.
SHOWN_JS = """() => {
  const out = [document.title];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const tag = n.parentNode && n.parentNode.nodeName.toLowerCase();
    if (tag !== "script" && tag !== "style") out.push(n.data);
  }
  for (const el of document.querySelectorAll("*"))
    for (const a of el.attributes) out.push(a.value);
  return out;
}"""


def whole_payloads(shown: list[str]) -> tuple[set[str], set[str]]:
    """(tags seen at all, tags seen with their whole payload) in a page's text. Without
    regard to case: a sentence may start with a value and capitalise it."""
    seen = set()
    whole = set()
    for text in shown:
        folded = text.lower()
        for tag in TAG_RE.findall(folded):
            seen.add(tag)
            if payload(tag).lower() in folded:
                whole.add(tag)
    return seen, whole


def test_no_payload_runs_and_each_shows_as_text(planted):
    project, planter, edition = planted
    site = project.site
    tagged = [
        p.relative_to(site).as_posix()
        for p in sorted(site.rglob("*"))
        if p.suffix in {".html", ".svg"} and TAG_RE.search(p.read_text(encoding="utf-8"))
    ]
    assert len(tagged) > 20, tagged
    ran: list[str] = []
    seen: dict[str, set[str]] = {}
    broken: dict[str, set[str]] = {}

    def look(page, where: str) -> None:
        got, whole = whole_payloads(page.evaluate(SHOWN_JS))
        seen[where] = got
        if got - whole:
            broken[where] = got - whole

    with chromium() as browser, serve(site) as base:
        context = browser.new_context()
        context.expose_function("__pwn", lambda tag: ran.append(str(tag)))
        page = context.new_page()
        page.on("dialog", lambda dialog: (ran.append(f"dialog {dialog.message}"), dialog.dismiss()))
        for rel in tagged:
            page.goto(base + rel, wait_until="load")
            look(page, rel)

        # Search: Material renders results from the index in the browser.
        trial = next(t for t in load_evidence(project.content, project.root).trials)
        tag = TAG_RE.search(trial.name).group()
        page.goto(base + "index.html", wait_until="load")
        page.keyboard.press("s")
        page.keyboard.type(tag)
        page.wait_for_selector(".md-search-result__item", timeout=20_000)
        results = page.locator(".md-search-result__list").inner_text()
        assert tag in results
        look(page, "search results")

        # Glossary tooltips: Material copies an <abbr> title into a tooltip on hover.
        glossary = "generated/glossary.html"
        page.goto(base + glossary, wait_until="load")
        abbr = page.locator("abbr[title*='pwn']").first
        abbr.hover()
        page.wait_for_timeout(500)
        look(page, "glossary tooltip")

        # The print edition's HTML, as WeasyPrint gets it.
        page.set_content(edition, wait_until="load")
        look(page, "print edition")
        context.close()

    assert not ran, f"payloads ran: {sorted(set(ran))[:20]}"
    assert not broken, f"payloads not shown whole as text: {broken}"
    shown = set().union(*seen.values())
    # Every planted value that reaches a page or the print edition was seen whole there,
    # and nearly every planted value reaches one (a few are never shown: a source section
    # equal to its trial's, a measurement's arm, the review's file name).
    planted_tags = {tag for tag, _, _ in planter.planted.values()}
    assert shown <= planted_tags
    assert len(shown) > 0.95 * len(planted_tags), sorted(planted_tags - shown)[:20]


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


def test_exports_hold_the_payloads_as_text(planted, tmp_path):
    project, _, _ = planted
    downloads = project.site / DOWNLOADS_DIR

    # PDF: the payloads are printed as text (the edition's HTML is checked above).
    pdf = downloads / DOWNLOADS["pdf"][0]
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert len(set(re.findall(r"<script>__pwn`(pwn\d{4}x)`</script>", text))) > 50

    # GIFT: every question marked plain text, so Moodle escapes it when it shows it.
    gift = (downloads / DOWNLOADS["gift"][0]).read_text(encoding="utf-8")
    questions = re.findall(r"^::(?:\\.|[^:])*::(.{7})", gift, flags=re.M)
    assert questions and set(questions) == {"[plain]"}
    assert TAG_RE.search(gift)

    # QTI: the payloads are text of the XML, never elements.
    archive = zipfile.ZipFile(downloads / DOWNLOADS["qti"][0])
    seen, whole = set(), set()
    for name in archive.namelist():
        root = ElementTree.fromstring(archive.read(name))
        assert not {el.tag.rsplit("}", 1)[-1] for el in root.iter()} & {"script", "img", "svg"}
        shown = list(root.itertext()) + [v for el in root.iter() for v in el.attrib.values()]
        got, full = whole_payloads(shown)
        seen, whole = seen | got, whole | full
    assert seen and seen == whole

    # Anki: note fields are HTML; the payloads are in them escaped.
    with zipfile.ZipFile(downloads / DOWNLOADS["anki"][0]) as apkg:
        apkg.extract("collection.anki2", tmp_path)
    with contextlib.closing(sqlite3.connect(tmp_path / "collection.anki2")) as db:
        fields = [row[0] for row in db.execute("select flds from notes")]
    assert fields and not any(re.search(r"<(script|img|svg|title)\b", f) for f in fields)
    assert any("&lt;script&gt;__pwn`pwn" in f for f in fields)

    # JSON: data; each payload whole.
    bank = json.loads((downloads / DOWNLOADS["json"][0]).read_text(encoding="utf-8"))
    seen, whole = whole_payloads(_strings(bank))
    assert seen and seen == whole

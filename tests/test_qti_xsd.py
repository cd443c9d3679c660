"""The QTI 2.1 package against the published IMS schemas, as a validating LMS reads it.

The manifest against IMS Content Packaging 1.1, every item file against IMS QTI 2.1:
the schemas are vendored under tests/data/ims-xsd/ (source and licence in its README),
so this runs offline. Item ids hold "/", ".", "[n]" and capitals; the identifiers and
hrefs made from them must be valid xs:ID / xs:anyURI and stay one to one.
"""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path

from lxml import etree

from generator.exports import export_bytes
from generator.exports.qti import identifier
from generator.pack import load_pack
from generator.quiz.items import QuizItem

XSD = Path(__file__).resolve().parent / "data" / "ims-xsd"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"

ANKI = load_pack(Path(__file__).resolve().parent.parent).config.anki


@cache
def schema(relative: str) -> etree.XMLSchema:
    # no_network: every import must resolve to a vendored file.
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(XSD / relative), parser))


def assert_valid(xsd: str, data: bytes, name: str) -> None:
    checker = schema(xsd)
    if not checker.validate(etree.fromstring(data)):
        errors = [f"{e.line}: {e.message}" for e in checker.error_log][:10]
        raise AssertionError(f"{name} fails {xsd}:\n" + "\n".join(errors))


def validate_package(data: bytes) -> list[str]:
    """Validate manifest and items; return the manifest's hrefs."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = archive.read("imsmanifest.xml")
    assert_valid("imscp_v1p1.xsd", manifest, "imsmanifest.xml")
    root = etree.fromstring(manifest)
    hrefs = [f.get("href") for f in root.iter(f"{CP}file")]
    assert sorted(hrefs) == sorted(n for n in archive.namelist() if n != "imsmanifest.xml")
    for href in hrefs:
        assert_valid("qtiv2p1/imsqti_v2p1.xsd", archive.read(href), href)
    return hrefs


def test_the_schemas_reject_what_they_should():
    """The validator is live: a manifest with an id that is not an xs:ID fails."""
    bad = (
        b'<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="m">'
        b'<organizations/><resources><resource identifier="res-x[1]" type="webcontent"/>'
        b"</resources></manifest>"
    )
    assert not schema("imscp_v1p1.xsd").validate(etree.fromstring(bad))


def test_qti_package_of_the_bank_is_valid(bank, evidence):
    hrefs = validate_package(export_bytes("qti", bank, evidence, ANKI))
    assert len(hrefs) == len(bank)


def odd_items() -> list[QuizItem]:
    """Ids that collide under a naive mapping ("/" -> "."), and characters that are not
    allowed in an xs:ID or a URI."""
    ids = ["a/b", "a.b", "a/b.c[1]", "a/b.c[2]", "A/é x?#%", "a_5B/b"]
    return [
        QuizItem(
            id=item_id,
            blueprint="odd",
            origin="quizzes/odd.yaml:1",
            topic="trials",
            type="single",
            stem=f"Stem of {item_id} <b>&amp;</b>",
            options=["one <i>", "two & three"],
            key=0,
            explanation="Because </modalFeedback>",
            objective="Odd ids stay valid",
            evidence=[{"record": "emilia", "path": "name"}],
            link="trials/emilia.md#emilia",
        )
        for item_id in ids
    ]


def test_odd_item_ids_give_valid_distinct_identifiers(evidence):
    items = odd_items()
    names = [identifier(item.id) for item in items]
    assert len(set(names)) == len(names)
    hrefs = validate_package(export_bytes("qti", items, evidence, ANKI))
    assert len(set(hrefs)) == len(items)
    archive = zipfile.ZipFile(io.BytesIO(export_bytes("qti", items, evidence, ANKI)))
    for item in items:
        root = etree.fromstring(archive.read(f"items/{identifier(item.id)}.xml"))
        assert root.get("title") == item.id  # the id itself survives, as text
        assert item.stem in "".join(root.itertext())

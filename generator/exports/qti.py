"""IMS QTI 2.1 content package: one assessmentItem file per item plus imsmanifest.xml.

Every item scores 1 when the response matches its correct response (numeric items:
within the tolerance). Its modal feedback: for a choice item, the chosen option's reason
(the FEEDBACK outcome holds the response's identifier); for every item, the explanation,
the take-away, the objective and the level (FEEDBACK always holds EXPLANATION), with each
option's reason listed for the types whose response names no single option. The zip is
byte-for-byte the same for the same bank (fixed entry dates, sorted entries).
"""

from __future__ import annotations

import io
import string
import zipfile
from xml.etree.ElementTree import Comment, Element, SubElement, indent, tostring

from ..quiz.items import QuizItem
from ..quiz.wording import about_lines, option_reasons, plain_number

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


_NAME_SAFE = frozenset(string.ascii_letters + string.digits + "-")


def identifier(item_id: str) -> str:
    """An item id as an XML NCName (xs:ID in the manifest) that is also safe in a URI path
    (the item's file name), one to one: "/" becomes ".", and every other character but
    ASCII letters, digits and "-" becomes "_" and its UTF-8 bytes in hex ("[" -> "_5B"),
    so "a/b", "a.b" and "a[1]" stay distinct."""
    out = []
    for ch in item_id:
        if ch in _NAME_SAFE:
            out.append(ch)
        elif ch == "/":
            out.append(".")
        else:
            out.append("".join(f"_{byte:02X}" for byte in ch.encode("utf-8")))
    return "item-" + "".join(out)


def choice_id(index: int) -> str:
    return f"c{index}"


def prompt_id(index: int) -> str:
    return f"p{index}"


def correct_values(item: QuizItem) -> list[str]:
    """The correct response as QTI writes it, in response order."""
    if item.type in ("single", "true-false"):
        return [choice_id(item.key)]
    if item.type == "numeric":
        return [plain_number(item.key)]
    if item.type == "matching":
        return [f"{prompt_id(i)} {choice_id(k)}" for i, k in enumerate(item.key)]
    return [choice_id(k) for k in item.key]


def _declaration(item: QuizItem) -> tuple[str, str]:
    """(cardinality, baseType) of the response."""
    return {
        "single": ("single", "identifier"),
        "true-false": ("single", "identifier"),
        "numeric": ("single", "float"),
        "matching": ("multiple", "directedPair"),
        "ordering": ("ordered", "identifier"),
    }[item.type]


def _text(parent: Element, tag: str, text: str, **attrs: str) -> Element:
    el = SubElement(parent, tag, attrs)
    el.text = text
    return el


def _interaction(item: QuizItem, body: Element) -> None:
    if item.type in ("single", "true-false"):
        box = SubElement(
            body,
            "choiceInteraction",
            responseIdentifier="RESPONSE",
            shuffle="false",
            maxChoices="1",
        )
        _text(box, "prompt", item.stem)
        for i, option in enumerate(item.options):
            _text(box, "simpleChoice", option, identifier=choice_id(i))
    elif item.type == "numeric":
        _text(body, "p", item.stem)
        line = SubElement(body, "p")
        SubElement(line, "textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="8")
        if item.unit:
            line[-1].tail = f" {item.unit}"
    elif item.type == "matching":
        box = SubElement(
            body,
            "matchInteraction",
            responseIdentifier="RESPONSE",
            shuffle="false",
            maxAssociations=str(len(item.prompts)),
        )
        _text(box, "prompt", item.stem)
        left = SubElement(box, "simpleMatchSet")
        for i, prompt in enumerate(item.prompts):
            _text(left, "simpleAssociableChoice", prompt, identifier=prompt_id(i), matchMax="1")
        right = SubElement(box, "simpleMatchSet")
        # matchMax 0 would mean "unlimited": any option may take every prompt
        uses = str(len(item.prompts))
        for i, option in enumerate(item.options):
            _text(right, "simpleAssociableChoice", option, identifier=choice_id(i), matchMax=uses)
    else:
        box = SubElement(body, "orderInteraction", responseIdentifier="RESPONSE", shuffle="false")
        _text(box, "prompt", item.stem)
        for i, option in enumerate(item.options):
            _text(box, "simpleChoice", option, identifier=choice_id(i))


def _scoring(item: QuizItem, root: Element) -> None:
    processing = SubElement(root, "responseProcessing")
    condition = SubElement(processing, "responseCondition")
    when = SubElement(condition, "responseIf")
    if item.type == "numeric":
        tolerance = plain_number(item.tolerance or 0)
        test = SubElement(
            when, "equal", toleranceMode="absolute", tolerance=f"{tolerance} {tolerance}"
        )
    else:
        test = SubElement(when, "match")
    SubElement(test, "variable", identifier="RESPONSE")
    SubElement(test, "correct", identifier="RESPONSE")
    score = SubElement(when, "setOutcomeValue", identifier="SCORE")
    _text(score, "baseValue", "1", baseType="float")
    otherwise = SubElement(SubElement(condition, "responseElse"), "setOutcomeValue")
    otherwise.set("identifier", "SCORE")
    _text(otherwise, "baseValue", "0", baseType="float")
    # FEEDBACK is a container: the chosen option (choice items) and EXPLANATION, so the
    # option's reason and the general feedback both show.
    shown = SubElement(SubElement(processing, "setOutcomeValue", identifier="FEEDBACK"), "multiple")
    if _choice(item):
        SubElement(shown, "variable", identifier="RESPONSE")
    _text(shown, "baseValue", "EXPLANATION", baseType="identifier")


def _choice(item: QuizItem) -> bool:
    return item.type in ("single", "true-false")


def _feedback(item: QuizItem, root: Element) -> None:
    """One modal feedback per option with a reason (choice items), then the general one."""
    attrs = {"outcomeIdentifier": "FEEDBACK", "showHide": "show"}
    reasons = option_reasons(item)
    if _choice(item):
        for i, label, why in reasons:
            box = SubElement(root, "modalFeedback", attrs, identifier=choice_id(i))
            _text(box, "p", f"{label}: {why}")
    general = SubElement(root, "modalFeedback", attrs, identifier="EXPLANATION")
    _text(general, "p", " ".join(item.explanation.split()))
    if reasons and not _choice(item):
        listed = SubElement(general, "ul")
        for _, label, why in reasons:
            _text(listed, "li", f"{label}: {why}")
    for name, text in about_lines(item):
        _text(general, "p", f"{name}: {text}")


def assessment_item(item: QuizItem) -> bytes:
    cardinality, base_type = _declaration(item)
    root = Element(
        "assessmentItem",
        {
            "xmlns": QTI,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": f"{QTI} {QTI_XSD}",
            "identifier": identifier(item.id),
            "title": item.id,
            "adaptive": "false",
            "timeDependent": "false",
        },
    )
    response = SubElement(
        root,
        "responseDeclaration",
        identifier="RESPONSE",
        cardinality=cardinality,
        baseType=base_type,
    )
    correct = SubElement(response, "correctResponse")
    for value in correct_values(item):
        _text(correct, "value", value)
    score = SubElement(
        root, "outcomeDeclaration", identifier="SCORE", cardinality="single", baseType="float"
    )
    _text(SubElement(score, "defaultValue"), "value", "0")
    SubElement(
        root,
        "outcomeDeclaration",
        identifier="FEEDBACK",
        cardinality="multiple",
        baseType="identifier",
    )
    _interaction(item, SubElement(root, "itemBody"))
    _scoring(item, root)
    _feedback(item, root)
    return _xml(root)


def manifest(items: list[QuizItem], title: str) -> bytes:
    root = Element(
        "manifest",
        {
            "xmlns": CP,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": f"{CP} {CP_XSD} {QTI} {QTI_XSD}",
            "identifier": "manifest-quiz-bank",
        },
    )
    metadata = SubElement(root, "metadata")
    _text(metadata, "schema", "QTIv2.1 Package")
    _text(metadata, "schemaversion", "1.0.0")
    SubElement(root, "organizations")
    resources = SubElement(root, "resources")
    for item in items:
        href = item_path(item)
        resource = SubElement(
            resources,
            "resource",
            identifier=f"res-{identifier(item.id)}",
            type="imsqti_item_xmlv2p1",
            href=href,
        )
        SubElement(resource, "file", href=href)
    root.insert(0, Comment(f" {title} "))
    return _xml(root)


def item_path(item: QuizItem) -> str:
    return f"items/{identifier(item.id)}.xml"


def _xml(root: Element) -> bytes:
    indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode()


def package(items: list[QuizItem], title: str) -> bytes:
    """The zip: imsmanifest.xml at the root, the items under items/."""
    files = {"imsmanifest.xml": manifest(items, title)}
    files.update({item_path(item): assessment_item(item) for item in items})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files, key=lambda n: (n != "imsmanifest.xml", n)):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()

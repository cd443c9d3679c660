"""The shared number formatter, pinned by hand: these spellings are what pages, figures
and the site tests all rely on, so they are written out here rather than derived."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from generator import figures, fmt
from generator.model import AdverseEvent, Comparison, Endpoint, Interval, Measurement

SRC = {"section": "Phase 3 trials", "ref": 26}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (24.0, "24.0"),
        (29, "29"),
        (43.6, "43.6"),
        (1092, "1,092"),
        (2500, "2,500"),
        (0.528, "0.528"),
    ],
)
def test_number_keeps_the_precision_it_was_given(value, expected):
    assert fmt.number(value) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (43.6, "%", "43.6%"),
        (9.6, "months", "9.6 months"),
        (1, "months", "1 month"),
        (3.6, "mg/kg", "3.6 mg/kg"),
        (1000, "mg/m2", "1,000 mg/m²"),
        (25, "fold", "25-fold"),
        (1, "patients", "1 patient"),
        (0.39, "ratio", "0.39"),
    ],
)
def test_quantity(value, unit, expected):
    assert fmt.quantity(value, unit) == expected


def test_hazard_ratio_shares_decimals_and_keeps_trailing_zeros():
    assert fmt.hazard_ratio(0.65, Interval(low=0.55, high=0.77)) == "0.65 (0.55–0.77)"
    assert fmt.hazard_ratio(0.8, Interval(low=0.67, high=0.95)) == "0.80 (0.67–0.95)"
    assert fmt.hazard_ratio(0.528, Interval(low=0.442, high=0.661)) == "0.528 (0.442–0.661)"
    assert fmt.hazard_ratio(0.5) == "0.50"


def test_p_values_read_as_printed():
    assert fmt.p_value("<0.001") == "<0.001"
    assert fmt.p_value("=0.012") == "0.012"
    assert fmt.p_value("0.458") == "0.458"


def test_record_values():
    pfs = Endpoint(id="pfs", kind="PFS", value=9.6, unit="months", source=SRC)
    assert fmt.endpoint_value(pfs) == "9.6 months"
    orr = Endpoint(
        id="orr", kind="ORR", value=34.5, unit="%", numerator=38, denominator=110, source=SRC
    )
    assert fmt.endpoint_value(orr) == "34.5% (38/110)"
    dor = Endpoint(id="dor", kind="DoR", reached=False, unit="months", source=SRC)
    assert fmt.endpoint_value(dor) == "not reached"
    hr = Comparison(
        id="hr", kind="PFS", measure="HR", experimental="a", control="b",
        estimate=0.59, ci=Interval(low=0.36, high=0.97), source=SRC,
    )  # fmt: skip
    assert fmt.comparison_value(hr) == "0.59 (0.36–0.97)"
    only_p = Comparison(
        id="d", kind="ORR", measure="difference", experimental="a", control="b", p="<0.001",
        source=SRC,
    )  # fmt: skip
    assert fmt.comparison_value(only_p) == ""
    assert (
        fmt.adverse_event_value(
            AdverseEvent(id="g34", term="any", grade="3-4", rate=57.0, source=SRC)
        )
        == "57.0%"
    )
    assert (
        fmt.adverse_event_value(AdverseEvent(id="chf", term="CHF", grade="3", count=1, source=SRC))
        == "1 patient"
    )
    assert (
        fmt.adverse_event_value(
            AdverseEvent(id="hep", term="hepatic", grade="3+", rate=8, count=9, source=SRC)
        )
        == "8% (9 patients)"
    )
    ratio = Measurement(label="HR", value=0.85, unit="ratio", ci=Interval(low=0.44, high=1.67))
    assert fmt.measurement_value(ratio) == "0.85 (0.44–1.67)"
    assert fmt.interval(Interval(low=2.7, high=6.8), "months") == "2.7–6.8 months"
    assert fmt.interval(Interval(low=0.44, high=1.67), "ratio") == "0.44–1.67"


def test_interval_open_at_the_top_keeps_its_unit_on_the_number():
    assert fmt.interval(Interval(low=4.6, high="NE"), "months") == "4.6 months–NE"
    assert fmt.interval(Interval(low=16.2, high="NE"), "%") == "16.2%–NE"
    assert fmt.interval(Interval(low=0.5, high="NE")) == "0.5–NE"
    assert fmt.interval(Interval(low=0.5, high="NE"), "ratio") == "0.5–NE"
    assert fmt.hazard_ratio(0.7, Interval(low=0.512, high="NE")) == "0.700 (0.512–NE)"


def test_grade_bands():
    assert fmt.grade("3-4") == "grade 3–4"
    assert fmt.grade("3+") == "grade ≥3"
    assert fmt.grade("any") == "any grade"


def test_forest_plot_draws_an_open_interval_to_the_edge():
    ns = "{http://www.w3.org/2000/svg}"
    closed = figures.ForestRow("A", 0.6, 0.4, 0.9, "0.60 (0.40–0.90)", "PFS")
    open_top = figures.ForestRow("B", 0.7, 0.5, None, "0.70 (0.50–NE)", "PFS")
    no_ci = figures.ForestRow("C", 0.8, None, None, "0.80", "PFS")
    svg = ET.fromstring(figures.forest_plot("t", "d", [closed, open_top, no_ci], "X"))
    rows = [g for g in svg.iter(f"{ns}g") if g.get("class") == "row"]
    # the dashed segment of the line of no effect aside, which every row draws
    lines = [
        len([ln for ln in g.iter(f"{ns}line") if not ln.get("stroke-dasharray")]) for g in rows
    ]
    arrows = [len(list(g.iter(f"{ns}path"))) for g in rows]
    # Closed: whisker and two caps. Open: whisker, low cap and an arrowhead. None: no whisker.
    assert lines == [3, 2, 0]
    assert arrows == [0, 1, 0]

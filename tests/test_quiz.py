"""The quiz bank: keys and wrong options' reasons recomputed from the evidence, cases true
to the trial they rest on, determinism, the linter, stats and pages.

Everything is recomputed here with code of our own (a resolver from record names to model
objects, the arithmetic, the eligibility check), never with the generator's, so a key
or a reason that drifted from the evidence cannot pass by using the same code twice.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from generator.cli import main
from generator.evidence import load_evidence
from generator.exports import export_bytes
from generator.pipeline import load
from generator.quiz import LEVELS, TOPICS, load_bank, site_pages
from generator.validate import entity_index

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ev():
    return load_evidence(ROOT / "content", ROOT)


@pytest.fixture(scope="module")
def full(ev):
    return load_bank(ev, ROOT, strict=False)


@pytest.fixture(scope="module")
def bank(full):
    return full.items


def of(bank, model: str) -> list:
    found = [i for i in bank if i.blueprint == model]
    assert found, f"the bank has no {model} items"
    return found


# --- an independent resolver and eligibility check ---------------------------------------


def resolve(ev, record: str, path: str):
    """The value at `path` inside the record named `record` (validate.entity_index)."""
    obj = ev
    for part in entity_index(ev)[record]:
        obj = obj[part] if isinstance(part, int) else getattr(obj, part)
    for segment in path.split("."):
        name, _, index = segment.partition("[")
        obj = getattr(obj, name)
        if index:
            obj = obj[int(index.rstrip("]"))]
    return obj


def numbers(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


def feature_values(ev) -> dict[str, dict[str, object]]:
    """feature label -> {printed phrase: value}, from the pack's vocabulary."""
    out: dict[str, dict[str, object]] = {}
    for f in ev.case_features:
        if f.count is not None:
            out[f.label] = {f.count.replace("{n}", str(n)): n for n in range(0, 10)}
            if f.one:
                out[f.label][f.one] = 1
        else:
            out[f.label] = {v.phrase: v.value for v in f.values}
    return out


def meets(ev, features: dict[str, str], trial) -> bool | None:
    """Whether the printed case meets every criterion of the trial (None: not settled)."""
    vocab = feature_values(ev)
    verdict: bool | None = True
    for crit in trial.eligibility.criteria:
        feature = ev.feature(crit.feature)
        if feature.label not in features:
            verdict = None
            continue
        value = vocab[feature.label][features[feature.label]]
        if crit.min is not None:
            if value < crit.min:
                return False
            continue
        implied = {value, *next((v.implies for v in feature.values if v.value == value), [])}
        if crit.value not in implied:
            return False
    return verdict


# --- the bank as a whole -------------------------------------------------------------------


def test_bank_size_levels_and_topics(bank):
    assert len(bank) >= 100
    higher = sum(1 for i in bank if i.level in ("application", "analysis"))
    assert higher >= 0.7 * len(bank), (higher, len(bank))
    assert {i.topic for i in bank} == set(TOPICS)
    assert {i.level for i in bank} <= set(LEVELS)
    assert sum(i.vignette for i in bank) >= 15


def test_every_item_teaches(ev, bank):
    """Explanation, objective, take-away, one distinct reason per option, evidence that
    resolves, a link to a page."""
    index = entity_index(ev)
    for item in bank:
        assert item.explanation and item.objective and item.takeaway and item.problem, item.id
        assert len(item.rationales) == len(item.options), item.id
        assert len(set(item.rationales)) == len(item.rationales), item.id
        assert item.rationales[item.key] == item.explanation, item.id
        assert len(item.errors) == len(item.options) and item.errors[item.key] == "key"
        for ref in item.evidence:
            assert ref.record in index, (item.id, ref.record)
        assert item.link.partition("#")[0].endswith(".md"), item.id


def test_ids_are_unique_and_options_distinct(bank):
    assert len({i.id for i in bank}) == len(bank)
    for item in bank:
        folded = [re.sub(r"\s+", " ", o.lower()) for o in item.options]
        assert len(set(folded)) == len(folded), item.id


def test_no_stem_is_repeated_and_no_option_repeats_its_stem(bank):
    stems = Counter(i.stem for i in bank)
    assert max(stems.values()) == 1, stems.most_common(3)
    for item in bank:
        for option in item.options:
            within = re.search(rf"(?<![\w.]){re.escape(option.lower())}(?![\w])", item.stem.lower())
            assert not within, (item.id, option)


def test_no_explanation_or_reason_carries_notes_on_the_source(bank):
    """Notes on the review's own inconsistencies belong on the sources page."""
    note = re.compile(r"the review (prints|gives .* two)|discrepan|contradict|table 1 gives", re.I)
    for item in bank:
        for text in (item.explanation, *item.rationales, item.takeaway):
            assert not note.search(text), (item.id, text)


def test_the_two_ways_caveat_only_where_the_review_prints_a_value_two_ways(ev, bank):
    """The caveat says the review prints a figure behind the key two ways: only true of a
    table-vs-text or text-vs-text discrepancy about a record the item rests on. A lost
    "<" in a P value, a wording note or an outside figure (kind `other`) is not that."""
    by_id = {d.id: d for d in ev.discrepancies}
    with_caveat = [i for i in bank if i.caveat]
    assert with_caveat
    for item in with_caveat:
        d = by_id[item.caveat_link.partition("#")[2]]
        assert d.kind in ("table-vs-text", "text-vs-text"), (item.id, d.id, d.kind)
        assert set(d.subjects) & {ref.record for ref in item.evidence}, (item.id, d.id)
        from_review = [v for v in d.values if "not from the review" not in v.where]
        assert len(from_review) >= 2, (item.id, d.id)
        # not one figure printed to two precisions (44% and 43.6%)
        if all(re.fullmatch(r"[\d.]+%?", v.value.strip()) for v in d.values):
            assert len({round(numbers(v.value)[0]) for v in d.values}) > 1, (item.id, d.id)


def test_a_figure_from_outside_the_review_says_so_where_it_is_printed(ev, bank):
    """A review record whose shown figure comes from a primary paper (its discrepancy
    marks that form "not from the review") is labelled where the learner reads it: in the
    stem when the stem prints it, else in each option and reason that does."""
    outside: set[float] = set()
    for d in ev.discrepancies:
        marked = [v for v in d.values if "not from the review" in v.where]
        review = {n for v in d.values if v not in marked for n in numbers(v.value)}
        outside |= {n for v in marked for n in numbers(v.value)} - review
    assert 0.422 in outside  # TH3RESA's PFS hazard ratio interval (Krop 2014)
    label = "from the primary publication, not the review"

    def prints(text: str) -> bool:
        return bool(set(numbers(text)) & outside)

    labelled = 0
    for item in bank:
        texts = [item.stem] if prints(item.stem) else [*item.options, *item.rationales]
        for text in texts:
            if prints(text):
                assert label in text, (item.id, text)
                labelled += 1
    assert labelled >= 3


def test_no_stem_prints_the_deciding_number_of_another_key_of_its_quiz(ev, bank):
    """A hinge by a number: another stem of the same quiz, about the same trial, prints a
    figure of the key ("35%", "0.65") that most wrong options lack, e.g. "cut the risk by
    35%" against the key "A 35% lower hazard ...", or "HR 0.65" against a key that alone
    carries HR 0.65. Checked with a figure reader of this test's own."""
    names = {t.name for t in ev.trials}
    figure = re.compile(r"(?<![\w.])\d+(?:\.\d+)?%?(?![\w.]?\d)")

    def figures(text: str) -> set[str]:
        return {f for f in figure.findall(text) if "%" in f or "." in f or len(f) > 1}

    def trials_in(stem: str) -> set[str]:
        return {n for n in names if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", stem)}

    for item in bank:
        if item.type != "single":
            continue
        wrong = [o for i, o in enumerate(item.options) if i != item.key]
        deciding = {
            f
            for f in figures(item.options[item.key])
            if 2 * sum(f not in figures(o) for o in wrong) >= len(wrong)
        }
        own = trials_in(item.stem)
        for other in bank:
            if other is item or other.topic != item.topic or not own & trials_in(other.stem):
                continue
            printed = deciding & figures(other.stem)
            assert not printed, (item.id, other.id, printed)


def test_design_limit_reasons_name_no_other_limit_than_the_key(bank):
    """A wrong option's reason says why that option is wrong; it must not name as "the
    limit" something other than the key (cohorts enrolled in turn have no comparator
    either, but their limit is that the schedules were not randomised)."""
    named = {
        "missing comparator": "no comparator arm",
        "enrolled in turn": "not assigned at random",
        "size of the split": "exploratory split",
    }
    for item in of(bank, "design-limit"):
        key = item.options[item.key]
        for i, reason in enumerate(item.rationales):
            if i == item.key:
                continue
            for phrase, key_words in named.items():
                if re.search(rf"limit(s this figure)? is (that )?(the )?.*{phrase}", reason):
                    assert key_words in key.lower(), (item.id, reason, key)


def test_keys_spread_over_positions(bank):
    positions = Counter(i.key for i in bank)
    assert max(positions.values()) < 0.4 * len(bank), positions


def test_the_bank_passes_the_linter(full):
    assert full.problems == []


# --- keys recomputed, model by model ---------------------------------------------------------


def test_hazard_ratio_readings(ev, bank):
    """The size and direction of the effect; the wrong options cross the two errors."""
    for item in of(bank, "read-hazard-ratio"):
        hr = resolve(ev, item.evidence[0].record, item.evidence[0].path)
        reduction, share = round((1 - hr) * 100), round(hr * 100)
        spoken = "An" if str(reduction).startswith("8") or reduction in (11, 18) else "A"
        assert item.options[item.key].startswith(f"{spoken} {reduction}% lower hazard"), item.id
        wrong = {o.split(" hazard")[0] for i, o in enumerate(item.options) if i != item.key}

        def a(n: int) -> str:  # "an 80%", "a 35%": as the number is spoken
            return "An" if str(n).startswith("8") or n in (11, 18) else "A"

        expected = {f"{a(share)} {share}% lower", f"{a(reduction)} {reduction}% higher"}
        assert wrong == expected | {f"{a(share)} {share}% higher"}


def test_interval_readings(ev, bank):
    for item in of(bank, "read-interval"):
        record, path = item.evidence[0].record, item.evidence[0].path
        # the CI beside the value: "estimate" -> "ci", "measurements[3].value" -> its ci
        ci = resolve(ev, record, "ci" if "." not in path else path.rsplit(".", 1)[0] + ".ci")
        null = 0 if path == "ci" else 1
        excludes = ci.high < null or ci.low > null
        key = item.options[item.key]
        assert key.startswith(f"It {'excludes' if excludes else 'includes'} {null},"), item.id
        assert ("unlikely" in key) == excludes, item.id


def test_absolute_gains_are_differences_of_the_two_arms(ev, bank):
    for model in ("absolute-gain", "more-benefit", "fewer-harmed"):
        for item in of(bank, model):
            a, b = (resolve(ev, r.record, r.path) for r in item.evidence[:2])
            places = max(len(str(a).partition(".")[2]), len(str(b).partition(".")[2]))
            expected = round(abs(a - b), places)
            assert numbers(item.options[item.key])[0] == pytest.approx(expected), item.id
            if model == "absolute-gain":  # a wrong option is one arm's own median
                wrong = [numbers(o)[0] for o in item.options if o != item.options[item.key]]
                assert a in wrong or b in wrong, item.id


def test_numbers_needed_to_treat(ev, bank):
    for item in of(bank, "number-needed"):
        a, b = (resolve(ev, r.record, r.path) for r in item.evidence[:2])
        assert numbers(item.options[item.key]) == [math.ceil(100 / (a - b) - 1e-9)], item.id


def test_landmark_results_print_both_medians_and_explain_with_the_hazard_ratio(ev, bank):
    """The options are the two medians (a hazard ratio in them would be given away by every
    stem that reads that ratio); the explanation quotes the hazard ratio too."""
    for item in of(bank, "landmark-result"):
        a, b, hr = (resolve(ev, r.record, r.path) for r in item.evidence[:3])
        assert numbers(item.options[item.key]) == [a, b], item.id
        assert hr in numbers(item.explanation), item.id


def test_patient_items_key_the_trial_she_fits_and_rule_out_the_others(ev, bank):
    """The key's trial takes the printed patient; every `ruled-out` option's trial has a
    criterion her printed case breaks."""
    checked = 0
    for model in ("evidence-for-patient", "trial-for-patient"):
        for item in of(bank, model):
            key_trial = next(t for t in ev.trials if t.name == item.options[item.key])
            assert key_trial.id == item.trial
            assert meets(ev, item.features, key_trial) is True, item.id
            for option, error in zip(item.options, item.errors, strict=True):
                other = next(t for t in ev.trials if t.name == option)
                if error == "ruled-out":
                    assert meets(ev, item.features, other) is False, (item.id, option)
                    checked += 1
                elif error in ("weaker", "broader"):
                    assert meets(ev, item.features, other) is True, (item.id, option)
    assert checked >= 10


def test_reasons_name_as_fitting_her_only_trials_her_case_does_not_rule_out(ev, bank):
    """A reason that says a trial "would also have taken her" (the single-arm studies that
    rank below the trial that fits her) names no trial whose criteria her printed case
    breaks."""
    by_name = {t.name: t for t in ev.trials}
    checked = 0
    for item in bank:
        if not item.vignette:
            continue
        for reason in item.rationales:
            said = re.search(r"; ([^;]*?), (?:a )?single-arm stud(?:y|ies)\b", reason)
            if not said:
                continue
            for name in re.split(r", | and ", said[1]):
                assert meets(ev, item.features, by_name[name]) is not False, (item.id, name)
                checked += 1
    assert checked


def test_every_vignette_fits_its_trial_and_says_nothing_beyond_the_evidence(ev, bank):
    vocab = feature_values(ev)
    mechanisms = {
        r.name: {m.group for f in r.findings for m in f.measurements} for r in ev.resistance
    }
    vignettes = [i for i in bank if i.vignette]
    assert len(vignettes) >= 15
    for item in vignettes:
        assert item.features, item.id
        for label, phrase in item.features.items():
            if label in mechanisms:  # a biomarker result: one of the evidence's groups
                assert phrase in mechanisms[label], (item.id, label, phrase)
            else:
                assert phrase in vocab[label], (item.id, label, phrase)
                assert phrase in item.stem, (item.id, phrase)
        trial = ev.trial(item.trial)
        if trial.eligibility and item.blueprint not in ("strength-for-patient",):
            assert meets(ev, item.features, trial) is True, item.id


def test_cases_are_needed_to_answer(bank):
    """Vignette items are asked the same way of several patients: the question sentence
    alone cannot tell them apart, only the case can."""
    for model in ("evidence-for-patient", "trial-for-patient", "strength-for-patient"):
        items = of(bank, model)
        leads = {i.stem.rsplit(". ", 1)[-1] for i in items}
        assert len(leads) == 1 and len({i.options[i.key] for i in items}) > 1, model


def test_biomarker_vignettes_need_the_case(ev, bank):
    """Remove the case and the lead-in ("her outlook on the drug") must not give the key:
    at least one wrong option is also the drug's own result, from a trial the case rules
    out (a PIK3CA split reported for the drug only in her own trial makes no item)."""
    drug = ev.drug.abbreviation
    for item in of(bank, "biomarker-for-patient"):
        about_drug = [o for o in item.options if re.search(rf", {re.escape(drug)}:", o)]
        assert len(about_drug) >= 2, (item.id, item.options)


def test_biomarker_options_give_each_study_its_own_cut_point(ev, bank):
    """Trials split one biomarker at different cut-points: EMILIA's HER2 groups were
    "above" and "at or below" the median, TDM4450g's "at or above" and "below". Each
    option prints its groups as its own study's measurement labels word them, never one
    wording carried over from the keyed study."""
    cut = re.compile(r"(?:at or )?(?:above|below) the median")
    names = {t.id: t.name for t in ev.trials} | {s.id: s.name for s in ev.studies}
    own: dict[str, set[str]] = {}
    for r in ev.resistance:
        for f in r.findings:
            labels = [m.label for m in f.measurements if m.group]
            own.setdefault(names[f.study], set()).update(
                c for label in labels for c in cut.findall(label)
            )
    assert own["EMILIA"] == {"above the median", "at or below the median"}
    checked = set()
    for item in of(bank, "biomarker-for-patient"):
        for option in item.options:
            study = re.split(r"[,:]", option, maxsplit=1)[0]
            if not own.get(study):
                continue
            printed = re.findall(r"when (.+?)(?:,|$)", option)
            assert len(printed) == 2 and set(printed) <= own[study], (item.id, option)
            checked.add(study)
    assert {"EMILIA", "TDM4450g"} <= checked, checked


def test_rates_name_the_patients_they_count(ev, bank):
    """A rate the data give for a narrower population than the whole trial (TH3RESA's
    response rates: patients with measurable disease, in each record's label) says so in
    every stem that prints it, from the record, not from the trial's name."""
    population = re.compile(r"(?:\bin |, )(patients (?:with|who|whose) [^,;()]+)")
    narrowed: dict[str, tuple[str, set[float]]] = {}
    for t in ev.trials:
        for e in t.endpoints:
            found = population.search(e.label or "")
            if found and e.value is not None and e.subgroup is None:
                who, values = narrowed.setdefault(f"{t.name}/{e.kind}", (found.group(1), set()))
                values.add(float(e.value))
    assert "TH3RESA/ORR" in narrowed
    kinds = {"ORR": "objective response rate"}
    checked = 0
    for item in bank:
        for key, (who, values) in narrowed.items():
            name, kind = key.split("/")
            if not item.stem.startswith(f"In {name},") or kinds.get(kind) not in item.stem:
                continue
            if set(numbers(item.stem)) & values or "difference in" in item.stem:
                assert who in item.stem, (item.id, item.stem)
                checked += 1
    assert checked >= 4, checked


def test_later_results_say_what_they_mean_for_her_with_number_and_comparator(ev, bank):
    """The explanation of a later result says what it means for her: the figures of the
    drug's arm and of the comparator with their difference, or, for a verdict with no
    figures, the verdict against the comparator and the earlier trial's hazard ratio."""
    for item in of(bank, "later-result"):
        fact = next(
            f for f in ev.outside if f.statement.strip().rstrip(".") in item.options[item.key]
        )
        trial = next(t for t in ev.trials if t.id == fact.trial)
        control = next(a for a in trial.arms if a.role == "control")
        why = item.explanation
        assert "For her" in why and control.label.lower() in why.lower(), (item.id, why)
        values = [m.value for m in fact.measurements if m.arm and m.value is not None]
        if len(values) >= 2:
            a, b = values[:2]
            gain = round(abs(a - b), 1)
            assert {a, b, gain} <= set(numbers(why)), (item.id, why)
        else:
            assert fact.verdict, item.id
            assert re.search(r"not worse|did better", why), (item.id, why)
            assert re.search(r"HR \d\.\d+ against", why), (item.id, why)


def test_subgroup_stems_name_the_patients_and_both_groups_are_checked(ev, bank):
    """An exploratory subgroup's stem names its patients ("in patients with HER2 mRNA at
    or above the median") rather than pasting the record's label after its trial, and so
    no longer nearly repeats the other group's: claim-check asks of both groups."""
    labels = [m.label.lower() for r in ev.resistance for f in r.findings for m in f.measurements]
    for item in bank:
        for label in labels:
            assert label not in item.stem.lower(), (item.id, label)
    groups = {i.id.rsplit("-", 1)[1] for i in of(bank, "claim-check") if "her2-mrna" in i.id}
    assert groups == {"high", "low"}, groups


# --- the evidence changes, the bank follows -------------------------------------------------


def test_corrupting_content_changes_keys_and_reasons(tmp_path, ev, bank):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    emilia = content / "trials" / "emilia.yaml"
    text = emilia.read_text()
    assert text.count("estimate: 0.65\n") == 1 and text.count("value: 6.4\n") == 1
    text = text.replace("estimate: 0.65\n", "estimate: 0.75\n").replace(
        "value: 6.4\n", "value: 5.4\n"
    )
    emilia.write_text(text)
    th3resa = content / "trials" / "th3resa.yaml"
    text = th3resa.read_text()
    assert text.count("{feature: her2-regimens, min: 2}") == 1
    th3resa.write_text(
        text.replace("{feature: her2-regimens, min: 2}", "{feature: her2-regimens, min: 3}")
    )
    shutil.copytree(ROOT / "quizzes", tmp_path / "quizzes")

    after = {
        i.id: i for i in load_bank(load_evidence(content, tmp_path), tmp_path, strict=False).items
    }
    before = {i.id: i for i in bank}

    hr = after["read-hazard-ratio/emilia-pfs-hr"]
    assert hr.options[hr.key].startswith("A 25% lower hazard")
    assert (
        before["read-hazard-ratio/emilia-pfs-hr"]
        .options[before["read-hazard-ratio/emilia-pfs-hr"].key]
        .startswith("A 35% lower hazard")
    )
    gain = after["absolute-gain/emilia-pfs-tdm1"]
    assert gain.options[gain.key] == "A gain of 4.2 months"
    # TH3RESA now asks for three HER2-directed regimens: the reason it is ruled out follows
    reason = "TH3RESA required that a patient has had at least {} HER2-directed regimens"
    old = " ".join(" ".join(i.rationales) for i in before.values())
    new = " ".join(" ".join(i.rationales) for i in after.values())
    assert reason.format(2) in old and reason.format(3) in new


def test_the_same_bank_in_another_process_with_another_hash_seed(ev, bank, tmp_path):
    """`export --format json` run in two fresh processes with different hash seeds writes
    the same bytes, and those are the bytes this process exports: no set or hash order
    reaches the bank."""
    outs = []
    for hash_seed in ("1", "12345"):
        out = tmp_path / f"bank-{hash_seed}.json"
        run = subprocess.run(
            [sys.executable, "-m", "generator", "export", "--format", "json", "--out", str(out)],
            cwd=ROOT,
            env=dict(os.environ, PYTHONHASHSEED=hash_seed),
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    loaded = load(ROOT)
    cards = loaded.bank.cards
    assert outs[0] == export_bytes("json", bank, ev, loaded.pack.config.anki, cards=cards)
    theirs = json.loads(outs[0])["items"]
    assert [(i["id"], i["options"], i["key"]) for i in theirs] == [
        (i.id, i.options, i.key) for i in bank
    ]


# --- commands and pages ------------------------------------------------------------------------


def test_stats_prints_counts_by_topic_type_and_level(bank, capsys):
    assert main(["stats"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split()
    assert header[0] == "topic" and set(LEVELS) <= set(header)
    rows = {
        line.split()[0]: line.split()[1:]
        for line in lines[1:]
        if line.split()[0] in (*TOPICS, "all")
    }
    for topic in TOPICS:
        levels = Counter(i.level for i in bank if i.topic == topic)
        got = dict(zip(header[1:], rows[topic], strict=False))
        assert all(int(got[lv]) == levels[lv] for lv in LEVELS), topic
        assert int(rows[topic][-1]) == sum(1 for i in bank if i.topic == topic)
    assert "application or analysis" in lines[-1]


def test_check_validates_the_quizzes_too(capsys):
    assert main(["check"]) == 0
    assert "quiz items" in capsys.readouterr().out


def test_site_pages_hold_every_item_once_and_an_answer_key_after_the_questions(ev, bank):
    pages = site_pages(load_bank(ev, ROOT))
    names = {f"quizzes/{t}.md" for t in TOPICS} | {"quizzes/index.md", "quizzes/mock-exam.md"}
    assert names <= pages.keys()
    for topic in TOPICS:
        parts = [pages[f"quizzes/{topic}.md"]]
        while f"quizzes/{topic}-{len(parts) + 1}.md" in pages:
            parts.append(pages[f"quizzes/{topic}-{len(parts) + 1}.md"])
        keys = {}
        for page in parts:
            key_starts = page.index("## Answer key")
            data = re.search(
                r'<script type="application/json" id="quiz-data-[a-z-]+">(.*?)</script>', page
            )
            widget = json.loads(data[1])
            for entry in widget["items"]:
                marker = f'data-item="{entry["id"]}"'
                assert page.count(marker) == 2
                assert page.index(marker) < key_starts < page.rindex(marker)
                keys[entry["id"]] = entry["key"]
        assert keys == {i.id: i.key for i in bank if i.topic == topic}


def test_mock_exam_mixes_every_topic_without_hinges(full):
    topics = Counter(i.topic for i in full.exam)
    assert set(topics) == set(TOPICS)
    assert full.problems == []  # the exam is linted as one quiz with the bank
    assert len(full.exam) == 40
    assert {i.id for i in full.exam} <= {i.id for i in full.items}


def test_flashcards_hold_the_facts_that_left_the_bank(ev, full):
    cards = {c.id: c for c in full.cards}
    assert len(cards) == len(full.cards)
    terms = [c for c in full.cards if c.id.startswith("term/")]
    assert len(terms) == len(ev.glossary)
    her2 = next(t for t in ev.glossary if t.abbr == "HER2")
    [card] = [c for c in terms if c.front == "What is HER2?"]
    assert card.back == her2.expansion
    ongoing = [t for t in ev.trials if t.status == "ongoing"]
    for trial in ongoing:
        card = cards[f"ongoing-trial/{trial.id}"]
        assert f"{trial.n:,}" in card.back and trial.name in card.front
    # no scored item asks what an abbreviation stands for
    assert not any(re.search(r"stand for\??$", i.stem) for i in full.items)

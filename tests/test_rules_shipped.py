"""The shipped rule files (rules/*.yml): they load and they keep the
quality recorded in docs/rules-eval.md on the labelled sets."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import CORPORA, REPO, RULES, extra_path, shared_path

from analogscan.model import TYPE_CODES
from analogscan.ruleset.loader import load_ruleset

# Figures recorded in docs/rules-eval.md (micro F1, full pipeline as `analogscan eval`:
# scan_file over the labelled documents + evaluate.load_gold/score); the tests allow 0.02 below.
# labels-dev + gold/labels-extra (+ unlabelled) + corpora. 0.967 until the fifth session; 0.929 since the rules follow
# the two cross-batch settlements of gold/wide (docs/rules-eval.md): labels-dev labels 立入検査 of facilities as jicchi
# only (also 水道法第17条, which what-counts.md's municipal clarification names as jicchi and mokushi) and registration
# standards that name subjects and lecturers as koshu; the settled line (and the rules) say + mokushi and not koshu
RECORDED_MICRO_F1_DEV_SET = 0.929
RECORDED_MICRO_F1_CORPORA = 0.996  # corpora/labels.jsonl over corpora/reiki
TOLERANCE = 0.02


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(RULES)  # raises RuleLoadError listing every problem


def test_every_type_has_rules(ruleset):
    types = {r.type for r in ruleset.rules}
    assert types == set(TYPE_CODES)


def test_ids_unique(ruleset):
    ids = Counter([r.id for r in ruleset.rules] + [x.id for x in ruleset.exclusions])
    assert [i for i, n in ids.items() if n > 1] == []


def test_every_rule_has_examples(ruleset):
    thin = [
        r.id
        for r in [*ruleset.rules, *ruleset.exclusions]
        if len(r.examples_match) < 2 or len(r.examples_no_match) < 2
    ]
    assert thin == [], f"rules with fewer than 2 positive / 2 negative examples: {thin}"


def test_rules_have_japanese_title_message_and_triggers(ruleset):
    for r in ruleset.rules:
        assert r.title and r.message and "{matched}" in r.message, r.id
        assert r.triggers, r.id
        assert 0 < r.confidence <= 1, r.id


def _pipeline_micro(gold_files: list[Path], paths: list[Path]):
    """Micro scores of the shipped rules on the labelled documents, the way `analogscan eval` does."""
    from analogscan.engine import Engine
    from analogscan.evaluate import load_gold, render_eval, score
    from analogscan.ingest import iter_input_files
    from analogscan.pipeline import scan_file

    gold = load_gold(gold_files)
    files = [f for f in iter_input_files(paths) if f.stem in gold.docs]  # only the labelled docs
    assert files, f"no labelled document found under {paths}"
    engine = Engine(load_ruleset(RULES))
    res = score(gold, [scan_file(f, engine) for f in files])
    return res.micro, render_eval(res, max_list=40)


@pytest.mark.slow  # scans the labelled real laws: ~17 s
def test_dev_set_f1_pipeline():
    """labels-dev + gold/labels-extra (+ unlabelled = unjudged) + corpora, full pipeline (~15 s)."""
    shared_labels = shared_path("labels-dev", "labels.jsonl")
    corpus = shared_path("corpus", "national_laws_2013", "text")
    golds = [shared_labels, REPO / "gold" / "labels-extra.jsonl", REPO / "gold" / "unlabelled.jsonl"]
    golds += [CORPORA / "labels.jsonl"] if (CORPORA / "labels.jsonl").exists() else []
    micro, table = _pipeline_micro(golds, [corpus, CORPORA / "reiki"])
    assert micro.f1 >= RECORDED_MICRO_F1_DEV_SET - TOLERANCE, table


def test_corpora_f1_pipeline():
    labels = CORPORA / "labels.jsonl"
    if not labels.exists():
        pytest.skip("corpora/labels.jsonl not built")
    micro, table = _pipeline_micro([labels], [CORPORA / "reiki"])
    assert micro.f1 >= RECORDED_MICRO_F1_CORPORA - TOLERANCE, table


def test_shipped_triggers_are_sound_on_the_sample_corpus(ruleset):
    """The engine's contract (engine.py): a rule fires only where one of its triggers occurs. Checked on the
    bundled sample ordinances by scanning with and without the trigger check (``analogscan rules triggers``)."""
    from analogscan.ingest import iter_input_files
    from analogscan.trigger_audit import audit_triggers, render_trigger_audit

    audit = audit_triggers(ruleset, iter_input_files([CORPORA / "reiki"]))
    assert audit.documents >= 10 and not audit.errors
    assert not audit.gaps, render_trigger_audit(audit, ruleset)


# Blind figures on the wide gold (gold/wide: two independent readers + settler; documents split
# once by a hash of their name, rules written on the dev documents only), recorded in
# docs/rules-eval.md. Per half: (likely P, likely R, both tiers P, both tiers R); the test allows
# TOLERANCE below each, and both tiers together must find at least what the search words find.
RECORDED_BLIND = {
    # 2026-12-06 (fourth session): posting as the method of a notice (掲示場への掲示とする, 掲示等の方法により周知)
    # raised municipal blind likely R 0.916 -> 0.945
    # 2026-12-06 (fifth session): a cross-batch settlement added mokushi to 19 municipal 立入検査/実地調査 provisions
    # that name a physical thing (session-start rules on the new labels: 0.928/0.928, 0.676/0.968); mokushi-018 and the
    # sign-procedure exclusions (common-015) give 0.933/0.946, 0.682/0.986
    # sixth session: 「掲示場(以下「…」という。)への掲示とする」 (keiji-001) raised likely R 0.946 -> 0.953
    # fourteenth session: a third reader settled 「掲示（する）等の方法により」 as an open alternative (keiji -17 over all
    # municipal, blind included); the session-start rules on the settled labels 0.916/0.956, 0.665/0.985; the rules
    # following the line (common-009) 0.932/0.956, 0.675/0.985
    # fifteenth session: the rank stage (rules/ranker.json, trained on the dev halves) decides the tiers: 0.953/0.960,
    # 0.675/0.985 (likely P +0.021 against the rules' own tiers; both tiers unchanged by construction)
    "municipal": (0.953, 0.960, 0.675, 0.985),
    # national4 and national5 (2026-12-05, read after the rules of that day were written) added 26 laws,
    # 58 blind positives; national6 (2026-12-06, 14 laws of few positives) 3 more. Likely P fell
    # 0.779 -> 0.768 on national 1-5 with the recall fixes of 2026-12-06 (both-tier P rose 0.328 -> 0.358);
    # the one both-tier miss of national6 takes R to 0.963. 2026-12-06 (second session): narrower 要確認
    # nets raised both-tier P 0.356 -> 0.376; keiji-007's new exclusions cost one blind likely TP (R 0.731 -> 0.725).
    # national7 (13 laws, 1 blind positive) joined; likely P 0.773 -> 0.785 after the 準用/penal/frequency fixes.
    # national8 (8 laws, 28 blind positives, drawn after those fixes): 0.880/0.786 and 0.458/0.964 on its own
    # national9 (10 laws, 8 blind positives, read in the fourth session and measured before its rule changes) joined;
    # jicchi-008 (supervisory inspection of business or accounts) and narrower 要確認 nets: 0.817/0.746, 0.407/0.964
    # fifth session: national10 (11 laws, 24 blind positives) and national11 (5 koshu-rich laws, 13) joined, two
    # cross-batch settlements (立入検査 of things → + mokushi; koshu line on course standards and transitional rules);
    # national12 (28 laws drawn at random after the session's first rule changes, 19 blind positives) joined:
    # session-start rules on national 1-12 0.815/0.735, 0.419/0.949; end 0.830/0.743, 0.421/0.957
    # sixth session: national13 (17 laws, 63 blind positives), national14 (13 laws, 11) and national15 (6 laws, all dev)
    # joined, each measured with the rules at its draw first; session-start rules on national 1-15 0.851/0.779,
    # 0.451/0.955; end 0.852/0.782, 0.449/0.961 (the rules written from their dev laws barely move blind)
    # seventh session: two dependency rules for koshu (course as object of 受ける/修了; course as subject/object of
    # 行う with how it is run), dev unchanged: 0.849/0.798, 0.449/0.961; national16 (10 laws, 7 blind positives, drawn
    # after those rules; measured first with them: 0.805/0.909, 0.440/0.982 over dev+blind) joined, and the generic
    # exclusions written from its dev errors: 0.852/0.799, 0.419/0.962 on national 1-16
    # eighth session: three cross-batch settlements (常時監視 is mokushi, not jochu; 実地 checks naming a thing add mokushi;
    # 検査を受ける of a thing is mokushi) changed blind labels too: session-start rules on the new labels 0.849/0.796,
    # 0.418/0.959; the rules following them (jochu-007 removed, mokushi-101 keeps 立入検査 naming a thing) 0.859/0.796,
    # 0.417/0.964. national17 (all dev) and the rules written from it did not move blind
    # eleventh session: concept rules from the cross-batch lines (things named by a 立入検査, procedure around another
    # provision's 立入検査, a registered body's duty to do its work, constant watch is not jochu) and the items
    # condition (teiki-010), the provider-side transitional koshu rule: 0.865/0.796, 0.420/0.964 (likely P +0.003,
    # both-tier P +0.003 against the session-start rules)
    # twelfth session: concept rules from the fresh dev laws (a reference back to a named medium, the 電磁的記録
    # definition, an area marked on site, a frequency of confirming, inspect-before-use, the form a course is delivered
    # in, …): 0.866/0.805, 0.420/0.967 (likely R +0.009 against the session-start rules)
    # fifteenth session: the rank stage decides the tiers (rules unchanged): 0.881/0.811, 0.420/0.967
    "national": (0.881, 0.811, 0.420, 0.967),
    # ninth session: batches 18 and 19, 24 + 24 laws no session had read (drawn from the full 2013 mirror). Batch 18's
    # blind laws were measured with the rules at its draw (16ceb03: 0.891/0.760, 0.573/0.893) and the rules written from
    # its dev laws did not move them; batch 19 was drawn after those rules and measured with them (a8759f2)
    # tenth session: batch 20 (24 laws drawn after the batch-19 rules, read by four pairs, cross lines applied) joined
    # the fresh half; measured with the rules at its draw (64f8199) and no rule written from it: 0.868/0.863,
    # 0.532/0.932 over the blind laws of batches 18-20; then batch 21 (drawn after the teiki-001 trigger fix, measured
    # with the rules at its draw, no rule written from it): 0.854/0.818, 0.541/0.939 over the blind laws of batches 18-21
    # eleventh session: batch 22 (drawn before the session's rule changes, never read while writing them) joined; the
    # session's rules on the blind laws of batches 18-21: 0.880/0.837, 0.557/0.951 (start 0.854/0.818, 0.541/0.939);
    # with batch 22's blind laws: 0.840/0.827, 0.507/0.941
    # twelfth session: batch 23 (drawn at the session start, before any rule change, never read while writing them)
    # joined; the session's rules on the blind laws of batches 18-22: 0.840/0.846, 0.508/0.944 (start 0.840/0.827,
    # 0.507/0.941); with batch 23's blind laws: 0.832/0.837, 0.503/0.938
    # thirteenth session: batch 24 drawn first (never read; the session's rules find exactly what its draw rules found on
    # all 24 laws); the session's dev rules on the blind laws of batches 18-23: 0.837/0.834, 0.503/0.938 (start
    # 0.832/0.837); with batch 24's blind laws: 0.841/0.837, 0.488/0.940
    # fourteenth session: batch 25 drawn at the start (e6e2743), labelled, measured with the rules at its draw; the
    # session's rules (written from the dev halves of batches 18-24) gave identical results on every batch-25 document.
    # Blind laws of batches 18-24: 0.845/0.837, 0.489/0.940 (start 0.841/0.837); with batch 25's: 0.844/0.838, 0.491/0.940
    # fifteenth session: batch 26 drawn at the start and labelled before any change; the rank stage (trained without
    # batch 26) on the blind laws of batches 18-25: 0.876/0.831 (rules' own tiers 0.844/0.838); with batch 26's blind
    # laws, whose both-tier recall is only 0.680: 0.888/0.767, 0.498/0.890 (rules' own tiers 0.850/0.773)
    "fresh": (0.888, 0.767, 0.498, 0.890),
}
_WIDE = {
    "municipal": (["municipal.jsonl"], ("corpus", "municipal_23ku")),
    "national": (
        [
            "national.jsonl",
            "national2.jsonl",
            "national3.jsonl",
            "national4.jsonl",
            "national5.jsonl",
            "national6.jsonl",
            "national7.jsonl",
            "national8.jsonl",
            "national9.jsonl",
            "national10.jsonl",
            "national11.jsonl",
            "national12.jsonl",
            "national13.jsonl",
            "national14.jsonl",
            "national15.jsonl",
            "national16.jsonl",
            "national17.jsonl",
        ],
        ("corpus", "national_laws_2013", "more", "text"),
    ),
}
# national laws no session had read before they were labelled (gold/wide/fetch_fresh.py; texts in ../extra)
_FRESH = {
    "fresh": [
        "fresh18",
        "fresh19",
        "fresh20",
        "fresh21",
        "fresh22",
        "fresh23",
        "fresh24",
        "fresh25",
        "fresh26",
    ]
}


# scans the blind documents of one half (about 5 s each)
@pytest.mark.parametrize("half", sorted(_WIDE) + sorted(_FRESH))
def test_blind_figures_on_the_wide_gold(half: str) -> None:
    from analogscan.engine import Engine
    from analogscan.evaluate import baseline_predictions, compare, load_gold, render_comparison
    from analogscan.ingest import iter_input_files
    from analogscan.pipeline import scan_file

    if half in _FRESH:
        names = [f"{b}.jsonl" for b in _FRESH[half]]
        corpora = [extra_path(b) for b in _FRESH[half]]
    else:
        names, corpus_parts = _WIDE[half]
        corpora = [shared_path(*corpus_parts)]
    gold = load_gold([REPO / "gold" / "wide" / n for n in names])
    files = [
        f for f in iter_input_files(corpora) if gold.splits.get(f.stem) == "blind" and f.stem in gold.docs
    ]
    assert files
    engine = Engine(load_ruleset(RULES))
    cmp = compare(
        gold, [scan_file(f, engine) for f in files], baseline_predictions(files, gold), splits=("blind",)
    )
    cols = cmp.results["blind"]
    got = (
        cols["likely"].micro.precision,
        cols["likely"].micro.recall,
        cols["all"].micro.precision,
        cols["all"].micro.recall,
    )
    table = render_comparison(cmp, max_list=0)
    for name, g, floor in zip(
        ("likely P", "likely R", "all P", "all R"), got, RECORDED_BLIND[half], strict=True
    ):
        assert g >= floor - TOLERANCE, f"{half} blind {name} {g:.3f} < {floor:.3f} - {TOLERANCE}\n{table}"
    assert cols["all"].micro.recall >= cols["baseline"].micro.recall, table

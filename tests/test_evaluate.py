from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPORA

from analogscan.evaluate import (
    LabelsError,
    RuleComparison,
    TypeScore,
    compare,
    document_interval,
    load_gold,
    paired_difference,
    render_comparison,
    render_rule_comparison,
    score,
    search_word_types,
)
from analogscan.model import DocumentResult, Finding, Location


def finding(label: str, t: str, tier: str = "likely", **loc: object) -> Finding:
    return Finding(
        rule_id=f"{t}-001",
        type=t,
        location=Location(label=label, **loc),  # type: ignore[arg-type]
        provision_text="x",
        matched="x",
        span=(0, 1),
        message="m",
        confidence=0.9,
        tier=tier,
    )


def test_splits_tiers_and_baseline(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    lines = [
        {"doc": "a", "path": "第1条", "labels": ["keiji"], "split": "dev"},
        {"doc": "a", "path": "第2条", "labels": ["etsuran"], "split": "dev"},
        {"doc": "b", "path": "第1条", "labels": ["keiji"], "split": "blind"},
        {"doc": "b", "path": "第2条", "labels": [], "split": "blind"},
    ]
    gold.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    g = load_gold([gold])
    a, b = DocumentResult(path="/x/a.txt"), DocumentResult(path="/x/b.txt")
    a.findings = [
        finding("第1条", "keiji", article="1", paragraph=1),
        finding("第2条", "etsuran", "possible", article="2", paragraph=1),
    ]
    b.findings = [finding("第2条", "keiji", "possible", article="2", paragraph=1)]
    base = {("b", g_key): {"keiji"} for g_key in [k for d, k in g.labels if d == "b"]}
    cmp = compare(g, [a, b], base)
    dev, blind = cmp.results["dev"], cmp.results["blind"]
    assert (dev["likely"].micro.tp, dev["likely"].micro.fn) == (1, 1)  # the possible finding is not likely
    assert (dev["all"].micro.tp, dev["all"].micro.fn) == (2, 0)
    assert (blind["likely"].micro.tp, blind["likely"].micro.fp, blind["likely"].micro.fn) == (0, 0, 1)
    assert (blind["all"].micro.tp, blind["all"].micro.fp) == (0, 1)
    assert (blind["baseline"].micro.tp, blind["baseline"].micro.fp) == (1, 1)
    text = render_comparison(cmp)
    assert "盲検" in text and "検索語だけ" in text
    assert "95%区間" not in text  # one document a split: no interval to draw
    # errors are listed for dev only: the blind document's false alarm is not shown
    assert "b 第2条" not in text


def test_split_must_be_per_document(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text(
        '{"doc": "a", "path": "第1条", "labels": [], "split": "dev"}\n'
        '{"doc": "a", "path": "第2条", "labels": [], "split": "blind"}\n',
        encoding="utf-8",
    )
    with pytest.raises(LabelsError, match="split"):
        load_gold([gold])


def test_document_interval() -> None:
    """Resampling whole documents: errors packed into one document widen the interval."""
    even = {f"d{i}": TypeScore(tp=8, fp=1, fn=2) for i in range(20)}
    iv = document_interval(even)
    assert iv is not None and iv.documents == 20 and iv.resamples == 1000
    # every document alike: every resample gives the same figures
    assert iv.precision == (8 / 9, 8 / 9) and iv.recall == (0.8, 0.8)
    clustered = {f"d{i}": TypeScore(tp=8) for i in range(19)} | {"bad": TypeScore(tp=8, fp=19, fn=38)}
    iv2 = document_interval(clustered)
    assert iv2 is not None
    total = TypeScore(tp=160, fp=19, fn=38)
    assert iv2.precision[0] < total.precision < iv2.precision[1]
    assert iv2.recall[0] < total.recall < iv2.recall[1]
    assert iv2.recall[1] - iv2.recall[0] > 0.1
    # seeded: the same counts always print the same interval
    assert document_interval(clustered) == iv2
    assert document_interval({"only": TypeScore(tp=1)}) is None


def test_paired_difference() -> None:
    """Two rule sets scored on the same documents: a change that helps every law stands out of the noise; one that
    helps one law and hurts another does not."""
    old = {f"d{i}": TypeScore(tp=5, fp=1, fn=5) for i in range(20)}
    better = {f"d{i}": TypeScore(tp=7, fp=1, fn=3) for i in range(20)}
    d = paired_difference(better, old)
    assert d is not None and d.documents == 20
    assert d.recall == pytest.approx(0.2) and d.recall_interval == pytest.approx(
        (0.2, 0.2)
    )  # same gain everywhere
    assert d.precision > 0
    mixed = dict(old) | {"d0": TypeScore(tp=10, fp=1, fn=0), "d1": TypeScore(tp=0, fp=1, fn=10)}
    m = paired_difference(mixed, old)
    assert m is not None and m.recall == 0.0
    assert m.recall_interval[0] < 0 < m.recall_interval[1]
    assert paired_difference({"a": TypeScore(tp=1)}, {"a": TypeScore(fn=1)}) is None
    text = render_rule_comparison(
        RuleComparison({"blind": {"likely": d, "all": m}, "dev": {"likely": paired_difference(old, old)}}),
        "old/",
    )
    assert "R は上がった" in text and "0 を含む" in text and "どの文書でも同じ結果です" in text


def test_eval_compare_rules(tmp_path: Path) -> None:
    """``--compare-rules``: the same gold scored with the shipped rules and with a copy missing the keiji rules."""
    import shutil

    from conftest import REPO

    fewer = tmp_path / "rules"
    shutil.copytree(REPO / "rules", fewer)
    (fewer / "keiji.yml").unlink()
    out = tmp_path / "e.json"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "analogscan.cli",
            "eval",
            "--gold",
            str(CORPORA / "labels.jsonl"),
            str(CORPORA),
            "--compare-rules",
            str(fewer),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0, r.stderr
    assert "■ ルールの比較" in r.stdout and "R は上がった" in r.stdout
    diff = json.loads(out.read_text("utf-8"))["compared_rules"]
    assert diff["rules"] == [str(fewer)]
    likely = diff["dev"]["likely"]
    assert likely["recall"] > 0 and likely["recall_interval"][0] > 0


def test_search_words() -> None:
    assert search_word_types("公衆の見やすい場所に掲示しなければならない。") == {"keiji"}
    assert search_word_types("閲覧に供し、定期に検査する") == {"etsuran", "teiki", "mokushi"}


def test_scores_compare_canonical_citations(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    lines = [
        {"doc": "law", "path": "第十二条の二第三項第一号", "labels": ["keiji"]},
        {"doc": "law", "path": "第三条", "labels": ["jicchi"]},
        {"doc": "law", "path": "第四条", "labels": []},
        {"doc": "law", "path": "第五条"},  # not judged
    ]
    gold.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    g = load_gold([gold])
    res = DocumentResult(path="/x/law.txt")
    res.findings = [
        finding("第12条の2第3項第1号", "keiji", article="12_2", paragraph=3, item="1"),  # TP
        finding("第4条", "keiji", article="4", paragraph=1),  # FP (labelled empty)
        finding("第5条", "keiji", article="5", paragraph=1),  # ignored (not judged)
        finding("第9条", "keiji", article="9", paragraph=1),  # FP (unlabelled provision of a labelled doc)
    ]
    r = score(g, [res])
    assert (r.per_type["keiji"].tp, r.per_type["keiji"].fp, r.per_type["keiji"].fn) == (1, 2, 0)
    assert (r.per_type["jicchi"].tp, r.per_type["jicchi"].fn) == (0, 1)
    assert r.micro.precision == 1 / 3
    assert {d["citation"] for d in r.false_positives} == {"第4条", "第9条"}
    assert [d["citation"] for d in r.misses] == ["第三条"]
    # a gold file that samples its documents: findings on provisions without a label line are not counted
    r2 = score(g, [res], labelled_only=True)
    assert (r2.per_type["keiji"].tp, r2.per_type["keiji"].fp) == (1, 1)


def test_eval_cli_on_corpora(tmp_path: Path) -> None:
    out = tmp_path / "e.json"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "analogscan.cli",
            "eval",
            "--gold",
            str(CORPORA / "labels.jsonl"),
            str(CORPORA),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0, r.stderr
    assert "全体（マイクロ平均）" in r.stdout
    data = json.loads(out.read_text("utf-8"))
    dev = data["dev"]
    assert set(dev) == {"likely", "all", "baseline"}
    assert dev["likely"]["micro"]["support"] > 100
    assert not dev["likely"]["unmatched_docs"]
    iv = dev["likely"]["interval"]
    assert iv["documents"] >= 2 and iv["level"] == 0.95
    assert iv["precision"][0] <= dev["likely"]["micro"]["precision"] <= iv["precision"][1]
    assert iv["recall"][0] <= dev["likely"]["micro"]["recall"] <= iv["recall"][1]
    assert "全体の95%区間" in r.stdout
    # the search box finds less than the tool, and both tiers together find at least the likely tier
    assert (
        dev["all"]["micro"]["recall"] >= dev["likely"]["micro"]["recall"] > dev["baseline"]["micro"]["recall"]
    )


def test_eval_split_option_scans_and_scores_one_split_only(tmp_path: Path) -> None:
    """``--split dev`` while writing rules: the blind documents are neither scanned nor shown."""
    lines = [
        json.loads(ln) for ln in (CORPORA / "labels.jsonl").read_text("utf-8").splitlines() if ln.strip()
    ]
    docs = sorted({rec["doc"] for rec in lines if rec["labels"]})[:2]
    gold = tmp_path / "g.jsonl"
    gold.write_text(
        "".join(
            json.dumps({**rec, "split": "dev" if rec["doc"] == docs[0] else "blind"}, ensure_ascii=False)
            + "\n"
            for rec in lines
            if rec["doc"] in docs
        ),
        encoding="utf-8",
    )
    for split in ("dev", "blind"):
        out = tmp_path / f"{split}.json"
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "analogscan.cli",
                "eval",
                "--gold",
                str(gold),
                str(CORPORA),
                "--split",
                split,
                "--json",
                str(out),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert r.returncode == 0, r.stderr
        assert "（1 文書、" in r.stdout
        data = json.loads(out.read_text("utf-8"))
        assert list(data) == [split]
        assert data[split]["likely"]["micro"]["support"] > 0


def test_bad_labels_file(tmp_path: Path) -> None:
    bad = tmp_path / "b.jsonl"
    bad.write_text('{"doc": "a", "path": "第1条", "labels": ["keji"]}\n', encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "analogscan.cli", "eval", "--gold", str(bad), str(CORPORA)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 2 and "未知の規制区分" in r.stderr and "Traceback" not in r.stderr


def test_false_positive_names_the_rule_of_its_own_type(tmp_path: Path) -> None:
    """Two findings of different types on one provision: each false alarm cites the rule of its type."""
    gold = tmp_path / "g.jsonl"
    gold.write_text(
        json.dumps({"doc": "a", "path": "第1条", "labels": []}, ensure_ascii=False), encoding="utf-8"
    )
    a = DocumentResult(path="/x/a.txt")
    a.findings = [finding("第1条", "jicchi", article="1"), finding("第1条", "keiji", article="1")]
    fps = {d["type"]: d["rule_id"] for d in score(load_gold([gold]), [a]).false_positives}
    assert fps == {"jicchi": "jicchi-001", "keiji": "keiji-001"}

"""The report contract: schema/report.schema.json describes the JSON reports analogscan really writes
(a scan of corpora/, the same documents reported from the result store, with decisions carried), a broken
report fails validation, and the typed reader (report.contract.read_report) reads what the schema allows."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import REPO

from analogscan.cli import main
from analogscan.ids import ensure_ids
from analogscan.report.contract import SCHEMA_FILE, build_report, read_report, summarize
from analogscan.review import apply_decisions


def _schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return data


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(_schema())


def _errors(report: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(report)]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The scan report of corpora/ and the report of the same documents built from the store."""
    tmp = tmp_path_factory.mktemp("schema")
    store = tmp / "s.sqlite"
    runner = CliRunner()
    res = runner.invoke(
        main,
        [
            "scan",
            str(REPO / "corpora"),
            "--no-decisions",
            "-q",
            "--store",
            str(store),
            "-o",
            str(tmp / "scan.json"),
        ],
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["store", "report", str(store), "-o", str(tmp / "store.json")])
    assert res.exit_code == 0, res.output
    return {name: json.loads((tmp / f"{name}.json").read_text("utf-8")) for name in ("scan", "store")}


def _with_decisions(report: dict[str, Any]) -> dict[str, Any]:
    ids = ensure_ids(copy.deepcopy(report))
    table: dict[str, Any] = {}
    for n, f in enumerate((f for d in ids["documents"] for f in d["findings"]), 1):
        if n % 2:
            th = f["text_hash"] if n % 3 else "000000000000"
            table[f["finding_id"]] = {"applicable": "該当", "policy": "運用で対応", "text_hash": th}
    return apply_decisions(report, {"decisions": table})


def test_schema_is_valid_and_shipped() -> None:
    jsonschema.Draft202012Validator.check_schema(_schema())
    shipped = resources.files("analogscan").joinpath("schema/report.schema.json")
    assert shipped.is_file()
    assert json.loads(shipped.read_text(encoding="utf-8")) == _schema()


@pytest.mark.parametrize("name", ["scan", "store"])
def test_real_reports_validate(reports: dict[str, dict[str, Any]], name: str) -> None:
    report = reports[name]
    assert report["documents"] and report["summary"]["findings"] > 0
    assert any("amendment" in f for d in report["documents"] for f in d["findings"])
    assert _errors(report) == []
    carried = _with_decisions(report)
    assert {f.get("decision_status") for d in carried["documents"] for f in d["findings"]} >= {
        "carried",
        "要再確認",
    }
    assert _errors(carried) == []


def test_every_key_written_is_declared(reports: dict[str, dict[str, Any]]) -> None:
    """additionalProperties stays open (版 1 grows by adding keys), so check the schema names them all."""
    defs = _schema()["$defs"]
    report = _with_decisions(reports["scan"])
    docs = report["documents"]
    findings = [f for d in docs for f in d["findings"]]
    written = {
        "report": set(report),
        "tool": set(report["tool"]),
        "summary": set(report["summary"]),
        "document": {k for d in docs for k in d},
        "finding": {k for f in findings for k in f},
        "location": {k for f in findings for k in f["location"]},
        "decision": {k for f in findings if "decision" in f for k in f["decision"]},
        "amendment": {k for f in findings if "amendment" in f for k in f["amendment"]},
    }
    declared = {name: set(defs[name]["properties"]) for name in written if name != "report"}
    declared["report"] = set(_schema()["properties"])
    for name, keys in written.items():
        assert keys <= declared[name], f"{name}: not in report.schema.json: {sorted(keys - declared[name])}"


def _broken(report: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    def edit(fn: Any) -> dict[str, Any]:
        r = copy.deepcopy(report)
        fn(r)
        return r

    f0 = ("documents", 0, "findings", 0)

    def finding(r: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = r
        for k in f0:
            out = out[k]
        return out

    return [
        ("schema_version 2", edit(lambda r: r.update(schema_version=2))),
        ("no summary", edit(lambda r: r.pop("summary"))),
        ("status unknown", edit(lambda r: r["documents"][0].update(status="broken"))),
        ("no findings list", edit(lambda r: r["documents"][0].pop("findings"))),
        ("tier unknown", edit(lambda r: finding(r).update(tier="maybe"))),
        ("confidence a string", edit(lambda r: finding(r).update(confidence="0.9"))),
        ("span of three", edit(lambda r: finding(r).update(span=[1, 2, 3]))),
        ("part unknown", edit(lambda r: finding(r)["location"].update(part="preamble"))),
        ("location key unknown", edit(lambda r: finding(r)["location"].update(chapter="1"))),
        ("finding id not hex", edit(lambda r: finding(r).update(finding_id="xyz"))),
        ("decision status unknown", edit(lambda r: finding(r).update(decision_status="done"))),
        ("no rule id", edit(lambda r: finding(r).pop("rule_id"))),
        ("count negative", edit(lambda r: r["summary"].update(findings=-1))),
    ]


def test_broken_reports_fail(reports: dict[str, dict[str, Any]]) -> None:
    report = reports["scan"]
    first = next(i for i, d in enumerate(report["documents"]) if d["findings"])
    report = {**report, "documents": report["documents"][first:]}
    assert _errors(report) == []
    for what, broken in _broken(report):
        assert _errors(broken), f"{what}: validated"


def test_typed_reader_agrees_with_the_json(reports: dict[str, dict[str, Any]]) -> None:
    raw = _with_decisions(reports["scan"])
    rep = read_report(raw)
    assert read_report(rep) is rep
    assert rep.schema_version == 1 and rep.tool.rules == raw["tool"]["rules"]
    assert rep.summary.findings == len(rep.findings()) == raw["summary"]["findings"]
    assert rep.summary.by_type == raw["summary"]["by_type"]
    assert rep.review is not None and rep.review.carried == raw["review"]["carried"]
    ids = ensure_ids(copy.deepcopy(reports["scan"]))
    for (_doc, f), g in zip(
        rep.findings(), (g for d in ids["documents"] for g in d["findings"]), strict=True
    ):
        assert (f.finding_id, f.text_hash) == (g["finding_id"], g["text_hash"])
        assert f.location.to_json() == g["location"]
        assert (f.rule_id, f.type, f.tier, f.confidence) == (
            g["rule_id"],
            g["type"],
            g["tier"],
            g["confidence"],
        )
        assert f.has_draft == ("amendment" in g or "amendment_manual" in g)
    assert rep.has_decisions and rep.has_drafts


def test_one_summary_builder(reports: dict[str, dict[str, Any]]) -> None:
    """The store's report and a scan's are summarised by the same function."""
    for report in reports.values():
        expected = summarize(report["documents"], report["summary"]["elapsed_seconds"])
        assert report["summary"] == expected
    rebuilt = build_report([], documents=reports["store"]["documents"])
    assert rebuilt["summary"]["by_type"] == reports["scan"]["summary"]["by_type"]


def test_reader_is_lenient_with_old_or_partial_reports() -> None:
    rep = read_report({"schema_version": 1, "documents": [{"path": "a.txt", "findings": [{"rule_id": "x"}]}]})
    (doc, f), *_ = rep.findings()
    assert doc.status == "ok" and doc.identity == "file:a"
    assert f.tier == "likely" and f.confidence is None and f.decision is None and len(f.finding_id) == 12
    assert rep.summary.findings == 0 and rep.tool.rules is None


def test_report_and_review_do_not_import_each_other() -> None:
    """The vocabulary both need lives in report.contract and analogscan.ids; review uses report, never the reverse."""
    from test_architecture import import_graph

    graph = import_graph()
    renderers = {m for m in graph if m.startswith("analogscan.report")}
    assert not any("analogscan.review" in graph[m] for m in renderers)
    assert graph["analogscan.review"] & renderers <= {"analogscan.report.contract"}
    assert "analogscan.report.json_report" not in graph["analogscan.store"] | graph["analogscan.review"]

"""`analogscan rules test`: run every rule's and exclusion's example sentences."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Engine, example_provision
from .conditions import normalize_width
from .model import RuleSet


@dataclass
class ExampleFailure:
    file: str
    line: int
    id: str
    kind: str  # match | no_match | trigger
    text: str
    detail: str

    def format(self) -> str:
        what = {
            "match": "一致するはずの例文が一致しません",
            "no_match": "一致しないはずの例文が一致しました",
            "trigger": "例文にトリガー語がありません（事前絞り込みで見落とします）",
        }[self.kind]
        return f"{self.file}:{self.line}: {self.id}: {what}\n    例文: {self.text}\n    理由: {self.detail}"


@dataclass
class TestReport:
    checked: int
    failures: list[ExampleFailure]


def run_examples(ruleset: RuleSet) -> TestReport:
    engine = Engine(ruleset)
    texts: list[str] = []
    rules = ruleset.active()  # a disabled rule's examples are not run
    for r in rules:
        for ex in r.examples_match + r.examples_no_match:
            texts.append(ex.text)
            if ex.lead_in:
                texts.append(ex.lead_in)
    for x in ruleset.exclusions:
        for ex in x.examples_match + x.examples_no_match:
            texts.append(ex.text)
    cache = engine.parse_texts(texts)
    failures: list[ExampleFailure] = []
    checked = 0
    for r in rules:
        for ex in r.examples_match:
            checked += 1
            p = example_provision(ex.text, ex.lead_in)
            if not engine.rule_triggered(r, normalize_width(ex.text), normalize_width(ex.lead_in or "")):
                failures.append(
                    ExampleFailure(
                        r.file, ex.line, r.id, "trigger", ex.text, "triggers: " + ", ".join(r.triggers)
                    )
                )
                continue
            (o,) = engine.evaluate(p, cache, rules=[r])
            if not o.fired:
                failures.append(ExampleFailure(r.file, ex.line, r.id, "match", ex.text, o.reason))
        for ex in r.examples_no_match:
            checked += 1
            p = example_provision(ex.text, ex.lead_in)
            (o,) = engine.evaluate(p, cache, rules=[r], check_triggers=False)
            if o.fired:
                detail = f"一致した語: {o.finding.matched if o.finding else ''}"
                failures.append(ExampleFailure(r.file, ex.line, r.id, "no_match", ex.text, detail))
    for x in ruleset.exclusions:
        for ex in x.examples_match:
            checked += 1
            if not engine.exclusion_matches(x, ex.text):
                failures.append(
                    ExampleFailure(x.file, ex.line, x.id, "match", ex.text, "除外条件 when を満たしません")
                )
        for ex in x.examples_no_match:
            checked += 1
            if engine.exclusion_matches(x, ex.text):
                failures.append(
                    ExampleFailure(x.file, ex.line, x.id, "no_match", ex.text, "除外条件 when を満たしました")
                )
    return TestReport(checked, failures)

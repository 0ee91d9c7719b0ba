"""`analogscan rules test`: run every rule's and exclusion's example sentences.

``match`` / ``no_match`` examples must hold (a miss is a failure). ``todo_match`` /
``todo_no_match`` are known misses: they are reported (``TestReport.todos``) but never fail; one that
starts to hold is reported too, so it can be moved to ``match`` / ``no_match``.

``ExampleRunner(ruleset).failures(rule_id)`` runs the examples of one rule or exclusion (all example
sentences are parsed once, on first use), for tests parametrized by id.
"""

from __future__ import annotations

from dataclasses import dataclass

from .engine import Engine, example_provision
from .match import fold_width_keep_length
from .nlp import ParsedText
from .ruleset.model import Example, Exclusion, Rule, RuleSet

_WHAT = {
    "match": "一致するはずの例文が一致しません",
    "no_match": "一致しないはずの例文が一致しました",
    "trigger": "例文にトリガー語がありません（事前絞り込みで見落とします）",
    "todo_match": "既知の見落とし（todo_match）: まだ一致しません",
    "todo_no_match": "既知の誤検出（todo_no_match）: まだ一致します",
    "todo_match_passes": "todo_match の例文が一致するようになりました。match に移してください",
    "todo_no_match_passes": "todo_no_match の例文が一致しなくなりました。no_match に移してください",
}


@dataclass
class ExampleFailure:
    file: str
    line: int
    id: str
    kind: str  # match | no_match | trigger, or for todo examples a key of _WHAT starting with todo_
    text: str
    detail: str

    def format(self) -> str:
        out = f"{self.file}:{self.line}: {self.id}: {_WHAT[self.kind]}\n    例文: {self.text}"
        return out if self.kind.endswith("_passes") else f"{out}\n    理由: {self.detail}"


@dataclass
class TestReport:
    __test__ = False  # not a pytest test class

    checked: int  # match and no_match examples run (todo examples not counted)
    failures: list[ExampleFailure]
    todos: list[ExampleFailure]  # todo examples: still missed, or now passing (never failures)


class ExampleRunner:
    """Runs the examples of a rule set, one rule or exclusion at a time or all of them."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.engine = Engine(ruleset)
        self.rules = {r.id: r for r in ruleset.active()}  # a disabled rule's examples are not run
        self.exclusions = {x.id: x for x in ruleset.exclusions}
        self._cache: dict[str, ParsedText] | None = None

    def ids(self) -> list[str]:
        """The ids whose examples are run: active rules, then exclusions."""
        return list(self.rules) + list(self.exclusions)

    def _parsed(self) -> dict[str, ParsedText]:
        if self._cache is None:
            texts: list[str] = []
            items: list[Rule | Exclusion] = [*self.rules.values(), *self.exclusions.values()]
            for item in items:
                for ex in _examples(item):
                    texts.append(ex.text)
                    if ex.lead_in and isinstance(item, Rule):
                        texts.append(ex.lead_in)
                    if ex.items and isinstance(item, Rule):
                        texts.append(ex.items)
            self._cache = dict(self.engine.parse_texts(texts))
        return self._cache

    def failures(self, ident: str) -> list[ExampleFailure]:
        """The failing match / no_match examples of one rule or exclusion (KeyError if unknown)."""
        return [f for f in self._run(ident) if not f.kind.startswith("todo_")]

    def todos(self, ident: str) -> list[ExampleFailure]:
        """The todo examples of one rule or exclusion: still missed, or now passing."""
        return [f for f in self._run(ident) if f.kind.startswith("todo_")]

    def run(self) -> TestReport:
        failures: list[ExampleFailure] = []
        todos: list[ExampleFailure] = []
        checked = 0
        for ident in self.ids():
            item = self.rules.get(ident) or self.exclusions[ident]
            checked += len(item.examples_match) + len(item.examples_no_match)
            for f in self._run(ident):
                (todos if f.kind.startswith("todo_") else failures).append(f)
        return TestReport(checked, failures, todos)

    def _run(self, ident: str) -> list[ExampleFailure]:
        if ident in self.rules:
            return self._run_rule(self.rules[ident])
        return self._run_exclusion(self.exclusions[ident])

    def _run_rule(self, r: Rule) -> list[ExampleFailure]:
        out: list[ExampleFailure] = []
        for kind, examples, want in _kinds(r):
            for ex in examples:
                detail = self._rule_miss(r, ex, want, todo=kind.startswith("todo_"))
                out.extend(_judge(r, kind, ex, detail))
        return out

    def _rule_miss(self, r: Rule, ex: Example, want: bool, todo: bool) -> tuple[str, str] | None:
        """(failure kind, detail) if the rule does not do what the example wants, else None."""
        cache = self._parsed()
        p = example_provision(ex.text, ex.lead_in, ex.items)
        if want:
            text_n, lead_n = fold_width_keep_length(ex.text), fold_width_keep_length(ex.lead_in or "")
            if not self.engine.rule_triggered(r, text_n, lead_n):
                return ("match" if todo else "trigger"), "triggers: " + ", ".join(r.triggers)
            (o,) = self.engine.evaluate(p, cache, rules=[r])
            return None if o.fired else ("match", o.reason)
        (o,) = self.engine.evaluate(p, cache, rules=[r], check_triggers=False)
        if o.fired:
            return "no_match", f"一致した語: {o.finding.matched if o.finding else ''}"
        return None

    def _run_exclusion(self, x: Exclusion) -> list[ExampleFailure]:
        out: list[ExampleFailure] = []
        for kind, examples, want in _kinds(x):
            for ex in examples:
                hit = self.engine.exclusion_matches(x, ex.text, ex.lead_in)
                detail = None
                if hit != want:
                    what = "when と lead_in" if x.lead_in is not None else "when"
                    if want:
                        # 満たさない理由には、柱書が unless_lead_in を満たして除外しなかった場合もある
                        if x.unless_lead_in is not None and ex.lead_in:
                            what += "（柱書が unless_lead_in を満たすときは除外しません）"
                        detail = ("match", f"除外条件 {what} を満たしません")
                    else:
                        if x.unless_lead_in is not None:
                            what += "（柱書は unless_lead_in を満たしません）"
                        detail = ("no_match", f"除外条件 {what} を満たしました")
                out.extend(_judge(x, kind, ex, detail))
        return out


def _examples(item: Rule | Exclusion) -> list[Example]:
    return [ex for _, examples, _ in _kinds(item) for ex in examples]


def _kinds(item: Rule | Exclusion) -> list[tuple[str, list[Example], bool]]:
    """(example kind, its examples, should the rule / exclusion hold on them)."""
    return [
        ("match", item.examples_match, True),
        ("no_match", item.examples_no_match, False),
        ("todo_match", item.examples_todo_match, True),
        ("todo_no_match", item.examples_todo_no_match, False),
    ]


def _judge(
    item: Rule | Exclusion, kind: str, ex: Example, miss: tuple[str, str] | None
) -> list[ExampleFailure]:
    """The report entries of one example: its failure (match / no_match / trigger), or for a
    todo example a note that it still misses or now passes."""
    if kind.startswith("todo_"):
        if miss is None:
            return [ExampleFailure(item.file, ex.line, item.id, kind + "_passes", ex.text, "")]
        return [ExampleFailure(item.file, ex.line, item.id, kind, ex.text, miss[1])]
    if miss is None:
        return []
    return [ExampleFailure(item.file, ex.line, item.id, miss[0], ex.text, miss[1])]


def run_examples(ruleset: RuleSet) -> TestReport:
    """Run every example of the rule set (all sentences parsed in one batch)."""
    return ExampleRunner(ruleset).run()


def run_rule_examples(ruleset: RuleSet, ident: str) -> list[ExampleFailure]:
    """The failing match / no_match examples of one rule or exclusion (todo examples never fail)."""
    return ExampleRunner(ruleset).failures(ident)

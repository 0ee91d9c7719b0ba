"""Match stage: provisions × compiled rules → findings.

1. prefilter: a provision is looked at only if its text (or its lead-in) contains a trigger
   word of some rule — cheap string search, no NLP;
2. plan: for each surviving provision and each triggered rule, a three-valued evaluation of
   the conditions on the text alone (text/regex known, token conditions unknown) decides
   which sentences GiNZA must see: a sentence where `match` is already false without tokens
   is not parsed; `unless`, exclusions, `adjust` and `lead_in` need tokens only when their
   value is still unknown. Skipped sentences could not change any finding;
3. the planned sentences are parsed by GiNZA in one batch, each sentence (sentence_bounds)
   as its own Doc, with only the components the rules need (none if all conditions are
   text/regex, the tokenizer alone for lemma/norm, + morphologizer for pos, + parser and
   bunsetu_recognizer for dep,
   all but NER for bunsetsu/pattern);
4. each rule whose own triggers occur is evaluated sentence by sentence (or on the whole
   provision), then its `unless` conditions and the shared exclusions are applied: on the
   whole provision (default), or — `unless_scope: sentence` on the rule, `scope: sentence` on
   an exclusion — on the sentence where `match` succeeded. The rule fires if ANY sentence
   where `match` succeeds is not excluded; the finding comes from the first such sentence.
   The planner parses, for such sentence-scoped checks, only the sentences that may match.

`Engine(ruleset, use_prefilter=False)` is the naive path: every provision, every rule, every
sentence parsed by the full ja_ginza pipeline (NER included). Results are the same as the
default path as long as rule triggers are sound (a rule fires only where one of its
triggers occurs in the provision or its lead-in) — the contract rule files must keep.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import nlp as nlp_mod
from .match import Condition, Span, Window, fold_width_keep_length
from .match.safe_regex import RegexTimeout
from .match.token_index import drop_index
from .model import TIERS, TYPE_LABELS, Finding, Location, Provision
from .ruleset.model import Exclusion, Rule, RuleSet

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_OPEN = "「（(『【〔［"
_CLOSE = "」）)』】〕］"


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Sentence windows: split after 。 that is not inside brackets. Deterministic, no NLP."""
    out: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth > 0:
            depth -= 1
        elif ch == "。" and depth == 0:
            out.append((start, i + 1))
            start = i + 1
        elif ch == "\n":
            if i > start:
                out.append((start, i))
            start = i + 1
            depth = 0
    if start < len(text) and text[start:].strip():
        out.append((start, len(text)))
    return out or [(0, len(text))]


ALL = -1  # "every sentence" in a parse plan


@dataclass
class Outcome:
    """What one rule did on one provision (for explain and the example runner).

    ``stage`` says how far the rule got, for code to branch on; ``reason`` says it in Japanese.
    """

    rule: Rule
    fired: bool
    finding: Finding | None = None
    reason: str = ""
    spans: list[Span] = field(default_factory=list)
    stage: str = "fired"  # one of STAGES


# Outcome.stage, in the order a rule passes them
STAGE_NO_TRIGGER = "no_trigger"  # none of its trigger words is in the provision (or its lead-in)
STAGE_NO_MATCH = "no_match"  # a trigger word is there, the match condition fails
STAGE_NO_LEAD_IN = "no_lead_in"  # the rule needs a lead-in (柱書) and the provision has none
STAGE_LEAD_IN_FAILED = "lead_in_failed"  # the lead-in condition fails
STAGE_NO_ITEMS = "no_items"  # the rule needs items (号) under the provision and it has none
STAGE_ITEMS_FAILED = "items_failed"  # the items condition fails
STAGE_EXCLUDED = "excluded"  # matched, then blocked by an unless condition or a shared exclusion
STAGE_FIRED = "fired"
STAGE_TIMED_OUT = "timed_out"  # a regex of the rule ran over its time limit in this document (rule dropped)
STAGES = (
    STAGE_NO_TRIGGER,
    STAGE_NO_MATCH,
    STAGE_NO_LEAD_IN,
    STAGE_LEAD_IN_FAILED,
    STAGE_NO_ITEMS,
    STAGE_ITEMS_FAILED,
    STAGE_EXCLUDED,
    STAGE_FIRED,
    STAGE_TIMED_OUT,
)


class Engine:
    def __init__(self, ruleset: RuleSet, use_prefilter: bool = True, check_triggers: bool = True) -> None:
        """check_triggers=False: every rule on every provision, but with the components the rules need
        (``rules triggers`` compares it with the default path to find rules that match without their triggers)."""
        self.ruleset = ruleset
        self.rules = ruleset.active()
        self.exclusions = [e for e in ruleset.exclusions if e.enabled]
        self.use_prefilter = use_prefilter
        self.check_triggers = use_prefilter and check_triggers
        self.needs_nlp = ruleset.needs_nlp()
        self._reads_items = any(r.items is not None for r in self.rules)  # plan items texts only then
        self._trigger_rx = self._compile_triggers([t for r in self.rules for t in r.triggers])
        self._rule_trigger_n = {id(r): [fold_width_keep_length(t) for t in r.triggers] for r in self.rules}
        # which rules each trigger word stands for, including triggers that are substrings of it
        trig = sorted(
            {fold_width_keep_length(t) for r in self.rules for t in r.triggers}, key=len, reverse=True
        )
        self._overlap_rx = re.compile("(?=(" + "|".join(map(re.escape, trig)) + "))") if trig else None
        self._rules_of: dict[str, frozenset[int]] = {}
        for t in trig:
            self._rules_of[t] = frozenset(
                id(r) for r in self.rules if any(u in t for u in self._rule_trigger_n[id(r)])
            )
        needs: set[str] = set()
        for r in self.rules:
            for c in r.conditions():
                needs |= c.needs()
        for e in self.exclusions:
            for c in e.conditions():
                needs |= c.needs()
        self.nlp_needs = needs
        # the naive path runs the full pipeline (NER included); the default one only what rules need
        self.exclude: tuple[str, ...] = nlp_mod.exclude_for(needs) if use_prefilter else nlp_mod.FULL
        self.stats = {"provisions": 0, "candidates": 0, "tokenized_chars": 0, "parsed_chars": 0}
        # rules / exclusions whose regex overran the time limit in the current document (id →
        # reason), and the Japanese warnings for that document; reset by scan()
        self.timed_out: dict[str, str] = {}
        self.warnings: list[str] = []

    def _timed_out(self, who: tuple[str, str], p: Provision, e: RegexTimeout) -> str:
        """Record that a rule's or exclusion's regex overran; it is not used again in this
        document. Returns the reason shown for it."""
        ident, name = who
        if ident not in self.timed_out:
            what = "ルール" if name.startswith("ルール") else "除外"
            self.timed_out[ident] = f"{name}の{e.describe()}（{p.location.label}）"
            self.warnings.append(
                f"{self.timed_out[ident]}。この文書ではこの{what}を使わずに照合したため、"
                f"この{what}の結果が欠けている可能性があります（ほかのルールの結果は有効です）。"
                "ルールの正規表現を見直してください"
            )
        return self.timed_out[ident]

    def nlp(self) -> Language:
        return nlp_mod.get_nlp(self.exclude)

    def components(self) -> list[str]:
        """The GiNZA components this engine runs ([] = tokenizer only; None-like [] also if no NLP)."""
        if not self.needs_nlp:
            return []
        return [c for c in nlp_mod.COMPONENTS if c not in self.exclude and c != "attribute_ruler"]

    @staticmethod
    def _compile_triggers(words: Iterable[str]) -> re.Pattern[str] | None:
        ws = sorted({fold_width_keep_length(w) for w in words}, key=len, reverse=True)
        if not ws:
            return None
        return re.compile("|".join(map(re.escape, ws)))

    # ------------------------------------------------------------------ prefilter

    def is_candidate(self, p: Provision) -> bool:
        if not self.check_triggers:
            return True
        if self._trigger_rx is None:
            return False
        if self._trigger_rx.search(fold_width_keep_length(p.text)):
            return True
        return bool(p.lead_in) and bool(self._trigger_rx.search(fold_width_keep_length(p.lead_in or "")))

    def rule_triggered(self, rule: Rule, text_n: str, lead_n: str) -> bool:
        """Whether one of the rule's triggers occurs in the width-normalised text or lead-in."""
        trig = self._rule_trigger_n.get(id(rule))
        if trig is None:
            trig = [fold_width_keep_length(t) for t in rule.triggers]
        return any(t in text_n or t in lead_n for t in trig)

    def triggered(self, text_n: str, lead_n: str) -> set[int]:
        """ids of the rules one of whose triggers occurs in the (normalised) text or lead-in."""
        out: set[int] = set()
        if self._overlap_rx is None:
            return out
        for s in (text_n, lead_n):
            if s:
                for w in {m.group(1) for m in self._overlap_rx.finditer(s)}:
                    out |= self._rules_of[w]
        return out

    # ------------------------------------------------------------------ parsing

    def parse_texts(self, texts: Iterable[str]) -> dict[str, nlp_mod.ParsedText]:
        """Parse whole texts (every sentence) with this engine's pipeline."""
        uniq = list(dict.fromkeys(t for t in texts if t))
        return self._parse_plan({t: {ALL} for t in uniq})

    def _parse_plan(self, plan: dict[str, set[int]]) -> dict[str, nlp_mod.ParsedText]:
        """Parse every planned sentence with the whole pipeline of this engine."""
        parsed = self._tokenize_plan(plan, full_pipeline=True)
        return parsed

    def _tokenize_plan(self, plan: dict[str, set[int]], full_pipeline: bool) -> dict[str, nlp_mod.ParsedText]:
        if not self.needs_nlp or not plan:
            return {}
        items: list[tuple[str, list[tuple[int, int]]]] = []
        for text, idx in plan.items():
            bounds = sentence_bounds(text)
            wins = bounds if ALL in idx else [bounds[i] for i in sorted(idx)]
            items.append((text, wins))
            self.stats["tokenized_chars"] += sum(e - s for s, e in wins)
            if full_pipeline:
                self.stats["parsed_chars"] += sum(e - s for s, e in wins)
        parsed = nlp_mod.parse_windows(items, self.nlp(), tokenize_only=not full_pipeline)
        return {t: pt for (t, _), pt in zip(items, parsed, strict=True)}

    def plan(
        self,
        p: Provision,
        plan: dict[str, set[int]],
        tokens: dict[str, nlp_mod.ParsedText] | None = None,
    ) -> None:
        """Add to ``plan`` the sentences of p (and of its lead-in) that need analysis so that
        evaluate() gives exactly what it would give with every sentence fully parsed.

        Without ``tokens``: the sentences that need the tokenizer (text/regex alone do not
        decide). With ``tokens`` (tokenizer output of those sentences): the sentences that
        need the pipeline's components (lemma/norm do not decide either).
        """
        text_need = plan.setdefault(p.text, set())
        if p.lead_in and tokens is None:
            plan.setdefault(p.lead_in, set())
        items = p.items if self._reads_items else None
        if items and tokens is None:
            plan.setdefault(items, set())
        if not self.needs_nlp:
            return
        if not self.check_triggers:
            text_need.add(ALL)
            for other in (p.lead_in, items):
                if other:
                    plan.setdefault(other, set()).add(ALL)
            return
        if ALL in text_need and not (p.lead_in or items):
            # planned whole by an earlier provision with the same text; a lead-in or items of this provision may still
            # need planning (two items can share a text under different lead-ins)
            return
        st = _PlanState(p, plan, tokens, text_need)
        trig = self.triggered(fold_width_keep_length(p.text), fold_width_keep_length(p.lead_in or ""))
        checked: set[str] = set()  # types of the rules whose exclusions evaluate() may check
        for rule in self.rules:
            if id(rule) not in trig or rule.id in self.timed_out:
                continue
            try:
                fire_wins = _plan_match(rule, st)
                if not fire_wins:
                    continue
                if rule.lead_in is not None and not _plan_on(rule.lead_in, st, p.lead_in):
                    continue
                if rule.items is not None and not _plan_on(rule.items, st, p.items):
                    continue
                self._plan_checks(rule, st, fire_wins)
                checked.add(rule.type)
            except RegexTimeout as e:
                self._timed_out(_rule_name(rule), p, e)
        # an exclusion's lead-in condition is checked on the item's lead-in: planned once per provision
        for ex in self.exclusions:
            if ex.id in self.timed_out or not any(map(ex.applies, checked)):
                continue
            for cond in (ex.lead_in, ex.unless_lead_in):
                if cond is None:
                    continue
                try:
                    _plan_on(cond, st, p.lead_in)
                except RegexTimeout as e:
                    self._timed_out(_excl_name(ex), p, e)

    def _plan_checks(self, rule: Rule, st: _PlanState, fire_wins: list[tuple[int, Window]]) -> None:
        """Plan the rule's unless, adjust and shared exclusion conditions (as in evaluate())."""
        # (condition, checked on each sentence where match may succeed?, the exclusion it
        # belongs to or None)
        checks: list[tuple[Condition, bool, Exclusion | None]]
        checks = [(c, rule.unless_scope == "sentence", None) for c in rule.unless]
        checks += [(a.when, False, None) for a in rule.adjust]
        checks += [(ex.when, ex.scope == "sentence", ex) for ex in self.exclusions if ex.applies(rule.type)]
        for c, per_sentence, ex in checks:
            if ALL in st.text_need:
                break
            if not st.wants(c) or (ex is not None and ex.id in self.timed_out):
                continue
            try:
                if per_sentence:
                    for i, w in fire_wins:
                        if c.tri_eval(w) is None:
                            st.text_need.add(ALL if i < 0 else i)
                elif c.tri_eval(st.full) is None:
                    st.text_need.add(ALL)
            except RegexTimeout as e:
                if ex is None:
                    raise
                self._timed_out(_excl_name(ex), st.p, e)

    def _run_components(self, plan: dict[str, set[int]], cache: dict[str, nlp_mod.ParsedText]) -> None:
        """Run the pipeline's components, in place, on the tokenised Docs of planned sentences."""
        chosen: list[Doc] = []
        everything = "all" in self.nlp_needs  # bunsetsu/pattern read every Doc of a text
        for text, pt in cache.items():
            idx = plan.get(text, set())
            if not pt.docs or not (idx or everything):
                continue
            if everything or ALL in idx:
                chosen.extend(d for _, d in pt.docs)
                continue
            bounds = sentence_bounds(text)
            wins = sorted(bounds[i] for i in idx)
            starts = [s for s, _ in wins]
            for off, d in pt.docs:  # the Docs whose offset lies in a planned sentence
                j = bisect_right(starts, off) - 1
                if j >= 0 and off < wins[j][1]:
                    chosen.append(d)
        self.stats["parsed_chars"] += sum(len(d.text) for d in chosen)
        nlp_mod.run_components(chosen, self.nlp())
        for pt in cache.values():  # token lookups built before the components ran are stale
            drop_index(pt)

    # ------------------------------------------------------------------ scanning

    def scan(self, provisions: list[Provision]) -> list[Finding]:
        """Findings of one document's provisions. A rule regex that overruns its time limit
        does not stop the scan: see ``warnings`` (one per rule or exclusion left out)."""
        self.timed_out = {}
        self.warnings = []
        cands = [p for p in provisions if self.is_candidate(p)]
        self.stats["provisions"] += len(provisions)
        self.stats["candidates"] += len(cands)
        plan: dict[str, set[int]] = {}
        for p in cands:
            self.plan(p, plan)
        if not self.check_triggers or not self.components():
            cache = self._parse_plan(plan)
        else:
            # tokenizer first (cheap), then the components only where lemma/norm do not decide
            cache = self._tokenize_plan(plan, full_pipeline=False)
            plan2: dict[str, set[int]] = {}
            for p in cands:
                self.plan(p, plan2, tokens=cache)
            self._run_components(plan2, cache)
        findings: list[Finding] = []
        for p in cands:
            fired = [o.finding for o in self.evaluate(p, cache) if o.fired and o.finding is not None]
            findings.extend(merge_same_type(fired))
        if self.ruleset.ranker is not None:
            self.ruleset.ranker.apply(findings)
        return findings

    def evaluate(
        self,
        p: Provision,
        cache: dict[str, nlp_mod.ParsedText] | None = None,
        rules: list[Rule] | None = None,
        check_triggers: bool | None = None,
    ) -> list[Outcome]:
        """Evaluate rules on one provision; returns one Outcome per rule (fired or why not)."""
        st = _EvalState(p, cache if cache is not None else {})
        rules = self.rules if rules is None else rules
        check = self.check_triggers if check_triggers is None else check_triggers
        text_n = fold_width_keep_length(p.text)
        lead_n = fold_width_keep_length(p.lead_in or "")
        trig = self.triggered(text_n, lead_n) if check else set()
        out: list[Outcome] = []
        for rule in rules:
            if id(rule) in self._rule_trigger_n:
                hit = id(rule) in trig
            else:  # a rule from elsewhere (explain, tests)
                hit = self.rule_triggered(rule, text_n, lead_n)
            if check and not hit:
                out.append(
                    Outcome(rule, False, reason="トリガー語が本文にありません", stage=STAGE_NO_TRIGGER)
                )
                continue
            if rule.id in self.timed_out:
                out.append(Outcome(rule, False, reason=self.timed_out[rule.id], stage=STAGE_TIMED_OUT))
                continue
            try:
                out.append(self._evaluate_rule(rule, st))
            except RegexTimeout as e:
                msg = self._timed_out(_rule_name(rule), p, e)
                out.append(Outcome(rule, False, reason=msg, stage=STAGE_TIMED_OUT))
        return out

    def _parsed_for(self, st: _EvalState, t: str) -> nlp_mod.ParsedText | None:
        if not self.needs_nlp or not t:
            return None
        if t not in st.cache:
            st.cache.update(self.parse_texts([t]))
        return st.cache[t]

    def _evaluate_rule(self, rule: Rule, st: _EvalState) -> Outcome:
        """The outcome of one rule whose triggers occur in the provision."""
        p = st.p
        parsed = self._parsed_for(st, p.text) if rule.needs_nlp() or self.needs_nlp else None
        if st.full is None:
            st.full = Window(p.text, parsed)
        full = st.full
        if rule.scope == "provision":
            windows = [full]
        else:
            if st.bounds is None:
                st.bounds = sentence_bounds(p.text)
            windows = [full.sub(s, e) for s, e in st.bounds]
        # the windows where match succeeds, lazily: most rules look at the first one only
        matches = _matching(rule.match, windows)
        first = next(matches, None)
        if first is None:
            return Outcome(rule, False, reason="一致条件を満たしません", stage=STAGE_NO_MATCH)
        if rule.lead_in is not None:
            if not p.lead_in:
                return Outcome(rule, False, reason="柱書（号の前の文）がありません", stage=STAGE_NO_LEAD_IN)
            if not self._holds_on(rule.lead_in, st, p.lead_in):
                return Outcome(rule, False, reason="柱書の条件を満たしません", stage=STAGE_LEAD_IN_FAILED)
        if rule.items is not None:
            if not p.items:
                return Outcome(
                    rule, False, reason="号（この規定の下の項目）がありません", stage=STAGE_NO_ITEMS
                )
            if not self._holds_on(rule.items, st, p.items):
                return Outcome(rule, False, reason="号の条件を満たしません", stage=STAGE_ITEMS_FAILED)
        chosen, first_block, n_blocked = self._first_unblocked(rule, st, full, first, matches)
        if chosen is None:
            many = f"（一致した {n_blocked} 文はいずれも除外）" if n_blocked > 1 else ""
            return Outcome(rule, False, reason=first_block + many, spans=first[1], stage=STAGE_EXCLUDED)
        spans = chosen[1]
        conf = rule.confidence
        notes: list[str] = []
        for a in rule.adjust:
            if a.when.eval(full) is not None:
                conf += a.delta
                notes.append(a.note)
        conf = round(min(1.0, max(0.0, conf)), 2)
        finding = self._finding(rule, p, spans, conf, notes)
        return Outcome(rule, True, finding=finding, spans=spans, stage=STAGE_FIRED)

    def _first_unblocked(
        self,
        rule: Rule,
        st: _EvalState,
        full: Window,
        first: tuple[Window, list[Span]],
        matches: Iterator[tuple[Window, list[Span]]],
    ) -> tuple[tuple[Window, list[Span]] | None, str, int]:
        """The first matching window no unless / exclusion blocks (None if every one is blocked),
        the reason of the first block and the number of blocked windows."""
        first_block = ""
        n_blocked = 0
        cur: tuple[Window, list[Span]] | None = first
        while cur is not None:
            block, per_sentence = self._blocked(rule, st, full, cur[0])
            if not block:
                return cur, first_block, n_blocked
            n_blocked += 1
            first_block = first_block or block
            if not per_sentence:  # a provision-wide check blocks every other sentence too
                break
            cur = next(matches, None)
        return None, first_block, n_blocked

    def _blocked(self, rule: Rule, st: _EvalState, full: Window, w: Window) -> tuple[str, bool]:
        """The first `unless` condition or shared exclusion that blocks ``rule`` when its match
        succeeded in window ``w`` ("" if none), and whether that check looked at ``w`` only
        (so another matching sentence may still fire)."""
        per_sentence = rule.unless_scope == "sentence"
        uw = w if per_sentence else full
        for i, u in enumerate(rule.unless):
            if u.eval(uw) is not None:
                return (
                    f"除外条件 unless[{i}]（{u.describe()}）に該当{'（一致した文）' if per_sentence else ''}",
                    per_sentence,
                )
        for ex in self.exclusions:
            if not ex.applies(rule.type):
                continue
            ex_sentence = ex.scope == "sentence"
            ew = w if ex_sentence else full
            key = (ex.id, ew.start, ew.end)
            if ex.id in self.timed_out:
                continue  # its regex overran the time limit in this document: not applied
            if key not in st.excl_hits:
                try:
                    st.excl_hits[key] = ex.when.eval(ew) is not None and self._lead_in_holds(ex, st)
                except RegexTimeout as e:
                    self._timed_out(_excl_name(ex), st.p, e)
                    continue
            if st.excl_hits[key]:
                return (
                    f"共通除外 {ex.id}（{ex.title}）に該当{'（一致した文）' if ex_sentence else ''}",
                    ex_sentence,
                )
        return "", False

    def _holds_on(self, cond: Condition, st: _EvalState, text: str | None) -> bool:
        """Does ``cond`` hold on a text beside the provision's own, its lead-in or its items (False without it)?"""
        if not text:
            return False
        w = st.beside.get(text)
        if w is None:
            w = st.beside[text] = Window(text, self._parsed_for(st, text))
        return cond.eval(w) is not None

    def _lead_in_holds(self, ex: Exclusion, st: _EvalState) -> bool:
        """An exclusion without a lead-in condition holds on any provision; with one, only on an
        item whose lead-in satisfies it; never on an item whose lead-in satisfies unless_lead_in."""
        if ex.unless_lead_in is not None and self._holds_on(ex.unless_lead_in, st, st.p.lead_in):
            return False
        return ex.lead_in is None or self._holds_on(ex.lead_in, st, st.p.lead_in)

    def exclusion_matches(self, ex: Exclusion, text: str, lead_in: str | None = None) -> bool:
        """Does the exclusion hold on ``text`` (scope: sentence — on one of its sentences), an
        item under ``lead_in`` when given?"""
        p = example_provision(text, lead_in)
        texts = [text] + ([lead_in] if lead_in else [])
        cache = self.parse_texts(texts) if any(c.needs_nlp() for c in ex.conditions()) else {}
        w = Window(text, cache.get(text))
        try:
            if not self._lead_in_holds(ex, _EvalState(p, cache)):
                return False
            if ex.scope == "sentence":
                return any(ex.when.eval(w.sub(s, e)) is not None for s, e in sentence_bounds(text))
            return ex.when.eval(w) is not None
        except RegexTimeout as e:  # not decided: recorded in timed_out / warnings, like in scan()
            self._timed_out(_excl_name(ex), p, e)
            return False

    def _finding(self, rule: Rule, p: Provision, spans: list[Span], conf: float, notes: list[str]) -> Finding:
        text = p.text
        good = sorted({s for s in spans if s[1] > s[0]})
        if not good:
            m = self._trigger_rx.search(fold_width_keep_length(text)) if self._trigger_rx else None
            good = [(m.start(), m.end())] if m else [(0, min(len(text), 20))]
        span = _densest_span(good, MATCHED_MAX)
        matched = text[span[0] : span[1]]
        evidence = list(dict.fromkeys(text[s:e] for s, e in good))
        loc = p.location
        try:
            message = rule.message.format(
                matched=matched,
                citation=loc.label,
                title=rule.title,
                type_label=TYPE_LABELS.get(rule.type, rule.type),
                rule_id=rule.id,
            )
        except (KeyError, IndexError, ValueError):
            message = rule.message
        if notes:
            message += "（" + "、".join(n for n in notes if n) + "）"
        return Finding(
            rule_id=rule.id,
            type=rule.type,
            location=loc,
            provision_text=text,
            matched=matched,
            span=span,
            message=message,
            confidence=conf,
            title=rule.title,
            page=p.page,
            element_id=p.element_id,
            evidence=evidence,
            tier=rule.tier,
        )


@dataclass
class _EvalState:
    """What evaluate() keeps for one provision across rules (windows, parses, exclusion results)."""

    p: Provision
    cache: dict[str, nlp_mod.ParsedText]
    full: Window | None = None
    beside: dict[str, Window] = field(default_factory=dict)  # windows of the lead-in and items texts
    bounds: list[tuple[int, int]] | None = None
    excl_hits: dict[tuple[str, int, int], bool] = field(default_factory=dict)  # (exclusion id, window) → hit


@dataclass
class _PlanState:
    """What plan() knows about one provision while it goes through the rules."""

    p: Provision
    plan: dict[str, set[int]]
    tokens: dict[str, nlp_mod.ParsedText] | None  # stage 2: tokenizer output of the stage-1 plan
    text_need: set[int]  # plan[p.text]
    full: Window = field(init=False)
    bounds: list[tuple[int, int]] | None = None
    beside: dict[str, Window] = field(default_factory=dict)  # windows of the lead-in and items texts

    def __post_init__(self) -> None:
        self.full = Window(self.p.text, self.tokens.get(self.p.text) if self.tokens is not None else None)

    @property
    def stage2(self) -> bool:
        return self.tokens is not None

    def wants(self, c: Condition) -> bool:
        """Is the condition worth analysing: any token need (stage 1), neural need (stage 2)."""
        return c.neural() if self.stage2 else c.needs_nlp()

    def windows(self, scope: str) -> list[tuple[int, Window]]:
        """(sentence index, window) of a rule's scope; index -1: the whole provision."""
        if scope == "provision":
            return [(-1, self.full)]
        if self.bounds is None:
            self.bounds = sentence_bounds(self.p.text)
        return [(i, self.full.sub(s, e)) for i, (s, e) in enumerate(self.bounds)]


def _plan_match(rule: Rule, st: _PlanState) -> list[tuple[int, Window]]:
    """The windows where the rule's match may succeed; plans those it needs analysed."""
    m_wants = st.wants(rule.match)
    fire_wins: list[tuple[int, Window]] = []
    for i, w in st.windows(rule.scope):
        if rule.match.tri_eval(w) is False:
            continue
        fire_wins.append((i, w))
        if m_wants and (not st.stage2 or rule.match.neural_needed(w)):
            st.text_need.add(ALL if i < 0 else i)
    return fire_wins


def _plan_on(cond: Condition, st: _PlanState, text: str | None) -> bool:
    """Plans a text beside the provision's own (its lead-in or its items) if a rule's condition on it needs
    analysis; False if the rule cannot fire (no such text, or the condition fails without analysis)."""
    if not text:
        return False
    w = st.beside.get(text)
    if w is None:
        w = st.beside[text] = Window(text, st.tokens.get(text) if st.tokens is not None else None)
    v = cond.tri_eval(w)
    if v is False:
        return False
    if v is None and st.wants(cond):
        st.plan.setdefault(text, set()).add(ALL)
    return True


MATCHED_MAX = 60  # characters of 該当箇所 (matched) at most, unless one evidence span alone is longer


def _densest_span(spans: list[Span], limit: int) -> Span:
    """The stretch of at most ``limit`` characters covering the most evidence spans (sorted, non-empty);
    the earliest on a tie. All of them when they fit; a single span longer than ``limit`` as it is.
    (Until 2026-12 the first span alone was shown when the evidence spread over more than 60
    characters, so a near condition's first term, e.g. 「立入り」, stood for the whole match.)"""
    best = (spans[0][0], spans[0][1])
    best_n = 1
    j = 0
    for i, (start, _end) in enumerate(spans):
        j = max(j, i)
        while j + 1 < len(spans) and max(e for _, e in spans[i : j + 2]) - start <= limit:
            j += 1
        n = j - i + 1
        if n > best_n:
            best_n, best = n, (start, max(e for _, e in spans[i : j + 1]))
    return best


def _rule_name(rule: Rule) -> tuple[str, str]:
    return rule.id, f"ルール {rule.id}（{rule.title}）"


def _excl_name(ex: Exclusion) -> tuple[str, str]:
    return ex.id, f"共通除外 {ex.id}（{ex.title}）"


def _matching(c: Condition, windows: list[Window]) -> Iterator[tuple[Window, list[Span]]]:
    """(window, spans) for each window where ``c`` holds, in order."""
    for w in windows:
        r = c.eval(w)
        if r is not None:
            yield w, r


def merge_same_type(findings: list[Finding]) -> list[Finding]:
    """One finding per provision and type (one row per provision on the review sheet).

    The finding of the best tier (likely before possible), then the most confident rule, is kept;
    the other rules of the same type that fired on the provision are listed in its other_rules.
    """
    best: dict[str, Finding] = {}
    others: dict[str, list[str]] = {}

    def rank(f: Finding) -> tuple[int, float]:
        return (-TIERS.index(f.tier) if f.tier in TIERS else -len(TIERS), f.confidence)

    for f in findings:
        cur = best.get(f.type)
        if cur is None or rank(f) > rank(cur):
            if cur is not None:
                others.setdefault(f.type, []).append(cur.rule_id)
            best[f.type] = f
        else:
            others.setdefault(f.type, []).append(f.rule_id)
    out = []
    for f in findings:  # keep rule order
        if best.get(f.type) is f:
            f.other_rules = sorted(others.get(f.type, []))
            out.append(f)
    return out


def example_provision(text: str, lead_in: str | None = None, items: str | None = None) -> Provision:
    """A stand-alone provision for rule examples and explain (``items``: its items, one per line)."""
    loc = Location(part="main", article="1", paragraph=1, item="1" if lead_in else None, label="例文")
    return Provision(location=loc, text=text, lead_in=lead_in, items=items)

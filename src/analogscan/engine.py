"""Match stage: provisions × compiled rules → findings.

1. prefilter: a provision is looked at only if its text (or its lead-in) contains a trigger
   word of some rule — cheap string search, no NLP;
2. the texts that survive are parsed by GiNZA in one batch (only if a rule needs tokens);
3. each rule whose own triggers occur is evaluated sentence by sentence (or on the whole
   provision), then its `unless` conditions and the shared exclusions are applied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import nlp as nlp_mod
from .model import TYPE_LABELS, Finding, Location, Provision
from .rules.conditions import Span, Window, normalize_width
from .rules.model import Exclusion, Rule, RuleSet

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


@dataclass
class Outcome:
    """What one rule did on one provision (for explain and the example runner)."""

    rule: Rule
    fired: bool
    finding: Finding | None = None
    reason: str = ""
    spans: list[Span] = field(default_factory=list)


class Engine:
    def __init__(self, ruleset: RuleSet, use_prefilter: bool = True) -> None:
        self.ruleset = ruleset
        self.rules = ruleset.active()
        self.exclusions = [e for e in ruleset.exclusions if e.enabled]
        self.use_prefilter = use_prefilter
        self.needs_nlp = ruleset.needs_nlp()
        self._trigger_rx = self._compile_triggers([t for r in self.rules for t in r.triggers])

    @staticmethod
    def _compile_triggers(words: Iterable[str]) -> re.Pattern[str] | None:
        ws = sorted({normalize_width(w) for w in words}, key=len, reverse=True)
        if not ws:
            return None
        return re.compile("|".join(map(re.escape, ws)))

    # ------------------------------------------------------------------ prefilter

    def is_candidate(self, p: Provision) -> bool:
        if not self.use_prefilter:
            return True
        if self._trigger_rx is None:
            return False
        if self._trigger_rx.search(normalize_width(p.text)):
            return True
        return bool(p.lead_in) and bool(self._trigger_rx.search(normalize_width(p.lead_in or "")))

    @staticmethod
    def _rule_triggered(rule: Rule, text_n: str, lead_n: str) -> bool:
        return any(normalize_width(t) in text_n or normalize_width(t) in lead_n for t in rule.triggers)

    # ------------------------------------------------------------------ parsing

    def parse_texts(self, texts: Iterable[str]) -> dict[str, nlp_mod.ParsedText]:
        uniq = list(dict.fromkeys(t for t in texts if t))
        if not self.needs_nlp or not uniq:
            return {}
        parsed = nlp_mod.parse_many(uniq)
        return dict(zip(uniq, parsed, strict=True))

    # ------------------------------------------------------------------ scanning

    def scan(self, provisions: list[Provision]) -> list[Finding]:
        cands = [p for p in provisions if self.is_candidate(p)]
        cache = self.parse_texts([t for p in cands for t in (p.text, p.lead_in or "")])
        findings: list[Finding] = []
        for p in cands:
            for o in self.evaluate(p, cache):
                if o.fired and o.finding is not None:
                    findings.append(o.finding)
        return findings

    def evaluate(
        self,
        p: Provision,
        cache: dict[str, nlp_mod.ParsedText] | None = None,
        rules: list[Rule] | None = None,
        check_triggers: bool | None = None,
    ) -> list[Outcome]:
        """Evaluate rules on one provision; returns one Outcome per rule (fired or why not)."""
        cache = cache if cache is not None else {}
        rules = self.rules if rules is None else rules
        check = self.use_prefilter if check_triggers is None else check_triggers
        text_n = normalize_width(p.text)
        lead_n = normalize_width(p.lead_in or "")
        out: list[Outcome] = []
        full: Window | None = None
        lead_w: Window | None = None
        excl_hits: dict[str, str | None] = {}

        def parsed_for(t: str) -> nlp_mod.ParsedText | None:
            if not self.needs_nlp or not t:
                return None
            if t not in cache:
                cache[t] = nlp_mod.parse(t)
            return cache[t]

        for rule in rules:
            if check and not self._rule_triggered(rule, text_n, lead_n):
                out.append(Outcome(rule, False, reason="トリガー語が本文にありません"))
                continue
            parsed = parsed_for(p.text) if rule.needs_nlp() or self.needs_nlp else None
            if full is None:
                full = Window(p.text, parsed)
            spans: list[Span] | None = None
            if rule.scope == "provision":
                spans = rule.match.eval(full)
            else:
                for s, e in sentence_bounds(p.text):
                    r = rule.match.eval(full.sub(s, e))
                    if r is not None:
                        spans = r
                        break
            if spans is None:
                out.append(Outcome(rule, False, reason="一致条件を満たしません"))
                continue
            if rule.lead_in is not None:
                if not p.lead_in:
                    out.append(Outcome(rule, False, reason="柱書（号の前の文）がありません"))
                    continue
                if lead_w is None:
                    lead_w = Window(p.lead_in, parsed_for(p.lead_in))
                if rule.lead_in.eval(lead_w) is None:
                    out.append(Outcome(rule, False, reason="柱書の条件を満たしません"))
                    continue
            blocked = None
            for i, u in enumerate(rule.unless):
                if u.eval(full) is not None:
                    blocked = f"除外条件 unless[{i}]（{u.describe()}）に該当"
                    break
            if blocked is None:
                for ex in self.exclusions:
                    if not ex.applies(rule.type):
                        continue
                    if ex.id not in excl_hits:
                        excl_hits[ex.id] = self._exclusion_hit(ex, full)
                    if excl_hits[ex.id]:
                        blocked = f"共通除外 {ex.id}（{ex.title}）に該当"
                        break
            if blocked:
                out.append(Outcome(rule, False, reason=blocked, spans=spans))
                continue
            conf = rule.confidence
            notes: list[str] = []
            for a in rule.adjust:
                if a.when.eval(full) is not None:
                    conf += a.delta
                    notes.append(a.note)
            conf = round(min(1.0, max(0.0, conf)), 2)
            finding = self._finding(rule, p, spans, conf, notes)
            out.append(Outcome(rule, True, finding=finding, spans=spans))
        return out

    @staticmethod
    def _exclusion_hit(ex: Exclusion, w: Window) -> str | None:
        r = ex.when.eval(w)
        return ex.id if r is not None else None

    def exclusion_matches(self, ex: Exclusion, text: str) -> bool:
        parsed = nlp_mod.parse(text) if ex.when.needs_nlp() else None
        return ex.when.eval(Window(text, parsed)) is not None

    def _finding(self, rule: Rule, p: Provision, spans: list[Span], conf: float, notes: list[str]) -> Finding:
        text = p.text
        good = sorted({s for s in spans if s[1] > s[0]})
        if not good:
            m = self._trigger_rx.search(normalize_width(text)) if self._trigger_rx else None
            good = [(m.start(), m.end())] if m else [(0, min(len(text), 20))]
        lo, hi = min(s for s, _ in good), max(e for _, e in good)
        span = (lo, hi) if hi - lo <= 60 else good[0]
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
        )


def example_provision(text: str, lead_in: str | None = None) -> Provision:
    """A stand-alone provision for rule examples and explain."""
    loc = Location(part="main", article="1", paragraph=1, item="1" if lead_in else None, label="例文")
    return Provision(location=loc, text=text, lead_in=lead_in)

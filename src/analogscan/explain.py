"""explain: why a provision was (or was not) flagged — tokens, bunsetsu, every rule's outcome.

For rule authors and reviewers who ask 「なぜこの条文が出た（出ない）のか」.
"""

from __future__ import annotations

import copy
import unicodedata
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AnalogscanError
from .model import TIER_LABELS, DocumentResult, Location, Ordinance, Provision
from .rank import Ranker, finding_features
from .ruleset.model import RuleSet
from .structure.numbering import article_sort_key, citation_key, parse_citation

if TYPE_CHECKING:
    from .engine import Engine, Outcome

LEVEL_JA = {"info": "情報", "warning": "警告", "error": "エラー"}


class ExplainError(AnalogscanError):
    """A Japanese message for the user; exit code 2."""


def display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def pad(s: str, width: int) -> str:
    return s + " " * max(0, width - display_width(s))


def text_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [display_width(h) for h in headers]
    for r in rows:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], display_width(c))
    lines = ["  " + "  ".join(pad(h, widths[i]) for i, h in enumerate(headers)).rstrip()]
    lines.append("  " + "  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  " + "  ".join(pad(c, widths[i]) for i, c in enumerate(r)).rstrip())
    return lines


def _matches(target: Location, loc: Location) -> bool:
    """Does loc fall under the citation the user typed? Unspecified parts match anything."""
    t = citation_key(target)
    k = citation_key(loc)
    if t[0] != k[0]:
        return False
    if target.appendix and target.appendix != "別表" and t[1] != k[1]:
        return False
    if target.article and t[2] != k[2]:
        return False
    if target.paragraph is not None and t[3] != k[3]:
        return False
    if target.item and t[4] != k[4]:
        return False
    if target.subitems and tuple(target.subitems) != k[5][: len(target.subitems)]:
        return False
    return bool(
        target.article
        or target.paragraph is not None
        or target.item
        or target.appendix
        or target.part != "main"
    )


def find_provisions(ordinance: Ordinance, at: str) -> list[Provision]:
    target = parse_citation(at)
    return [p for p in ordinance.provisions if _matches(target, p.location)]


def nearby_citations(ordinance: Ordinance, at: str, limit: int = 12) -> list[str]:
    """Labels near the requested article (same part), for the error message."""
    target = parse_citation(at)
    cands: list[tuple[int, int, str]] = []
    want = article_sort_key(target.article) if target.article else ()
    for i, p in enumerate(ordinance.provisions):
        if p.location.part != target.part:
            continue
        have = article_sort_key(p.location.article)
        dist = abs((have[0] if have else 0) - want[0]) if want else i
        cands.append((dist, i, p.location.label or "（番号なし）"))
    nearest = sorted(sorted(cands)[:limit], key=lambda x: x[1])
    out = list(dict.fromkeys(label for _, _, label in nearest))[:limit]
    if not out:
        out = list(dict.fromkeys(p.location.label for p in ordinance.provisions))[:limit]
    return out


def _token_rows(text: str) -> tuple[list[list[str]], list[str]]:
    from . import nlp as nlp_mod

    parsed = nlp_mod.parse(text)
    rows: list[list[str]] = []
    bunsetsu: list[str] = []
    base = 0
    for _off, doc in parsed.docs:
        for tok in doc:
            pos = tok.pos_ + (f"（{tok.tag_}）" if tok.tag_ else "")
            head = "―" if tok.head.i == tok.i else str(base + tok.head.i + 1)
            rows.append([str(base + tok.i + 1), tok.text, tok.lemma_, tok.norm_, pos, tok.dep_, head])
        bunsetsu.extend(s.text for s in nlp_mod.bunsetsu_spans(doc))
        base += len(doc)
    return rows, bunsetsu


class ExclusionVerdict(StrEnum):
    """What a shared exclusion did on a provision (a code to branch on; ``label`` says it in Japanese)."""

    HIT = "hit"
    MISS = "miss"
    TIMED_OUT = "timed_out"  # a regex of the exclusion ran over its time limit: undecided


def _heading(p: Provision) -> list[str]:
    loc = p.location
    head = f"■ {loc.label or '（番号なし）'}"
    if loc.suppl_label:
        head += f"（{loc.suppl_label}）"
    if p.caption:
        head += f" {p.caption}"
    if p.page:
        head += f"  {p.page}ページ"
    out = [head]
    if p.lead_in:
        out.append(f"柱書: {p.lead_in}")
    out.append(f"規定内容: {p.text}")
    if p.items:
        out.append("号: " + " ／ ".join(p.items.splitlines()))
    return out


def _token_section(text: str) -> list[str]:
    rows, bunsetsu = _token_rows(text)
    out = ["", f"形態素・係り受け（GiNZA、{len(rows)} 語）:"]
    out.extend(text_table(["番号", "表層形", "原形", "正規形", "品詞", "係り受け", "係り先"], rows))
    out.append("")
    out.append("文節: " + "／".join(bunsetsu))
    return out


def _outcome_lines(o: Outcome, text: str) -> list[str]:
    """One rule that fired (○) or got past its trigger words and did not (×)."""
    r = o.rule
    if o.fired and o.finding is not None:
        f = o.finding
        out = [
            f"  ○ {r.id}【{f.type_label}】{r.title}  確度 {f.confidence:.2f}",
            f"      該当箇所: 「{f.matched}」（{f.span[0]}〜{f.span[1]}文字目）",
        ]
        if f.evidence:
            out.append("      一致した語: " + "、".join(f"「{w}」" for w in f.evidence))
        out.append(f"      判定理由: {f.message}")
        return out
    out = [f"  × {r.id} {r.title}: {o.reason or '不一致'}"]
    words = list(dict.fromkeys(text[s:e] for s, e in o.spans if e > s))
    if words:
        out.append("      （一致した語: " + "、".join(f"「{w}」" for w in words) + "）")
    return out


def _rules_section(outcomes: list[Outcome], text: str, verbose: bool) -> list[str]:
    from .engine import STAGE_NO_TRIGGER

    fired = [o for o in outcomes if o.fired]
    no_trigger = [o.rule.id for o in outcomes if o.stage == STAGE_NO_TRIGGER]
    near = len(outcomes) - len(fired) - len(no_trigger)
    out = [
        f"ルールの判定（{len(outcomes)} 件中 {len(fired)} 件が検出、トリガー語があり検出しなかったもの {near} 件）:"
    ]
    if not outcomes:
        out.append("  対象のルールがありません")
    for o in outcomes:
        if o.stage != STAGE_NO_TRIGGER:
            out.extend(_outcome_lines(o, text))
    if no_trigger and verbose:
        out.append(f"  × トリガー語が本文にないルール（{len(no_trigger)} 件）: " + "、".join(no_trigger))
    elif no_trigger:
        out.append(
            f"  （トリガー語が本文にないルール {len(no_trigger)} 件は省略。すべては --verbose で表示）"
        )
    return out


def _verdict(engine: Engine, exclusion_id: str, hit: bool) -> ExclusionVerdict:
    if exclusion_id in engine.timed_out:
        return ExclusionVerdict.TIMED_OUT
    return ExclusionVerdict.HIT if hit else ExclusionVerdict.MISS


def _exclusions_section(engine: Engine, ruleset: RuleSet, p: Provision, verbose: bool) -> list[str]:
    exclusions = [e for e in ruleset.exclusions if e.enabled]
    types = sorted({r.type for r in engine.rules})
    # (fills engine.timed_out)
    hits = {ex.id for ex in exclusions if engine.exclusion_matches(ex, p.text, p.lead_in)}
    verdicts = {ex.id: _verdict(engine, ex.id, ex.id in hits) for ex in exclusions}
    shown = "" if verbose else "。該当しないものは --verbose で表示"
    out = [f"共通除外（{len(exclusions)} 件中 {len(hits)} 件が該当{shown}）:"]
    for ex in exclusions:
        verdict, hit = verdicts[ex.id], ex.id in hits
        if not hit and not verbose and verdict is not ExclusionVerdict.TIMED_OUT:
            continue
        scope = "すべての区分" if ex.applies_to is None else "・".join(ex.applies_to)
        relevant = any(ex.applies(t) for t in types)
        mark = "該当" if hit else "非該当"
        if verdict is ExclusionVerdict.TIMED_OUT:
            mark = "判定できません（" + engine.timed_out[ex.id] + "）"
        note = "" if relevant or not hit else "（選んだ区分には適用されません）"
        out.append(f"  {'●' if hit else '・'} {ex.id} {ex.title}: {mark}（対象: {scope}）{note}")
    if not exclusions:
        out.append("  なし")
    elif not hits and not verbose and ExclusionVerdict.TIMED_OUT not in verdicts.values():
        out.append("  該当なし")
    return out


def explain_provision(
    p: Provision, ruleset: RuleSet, *, tokens: bool = True, verbose: bool = False
) -> list[str]:
    """The explanation of one provision. By default only the rules that fired or nearly fired (a
    trigger word is present) and the shared exclusions that apply; ``verbose``: every rule and
    every exclusion."""
    from .engine import Engine

    engine = Engine(ruleset)
    out = _heading(p)
    if tokens:
        out.extend(_token_section(p.text))
    out.append("")
    outcomes = engine.evaluate(p)
    out.extend(_rules_section(outcomes, p.text, verbose))
    if ruleset.ranker is not None and any(o.fired for o in outcomes):
        out.append("")
        out.extend(_ranker_section(ruleset.ranker, outcomes))
    out.append("")
    out.extend(_exclusions_section(engine, ruleset, p, verbose))
    return out


def _feature_label(name: str) -> str:
    """A ranker feature in words (see analogscan.rank.features)."""
    if name.startswith("r:"):
        return f"ルール {name[2:]}"
    if name.startswith("tier:"):
        return f"ルールの区分 {TIER_LABELS.get(name.rsplit(':', 1)[1], name)}"
    if name.startswith("t:"):
        return f"規制区分 {name[2:]}"
    _, _, rest = name.partition("|")
    if rest.startswith("item:"):
        return "号・号の細分" if rest.endswith("True") else "条・項"
    if rest.startswith("part:"):
        return {"main": "本則", "suppl": "附則", "appendix": "別表"}.get(rest[5:], rest)
    return f"「{rest}」"


def _ranker_section(ranker: Ranker, outcomes: list[Outcome]) -> list[str]:
    """How the rank stage tiers the findings (one per type, as scan reports them)."""
    from .engine import merge_same_type

    found = [copy.copy(o.finding) for o in outcomes if o.fired and o.finding is not None]
    merged = merge_same_type(found)
    out = [f"順位付け（{ranker.path.name if ranker.path else 'ranker.json'}、しきい値 {ranker.threshold}）:"]
    for f in merged:
        rule_tier = f.tier
        feats = finding_features(f, ranker=ranker)
        p = ranker.score(feats)
        tier = ranker.tier_of(p)
        out.append(
            f"  {f.type} {f.rule_id}: 確率 {p:.2f} → {TIER_LABELS[tier]}（ルールの区分: {TIER_LABELS.get(rule_tier, rule_tier)}）"
        )
        parts = [f"{_feature_label(x)} {w:+.2f}" for x, w in ranker.contributions(feats)]
        if parts:
            out.append("    効いた特徴: " + "、".join(parts))
    return out


def explain(
    path: Path,
    at: str,
    ruleset: RuleSet,
    *,
    format_in: str | None = None,
    tokens: bool = True,
    verbose: bool = False,
) -> str:
    from .pipeline import load_ordinance

    result = DocumentResult(path=str(path))
    ordinance = load_ordinance(path, result, format_in)
    if ordinance is None:
        msgs = "；".join(m.text for m in result.messages) or "読み込めませんでした"
        raise ExplainError(f"{path} を読み込めません: {msgs}")
    provisions = find_provisions(ordinance, at)
    if not provisions:
        target = parse_citation(at)
        near = nearby_citations(ordinance, at)
        shown = f"（{target.label}）" if target.label and target.label != at else ""
        raise ExplainError(
            f"{ordinance.title or path} に「{at}」{shown}は見つかりません。"
            + ("\n近くの条項: " + "、".join(near) if near else "\nこの文書には条項が認識されていません。")
        )
    out: list[str] = [f"{ordinance.title or path}" + (f"（{ordinance.number}）" if ordinance.number else "")]
    out.append(f"ファイル: {path}　指定: {at}　該当する条項 {len(provisions)} 件")
    for m in result.messages:
        out.append(f"  [{LEVEL_JA.get(m.level, m.level)}] {m.text}")
    for p in provisions:
        out.append("")
        out.extend(explain_provision(p, ruleset, tokens=tokens, verbose=verbose))
    return "\n".join(out) + "\n"

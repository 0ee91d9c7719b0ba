"""dep: {head: TERM, child: TERM, rel: [obj, obl, ...], max_hops: 2}: child depends on head."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .base import DEP, TOKENS, Condition, KeyPath, Parser, Term, as_list, strict_int
from .window import Span, Window

_KEYS = ("head", "child", "rel", "max_hops")


@dataclass
class DepCond(Condition):
    key: ClassVar[str] = "dep"
    SCHEMA: ClassVar[dict[str, Any]] = {
        "type": "object",
        "required": ["head", "child"],
        "additionalProperties": False,
        "properties": {
            "head": {"$ref": "#/$defs/term"},
            "child": {"$ref": "#/$defs/term"},
            "rel": {"$ref": "#/$defs/strings"},
            "max_hops": {"type": "integer", "minimum": 1, "maximum": 5},
        },
    }

    head: Term
    child: Term
    rel: list[str] | None = None
    max_hops: int = 2

    @classmethod
    def from_yaml(cls, value: Any, path: KeyPath, parser: Parser) -> Condition | None:
        p = path + [cls.key]
        err = parser.err
        if not isinstance(value, dict):
            err(p, "dep には head, child（と任意で rel, max_hops）を指定してください")
            return None
        for k in value:
            if k not in _KEYS:
                err(p + [k], f"未知のキー「{k}」です。dep に使えるのは head, child, rel, max_hops です")
        for k in ("head", "child"):
            if k not in value:
                err(p, f"dep に必須のキー「{k}」がありません")
        if "head" not in value or "child" not in value:
            return None
        head = parser.term(value["head"], p + ["head"])
        child = parser.term(value["child"], p + ["child"])
        rel = None
        if "rel" in value:
            rel = as_list(value["rel"])
            if not all(isinstance(r, str) for r in rel):
                err(p + ["rel"], "rel は係り受けラベル（obj, obl, nsubj など）の文字列か一覧にしてください")
                return None
        hops = value.get("max_hops", 2)
        if not strict_int(hops) or not 1 <= hops <= 5:
            err(p + ["max_hops"], "max_hops は1〜5の整数にしてください")
            return None
        if head is None or child is None:
            return None
        return cls(head, child, rel, hops)

    def needs(self) -> set[str]:
        return {TOKENS, DEP} | self.head.needs() | self.child.needs()

    def tri_unknown(self, w: Window) -> bool | None:
        if self.head.present(w) is False or self.child.present(w) is False:
            return False
        return None

    def neural_wanted(self, w: Window) -> bool:
        return self.head.present(w) is not False and self.child.present(w) is not False

    def trigger_words(self) -> set[str] | None:
        return self.head.trigger_words() or self.child.trigger_words()

    def eval(self, w: Window) -> list[Span] | None:
        heads = self.head.tokens(w)
        if not heads:
            return None
        head_ids = {(id(t.doc), t.i) for t in heads}
        out: list[Span] = []
        for c in self.child.tokens(w):
            cur = c
            for _ in range(self.max_hops):
                parent = cur.head
                if parent.i == cur.i:
                    break
                if (id(parent.doc), parent.i) in head_ids and (self.rel is None or cur.dep_ in self.rel):
                    out.append(_tok_span(w, c))
                    out.append(_tok_span(w, parent))
                    break
                cur = parent
        return sorted(set(out)) or None

    def describe(self) -> str:
        return f"dep: {'/'.join(self.child.values)} → {'/'.join(self.head.values)}"


def _tok_span(w: Window, tok: Any) -> Span:
    return w.token_span(tok) or (0, 0)

"""Edits on one provision → the amended text, the changed spans, and the 改め文.

An edit is either a replacement of a phrase (every occurrence in the provision, as a 改め文
「第5条中「A」を「B」に改める。」 changes every occurrence in that unit) or a sentence appended
at the end (ただし書 or 後段). The 改め文 follows the usual forms:

- 「第5条第2項中「掲示し」を「掲示するとともに、…供し」に改める。」
- 「第8条中「講習」の下に「（…を含む。）」を加える。」 (the new words follow the old ones)
- 「第3条中「磁気ディスク、」を削る。」
- 「第7条第2項に次のただし書を加える。」 / 「第9条第1項に後段として次のように加える。」
  followed by the new sentence on its own line, indented by a full-width space.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

Span = tuple[int, int]

TAIL_KINDS = ("proviso", "sentence")


@dataclass(frozen=True)
class Edit:
    kind: str  # replace | proviso | sentence
    before: str  # the phrase replaced ("" for an appended sentence)
    after: str  # its replacement, or the appended sentence

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "before": self.before, "after": self.after}


@dataclass
class Applied:
    before: str
    after: str
    edits: list[Edit]
    before_marks: list[Span] = field(default_factory=list)
    after_marks: list[Span] = field(default_factory=list)


def apply_edits(text: str, edits: list[Edit]) -> Applied:
    """Apply replacements (all occurrences, longest phrase first where they overlap) and tails."""
    repl = [e for e in edits if e.kind == "replace" and e.before and e.before != e.after]
    hits: list[tuple[int, int, Edit]] = []
    taken = bytearray(len(text))  # 1 where a longer phrase already replaces the character
    for e in sorted(repl, key=lambda e: -len(e.before)):
        start = 0
        while (i := text.find(e.before, start)) >= 0:
            j = i + len(e.before)
            if taken.find(1, i, j) < 0:
                hits.append((i, j, e))
                taken[i:j] = b"\x01" * (j - i)
            start = j
    hits.sort(key=lambda h: h[0])
    out: list[str] = []
    before_marks: list[Span] = []
    after_marks: list[Span] = []
    pos = 0
    n = 0
    for i, j, e in hits:
        out.append(text[pos:i])
        n += i - pos
        if e.after.startswith(e.before) and e.after[len(e.before) :].startswith(_ADDABLE):  # added after it
            after_marks.append((n + len(e.before), n + len(e.after)))
        elif e.after.endswith(e.before) and e.after[: len(e.after) - len(e.before)].endswith(_ADDABLE_BEFORE):
            after_marks.append((n, n + len(e.after) - len(e.before)))
        else:
            before_marks.append((i, j))
            if e.after:
                after_marks.append((n, n + len(e.after)))
        out.append(e.after)
        n += len(e.after)
        pos = j
    out.append(text[pos:])
    after = "".join(out)
    used = {h[2] for h in hits}
    for e in edits:
        if e.kind in TAIL_KINDS:
            at = tail_position(after)
            if at is None:
                continue
            after_marks.append((at, at + len(e.after)))
            after = after[:at] + e.after + after[at:]
            used.add(e)
    return Applied(text, after, [e for e in edits if e in used], before_marks, after_marks)


# An amendment-history note some 例規集 print after a provision: 「（追加〔昭和57年規則32号〕、一部改正〔…〕）」,
# 「(平18規則87・一部改正)」. It is not part of the text; a ただし書 or 後段 goes before it.
_HISTORY = re.compile(
    r"\s*(?:[（(](?:[^（）()]|[（(][^（）()]*[）)])*[）)]|(?:追加|一部改正|全部改正|旧)[〔\[].*)\s*"
)
_HISTORY_WORDS = re.compile(r"改正|追加|[平昭令大][0-9０-９一二三四五六七八九十元]")


def tail_position(text: str) -> int | None:
    """Where a sentence appended to the provision goes: after its last 「。」 (before a trailing
    amendment-history note); None when the provision does not end a sentence."""
    body = text.rstrip()
    if body.endswith("。"):
        return len(body)
    i = body.rfind("。")
    if i >= 0 and _HISTORY.fullmatch(body[i + 1 :]) and _HISTORY_WORDS.search(body[i + 1 :]):
        return i + 1
    return None


def diff_marks(before: str, after: str) -> tuple[list[Span], list[Span]]:
    """Changed spans of a freely edited text (a reviewer's own wording), by character diff."""
    sm = difflib.SequenceMatcher(None, before, after, autojunk=False)
    bm: list[Span] = []
    am: list[Span] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        if i2 > i1:
            bm.append((i1, i2))
        if j2 > j1:
            am.append((j1, j2))
    return bm, am


def segments(text: str, marks: list[Span]) -> list[tuple[str, bool]]:
    """The text cut into (piece, changed) runs for underlining."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for a, b in sorted(marks):
        a, b = max(a, pos), min(b, len(text))
        if b <= a:
            continue
        if a > pos:
            out.append((text[pos:a], False))
        out.append((text[a:b], True))
        pos = b
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def _same(label: str) -> str:
    """「同項」「同条」「同号」: how the second half of a 改め文 refers back to the unit."""
    if label.endswith("項"):
        return "同項"
    if re.search(r"号$", label):
        return "同号"
    if re.search(r"条(の[0-9０-９]+)*$", label):
        return "同条"
    return label


# 「X」の下に「Y」を加える is used only where the new words do not split a word of the old text:
# a parenthetical or a new clause after a comma (otherwise 「X」を「XY」に改める).
_ADDABLE = ("（", "、")
_ADDABLE_BEFORE = ("）", "、")


def kaibun(label: str, edits: list[Edit]) -> str:
    """The 改め文 for the edits of one provision (label: 第5条第2項)."""
    clauses: list[tuple[str, str]] = []  # (verb stem, object)
    for e in edits:
        if e.kind != "replace":
            continue
        x, y = e.before, e.after
        if y.startswith(x) and y[len(x) :].startswith(_ADDABLE):
            clauses.append(("加え", f"「{x}」の下に「{y[len(x) :]}」を"))
        elif y.endswith(x) and len(y) > len(x) and y[: len(y) - len(x)].endswith(_ADDABLE_BEFORE):
            clauses.append(("加え", f"「{x}」の上に「{y[: len(y) - len(x)]}」を"))
        elif not y:
            clauses.append(("削り", f"「{x}」を"))
        else:
            clauses.append(("改め", f"「{x}」を「{y}」に"))
    tails = [e for e in edits if e.kind in TAIL_KINDS]
    final = {"改め": "改める", "加え": "加える", "削り": "削る"}
    parts: list[str] = []
    for i, (verb, obj) in enumerate(clauses):
        last_of_run = i + 1 == len(clauses) or clauses[i + 1][0] != verb
        parts.append(obj + (verb if last_of_run else "") + ("、" if i + 1 < len(clauses) else ""))
    lines: list[str] = []
    head = f"{label}中" + "".join(parts) if parts else ""
    for k, t in enumerate(tails):
        what = "次のただし書を加える" if t.kind == "proviso" else "後段として次のように加える"
        if head and k == 0:
            lines.append(f"{head}、{_same(label)}に{what}。")
            head = ""
        else:
            lines.append(f"{label}に{what}。")
        lines.append("　" + t.after)
    if head:
        stem = clauses[-1][0]
        lines.insert(0, head[: len(head) - len(stem)] + final[stem] + "。")
    return "\n".join(lines)

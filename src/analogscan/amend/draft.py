"""Rows of a 新旧対照表: from a JSON report or from a reviewed sheet (該非=該当, 見直し方針=改正).

One row per provision (findings of several types on one provision are drafted together);
one table per 例規, rows in article order. A row that no template fits says 「手作業で起案」 and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import AnalogscanError
from ..ids import doc_identity, text_hash
from ..model import TYPE_CODES, TYPE_LABELS, tier_of
from .apply import HONESTY_LINE, MANUAL, Draft, draft_text, location_problem
from .kaibun import Edit, Span, apply_edits, diff_marks, kaibun
from .numerals import kanji_label, uses_kanji
from .templates import TemplateSet

# 見直し方針 values that ask for an amendment: the sheet's choice 「規定の見直し」, and 「改正」 typed by hand
AMEND_POLICIES = ("規定の見直し", "改正")
EDITED_NOTE = "見直し案の欄が書き換えられているため、その文を改正後とし、改め文は手作業で起案してください"


class DraftSourceError(AnalogscanError):
    """A report or sheet that cannot be read (Japanese message)."""


@dataclass
class DraftRow:
    label: str
    before: str
    types: list[str]
    after: str | None = None  # None: 手作業で起案
    kaibun: str | None = None
    before_marks: list[Span] = field(default_factory=list)
    after_marks: list[Span] = field(default_factory=list)
    template_ids: list[str] = field(default_factory=list)
    manual: str | None = None  # why there is no draft (or no 改め文)
    notes: list[str] = field(default_factory=list)

    @property
    def drafted(self) -> bool:
        return self.after is not None


@dataclass
class DraftDoc:
    title: str
    number: str
    path: str
    rows: list[DraftRow] = field(default_factory=list)

    @property
    def kind(self) -> str:
        m = re.search(r"(条例|規則|要綱|規程|訓令|告示)$", self.title)
        return m.group(1) if m else "条例"

    @property
    def amending_title(self) -> str:
        return f"{self.title or '（題名不明）'}の一部を改正する{self.kind}"

    @property
    def table_title(self) -> str:
        return f"{self.amending_title}　新旧対照表"


def label_key(label: str) -> tuple[int, ...]:
    """Article order of a citation label: 本則 < 附則 < 別表, then 条・項・号 numbers."""
    part = 2 if label.startswith("別表") else 1 if label.startswith("附則") else 0
    nums: list[int] = [part]
    for unit in ("条", "項", "号"):
        m = re.search(r"第([0-9０-９]+)" + unit + r"((?:の[0-9０-９]+)*)", label)
        if m:
            nums.append(int(m.group(1)))
            nums.extend(int(x) for x in re.findall(r"の([0-9０-９]+)", m.group(2)))
            nums.extend([0] * (3 - len(re.findall("の", m.group(2)))))
        else:
            nums.extend([1 if unit == "項" else 0] + [0] * 3)
    return tuple(nums)


@dataclass
class _Finding:
    type: str
    span: tuple[int, int] | None
    item: bool
    problem: str | None


def _draft_row(label: str, text: str, findings: list[_Finding], templates: TemplateSet) -> DraftRow:
    types = list(dict.fromkeys(f.type for f in findings))
    row = DraftRow(label=label, before=text, types=types)
    edits: list[Edit] = []
    reasons: list[str] = []
    problem = next((f.problem for f in findings if f.problem), None)
    if problem:
        row.manual = problem
        return row
    for t in types:
        f = next(f for f in findings if f.type == t)
        cands = templates.for_type(t)
        got: Draft | str = (
            draft_text(text, label, cands, f.span, item=f.item) if cands else "文例がありません"
        )
        if isinstance(got, Draft):
            for e in got.applied.edits:
                if e not in edits and not (e.kind != "replace" and any(x.kind == e.kind for x in edits)):
                    edits.append(e)
            row.template_ids += [i for i in got.template_ids if i not in row.template_ids]
        else:
            reasons.append(f"{TYPE_LABELS.get(t, t)}: {got}")
    if edits:
        applied = apply_edits(text, edits)
        row.after, row.before_marks, row.after_marks = (
            applied.after,
            applied.before_marks,
            applied.after_marks,
        )
        row.kaibun = kaibun(label, applied.edits)
        row.notes += [f"{MANUAL}（{r}）" for r in reasons]
    else:
        row.manual = "、".join(reasons) if reasons else "文例がありません"
    return row


def _group(items: list[tuple[dict[str, str], str, str, _Finding]], templates: TemplateSet) -> list[DraftDoc]:
    """items: (doc info, label, provision text, finding) → documents with one row per provision.

    The same 例規 read from two files (a PDF and a text) is one table; a provision is one row."""
    docs: dict[str, DraftDoc] = {}
    provs: dict[str, dict[tuple[str, str], tuple[str, list[_Finding]]]] = {}
    for info, label, text, f in items:
        key = doc_identity(info)
        if key not in docs:
            docs[key] = DraftDoc(info.get("title", ""), info.get("number", ""), info.get("path", ""))
            provs[key] = {}
        provs[key].setdefault((label, text_hash(text)), (text, []))[1].append(f)
    out: list[DraftDoc] = []
    for key, d in docs.items():
        kanji = uses_kanji(text for text, _ in provs[key].values())
        for (label, _), (text, fs) in sorted(provs[key].items(), key=lambda kv: label_key(kv[0][0])):
            d.rows.append(_draft_row(kanji_label(label) if kanji else label, text, fs, templates))
        out.append(d)
    return out


def _span_of(text: str, span: object, matched: str) -> tuple[int, int] | None:
    if isinstance(span, list | tuple) and len(span) == 2:
        try:
            a, b = int(span[0]), int(span[1])
            if 0 <= a < b <= len(text):
                return a, b
        except (TypeError, ValueError):
            pass
    i = text.find(matched) if matched else -1
    return (i, i + len(matched)) if i >= 0 else None


def from_report(
    report: dict[str, Any], templates: TemplateSet, *, tiers: tuple[str, ...] = ("likely",)
) -> list[DraftDoc]:
    """Every finding of the given tiers, except those a reviewer judged 非該当 or 見直し不要."""
    items: list[tuple[dict[str, str], str, str, _Finding]] = []
    for doc in report.get("documents") or []:
        info = {k: str(doc.get(k) or "") for k in ("path", "title", "number")}
        for f in doc.get("findings") or []:
            if tier_of(f) not in tiers:
                continue
            dec = f.get("decision") or {}
            if dec.get("applicable") == "非該当" or dec.get("policy") in ("運用で対応", "見直し不要"):
                continue
            loc = f.get("location") or {}
            text = str(f.get("provision_text") or "")
            fd = _Finding(
                str(f.get("type") or ""),
                _span_of(text, f.get("span"), str(f.get("matched") or "")),
                bool(loc.get("item")),
                location_problem(loc),
            )
            items.append((info, str(loc.get("label") or ""), text, fd))
    return _group(items, templates)


SHEET_HEADERS = {
    "finding_id": "finding_id",
    "rule_id": "rule_id",
    "例規名": "title",
    "例規番号": "number",
    "条項": "label",
    "規定内容": "text",
    "該当箇所": "matched",
    "規制区分": "type_label",
    "該非": "applicable",
    "見直し方針": "policy",
    "見直し案": "proposal",
    "ファイル": "path",
}


def _cell(v: object) -> str:
    return "" if v is None else str(v).strip()


def from_sheet(path: Path, templates: TemplateSet) -> tuple[list[DraftDoc], int]:
    """Rows marked 該非=該当 and 見直し方針=改正 (規定の見直し) of a reviewed sheet; (documents, rows taken)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(Path(path), read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - any unreadable file gets one Japanese message
        raise DraftSourceError(f"レビュー表を開けません: {path}（{type(e).__name__}: {e}）") from e
    try:
        ws = wb["レビュー表"] if "レビュー表" in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        cols: dict[str, int] = {}
        for values in rows:
            cols = {SHEET_HEADERS[_cell(v)]: i for i, v in enumerate(values) if _cell(v) in SHEET_HEADERS}
            if "label" in cols and "text" in cols:
                break
        missing = [
            h
            for h, k in SHEET_HEADERS.items()
            if k in ("label", "text", "applicable", "policy") and k not in cols
        ]
        if missing:
            raise DraftSourceError(f"レビュー表に列「{'」「'.join(missing)}」が見つかりません: {path}")
        by_label = {v: k for k, v in TYPE_LABELS.items()}
        items: list[tuple[dict[str, str], str, str, _Finding]] = []
        proposals: dict[tuple[str, str], str] = {}  # (例規, text hash) → the reviewer's 見直し案
        taken = 0
        for values in rows:

            def get(k: str, values: tuple[Any, ...] = values) -> str:
                i = cols.get(k)
                return _cell(values[i]) if i is not None and i < len(values) else ""

            if get("applicable") != "該当" or not any(get("policy").startswith(p) for p in AMEND_POLICIES):
                continue
            taken += 1
            rid = get("rule_id")
            t = rid.split("-")[0] if rid.split("-")[0] in TYPE_CODES else by_label.get(get("type_label"), "")
            text, label = get("text"), get("label")
            info = {"path": get("path"), "title": get("title"), "number": get("number")}
            problem = None if label else "条項を特定できないため、改め文の「第○条中」を書けません"
            items.append(
                (info, label, text, _Finding(t, _span_of(text, None, get("matched")), "号" in label, problem))
            )
            if get("proposal"):
                proposals[(doc_identity(info), text_hash(text))] = get("proposal")
    finally:
        wb.close()
    docs = _group(items, templates)
    for d in docs:
        for r in d.rows:
            ident = doc_identity({"title": d.title, "number": d.number, "path": d.path})
            _apply_proposal(r, proposals.get((ident, text_hash(r.before))))
    return docs, taken


def _apply_proposal(row: DraftRow, proposal: str | None) -> None:
    """A reviewer's own wording in 見直し案 wins over the template's (改め文 then by hand)."""
    if not proposal or proposal.startswith(MANUAL) or proposal == row.after or proposal == row.before:
        return
    row.after = proposal
    row.before_marks, row.after_marks = diff_marks(row.before, proposal)
    row.kaibun = None
    row.manual = EDITED_NOTE


def render_kaibun_text(docs: list[DraftDoc]) -> str:
    """The 改め文 of every 例規, then the provisions left to draft by hand."""
    out: list[str] = [HONESTY_LINE, ""]
    for d in docs:
        drafted = [r for r in d.rows if r.kaibun]
        out.append(d.amending_title)
        out.append("")
        if drafted:
            number = f"（{d.number}）" if d.number else ""
            out.append(f"　{d.title}{number}の一部を次のように改正する。")
            for r in drafted:
                out.extend("　" + line if i == 0 else line for i, line in enumerate(r.kaibun.splitlines()))  # type: ignore[union-attr]
            out.append("")
            out.append("　　　附　則")
            out.append(f"　この{d.kind}は、〔施行期日〕から施行する。")
        else:
            out.append("　（文例で起案できた規定はありません）")
        by_hand = [r for r in d.rows if not r.kaibun]
        if by_hand:
            out.append("")
            out.append(f"【{MANUAL}】")
            for r in by_hand:
                out.append(f"・{r.label or '（条項不明）'}: {r.manual or ''}")
        for r in d.rows:
            for n in r.notes:
                out.append(f"・{r.label}: {n}")
        out.append("")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"

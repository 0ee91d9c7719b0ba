"""Build the みどり野市 sample 例規集 from the annotated sources in corpora/src/.

Each corpora/src/<stem>.ann line is one logical line of the ordinance, optionally followed by
` @@ <labels> @@ <note>` (labels comma-separated, `-` for none).  This script writes

  corpora/reiki/<stem>.txt        the plain text, in the encoding given in DOCS
  corpora/pdf_src/<stem>.txt.src  the plain text of PDF-only documents (UTF-8)
  corpora/labels.jsonl            one line per provision unit (every unit, hits and non-hits)
  corpora/expected_counts.json    positives per type, counted from labels.jsonl

Run: .venv/bin/python corpora/build_corpus.py   (then corpora/make_pdfs.py for the PDFs)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
REIKI = HERE / "reiki"
PDF_SRC = HERE / "pdf_src"

TYPES = ("mokushi", "jicchi", "teiki", "jochu", "keiji", "koshu", "etsuran", "media")

# stem -> (encoding, route)   route: "txt" (plain text only), "txt+pdf" (text and PDF), "pdf" (PDF only)
DOCS: dict[str, tuple[str, str]] = {
    "okugai_kokokubutsu_jorei": ("utf-8", "txt+pdf"),
    "okugai_kokokubutsu_kisoku": ("cp932", "txt"),
    "koshu_yokujo_jorei": ("utf-8", "txt+pdf"),
    "kokokushiki_jorei": ("euc_jp", "txt"),
    "haikibutsu_jorei": ("utf-8-sig", "txt"),
    "kaihatsu_shido_yoko": ("utf-8", "txt+pdf"),
    "keikan_jorei": ("utf-8", "txt"),
    "kasai_yobo_jorei": ("utf-8", "txt"),
    "hokago_jido_kijun_jorei": ("utf-8", "txt"),
    "nyusatsu_shikaku_yoko": ("utf-8", "txt+pdf"),
    "bochi_keiei_jorei": ("cp932", "txt"),
    "chosha_kanri_kisoku": ("utf-8", "txt"),
    "shokuhin_eisei_jorei": ("utf-8", "txt"),
    "shizei_jorei_kisoku": ("utf-8", "pdf"),
}

DEFAULT_NOTE = "該当なし（手続・実体規定でアナログ規制の要素を含まない）"

# ------------------------------------------------------------------ numbering helpers

KANJI = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
Z2H = str.maketrans("０１２３４５６７８９", "0123456789")
NUM = r"[0-9０-９〇一二三四五六七八九十百]+"


def to_int(s: str) -> int:
    s = s.translate(Z2H)
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch == "百":
            total += (cur or 1) * 100
            cur = 0
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        else:
            cur = KANJI[ch]
    return total + cur


RE_TOC_ENTRY = re.compile(rf"^(第{NUM}[章節].*（.*）|附則)$")
RE_CHAPTER = re.compile(rf"^第{NUM}[章節款]　")
RE_CAPTION = re.compile(r"^（[^）]*）$")
RE_ARTICLE = re.compile(rf"^第({NUM})条((?:の{NUM})*)　")
RE_PARA = re.compile(r"^([0-9]+|[０-９]+)　")
RE_ITEM = re.compile(r"^(?:\(([0-9]+)\)|（([0-9０-９]+)）|([一二三四五六七八九十]+))　")
RE_SUB = re.compile(r"^([アイウエオカキクケコ]|[イロハニホヘトチ])　")
RE_SUPPL = re.compile(r"^附　?則")
RE_TABLE = re.compile(rf"^別表(第({NUM}))?")


def split_ann(line: str) -> tuple[str, list[str] | None, str | None]:
    if " @@ " not in line:
        return line, None, None
    text, labels, *rest = line.split(" @@ ")
    labs = [] if labels.strip() in ("-", "") else [x.strip() for x in labels.split(",")]
    for lab in labs:
        if lab not in TYPES:
            raise ValueError(f"unknown label {lab!r} in: {line}")
    return text, labs, (rest[0].strip() if rest else None)


def parse(lines: list[str]) -> list[dict]:
    """Return provision units: dict(kind, art, branch, para, item, sub, suppl, table, text, labels, note)."""
    units: list[dict] = []
    body = lines[3:]  # title, date, number
    in_toc = False
    suppl = 0  # 附則 block counter (0 = main provisions)
    table = None
    art = None  # (num, branch)
    para = 0
    item = None
    for raw in body:
        text, labs, note = split_ann(raw)
        if not text.strip():
            continue
        if text == "目次":
            in_toc = True
            continue
        if in_toc:
            if RE_TOC_ENTRY.match(text):
                continue
            in_toc = False
        if RE_SUPPL.match(text) and not text.startswith("附則第"):
            suppl += 1
            art, para, item, table = None, 0, None, None
            continue
        m = RE_TABLE.match(text)
        if m and ("関係）" in text or text.rstrip() == m.group(0)):
            table = f"別表第{to_int(m.group(2))}" if m.group(2) else "別表"
            continue
        if table:
            units.append(dict(path=table, text=text, labels=labs, note=note, line=raw))
            continue
        if RE_CHAPTER.match(text) or RE_CAPTION.match(text):
            continue
        if m := RE_ARTICLE.match(text):
            branch = "".join(f"の{to_int(b)}" for b in re.findall(NUM, m.group(2)))
            art = f"第{to_int(m.group(1))}条{branch}"
            para, item = 1, None
            units.append(
                dict(
                    art=art,
                    para=1,
                    item=None,
                    sub=None,
                    suppl=suppl,
                    text=text[m.end() :],
                    labels=labs,
                    note=note,
                    line=raw,
                )
            )
            continue
        if m := RE_PARA.match(text):
            para, item = to_int(m.group(1)), None
            units.append(
                dict(
                    art=art,
                    para=para,
                    item=None,
                    sub=None,
                    suppl=suppl,
                    text=text[m.end() :],
                    labels=labs,
                    note=note,
                    line=raw,
                )
            )
            continue
        if (m := RE_ITEM.match(text)) and (art or suppl):
            item = to_int(next(g for g in m.groups() if g))
            units.append(
                dict(
                    art=art,
                    para=para,
                    item=item,
                    sub=None,
                    suppl=suppl,
                    text=text[m.end() :],
                    labels=labs,
                    note=note,
                    line=raw,
                )
            )
            continue
        if (m := RE_SUB.match(text)) and item is not None:
            units.append(
                dict(
                    art=art,
                    para=para,
                    item=item,
                    sub=m.group(1),
                    suppl=suppl,
                    text=text[m.end() :],
                    labels=labs,
                    note=note,
                    line=raw,
                )
            )
            continue
        if suppl and art is None and para == 0:
            # unnumbered single paragraph of a 附則 block
            para = 0
            units.append(
                dict(
                    art=None,
                    para=0,
                    item=None,
                    sub=None,
                    suppl=suppl,
                    text=text,
                    labels=labs,
                    note=note,
                    line=raw,
                )
            )
            continue
        raise ValueError(f"unrecognised line: {raw}")
    # paragraph counts per (suppl, art)
    npara: dict[tuple, int] = {}
    for u in units:
        if "path" in u:
            continue
        key = (u["suppl"], u["art"])
        npara[key] = max(npara.get(key, 0), u["para"])
    for u in units:
        if "path" in u:
            continue
        parts = []
        if u["suppl"]:
            parts.append("附則")
        if u["art"]:
            parts.append(u["art"])
            if npara[(u["suppl"], u["art"])] >= 2:
                parts.append(f"第{u['para']}項")
        elif u["para"]:
            parts.append(f"第{u['para']}項")
        if u["item"] is not None:
            parts.append(f"第{u['item']}号")
        if u["sub"]:
            parts.append(u["sub"])
        u["path"] = "".join(parts)
    return units


def main() -> int:
    REIKI.mkdir(exist_ok=True)
    PDF_SRC.mkdir(exist_ok=True)
    out_labels = []
    missing = [p.stem for p in SRC.glob("*.ann") if p.stem not in DOCS]
    if missing:
        print("not in DOCS:", missing)
        return 1
    for stem, (enc, route) in DOCS.items():
        src = SRC / f"{stem}.ann"
        lines = src.read_text(encoding="utf-8").splitlines()
        plain = [split_ann(x)[0].rstrip() for x in lines]
        text = "\n".join(plain) + "\n"
        if route == "pdf":
            (PDF_SRC / f"{stem}.txt.src").write_text(text, encoding="utf-8")
        else:
            (REIKI / f"{stem}.txt").write_bytes(text.encode(enc))  # strict: fails on unmappable chars
        for u in parse(lines):
            labels = u["labels"] if u["labels"] is not None else []
            note = u["note"] or ("" if labels else DEFAULT_NOTE)
            out_labels.append(
                {"doc": stem, "path": u["path"], "labels": labels, "text": u["text"].rstrip(), "note": note}
            )
    with open(HERE / "labels.jsonl", "w", encoding="utf-8") as f:
        for r in out_labels:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = {t: sum(t in r["labels"] for r in out_labels) for t in TYPES}
    counts["_units"] = len(out_labels)
    counts["_positive_units"] = sum(bool(r["labels"]) for r in out_labels)
    (HERE / "expected_counts.json").write_text(json.dumps(counts, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(counts, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

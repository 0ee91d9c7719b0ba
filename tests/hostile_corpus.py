"""Hostile-input corpus generator: files that once hung, crashed or silently lost text.

``build(folder)`` writes one of each into ``folder`` and returns {file name: what it probes};
the cases are also importable one by one for focused tests. Run it by hand to look at them:

    python tests/hostile_corpus.py /tmp/hostile
"""

from __future__ import annotations

import io
import os
import struct
import sys
import zipfile
from pathlib import Path

GOOD_LINE = "第一条　営業者は、許可証を営業所の見やすい場所に掲示しなければならない。"
LAW = f"テスト条例\n{GOOD_LINE}\n第二条　この条例は、公布の日から施行する。\n"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STYLES = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{_W}"/>'


def document_xml(paragraphs: list[str], wrap: int = 0) -> str:
    """word/document.xml with one paragraph per string, the body nested ``wrap`` content controls deep."""
    body = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in paragraphs)
    body = "<w:sdt><w:sdtContent>" * wrap + body + "</w:sdtContent></w:sdt>" * wrap
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}">'
        f"<w:body>{body}</w:body></w:document>"
    )


def docx(
    path: Path,
    paragraphs: list[str] | None = None,
    *,
    wrap: int = 0,
    huge_member: str | None = None,
    huge_bytes: int = 0,
) -> Path:
    """A minimal valid .docx; ``huge_member`` gets ``huge_bytes`` of highly compressible XML
    (a zip bomb: about 1 MB on disk per GB), written in chunks."""
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _RELS,
        "word/_rels/document.xml.rels": _DOC_RELS,
        "word/document.xml": document_xml(paragraphs or LAW.splitlines(), wrap),
        "word/styles.xml": _STYLES,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in parts.items():
            if name == huge_member:
                head = text.encode("utf-8")
                cut = head.rindex(b"<")
                _write_huge(zf, name, head[:cut], head[cut:], huge_bytes)
            else:
                zf.writestr(name, text)
    return path


def _write_huge(zf: zipfile.ZipFile, name: str, head: bytes, tail: bytes, huge_bytes: int) -> None:
    with zf.open(name, "w", force_zip64=True) as fh:
        fh.write(head)
        chunk = b"<!-- " + b" " * (1 << 20) + b" -->"
        written = 0
        while written < huge_bytes:
            fh.write(chunk)
            written += len(chunk)
        fh.write(tail)


def xlsx_bomb(path: Path, huge_bytes: int = 1 << 30) -> Path:
    """A real review sheet (openpyxl) whose styles part is inflated to ``huge_bytes``."""
    from openpyxl import Workbook

    src = path.with_suffix(".src.xlsx")
    wb = Workbook()
    wb.active.append(["finding_id", "判断"])
    wb.active.append(["f-1", "該当"])
    wb.save(src)
    with (
        zipfile.ZipFile(src) as zin,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/styles.xml":
                cut = data.rindex(b"</")
                _write_huge(zout, info.filename, data[:cut], data[cut:], huge_bytes)
            else:
                zout.writestr(info, data)
    src.unlink()
    return path


def forge_size(path: Path, member: str, declared: int) -> Path:
    """Overwrite the uncompressed size the archive declares for ``member`` (local header and
    central directory), the content unchanged."""
    data = bytearray(path.read_bytes())
    name = member.encode("utf-8")
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:  # central directory entries
        n_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + n_len]) == name:
            struct.pack_into("<I", data, pos + 24, declared)
            local = struct.unpack_from("<I", data, pos + 42)[0]
            struct.pack_into("<I", data, local + 22, declared)
        pos += 4
    path.write_bytes(bytes(data))
    return path


def deep_html(path: Path, depth: int = 5000) -> Path:
    body = "<div>" * depth + GOOD_LINE + "</div>" * depth
    path.write_text(f"<html><body><p>テスト条例</p>{body}</body></html>", encoding="utf-8")
    return path


def deep_xml(path: Path, depth: int = 5000) -> Path:
    inner = "<Sentence>" * depth + "営業者は、許可証を掲示しなければならない。" + "</Sentence>" * depth
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><Law Era="Reiwa" Year="1"><LawNum>令和元年条例第1号</LawNum>'
        '<LawBody><LawTitle>深い条例</LawTitle><MainProvision><Article Num="1"><ArticleTitle>第一条</ArticleTitle>'
        f'<Paragraph Num="1"><ParagraphNum/><ParagraphSentence>{inner}</ParagraphSentence></Paragraph>'
        "</Article></MainProvision></LawBody></Law>",
        encoding="utf-8",
    )
    return path


def xxe_xml(path: Path) -> Path:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE Law [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<Law Era="Reiwa" Year="1"><LawNum>令和元年条例第2号</LawNum><LawBody><LawTitle>実体参照条例</LawTitle>'
        '<MainProvision><Article Num="1"><ArticleTitle>第一条</ArticleTitle><Paragraph Num="1"><ParagraphNum/>'
        "<ParagraphSentence><Sentence>営業者は&xxe;許可証を掲示しなければならない。</Sentence></ParagraphSentence>"
        "</Paragraph></Article></MainProvision></LawBody></Law>",
        encoding="utf-8",
    )
    return path


def utf16_no_bom(path: Path, big_endian: bool = False) -> Path:
    path.write_bytes(LAW.encode("utf-16-be" if big_endian else "utf-16-le"))
    return path


def mixed_encodings(path: Path) -> Path:
    """A Shift_JIS file with UTF-8 lines pasted in (lines 2 and 4)."""
    path.write_bytes(
        "混在条例\n".encode("cp932")
        + f"{GOOD_LINE}\n".encode()
        + "第二条　この条例は、公布の日から施行する。\n".encode("cp932")
        + "第三条　規則で定める。\n".encode()
    )
    return path


def stray_nul(path: Path) -> Path:
    data = LAW.encode("utf-8")
    path.write_bytes(data[:7] + b"\x00" + data[7:])
    return path


def one_line(path: Path, chars: int = 1_000_000) -> Path:
    """A file that is one enormous line (no title line, no newline)."""
    unit = "営業者は、許可証を営業所の見やすい場所に掲示しなければならない。"
    path.write_text(unit * (chars // len(unit)), encoding="utf-8")
    return path


def links(folder: Path) -> dict[str, str]:
    """A symbolic link loop, a link to itself and a dangling link (where the system allows)."""
    made: dict[str, str] = {}
    if not hasattr(os, "symlink"):
        return made
    sub = folder / "sub"
    sub.mkdir(exist_ok=True)
    (sub / "inner.txt").write_text(LAW, encoding="utf-8")
    try:
        os.symlink("..", sub / "loop")  # sub/loop → folder: a cycle
        os.symlink("self.txt", folder / "self.txt")  # a link to itself
        os.symlink("nowhere.txt", folder / "dangling.txt")
    except OSError:
        return made
    made.update(
        {
            "sub/loop": "シンボリックリンクの循環",
            "self.txt": "自分自身へのリンク",
            "dangling.txt": "リンク先がないリンク",
        }
    )
    return made


def build(folder: Path, bomb_bytes: int = 1 << 30) -> dict[str, str]:
    """Every hostile case in ``folder``; returns {relative path: what it probes}."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = {
        "bomb_styles.docx": "1 GB styles.xml in 1 MB (zip bomb)",
        "bomb_forged.docx": "document.xml whose declared size is forged",
        "deep.html": "HTML nested 5000 elements deep",
        "deep.xml": "e-Gov XML nested 5000 elements deep",
        "deep.docx": "docx body nested 2000 content controls deep",
        "xxe.xml": "an external entity (not expanded)",
        "utf16le.txt": "UTF-16LE without BOM",
        "utf16be.txt": "UTF-16BE without BOM",
        "mixed.txt": "Shift_JIS with UTF-8 lines",
        "nul.txt": "UTF-8 with a stray NUL byte",
        "oneline.txt": "one 1,000,000-character line",
        "truncated.docx": "a .docx cut in half",
        "random.docx": "random bytes named .docx",
        "empty.html": "an empty file",
        "binary.txt": "binary data named .txt",
    }
    docx(folder / "bomb_styles.docx", huge_member="word/styles.xml", huge_bytes=bomb_bytes)
    forge_size(
        docx(folder / "bomb_forged.docx", huge_member="word/document.xml", huge_bytes=bomb_bytes // 4),
        "word/document.xml",
        4096,
    )
    deep_html(folder / "deep.html")
    deep_xml(folder / "deep.xml")
    docx(folder / "deep.docx", wrap=2000)
    xxe_xml(folder / "xxe.xml")
    utf16_no_bom(folder / "utf16le.txt")
    utf16_no_bom(folder / "utf16be.txt", big_endian=True)
    mixed_encodings(folder / "mixed.txt")
    stray_nul(folder / "nul.txt")
    one_line(folder / "oneline.txt")
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w") as zf:
        zf.writestr("word/document.xml", document_xml(LAW.splitlines()))
    (folder / "truncated.docx").write_bytes(good.getvalue()[: len(good.getvalue()) // 2])
    (folder / "random.docx").write_bytes(bytes((i * 7919 + 13) % 256 for i in range(4096)))
    (folder / "empty.html").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 16)
    cases.update(links(folder))
    return cases


if __name__ == "__main__":  # pragma: no cover - for looking at the corpus by hand
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    for name, what in build(out).items():
        print(f"{out / name}: {what}")

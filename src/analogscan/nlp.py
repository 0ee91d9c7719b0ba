"""GiNZA: the only module that imports spaCy.

One pipeline per process and per set of excluded components (``get_nlp``), texts split at
sentence boundaries below Sudachi's input limit (49,149 bytes) so that no provision, however
long, crashes the tokenizer.

The engine loads only the components its rules need (``exclude_for``): Sudachi's lemma/norm
come from the tokenizer alone, POS from tok2vec+morphologizer, dependencies from
tok2vec+parser+bunsetu_recognizer (which strips the parser's "_bunsetu" label suffix); NER
is never needed. ``parse_windows`` parses given windows (sentences) of texts, each as its own
Doc, so a sentence's tokens do not depend on which other sentences
of the provision were parsed.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Sudachi refuses input over 49,149 bytes; stay well below (UTF-8 Japanese = 3 bytes/char).
MAX_CHUNK_BYTES = 40_000
MODEL = "ja_ginza"

# ja_ginza's components (attribute_ruler ships disabled)
COMPONENTS: tuple[str, ...] = (
    "tok2vec",
    "parser",
    "attribute_ruler",
    "ner",
    "morphologizer",
    "compound_splitter",
    "bunsetu_recognizer",
)
FULL: tuple[str, ...] = ()  # exclude nothing: the naive pipeline, NER included
DEFAULT_EXCLUDE: tuple[str, ...] = ("ner",)

_lock = threading.Lock()
_pipelines: dict[tuple[str, ...], Language] = {}
_default_exclude: tuple[str, ...] = DEFAULT_EXCLUDE

_SENT_END = re.compile(r"(?<=[。！？\n])")


def get_nlp(exclude: Iterable[str] | None = None) -> Language:
    """Load ja_ginza once per process (per set of excluded components).

    ``exclude=None`` means the process default: ("ner",) unless ``set_default_exclude`` chose
    a smaller pipeline (a batch worker does, so that rule terms are tokenised by the pipeline
    already in memory instead of loading a second one).
    """
    key = tuple(sorted(_default_exclude if exclude is None else exclude))
    with _lock:
        nlp = _pipelines.get(key)
        if nlp is None:
            import spacy

            nlp = spacy.load(MODEL, exclude=list(key))
            _pipelines[key] = nlp
        return nlp


def set_default_exclude(exclude: Iterable[str]) -> None:
    global _default_exclude
    _default_exclude = tuple(sorted(exclude))


def get_default_exclude() -> tuple[str, ...]:
    return _default_exclude


def exclude_for(needs: Iterable[str]) -> tuple[str, ...]:
    """Components to exclude for a set of needs: "tokens", "pos", "dep", "all"."""
    n = set(needs)
    if "all" in n:
        return DEFAULT_EXCLUDE
    keep: set[str] = set()
    if "pos" in n:
        keep |= {"tok2vec", "morphologizer"}
    if "dep" in n:
        # bunsetu_recognizer rewrites the parser's "obj_bunsetu"-style labels to "obj"
        keep |= {"tok2vec", "parser", "bunsetu_recognizer"}
    return tuple(sorted(c for c in COMPONENTS if c not in keep))


def split_for_sudachi(text: str, limit: int = MAX_CHUNK_BYTES) -> list[str]:
    """Split text into chunks of at most ``limit`` UTF-8 bytes, at sentence ends where possible.

    The chunks concatenate back to ``text`` exactly, so character offsets can be recovered.
    """
    if len(text.encode("utf-8")) <= limit:
        return [text]
    chunks: list[str] = []
    cur: list[str] = []
    cur_bytes = 0
    for sent in _SENT_END.split(text):
        if not sent:
            continue
        b = len(sent.encode("utf-8"))
        if b > limit:
            # one "sentence" larger than the limit: flush, then cut it at commas / hard limit
            if cur:
                chunks.append("".join(cur))
                cur, cur_bytes = [], 0
            chunks.extend(_hard_split(sent, limit))
            continue
        if cur_bytes + b > limit and cur:
            chunks.append("".join(cur))
            cur, cur_bytes = [], 0
        cur.append(sent)
        cur_bytes += b
    if cur:
        chunks.append("".join(cur))
    return chunks


def _hard_split(text: str, limit: int) -> list[str]:
    out: list[str] = []
    start = 0
    while start < len(text):
        # take as many chars as fit, preferring to end at a comma
        end = start
        size = 0
        last_comma = -1
        while end < len(text):
            cb = len(text[end].encode("utf-8"))
            if size + cb > limit:
                break
            size += cb
            if text[end] in "、，,":
                last_comma = end + 1
            end += 1
        if end < len(text) and last_comma > start:
            end = last_comma
        out.append(text[start:end])
        start = end
    return out


class ParsedText:
    """A text parsed by GiNZA, possibly in several chunks, with absolute character offsets."""

    def __init__(self, text: str, docs: list[tuple[int, Doc]]) -> None:
        self.text = text
        self.docs = docs  # (offset of the chunk in text, Doc)

    def tokens(self) -> Iterator[tuple[int, Any]]:
        """(absolute char offset, token) for every token."""
        for off, doc in self.docs:
            for tok in doc:
                yield off + tok.idx, tok

    def sentences(self) -> Iterator[tuple[int, int, Any]]:
        """(start, end, span) of every sentence, absolute offsets."""
        for off, doc in self.docs:
            for sent in doc.sents:
                yield off + sent.start_char, off + sent.end_char, sent


def parse(text: str, nlp: Language | None = None) -> ParsedText:
    nlp = nlp or get_nlp()
    return parse_many([text], nlp)[0]


def parse_many(texts: list[str], nlp: Language | None = None, batch_size: int = 64) -> list[ParsedText]:
    """Parse many texts with nlp.pipe; each text may be split into several chunks."""
    nlp = nlp or get_nlp()
    pieces: list[tuple[int, int, str]] = []  # (text index, offset, chunk)
    for i, t in enumerate(texts):
        off = 0
        for chunk in split_for_sudachi(t):
            pieces.append((i, off, chunk))
            off += len(chunk)
    results: list[list[tuple[int, Doc]]] = [[] for _ in texts]
    docs = nlp.pipe((c for _, _, c in pieces), batch_size=batch_size)
    for (i, off, _), doc in zip(pieces, docs, strict=True):
        results[i].append((off, doc))
    return [ParsedText(t, r) for t, r in zip(texts, results, strict=True)]


def parse_windows(
    items: Sequence[tuple[str, Sequence[tuple[int, int]]]],
    nlp: Language | None = None,
    batch_size: int = 64,
    tokenize_only: bool = False,
) -> list[ParsedText]:
    """Parse the given [start, end) windows of each text, every window as a Doc of its own.

    Returns one ParsedText per text with absolute offsets; characters outside the windows
    have no tokens. Windows over Sudachi's limit are split like ``parse``. With
    ``tokenize_only`` only the tokenizer runs (``run_components`` can finish the Docs later:
    the tokens are the same either way).
    """
    nlp = nlp or get_nlp()
    pieces: list[tuple[int, int, str]] = []
    for i, (text, wins) in enumerate(items):
        for s, e in wins:
            off = s
            for chunk in split_for_sudachi(text[s:e]):
                if chunk:
                    pieces.append((i, off, chunk))
                off += len(chunk)
    results: list[list[tuple[int, Doc]]] = [[] for _ in items]
    if tokenize_only:
        docs: Iterable[Doc] = (nlp.make_doc(c) for _, _, c in pieces)
    else:
        docs = nlp.pipe((c for _, _, c in pieces), batch_size=batch_size)
    for (i, off, _), doc in zip(pieces, docs, strict=True):
        results[i].append((off, doc))
    return [ParsedText(t, r) for (t, _), r in zip(items, results, strict=True)]


def run_components(docs: list[Doc], nlp: Language, batch_size: int = 64) -> None:
    """Run the pipeline's components on already tokenised Docs (in place)."""
    if not docs or not nlp.pipe_names:
        return
    for doc, out in zip(docs, nlp.pipe(docs, batch_size=batch_size), strict=True):
        if out is not doc:  # every ja_ginza component works in place; be loud if one does not
            raise RuntimeError("a pipeline component returned a new Doc")


def bunsetsu_spans(doc_or_span: Any) -> list[Any]:
    import ginza

    return list(ginza.bunsetu_spans(doc_or_span))

"""`analogscan rules test` for amendment templates: every worked example is drafted and compared."""

from __future__ import annotations

from dataclasses import dataclass

from .apply import Draft, draft_text
from .templates import TemplateSet


@dataclass
class TemplateFailure:
    file: str
    line: int
    id: str
    text: str
    detail: str

    def format(self) -> str:
        return f"{self.file}:{self.line}: {self.id}: 見直し案の例が合いません\n    例文: {self.text}\n    {self.detail}"


@dataclass
class TemplateTestReport:
    checked: int
    failures: list[TemplateFailure]


def run_template_examples(ts: TemplateSet) -> TemplateTestReport:
    """Draft each example's provision with its own template (alone) and compare."""
    failures: list[TemplateFailure] = []
    checked = 0
    for t in ts.templates:
        if not t.enabled:
            continue
        for ex in t.examples:
            checked += 1
            got = draft_text(ex.before, ex.citation, [t], item="号" in ex.citation)

            def fail(
                detail: str,
                ex_line: int = ex.line,
                text: str = ex.before,
                tid: str = t.id,
                file: str = t.file,
            ) -> None:
                failures.append(TemplateFailure(file, ex_line, tid, text, detail))

            if ex.after is not None:
                if not isinstance(got, Draft):
                    fail(f"文例が当たりません（{got}）")
                    continue
                if got.applied.after != ex.after:
                    fail(f"期待: {ex.after}\n    結果: {got.applied.after}")
                    continue
                if ex.kaibun is not None and got.kaibun != ex.kaibun:
                    fail(f"改め文の期待: {ex.kaibun}\n    改め文の結果: {got.kaibun}")
            else:
                if isinstance(got, Draft):
                    fail(f"当たらないはずの文例が当たりました（結果: {got.applied.after}）")
                elif ex.manual and ex.manual not in got:
                    fail(f"理由が違います（期待: 「{ex.manual}」を含む、結果: {got}）")
    return TemplateTestReport(checked, failures)

"""Command line: click commands only; the work is done by the library modules.

One module per command (group) over shared option helpers (``options``) and shared steps
(``common``); ``app`` holds the top-level group and the one place where an
:class:`~analogscan.errors.AnalogscanError` becomes a message and an exit code. ``i18n`` makes click
speak Japanese. Command modules import only from ``common``, ``options``, ``i18n`` and the library,
never from each other or from this package.
"""

from __future__ import annotations

from .app import main
from .diff import diff_cmd
from .draft import draft_cmd
from .eval import eval_cmd
from .explain import explain_cmd
from .options import FORMATS, INPUT_FORMATS
from .report import report_cmd
from .review import review_group
from .rules import rules
from .scan import scan
from .store import store_group

for _command in (
    scan,
    store_group,
    report_cmd,
    rules,
    eval_cmd,
    review_group,
    diff_cmd,
    explain_cmd,
    draft_cmd,
):
    main.add_command(_command)

__all__ = ["FORMATS", "INPUT_FORMATS", "main"]

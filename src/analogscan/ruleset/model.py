"""Compiled rules: what the loader builds from YAML and the engine runs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AnalogscanError
from ..match.base import Condition
from ..rank import Ranker

PLACEHOLDERS = ("matched", "citation", "title", "type_label", "rule_id")

# where `unless` (rule key unless_scope) and a shared exclusion (key scope) are checked:
#   provision  the whole provision (default)
#   sentence   only the sentence in which the rule's `match` succeeded (the whole provision
#              for a scope: provision rule)
CHECK_SCOPES = ("provision", "sentence")

# the example lists of a rule or exclusion (YAML keys under `examples`): match / no_match must hold;
# todo_match / todo_no_match are known misses, reported by `analogscan rules test` but not failed
EXAMPLE_KINDS = ("match", "no_match", "todo_match", "todo_no_match")


@dataclass
class Example:
    text: str
    lead_in: str | None = None
    line: int = 0
    items: str | None = None  # the example's items (号), one per line, for a rule with an `items` condition


@dataclass
class Adjust:
    when: Condition
    delta: float
    note: str


@dataclass
class Rule:
    id: str
    type: str
    title: str
    message: str
    confidence: float
    triggers: list[str]
    match: Condition
    scope: str = "sentence"
    lead_in: Condition | None = None
    # the texts of the provision's items (号・イ… at any depth, one per line) must also satisfy this; a rule with
    # items never fires on a provision without items: 「水質検査を次により行うこと」 whose items fix the frequency
    items: Condition | None = None
    unless: list[Condition] = field(default_factory=list)
    unless_scope: str = "provision"  # provision | sentence (CHECK_SCOPES)
    adjust: list[Adjust] = field(default_factory=list)
    tier: str = "likely"  # analogscan.model.TIERS
    enabled: bool = True
    examples_match: list[Example] = field(default_factory=list)
    examples_no_match: list[Example] = field(default_factory=list)
    examples_todo_match: list[Example] = field(default_factory=list)
    examples_todo_no_match: list[Example] = field(default_factory=list)
    file: str = ""
    line: int = 0

    def conditions(self) -> list[Condition]:
        """match, unless, adjust, lead_in and items: every condition the rule evaluates."""
        conds = [self.match, *self.unless, *(a.when for a in self.adjust)]
        return conds + [c for c in (self.lead_in, self.items) if c is not None]

    def needs_nlp(self) -> bool:
        return any(c.needs_nlp() for c in self.conditions())


@dataclass
class Exclusion:
    id: str
    title: str
    applies_to: list[str] | None  # None = all types
    when: Condition
    enabled: bool = True
    scope: str = "provision"  # provision | sentence (CHECK_SCOPES)
    # the item's lead-in (柱書) must also satisfy this; an exclusion with lead_in never holds on a
    # provision without a lead-in
    lead_in: Condition | None = None
    # the exclusion does not hold on an item whose lead-in satisfies this (a provision without a
    # lead-in is not affected): 「次に掲げる事項を…行わせなければならない」 makes the items duties
    unless_lead_in: Condition | None = None
    examples_match: list[Example] = field(default_factory=list)
    examples_no_match: list[Example] = field(default_factory=list)
    examples_todo_match: list[Example] = field(default_factory=list)
    examples_todo_no_match: list[Example] = field(default_factory=list)
    file: str = ""
    line: int = 0

    def applies(self, type_code: str) -> bool:
        return self.applies_to is None or type_code in self.applies_to

    def conditions(self) -> list[Condition]:
        return [self.when] + [c for c in (self.lead_in, self.unless_lead_in) if c is not None]


@dataclass
class RuleIssue:
    """A problem in a rule file, reported in Japanese with file, line and key."""

    file: str
    line: int
    key: str
    message: str

    def format(self) -> str:
        where = f"{self.file}:{self.line}"
        key = f"（キー: {self.key}）" if self.key else ""
        return f"{where}: {self.message}{key}"


class RuleLoadError(AnalogscanError):
    def __init__(self, issues: list[RuleIssue]) -> None:
        super().__init__(f"{len(issues)} rule file problem(s)")
        self.issues = issues


@dataclass
class RuleSet:
    rules: list[Rule]
    exclusions: list[Exclusion]
    files: list[Path]
    digest: str = ""
    # the rank stage's model (rules/ranker.json beside the rule files), None: the rules' own tiers stand
    ranker: Ranker | None = None

    @staticmethod
    def digest_of(files: list[Path]) -> str:
        h = hashlib.sha256()
        for f in sorted(files):
            h.update(f.name.encode())
            h.update(f.read_bytes())
        return h.hexdigest()[:16]

    def rule_files_digest(self) -> str:
        """The digest of the rule files alone (what a ranker records as the rules it was trained on)."""
        return RuleSet.digest_of(self.files)

    def select(self, types: list[str] | None) -> RuleSet:
        if not types:
            return self
        rules = [r for r in self.rules if r.type in types]
        return RuleSet(
            rules, self.exclusions, self.files, self.digest + ":" + ",".join(sorted(types)), self.ranker
        )

    def without_ranker(self) -> RuleSet:
        """The same rules with their own tiers (what the ranker is trained on)."""
        return RuleSet(self.rules, self.exclusions, self.files, self.digest + ":rules-only", None)

    def active(self) -> list[Rule]:
        return [r for r in self.rules if r.enabled]

    def needs_nlp(self) -> bool:
        return any(r.needs_nlp() for r in self.active()) or any(
            c.needs_nlp() for e in self.exclusions for c in e.conditions()
        )

    def triggers(self) -> list[str]:
        out: set[str] = set()
        for r in self.active():
            out.update(r.triggers)
        return sorted(out)

"""Match conditions: a small closed set of kinds combined with all / any / not.

Kinds (each a YAML mapping with exactly one key; one module and one class per kind):
  text      substring(s) of the text (full-width letters/digits match half-width ones)
  regex     Python regular expression(s) (re syntax; guarded against runaway backtracking, see safe_regex)
  lemma     word or phrase compared token by token on GiNZA's lemma (掲示する ≈ 掲示し)
  norm      the same on Sudachi's normalized form (立入り/立ち入り → 立ち入り)
  lexicon   the words of shared lists by name ({lexicon: 役職}), as a text term
  pattern   a spaCy Matcher token pattern (list of token dicts, or a list of such lists)
  dep       {head: TERM, child: TERM, rel: [obj, obl, ...], max_hops: 2}: child depends on head
  bunsetsu  [TERM, TERM, ...]: all terms inside one bunsetsu (文節)
  near      {terms: [TERM, TERM, ...], within: 20, ordered: false}: terms within N characters
  all / any [COND, ...]   not: COND
(WholeText is not a kind: the loader uses it for a left-out `match` / `when` whose `lead_in` decides alone.)
TERM: see match.term. The registry (match.registry) maps each YAML key to its class; every
class parses its own YAML (errors in Japanese with the key path), says what it needs from GiNZA,
evaluates on a Window (the spans that make it true, or None) and three-valued for the planner
(base.Condition.tri_eval / neural_needed), and names its trigger words when it can.
"""

from __future__ import annotations

from .base import ALL_COMPONENTS, DEP, POS, TOKENS, Condition, ErrorSink, KeyPath, Term
from .bunsetsu import BunsetsuCond
from .dep import DepCond
from .lemma import LemmaTerm
from .lexicon import LexiconTerm
from .logic import AllCond, AnyCond, NotCond, WholeText
from .near import NearCond
from .norm import NormTerm
from .pattern import PatternCond
from .regex import RegexTerm
from .registry import CONDITION_KINDS, CONDITIONS, TERM_KINDS, TERMS, RuleParser, parse_condition
from .term import CONTEXT_KEYS, MAX_TERM_CHARS, TermCond
from .text import TextTerm
from .width import fold_width_keep_length
from .window import Span, Window

__all__ = [
    "ALL_COMPONENTS",
    "CONDITIONS",
    "CONDITION_KINDS",
    "CONTEXT_KEYS",
    "DEP",
    "MAX_TERM_CHARS",
    "POS",
    "TERMS",
    "TERM_KINDS",
    "TOKENS",
    "AllCond",
    "AnyCond",
    "BunsetsuCond",
    "Condition",
    "DepCond",
    "ErrorSink",
    "KeyPath",
    "LemmaTerm",
    "LexiconTerm",
    "NearCond",
    "NormTerm",
    "NotCond",
    "PatternCond",
    "RegexTerm",
    "RuleParser",
    "Span",
    "Term",
    "TermCond",
    "TextTerm",
    "WholeText",
    "Window",
    "fold_width_keep_length",
    "parse_condition",
]

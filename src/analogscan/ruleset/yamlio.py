"""YAML loading that remembers line numbers, so rule errors can name file, line and key."""

from __future__ import annotations

from typing import Any

import yaml


class LineDict(dict[str, Any]):
    """A mapping from YAML that knows the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    line: int = 0
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    d = LineDict()
    d.line = node.start_mark.line + 1
    d.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in d:
            raise DuplicateKeyError(key, key_node.start_mark.line + 1)
        d[key] = loader.construct_object(value_node, deep=True)
        d.key_lines[key] = key_node.start_mark.line + 1
    return d


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    lst = LineList(loader.construct_object(child, deep=True) for child in node.value)
    lst.line = node.start_mark.line + 1
    lst.item_lines = [child.start_mark.line + 1 for child in node.value]
    return lst


class DuplicateKeyError(Exception):
    def __init__(self, key: str, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


class UnsafeTagError(Exception):
    """A YAML tag that safe loading does not construct (e.g. !!python/object/apply:os.system)."""

    def __init__(self, tag: str, line: int) -> None:
        super().__init__(tag)
        self.tag = tag
        self.line = line

    @property
    def short(self) -> str:
        """The tag as written: tag:yaml.org,2002:python/object → !!python/object."""
        prefix = "tag:yaml.org,2002:"
        return "!!" + self.tag[len(prefix) :] if self.tag.startswith(prefix) else self.tag


def _undefined_tag(loader: _Loader, node: yaml.Node) -> Any:
    raise UnsafeTagError(str(node.tag), node.start_mark.line + 1)


_Loader.add_constructor(None, _undefined_tag)  # type: ignore[arg-type]
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)  # type: ignore[arg-type]
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)  # type: ignore[arg-type]


def load_yaml(text: str) -> Any:
    """Safe-load YAML keeping line numbers (yaml.SafeLoader underneath: no arbitrary objects)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader


def line_of(root: Any, path: list[str | int]) -> int:
    """Best line number for a path into a tree loaded by load_yaml."""
    node = root
    line = getattr(root, "line", 1) or 1
    for p in path:
        if isinstance(node, LineDict) and isinstance(p, str) and p in node:
            line = node.key_lines.get(p, line)
            node = node[p]
        elif isinstance(node, LineList) and isinstance(p, int) and 0 <= p < len(node):
            line = node.item_lines[p]
            node = node[p]
        else:
            break
    return line

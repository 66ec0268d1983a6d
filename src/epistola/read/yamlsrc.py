"""YAML as authors write it, read safely and with the line of every key.

Every scalar stays a string (no implicit dates, booleans or numbers: ``no`` is Norwegian, not
False, and ``1931-08-12`` stays as written), nothing is constructed from tags, and each mapping
remembers the line of each key so diagnostics can point at it.
"""

from __future__ import annotations

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_NODES = 1_000_000  # aliases (*a) are expanded: bounded, so '&a [*b, *b...]' bombs stop


class YamlError(ValueError):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


class Mapping(dict):
    """A dict that knows the 1-based line of itself and of each key."""

    line: int | None = None
    lines: dict

    def line_of(self, key) -> int | None:
        return self.lines.get(key, self.line)


def load(text: str, first_line: int = 1):
    """Parse YAML text; lines are counted from ``first_line``. Raises :class:`YamlError`."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + first_line if mark is not None else None
        problem = getattr(e, "problem", None) or str(e)
        raise YamlError(f"YAML syntax error: {problem}", line) from None
    if node is None:
        return None
    return _value(node, first_line, [0], set())


def _value(node, base: int, count: list, stack: set):
    count[0] += 1
    if count[0] > MAX_NODES:
        raise YamlError(
            f"more than {MAX_NODES:,} values once aliases (*name) are expanded; refused",
            node.start_mark.line + base,
        )
    if isinstance(node, yaml.ScalarNode):
        v = node.value
        return "" if node.tag.endswith(":null") and v in ("", "~", "null", "Null", "NULL") else v
    if id(node) in stack:
        raise YamlError("an alias (*name) refers to itself", node.start_mark.line + base)
    stack.add(id(node))
    try:
        return _collection(node, base, count, stack)
    finally:
        stack.discard(id(node))


def _collection(node, base: int, count: list, stack: set):
    if isinstance(node, yaml.SequenceNode):
        return [_value(n, base, count, stack) for n in node.value]
    m = Mapping()
    m.line = node.start_mark.line + base
    m.lines = {}
    for k, v in node.value:
        if not isinstance(k, yaml.ScalarNode):
            raise YamlError("a key must be a plain word", k.start_mark.line + base)
        key = k.value.strip()
        if key in m:
            raise YamlError(f"key {key!r} is given twice", k.start_mark.line + base)
        m[key] = _value(v, base, count, stack)
        m.lines[key] = k.start_mark.line + base
    return m

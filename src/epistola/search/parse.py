"""The query language, parsed into a small tree. User text never reaches FTS5 unquoted.

    Brief Wien          both words (stemmed: also Briefe, Briefen; folded: wien = Wien)
    "in Wien"           a phrase
    Brief OR Karte      either
    Brief NOT Karte     the first without the second; also  Brief -Karte
    (Brief OR Karte) Wien
    Brie*               words beginning with "brie" (unstemmed, at least 2 letters)
    =Briefe             this form only (no stemming); ="in Wien" an exact phrase

Operators are upper case; lower-case and/or/not are ordinary words. Names are expanded to
register entries by the query compiler (query.py), not here.

Nodes: ("term", word, mode) with mode "stem" | "exact" | "prefix"; ("phrase", words, exact);
("and", [nodes]); ("or", [nodes]); ("not", node).
"""

from __future__ import annotations

import re

from ..errors import QueryError
from .fold import tokens

MAX_LENGTH = 1000
MAX_TERMS = 64
MAX_DEPTH = 16
OPERATORS = {"AND": "AND", "OR": "OR", "NOT": "NOT", "&&": "AND", "||": "OR"}
_LEX = re.compile(
    r"""\s+|(?P<open>\()|(?P<close>\))|(?P<phrase>(?P<pneg>-)?(?P<peq>=)?"(?P<ptext>[^"]*)")"""
    r"""|(?P<quote>")|(?P<word>[^\s()"]+)"""
)


def _lex(q: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for m in _LEX.finditer(q):
        if m.group("open"):
            out.append(("(", None))
        elif m.group("close"):
            out.append((")", None))
        elif m.group("phrase") is not None:
            if m.group("pneg"):
                out.append(("NOT", None))
            out.append(("phrase", (tokens(m.group("ptext")), bool(m.group("peq")))))
        elif m.group("quote"):
            raise QueryError(
                f"unbalanced quote at character {m.start() + 1}: {_excerpt(q, m.start())}",
                'Close the phrase with a second " or remove the quote.',
            )
        elif m.group("word"):
            _word(m.group("word"), out)
    return out


def _word(w: str, out: list) -> None:
    if w in OPERATORS:
        out.append((OPERATORS[w], None))
        return
    if w.startswith("-") and len(w) > 1:
        out.append(("NOT", None))
        w = w[1:]
    exact = w.startswith("=")
    prefix = w.endswith("*")
    toks = tokens(w)
    if not toks:
        if "*" in w:
            raise QueryError(
                f"'{w}' has no word before the '*'",
                "Write the beginning of a word before '*', e.g. Brie*.",
            )
        return  # punctuation only: nothing to search for
    if prefix:
        if len(toks) > 1 or len(toks[0]) < 2:
            raise QueryError(
                f"'{w}': a prefix search needs one word of at least 2 letters before '*'",
                "Write e.g. Brie* (not B* or two-words*).",
            )
        out.append(("term", (toks[0], "prefix")))
    elif len(toks) > 1:  # Jean-Paul, 12.8.1931: a phrase of its parts
        out.append(("phrase", (toks, exact)))
    else:
        out.append(("term", (toks[0], "exact" if exact else "stem")))


def _excerpt(q: str, at: int) -> str:
    return repr(q[max(0, at - 20) : at + 20])


class _Parser:
    def __init__(self, items):
        self.items = items
        self.i = 0

    def peek(self):
        return self.items[self.i][0] if self.i < len(self.items) else None

    def take(self):
        item = self.items[self.i]
        self.i += 1
        return item

    def parse_or(self):
        left = [self.parse_and()]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, ")", "OR", "AND"):
                raise QueryError(
                    "OR needs a word after it", "Put OR between two words: Brief OR Karte."
                )
            left.append(self.parse_and())
        return left[0] if len(left) == 1 else ("or", left)

    def parse_and(self):
        parts = [self.parse_unary()]
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                self.take()
                if self.peek() in (None, ")", "OR", "AND"):
                    raise QueryError(
                        "AND needs a word after it", "Put AND between two words: Brief AND Wien."
                    )
            parts.append(self.parse_unary())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def parse_unary(self):
        kind = self.peek()
        if kind == "NOT":
            self.take()
            if self.peek() in (None, ")", "OR", "AND", "NOT"):
                raise QueryError(
                    "NOT needs a word after it", "Write Brief NOT Karte, or Brief -Karte."
                )
            return ("not", self.parse_unary())
        if kind == "(":
            self.take()
            if self.peek() == ")":
                raise QueryError("empty parentheses", "Put words inside ( ), or remove them.")
            node = self.parse_or()
            if self.peek() != ")":
                raise QueryError(
                    "unbalanced parenthesis: '(' is never closed", "Add the missing ')'."
                )
            self.take()
            return node
        if kind in ("term", "phrase"):
            _, value = self.take()
            if kind == "term":
                return ("term", value[0], value[1])
            words, exact = value
            if not words:
                raise QueryError('empty phrase ""', "Put words between the quotes.")
            return ("phrase", words, exact)
        if kind == ")":
            raise QueryError("unbalanced parenthesis: ')' without '('", "Remove the extra ')'.")
        raise QueryError(
            f"{kind} needs a word before it", f"Put {kind} between two words: Brief {kind} Karte."
        )


def parse(q: str):
    """The tree of query ``q``; ``None`` for an empty query. Raises QueryError."""
    if len(q) > MAX_LENGTH:
        raise QueryError(
            f"the query is {len(q):,} characters long; at most {MAX_LENGTH:,} are searched",
            "Search for a few distinctive words or a short phrase instead of pasting a text.",
        )
    items = _lex(q)
    depth = deepest = 0
    for k, _ in items:
        depth += (k == "(") - (k == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        raise QueryError(
            f"parentheses nested {deepest} deep; at most {MAX_DEPTH} levels are allowed",
            "Remove some of the parentheses.",
        )
    n = sum(1 for k, _ in items if k in ("term", "phrase"))
    if n > MAX_TERMS:
        raise QueryError(
            f"the query has {n} words and phrases; at most {MAX_TERMS} are allowed",
            "Search for fewer, more distinctive words.",
        )
    if not items:
        if q.strip():
            raise QueryError(
                f"nothing to search for in {q[:40]!r}", "Type a word; punctuation is ignored."
            )
        return None
    p = _Parser(items)
    node = p.parse_or()
    if p.i < len(items):  # only a stray ')' stops the top level early
        raise QueryError("unbalanced parenthesis: ')' without '('", "Remove the extra ')'.")
    return node

"""Keyword-in-context snippets: the words around each match, matches in ``<mark>``.

Matching is decided word by word with the same analysis as the index (fold.py), so a snippet
highlights exactly the forms the query found: Briefe for "Brief", Кагановичу for "Kaganovich"
(through the register entry's Cyrillic name), ss for ß.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from .fold import WORD_RE, Analyzer, fold

WINDOW = 8  # words either side
MAX_SNIPPETS = 3


@dataclass
class Highlighter:
    """What counts as a match: stems, exact folded forms and prefixes from the query."""

    analyzer: Analyzer
    stems: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)

    def needles(self) -> set[str]:
        """Substrings every matching text contains (a stem minus its last letter: Snowball
        stems may end differently from the word, happy -> happi)."""
        stems = {x[:-1] if len(x) > 3 else x for x in self.stems}
        return stems | self.forms | self.prefixes

    def __bool__(self) -> bool:
        return bool(self.stems or self.forms or self.prefixes)

    def matches(self, words: list[str], lang: str | None) -> list[bool]:
        stems = self.analyzer.stem_all(words, self.analyzer.latin_for(lang)) if self.stems else []
        out = []
        for i, w in enumerate(words):
            hit = w in self.forms or (bool(stems) and stems[i] in self.stems)
            if not hit and stems and len(w) > 10:  # a compound found by its last part
                hit = any(p in self.stems for p in self.analyzer.parts([w]))
            if not hit and self.prefixes:
                hit = any(w.startswith(p) for p in self.prefixes)
            out.append(hit)
        return out


def snippets_of(text: str, lang: str | None, hl: Highlighter, limit: int) -> list[str]:
    """Up to ``limit`` HTML snippets of ``text`` (escaped, matches in <mark>)."""
    if not text or not hl or limit <= 0:
        return []
    folded = fold(text)
    if not any(n in folded for n in hl.needles()):  # most notes of a letter do not match
        return []
    spans = [(m.start(), m.end()) for m in WORD_RE.finditer(text)]
    # one fold for the whole text: words joined by newlines, which no word contains
    words = fold("\n".join([text[a:b] for a, b in spans])).split("\n")
    if "ъ" in text or "Ъ" in text:
        words = [w[:-1] if w.endswith("ъ") and len(w) > 1 else w for w in words]
    hits = [i for i, h in enumerate(hl.matches(words, lang)) if h]
    out: list[str] = []
    hitset = set(hits)
    last_end = -1
    for i in hits:
        if len(out) >= limit:
            break
        if i <= last_end:
            continue
        lo, hi = max(0, i - WINDOW), min(len(spans) - 1, i + WINDOW)
        # extend over matches that follow closely, so one snippet shows a phrase whole
        while hi + 1 < len(spans) and any(j in hitset for j in range(hi - 2, hi + 1)):
            hi = min(len(spans) - 1, hi + 3)
        parts = ["… " if lo > 0 else ""]
        pos = spans[lo][0]
        for j in range(lo, hi + 1):
            a, b = spans[j]
            parts.append(html.escape(text[pos:a]))
            word = html.escape(text[a:b])
            parts.append(f"<mark>{word}</mark>" if j in hitset else word)
            pos = b
        if hi < len(spans) - 1:
            parts.append(" …")
        else:
            parts.append(html.escape(text[pos:]))
        out.append(" ".join("".join(parts).split()))
        last_end = hi
    return out

"""The letters as the suggesters read them: own text by language, sentences, replies, coding."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property

from ..analyse.words import text_language
from ..search.fold import base_lang

# a sentence ends at . ! ? ; followed by space and a capital, a digit or a quote, or at a line end
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"«„(\d\w])|\n+")
_ABBREV_END = re.compile(r"(?:\b\w{1,3}\.|тыс\.|млн\.|млрд\.|руб\.|Dr\.|Nr\.)$")


@dataclass
class Text:
    letter: str
    lang: str
    text: str

    @cached_property
    def sentences(self) -> list[tuple[int, str]]:
        """(start offset, sentence) pairs; initials and abbreviations do not end a sentence."""
        out: list[tuple[int, str]] = []
        start = 0
        for m in _SENTENCE_END.finditer(self.text):
            piece = self.text[start : m.start()]
            if "\n" not in m.group() and _ABBREV_END.search(piece):
                continue
            if piece.strip():
                out.append((start, piece))
            start = m.end()
        if self.text[start:].strip():
            out.append((start, self.text[start:]))
        return out


class Corpus:
    """Read once, shared by every suggester of one run."""

    def __init__(self, edition, skip_coded: bool = True):
        self.edition = edition
        self.store = edition.store
        self.facts = edition.facts
        self.skip_coded = skip_coded

    @cached_property
    def order(self) -> list[str]:
        return [r["id"] for r in self.facts.letters.values()]

    @cached_property
    def default_lang(self) -> str:
        meta = self.store.get_meta("search") or {}
        langs = meta.get("languages") if isinstance(meta, dict) else None
        return base_lang((langs or [""])[0])

    @cached_property
    def texts(self) -> list[Text]:
        """The letters' original texts (translations are the editors' words, not the writer's)."""
        langs = {
            r["id"]: r["languages"] for r in self.store.execute("SELECT id, languages FROM letters")
        }
        out = []
        for r in self.store.execute(
            "SELECT letter_id, lang, type, text FROM letter_texts ORDER BY letter_id, version"
        ):
            if (r["type"] or "original") != "original" or not (r["text"] or "").strip():
                continue
            lang = text_language(r["lang"], langs.get(r["letter_id"]), r["text"], self.default_lang)
            out.append(Text(r["letter_id"], lang, r["text"]))
        return out

    @cached_property
    def answers(self) -> dict[str, str]:
        """reply letter -> the letter it answers (explicit links, else the correspondence)."""
        from ..analyse.replies import reply_pairs

        out: dict[str, str] = {}
        for r in reply_pairs(self.facts)[0]:
            out.setdefault(r["reply"], r["letter"])
        for r in self.store.execute(
            "SELECT letter_id, target FROM letter_links WHERE type = 'reply-to' ORDER BY letter_id"
        ):
            out.setdefault(r["letter_id"], r["target"])
        return out

    @cached_property
    def coded_mentions(self) -> set[tuple[str, str]]:
        return {
            (r["letter_id"], r["entry_id"])
            for r in self.store.execute(
                "SELECT letter_id, entry_id FROM letter_mentions WHERE entry_id IS NOT NULL"
            )
        }

    def finish(self, s: dict) -> dict:
        """Fill the common keys and the stable id."""
        from . import COLUMNS

        out = {c: s.get(c) for c in COLUMNS}
        key = "\x1f".join(str(s.get(k)) for k in ("kind", "letter", "text", "at", "entry", "value"))
        out["id"] = s["kind"][:3] + "-" + hashlib.sha1(key.encode()).hexdigest()[:10]
        out["confidence"] = round(float(s.get("confidence") or 0), 2)
        return out

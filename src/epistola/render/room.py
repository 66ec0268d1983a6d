"""The reading room's facts: everything every page needs about every other page, read once.

The static build and ``epistola serve`` both make one :class:`ReadingRoom` from a stored edition
(through ``Pages``, render/pages.py). Reading everything first (letter summaries, register
names, who wrote to whom, who is mentioned where, links) keeps every page consistent and makes
each page cheap: only a letter's own text is read when its page is rendered. The facts
themselves are the edition's one cached view (``edition.facts``, facts.py), which the analyses
share; the room adds the interface's language and what only pages need.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from functools import cached_property
from pathlib import Path

from ..edition import Edition
from . import urls
from .i18n import Translator, interface_language, localise_date, localise_label


class ReadingRoom:
    """The edition's shared facts (``edition.facts``, facts.py) as pages show them: letter
    summaries localised for the interface's language, plus what only pages need."""

    def __init__(self, edition: Edition, *, project_root: str | Path | None = None):
        self.edition = edition
        self.facts = f = edition.facts
        self.cache: dict = {}  # derived lists pages share (register groups...)
        self.store = edition.store
        self.tuples = f.tuples
        self.meta = edition.meta
        root = project_root or self.store.get_meta("project_root")
        self.project_root = Path(root) if root else None
        self.letters: dict[str, dict] = {}
        for lid, r in f.letters.items():
            # the data (JSON, API) keep the edition's own forms; pages show the interface's.
            # No word count: no page shows it, and a list of letters must not go stale (and be
            # written again) because one letter's text was edited.
            self.letters[lid] = {
                **{k: v for k, v in r.items() if k != "words"},
                "data_label": r["label"],
                "data_date_display": r["date_display"],
                "label": localise_label(r["label"], self.ui_lang),
                "date_display": localise_date(r["date_display"], self.ui_lang),
            }
        # read now, before the static build forks its workers (they inherit them)
        self.order = f.order
        self.entries = f.entries
        self.aliases = f.aliases
        self.agents = f.agents
        self.sent_by, self.received_by = f.sent_by, f.received_by
        self.place_letters = f.place_letters
        self.mentioned_in, self.mentions = f.mentioned_in, f.mentions
        self.links = f.links
        self.terms = f.terms
        self.term_by_text = f.term_by_text
        self.org_relations = f.org_relations
        self.front = f.front
        self.photographs = f.photographs
        self.asset_paths = f.asset_paths
        self.resolve = f.resolve  # a reference -> its entry id, or None
        self.entry_data = f.entry_data

    # -- facts read on first use (the shared ones live in edition.facts) ---------------------
    @property
    def month_counts(self) -> dict:
        return self.facts.month_counts

    @property
    def coords(self) -> dict[str, tuple[float, float]]:
        return self.facts.coords

    @property
    def life(self) -> dict[str, str]:
        return self.facts.life

    @property
    def org_existence(self) -> dict[str, str]:
        return self.facts.org_existence

    @property
    def asset_set(self) -> frozenset[str]:
        return self.facts.asset_set

    @property
    def glossary(self) -> dict[str, dict]:
        return self.facts.glossary

    @property
    def years(self) -> list[int | None]:
        return self.facts.years

    # -- lookups -----------------------------------------------------------------------------
    def entry_href(self, entry_id: str, root: str) -> str | None:
        e = self.entries.get(entry_id)
        path = urls.entry_path(e["kind"], entry_id) if e else None
        return root + path if path else None

    def glossary_expansion(self, term_id: str) -> str:
        exp = self.glossary.get(term_id, {}).get("expansions") or {}
        return exp.get(self.lang) or next(iter(exp.values()), "") or self.entries[term_id]["name"]

    @cached_property
    def lang(self) -> str:
        """The site's language: the project's first language, else the letters' commonest."""
        if self.meta.languages:
            return self.meta.languages[0]
        langs = Counter(
            (r["languages"] or "").split(" ")[0].split("-")[0] for r in self.letters.values()
        )
        langs.pop("", None)
        return langs.most_common(1)[0][0] if langs else "en"

    @cached_property
    def ui_lang(self) -> str:
        """The interface's language: [edition] interface_language, else the site's language."""
        return ui_language(self.edition)

    @cached_property
    def t(self) -> Translator:
        return Translator(self.ui_lang)

    @cached_property
    def has(self) -> dict:
        kinds = Counter(e["kind"] for e in self.entries.values())
        return {
            "glossary": kinds.get("term", 0) > 0,
            "photographs": bool(self.photographs),
            "analyses": analyses_available(),
            "map": bool(self.coords),
            **{f"kind_{k}": n for k, n in kinds.items()},
        }

    def letters_of(self, ids) -> list[dict]:
        """Summaries of the given letters in edition order."""
        rows = [self.letters[i] for i in set(ids) if i in self.letters]
        return sorted(rows, key=lambda r: r["number"] or 0)

    def summary_key(self, letter_id: str) -> str:
        """What lists of letters show about a letter: changes here touch every list with it."""
        r = self.letters.get(letter_id)
        if r is None:
            return ""
        return "|".join(
            str(r[k])
            for k in (
                "id", "number", "label", "date_display", "certainty", "sender",
                "addressee", "kind", "place_sent", "title",
            )
        )  # fmt: skip

    def digest(self, *parts) -> str:
        """One digest of plain values (str, numbers, lists and tuples of them)."""
        return hashlib.sha1(repr(parts).encode()).hexdigest()


def ui_language(edition) -> str:
    """The interface's language of the reading room and the book: the project's
    ``[edition] interface_language``, else the edition's language, else its letters' commonest."""
    meta = edition.meta
    if meta.interface_language or meta.languages:
        return interface_language(meta)
    langs = Counter(
        (r[0] or "").split(" ")[0].split("-")[0]
        for r in edition.store.tuples("SELECT languages FROM letters")
    )
    langs.pop("", None)
    return interface_language(meta, langs.most_common(1)[0][0] if langs else "en")


def analyses_available() -> bool:
    """Is the analyses stage installed? (Looked up, not imported: it pulls in charting.)"""
    from importlib.util import find_spec

    try:
        # the package's spec, not its module's: finding epistola.analyse.pages would import
        # epistola.analyse, and with it the charting library (seconds, on every site build)
        spec = find_spec("epistola.analyse")
    except ImportError:
        return False
    return spec is not None and any(
        os.path.exists(os.path.join(d, "pages.py")) for d in spec.submodule_search_locations or ()
    )

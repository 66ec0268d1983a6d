"""Subjects proposed by word rules (``[coding.rules]`` in epistola.toml), never as editor-coded.

    [coding.rules.s-harvest]
    ru = ["урожай", "хлеб", "хлебозаготов*"]   # lemmas; "*" = any word starting so
    en = ["harvest", "grain"]
    "*" = ["Nordland"]                          # any language

A letter text in language L matches a rule word when a word of the text has the same key:
Russian words are lemmatised (pymorphy3: хлеба -> хлеб), other languages with a Snowball stemmer
are stemmed (PyStemmer), others only lower-cased; ё counts as е. A rule of several words matches
them in sequence. Each match gives the letter the subject at level ``proposed`` in
``letter_subjects``, unless the editors coded that subject on the letter already.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..diagnostics import Diagnostics
from ..search.fold import morph as _morph
from ..search.fold import stemmer_for as _stemmer
from ..store.base import Store

WORD = re.compile(r"\w+(?:-\w+)*")


@lru_cache(maxsize=200_000)
def word_key(word: str, lang: str) -> str:
    """The form a text word and a rule word are compared in."""
    w = word.lower().replace("ё", "е")
    if lang == "ru" and re.search("[а-я]", w):
        return _morph().parse(w)[0].normal_form.replace("ё", "е")
    st = _stemmer(lang)
    return st.stemWord(w) if st else w


class Rule:
    """One rule entry: a word, a prefix (``word*``) or a phrase of several words."""

    def __init__(self, text: str, lang: str):
        self.text = text
        self.any_lang = lang == "*"  # compared with the text's words as written
        words = WORD.findall(text)
        self.prefix = text.endswith("*") and len(words) == 1
        self.keys = (
            [words[0].lower().replace("ё", "е")]
            if self.prefix
            else [word_key(w, lang) for w in words]
        )

    def matches(self, tokens: list[str], keys: list[str]) -> bool:
        if not self.keys:
            return False
        if self.prefix:
            return any(t.startswith(self.keys[0]) for t in tokens)
        if self.any_lang:
            keys = tokens
        n = len(self.keys)
        if n == 1:
            return self.keys[0] in keys
        return any(keys[i : i + n] == self.keys for i in range(len(keys) - n + 1))


def load_rules(rules: dict, diags: Diagnostics, where: str) -> dict[str, dict[str, list[Rule]]]:
    """``{subject: {lang: [words]}}`` from the config -> compiled rules; problems as diagnostics."""
    out: dict[str, dict[str, list[Rule]]] = {}
    for subject, per_lang in (rules or {}).items():
        if not isinstance(per_lang, dict):
            diags.error(
                where, None, "bad-config", f"[coding.rules.{subject}] must be a table of lists"
            )
            continue
        for lang, words in per_lang.items():
            if isinstance(words, str):
                words = [words]
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                diags.error(
                    where,
                    None,
                    "bad-config",
                    f"[coding.rules.{subject}] {lang} must be a list of words",
                )
                continue
            out.setdefault(subject.lstrip("#"), {})[lang] = [Rule(w, lang) for w in words if w]
    return out


def propose_subjects(store: Store, diags: Diagnostics, project) -> int:
    """Add proposed subjects to ``letter_subjects``; return how many were added."""
    where = str(project.config_file or project.root)
    rules = load_rules(project.coding.get("rules"), diags, where)
    if not rules:
        return 0
    known = {r["id"] for r in store.execute("SELECT id FROM entries WHERE kind = 'subject'")}
    for s in rules:
        if known and s not in known:
            diags.warning(
                where,
                None,
                "unknown-ref",
                f"[coding.rules.{s}] names a subject that is not in the subject scheme; "
                "its proposals are kept under that id — add it to the taxonomy or fix the id",
            )
    default_lang = (project.meta.languages or [None])[0]
    coded: dict[str, set] = {}
    for r in store.execute("SELECT letter_id, subject FROM letter_subjects"):
        coded.setdefault(r["letter_id"], set()).add(r["subject"])
    rows = []
    for t in store.execute(
        "SELECT t.letter_id, COALESCE(t.lang, NULLIF(l.languages, '')) AS lang, t.text "
        "FROM letter_texts t JOIN letters l ON l.id = t.letter_id ORDER BY t.letter_id"
    ):
        # the text's language, else the letter's first (langUsage), else the edition's first
        lang = ((t["lang"] or default_lang or "").split() or [""])[0].split("-")[0].lower()
        tokens = [w.lower().replace("ё", "е") for w in WORD.findall(t["text"] or "")]
        keys = None
        have = coded.setdefault(t["letter_id"], set())
        for subject, per_lang in rules.items():
            if subject in have:
                continue
            candidates = per_lang.get(lang, []) + per_lang.get("*", [])
            if not candidates:
                continue
            if keys is None:
                keys = [word_key(w, lang) for w in tokens]
            if any(rule.matches(tokens, keys) for rule in candidates):
                rows.append((t["letter_id"], subject, "proposed"))
                have.add(subject)
    store.insert("letter_subjects", rows)
    if rows:
        diags.info(
            where,
            None,
            "proposed-subjects",
            f"word rules proposed {len(rows)} subject(s) for "
            f"{len({r[0] for r in rows})} letter(s); they are marked proposed, not editor-coded",
        )
    return len(rows)

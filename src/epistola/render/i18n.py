"""The interface in the edition's language: message catalogues and per-language dates.

Catalogues are data files in ``render/messages/`` (one JSON object per language, English text
-> translation); ``en.json`` lists every key. The language is the project's
``[edition] interface_language``, else the edition's first language, else English; a language
without a catalogue falls back to English.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

MESSAGES = resources.files("epistola.render").joinpath("messages")
LANGUAGES = ("en", "de", "ru")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The catalogue of ``lang`` (English text -> translation); English for an unknown one."""
    if lang not in LANGUAGES:
        lang = "en"
    return json.loads(MESSAGES.joinpath(f"{lang}.json").read_text(encoding="utf-8"))


def interface_language(meta, fallback: str | None = None) -> str:
    """The reading room's and the book's language: the project's choice, else the edition's."""
    for lang in (getattr(meta, "interface_language", ""), *(meta.languages or []), fallback):
        base = (lang or "").split("-")[0].lower()
        if base:
            return base if base in LANGUAGES else "en"
    return "en"


class Translator:
    """``t("Persons")`` -> "Personen"; text that is not a key passes through unchanged."""

    def __init__(self, lang: str):
        self.lang = lang if lang in LANGUAGES else "en"
        self.messages = catalogue(self.lang)

    def __call__(self, text) -> str:
        if not isinstance(text, str):
            return text
        template = getattr(text, "template", None)
        if template is not None:  # a sentence made from a template (analyse.result.Msg)
            values = {k: self._value(v) for k, v in text.values.items()}
            return self.messages.get(template, template).format(**values)
        return self.messages.get(text, text)

    def _value(self, v):
        if isinstance(v, bool):
            return v
        if isinstance(v, int):
            return format_number(v, self.lang)
        return self(v)

    def subset(self, keys) -> dict[str, str]:
        """The translations of ``keys``, for the browser's scripts."""
        return {k: self(k) for k in keys}


# -- dates and numbers --------------------------------------------------------------------------
_EN_MONTHS = "Jan. Feb. Mar. Apr. May June July Aug. Sept. Oct. Nov. Dec.".split()
MONTHS = {
    "de": "Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez.".split(),
    "ru": "янв. февр. марта апр. мая июня июля авг. сент. окт. нояб. дек.".split(),
}
# month names without a day (nominative in Russian: "август 1931")
MONTHS_ALONE = {
    "de": MONTHS["de"],
    "ru": "янв. февр. март апр. май июнь июль авг. сент. окт. нояб. дек.".split(),
}
SHORT_MONTHS = {
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
    "de": "Jan Feb Mär Apr Mai Jun Jul Aug Sep Okt Nov Dez".split(),
    "ru": "янв фев мар апр май июн июл авг сен окт ноя дек".split(),
}
NUMBER_SIGN = {"en": "No.", "de": "Nr.", "ru": "№"}
_MONTH = re.compile(r"(\d{1,2} )?\b(" + "|".join(re.escape(m) for m in _EN_MONTHS) + r")(?= \d)")
_WORDS = {
    "de": {"undated": "undatiert", "before": "vor", "after": "nach"},
    "ru": {"undated": "без даты", "before": "до", "after": "после"},
}
_WORD = re.compile(r"\b(undated|before|after)\b")


def localise_date(text: str | None, lang: str) -> str | None:
    """An edition date as stored ('12 Aug. 1931', '[before Aug. 1931]') in ``lang``."""
    if not text or lang not in MONTHS:
        return text

    def month(m: re.Match) -> str:
        i = _EN_MONTHS.index(m.group(2))
        if m.group(1):
            day = m.group(1).strip()
            return f"{day}. {MONTHS[lang][i]}" if lang == "de" else f"{day} {MONTHS[lang][i]}"
        return MONTHS_ALONE[lang][i]

    out = _MONTH.sub(month, text)
    return _WORD.sub(lambda m: _WORDS[lang][m.group(1)], out)


def localise_label(label: str | None, lang: str) -> str | None:
    """A letter's label ('1931 No. 12') with the language's number sign ('1931 Nr. 12')."""
    if not label or lang == "en":
        return label
    return label.replace(" No. ", f" {NUMBER_SIGN.get(lang, 'No.')} ")


def format_number(n, lang: str) -> str:
    """Thousands grouped as the language writes them: 12,345 / 12.345 / 12 345."""
    if not isinstance(n, int):
        return str(n)
    s = f"{n:,}"
    return {"de": s.replace(",", "."), "ru": s.replace(",", "\u00a0")}.get(lang, s)

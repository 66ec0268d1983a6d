"""Folding, stemming, name variants and the query language, without an edition."""

from __future__ import annotations

import pytest

from epistola.errors import QueryError
from epistola.search.fold import Analyzer, fold, tokens
from epistola.search.names import entry_keys, german_style, lemmas, query_keys
from epistola.search.parse import parse


def test_fold_case_diacritics_yo_and_sharp_s():
    assert fold("Straße") == "strasse"
    assert fold("Grüße aus Wien") == "grusse aus wien"
    assert fold("Ещё ЁЛКА") == "еще елка"
    assert fold("Йод и йогурт") == "йод и йогурт"  # й is a letter of its own
    assert fold("Dvořák, Œuvre, Łódź") == "dvorak, oeuvre, lodz"
    assert fold("e\u0301te\u0301") == "ete"  # decomposed accents


def test_tokens_modernise_pre_reform_spelling():
    assert tokens("Сергѣй пишетъ изъ дома") == ["сергей", "пишет", "из", "дома"]
    assert tokens("Іисусъ, ѳеатръ") == ["иисус", "феатр"]


def test_stems_per_script_and_language():
    a = Analyzer(["ru", "en"])
    assert a.latin == ["en"]
    assert a.stems("кагановичу") == a.stems("каганович") == ["каганович"]
    assert a.stems("letters") == ["letter"]
    de = Analyzer(["de"])
    assert de.stems("briefe") == de.stems("brief") == de.stems("briefen")
    assert Analyzer(["de", "en"]).stems("letters") == ["lett", "letter"]


def test_german_style_transliteration():
    assert german_style("каганович") == "kaganowitsch"
    assert german_style("орджоникидзе") == "ordschonikidse"
    assert german_style("хрущёв") == "chruschtschow"
    assert german_style("жуков") == "schukow"
    assert german_style("юрий") == "juri"


@pytest.mark.parametrize(
    "spelling",
    [
        "kaganovich",  # Library of Congress, BGN/PCGN, Wikipedia
        "kaganovic",  # ISO 9 (Kaganovič) folded
        "kaganowitsch",  # German
        "kaganovitch",  # French
        "каганович",
        "lazar kaganovich",
        "лазарь каганович",
        "kaganovich lazar moiseevich",
    ],
)
def test_entry_keys_cover_transliterations(spelling):
    keys = entry_keys("person", ["Каганович Лазарь Моисеевич"])
    assert spelling in keys


def test_entry_keys_orders_and_umlauts():
    keys = entry_keys("person", ["Müller, Hans"])
    assert {"muller", "mueller", "hans muller", "hans mueller"} <= keys
    keys = entry_keys("person", ["Фёдор Никитич Долгов"], "Фёдор Никитич", "Долгов")
    assert {"долгов", "fyodor dolgov", "fjodor dolgow", "fedor dolgov"} <= keys
    assert "федор" not in keys  # a forename alone names nobody in particular
    assert "main" not in entry_keys("place", ["Frankfurt am Main"])


def test_lemmas_and_query_keys():
    assert "каганович" in lemmas("кагановичу")
    assert "каганович" in query_keys(["кагановичу"])
    assert "kaganovich" in query_keys(["кагановичу"])  # registers with Latin names only


def test_parse_tree():
    assert parse("Brief Wien") == ("and", [("term", "brief", "stem"), ("term", "wien", "stem")])
    assert parse('"lieber Freund" OR =Briefe') == (
        "or",
        [("phrase", ["lieber", "freund"], False), ("term", "briefe", "exact")],
    )
    assert parse("Brief -Karte") == (
        "and",
        [("term", "brief", "stem"), ("not", ("term", "karte", "stem"))],
    )
    assert parse("Brie*") == ("term", "brie", "prefix")
    assert parse("Jean-Paul") == ("phrase", ["jean", "paul"], False)
    assert parse("   ") is None


@pytest.mark.parametrize(
    "q, says",
    [
        ('"Brief', "unbalanced quote"),
        ("(Brief", "never closed"),
        ("Brief)", "without '('"),
        ("AND Brief", "AND needs a word before it"),
        ("Brief OR", "OR needs a word after it"),
        ("NOT", "NOT needs a word after it"),
        ("*", "no word before the '*'"),
        ("B*", "at least 2 letters"),
        ("x" * 100_000, "at most 1,000"),
        ("(" * 40 + "a" + ")" * 40, "nested"),
        (" ".join(["wort"] * 100), "at most 64"),
        ("()", "empty parentheses"),
        ('""', "empty phrase"),
        ("%%% ###", "nothing to search for"),
    ],
)
def test_bad_queries_say_what_is_wrong(q, says):
    with pytest.raises(QueryError) as e:
        parse(q)
    assert says in str(e.value)
    assert e.value.hint

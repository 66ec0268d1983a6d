"""Search on the tiny Russian fixture: names in any spelling, inflections, ё/е, pre-reform
spelling, uncertain dates, front matter and register hits, facets, hostile input."""

from __future__ import annotations

import pytest

from epistola.errors import QueryError
from epistola.search.query import search


def ids(res):
    return [r["letter"] for r in res["results"]]


KAGANOVICH_LETTERS = {"R1931-08-05", "R1931-08-12", "R1931-08-20"}  # sent, received, mentioned


@pytest.mark.parametrize(
    "q",
    ["Каганович", "Кагановичу", "Кагановича", "Kaganovich", "Kaganowitsch", "Kaganovič",
     "Kaganovitch", "Lazar Kaganovich", '"Лазарь Каганович"'],
)  # fmt: skip
def test_a_person_is_found_by_any_spelling(ru_edition, q):
    res = ru_edition.search(q)
    assert set(ids(res)) == KAGANOVICH_LETTERS
    assert [n["id"] for n in res["names"]] == ["p-kaganovich"]
    # each result says which register entry matched
    for r in res["results"]:
        assert [n["id"] for n in r["names"]] == ["p-kaganovich"]


def test_inflected_name_in_text_is_highlighted(ru_edition):
    res = ru_edition.search("Kaganovich")
    top = {r["letter"]: r for r in res["results"]}["R1931-08-20"]
    assert any("<mark>Кагановичу</mark>" in s["html"] for s in top["snippets"])


@pytest.mark.parametrize("q", ["Ordzhonikidze", "Ordschonikidse", "Орджоникидзе", "Серго"])
def test_names_and_their_variants(ru_edition, q):
    res = ru_edition.search(q)
    assert {"R1931-08-12", "R1931-09-01", "R1931-09-15"} <= set(ids(res))


def test_latin_register_found_from_cyrillic(ru_edition):
    # Molotov's register entry has only a Latin name; the text says Молотову
    res = ru_edition.search("Молотов")
    assert set(ids(res)) == {"R1931-08-20", "R1931-09-15"}
    assert res["names"][0]["id"] == "p-molotov"


def test_yo_and_e_fold(ru_edition):
    assert ids(ru_edition.search("еще")) == ["R1931-08-05"]
    assert ids(ru_edition.search("ЕЩЁ")) == ["R1931-08-05"]
    assert ids(ru_edition.search("елки")) == ["R1931-08-20"]


def test_russian_inflections_and_phrases(ru_edition):
    assert ids(ru_edition.search("письма")) == ["R1931-08-05"]  # text: Письмо
    # texts: "доменных печах" and, pre-reform, "доменныя печи" (lemmas: доменный печь)
    res = ru_edition.search('"доменных печей"')
    assert sorted(ids(res)) == ["R1931-08-12", "R1931-09-01"]
    top = {r["letter"]: r for r in res["results"]}["R1931-08-12"]
    assert "<mark>доменных</mark> <mark>печах</mark>" in top["snippets"][0]["html"]


def test_pre_reform_spelling(ru_edition):
    assert ids(ru_edition.search("дома пишет")) == ["R1931-09-01"]  # пишетъ изъ дома


def test_exact_form(ru_edition):
    assert ids(ru_edition.search("письмо")) == ["R1931-08-05"]
    assert ids(ru_edition.search("=письма")) == []
    assert ids(ru_edition.search("=письмо")) == ["R1931-08-05"]


def test_translation_and_note_snippets_say_where(ru_edition):
    res = ru_edition.search("grain")
    wheres = {s["where"] for r in res["results"] for s in r["snippets"]}
    assert wheres == {"translation"}  # the English is the letters' translation
    res = ru_edition.search("quarrel")
    assert ids(res) == ["R1931-08-12"]
    assert res["results"][0]["snippets"][0]["where"] == "note"


# --- dates: a letter whose possible dates overlap the range is a candidate, and says so -----


def test_august_1931(ru_edition):
    res = ru_edition.search("", filters={"start": "1931-08-01", "end": "1931-08-31"}, sort="date")
    got = {r["letter"]: r["date_match"] for r in res["results"]}
    assert got == {
        "R1931-08-05": "certain",
        "R1931-08-12": "possible",  # between 20 July and 12 August
        "R1931-08-20": "certain",
        "R1931-09-01": "possible",  # before 31 August 1931 (no lower bound)
    }


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"end": "1931-07-20"}, {"R1931-08-12": "possible", "R1931-09-01": "possible"}),
        ({"end": "1931-07-19"}, {"R1931-09-01": "possible"}),
        ({"start": "1931-09-20"}, {"R1931-09-15": "possible"}),
        ({"start": "1931-09-21"}, {}),
        ({"start": "1931-09", "end": "1931-09"}, {"R1931-09-15": "certain"}),
        ({"start": "1931-08-12", "end": "1931-08-12"}, {"R1931-08-12": "possible", "R1931-09-01": "possible"}),
    ],
)  # fmt: skip
def test_date_range_edges(ru_edition, filters, expected):
    res = ru_edition.search("", filters=filters)
    assert {r["letter"]: r["date_match"] for r in res["results"]} == expected
    assert res["total"] == len(expected)


# --- front matter and registers ------------------------------------------------------------


def test_other_hits_in_introductions_and_biographies(ru_edition):
    res = ru_edition.search("Magnitogorsk")
    assert [(o["kind"], o["id"]) for o in res["other"]] == [("introduction", "introduction-1931")]
    assert "<mark>Magnitogorsk</mark>" in res["other"][0]["snippet"]
    res = ru_edition.search("metro")
    assert res["total"] == 0
    assert [(o["kind"], o["id"]) for o in res["other"]] == [("person", "p-kaganovich")]
    assert "<mark>metro</mark>" in res["other"][0]["snippet"]


# --- facets: computed over the whole result set, checked by plain SQL -----------------------


def test_facets_equal_sql_counts(ru_edition):
    res = ru_edition.search("Сталин OR Stalin OR Москва", per_page=1)
    assert res["total"] == 5 and len(res["results"]) == 1
    store = ru_edition.store
    senders = {
        r["entry_id"]: r["n"]
        for r in store.execute(
            "SELECT entry_id, COUNT(DISTINCT letter_id) AS n FROM letter_agents "
            "WHERE action = 'sent' GROUP BY entry_id"
        )
    }
    assert {f["value"]: f["count"] for f in res["facets"]["sender"]} == senders
    kinds = {
        r["kind"]: r["n"]
        for r in store.execute("SELECT kind, COUNT(*) AS n FROM letters GROUP BY kind")
    }
    assert (
        {f["value"]: f["count"] for f in res["facets"]["kind"]}
        == kinds
        == {"letter": 4, "telegram": 1}
    )
    persons = {
        r["e"]: r["n"]
        for r in store.execute(
            "SELECT e AS e, COUNT(DISTINCT l) AS n FROM (SELECT letter_id AS l, entry_id AS e "
            "FROM letter_agents UNION SELECT letter_id, entry_id FROM letter_mentions) x "
            "JOIN entries ON entries.id = x.e AND entries.kind = 'person' GROUP BY e"
        )
    }
    assert {f["value"]: f["count"] for f in res["facets"]["person"]} == persons
    assert {f["value"]: f["count"] for f in res["facets"]["has_notes"]} == {True: 1, False: 4}


def test_filters_combine(ru_edition):
    res = ru_edition.search("", filters={"person": "p-kaganovich", "kind": "telegram"})
    assert ids(res) == ["R1931-08-20"]
    res = ru_edition.search("", filters={"sender": ["p-stalin", "p-molotov"]}, sort="date")
    assert ids(res) == ["R1931-08-05", "R1931-08-20", "R1931-09-15"]
    res = ru_edition.search("", filters={"has_notes": "true"})
    assert ids(res) == ["R1931-08-12"]
    res = ru_edition.search("", filters={"lang": "ru", "place": "pl-sochi"})
    assert res["total"] == 5


def test_paging_and_sort(ru_edition):
    all_ = ids(ru_edition.search("", sort="date", per_page=5))
    assert all_ == sorted(
        all_, key=lambda i: ru_edition.store.scalar("SELECT number FROM letters WHERE id = ?", (i,))
    )
    assert ids(ru_edition.search("", sort="date", per_page=2, page=2)) == all_[2:4]
    assert ids(ru_edition.search("", sort="date", per_page=2, page=9)) == []


@pytest.mark.parametrize(
    "filters",
    [
        {"start": "August"},
        {"end": "1931-02-30"},
        {"year": "nineteen"},
        {"colour": "red"},
        {"has_notes": "perhaps"},
        {"person": [f"p-{i}" for i in range(50_000)]},
    ],
)
def test_bad_filters(ru_edition, filters):
    with pytest.raises(QueryError) as e:
        ru_edition.search("", filters=filters)
    assert e.value.hint


HOSTILE = [
    '"a" NEAR/ * col:', "NEAR(a b, 2)", "{names} : n1", "title:Brief", "a AND", "OR OR",
    "'; DROP TABLE letters; --", "\x00\x01", "💥 🙂", "((((((((a))))))))", "-", "=", '=""',
    "a" * 100_000, "^a", "a:b:c", "x OR (y", '"', "NOT NOT a", "a OR NOT b", "NOT a",
    "* * *", "-(a OR b)", "\\", "a\"b", "%", "_", "n1", "Каганович*", "=Каганович",
]  # fmt: skip


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_never_crash(ru_edition, q):
    try:
        res = search(ru_edition.store, q)
    except QueryError as e:
        assert str(e) and e.hint
    else:
        assert res["total"] == len(res["results"]) or res["total"] > len(res["results"])
    assert ru_edition.store.scalar("SELECT COUNT(*) FROM letters") == 5


def test_russian_lemmas_for_every_word(ru_edition):
    # the text says "Съ хлопкомъ" (pre-reform, instrumental); the reader types the dictionary form
    assert ids(ru_edition.search("хлопок")) == ["R1931-09-01"]
    assert ids(ru_edition.search("хлопке")) == ["R1931-09-01"]


def test_pre_reform_and_modern_spellings_meet(ru_edition):
    # R1931-09-01 writes "дѣло", R1931-09-15 "дело": each spelling finds both
    assert sorted(ids(ru_edition.search("дело"))) == ["R1931-09-01", "R1931-09-15"]
    assert sorted(ids(ru_edition.search("дѣла"))) == ["R1931-09-01", "R1931-09-15"]
    res = ru_edition.search("=дѣло")
    assert sorted(ids(res)) == ["R1931-09-01", "R1931-09-15"]


def test_part_of_a_compound_finds_the_compound(ru_edition):
    res = ru_edition.search("заготовка")  # R1931-08-05 says "Хлебозаготовки"
    assert ids(res) == ["R1931-08-05"]
    assert any("<mark>Хлебозаготовки</mark>" in s["html"] for s in res["results"][0]["snippets"])
    # a word that only begins like a compound's part is no part of it
    assert ids(ru_edition.search("хлебозаготовка")) == ["R1931-08-05"]

"""The bundled sample edition exercises every feature of the model; values checked by hand
against examples/sample-edition (see its README)."""

from __future__ import annotations

from epistola import open_edition
from epistola.model import display


def _ed(sample_edition):
    return open_edition(sample_edition[0])


def test_counts(sample_edition):
    target, result = sample_edition
    with _ed(sample_edition) as ed:
        c = ed.counts()
    assert (c["letters"], c["dated_letters"]) == (47, 46)
    assert (c["persons"], c["places"], c["organisations"], c["works"]) == (14, 10, 15, 6)
    assert (c["glossary"], c["front_matter"], c["photographs"]) == (17, 5, 4)
    assert c["subjects"] == 8  # registers/subjects.xml: 8 subjects besides the coding categories
    assert c["matters"] == 68  # 63 coded in the TEI, 5 in coding/matters.csv
    assert c["years"] == [1931, 1932, 1933]
    problems = [
        (d.code, d.path.rsplit("/", 1)[-1]) for d in result.diagnostics if d.severity != "info"
    ]
    assert problems == [("undated", "L-undated-1.xml")]


def test_numbering_per_year_and_same_day_order(sample_edition):
    with _ed(sample_edition) as ed:
        rows = {r["id"]: r for r in ed.letter_records()}
    assert rows["L1931-06-14"]["number_in_year"] == 1
    per_year = {}
    for r in rows.values():
        per_year.setdefault(r["year"], []).append(r["number_in_year"])
    assert {y: len(v) for y, v in per_year.items()} == {1931: 15, 1932: 17, 1933: 14, None: 1}
    a, b = rows["L1931-08-30a"], rows["L1931-08-30b"]
    assert a["number_in_year"] + 1 == b["number_in_year"]  # @n orders letters of one day
    assert rows["L-undated-1"]["number"] == 47 and rows["L-undated-1"]["year"] is None


def test_dates_of_every_kind(sample_edition):
    with _ed(sample_edition) as ed:
        julian = ed.letter("L1932-09-08").date
        month = ed.letter("L1932-08").date
        ranged = ed.letter("L1931-09-18-22").date
        conj = ed.letter("L1933-08-27").date
    assert (julian.when_julian, julian.when, julian.calendar) == (
        "1932-08-26",
        "1932-09-08",
        "julian",
    )
    assert display(julian) == "26 Aug. 1932 / 8 Sept. 1932"
    assert (month.earliest, month.latest, month.edtf) == ("1932-08-01", "1932-08-31", "1932-08")
    assert ranged.earliest == "1931-09-18" and ranged.latest == "1931-09-22" and not ranged.exact
    assert conj.certainty == "conjectured" and conj.edtf.endswith("?")


def test_parties(sample_edition):
    with _ed(sample_edition) as ed:
        org = ed.letter("L1932-04-28")
        two = ed.letter("L1932-06-19")
        unknown = ed.letter("L1932-06-20")
        tel = ed.letter("L1931-08-21")
    assert org.senders[0].kind == "org"
    assert len(two.addressees) == 2
    assert unknown.senders[0].ref is None and unknown.senders[0].name
    assert tel.action("transmitted") is not None
    assert unknown.action("forwarded") is not None


def test_texts_notes_translations_facsimiles(sample_edition):
    with _ed(sample_edition) as ed:
        translated = ed.store.scalar(
            "SELECT COUNT(DISTINCT letter_id) FROM letter_texts WHERE type = 'translation'"
        )
        letter = ed.letter("L1931-06-14")
        facs = ed.store.execute("SELECT DISTINCT letter_id FROM facsimiles ORDER BY letter_id")
        assets = ed.store.scalar("SELECT COUNT(*) FROM assets WHERE path LIKE 'facsimiles/%'")
        notes = ed.store.scalar("SELECT COUNT(*) FROM notes")
    assert translated == 10
    assert [v.type for v in letter.versions] == ["original", "translation"]
    assert [v.lang for v in letter.versions] == ["ru", "en"]
    # notes kept in <back> and pointed at by anchors are placed where the anchor stands
    assert [n.n for n in letter.notes] == [1, 2] and all(n.text for n in letter.notes)
    assert [r["letter_id"] for r in facs] == ["L1931-08-16", "L1932-07-08", "L1933-09-30"]
    assert assets == 3
    assert notes == 47


def test_replies_and_links(sample_edition):
    with _ed(sample_edition) as ed:
        replies = ed.store.execute(
            "SELECT letter_id, target FROM letter_links WHERE type = 'reply-to'"
        )
        answered = ed.store.execute(
            "SELECT letter_id, target FROM letter_links WHERE type = 'answered-by'"
        )
        letter = ed.letter("L1931-08-16")
    assert len(replies) == 23
    assert {(r["target"], r["letter_id"]) for r in replies} == {
        (a["letter_id"], a["target"]) for a in answered
    }
    assert letter.link("answered-by") == "L1931-08-19"
    assert letter.link("next-edition") and letter.link("prev-edition") == "L1931-06-17"


def test_glossary_org_structure_and_coding(sample_edition):
    with _ed(sample_edition) as ed:
        unlinked = ed.store.scalar("SELECT COUNT(*) FROM letter_terms WHERE entry_id IS NULL")
        glavzerno = ed.store.execute(
            "SELECT parent, from_, to_ FROM org_relations WHERE org = 'org-glavzerno' ORDER BY from_"
        )
        levels = {
            r["level"] for r in ed.store.execute("SELECT DISTINCT level FROM letter_subjects")
        }
        quantities = ed.store.execute(
            "SELECT status, COUNT(*) AS n FROM quantities GROUP BY status"
        )
        stances = ed.store.scalar("SELECT COUNT(*) FROM letter_mentions WHERE stance IS NOT NULL")
    assert unlinked == 0  # every abbreviation in the letters has its glossary entry
    assert [r["parent"] for r in glavzerno] == ["org-nuzem", "org-nusnab", "org-nuzem"]
    assert glavzerno[1]["from_"] == "1932-05-01"
    assert {"letter", "passage", "standoff"} <= levels
    assert {r["status"]: r["n"] for r in quantities} == {"proposed": 22, "decided": 12, None: 14}
    assert stances == 21

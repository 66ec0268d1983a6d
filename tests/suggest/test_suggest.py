"""Suggestions (issue 11, §2–3): the JSON shape, acceptance into stand-off coding, and precision
and recall against hand coding (the sample edition's TEI coding and the held-out letters).

The floors asserted here are the figures measured when the suggesters were written (docs/
analyses.md), a little lower: a change that makes a suggester worse fails."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from typer.testing import CliRunner

from epistola.cli import app
from epistola.suggest import COLUMNS, KINDS, suggest

from .gold import HELDOUT, heldout_gold, sample_gold, sample_linking, score


@pytest.fixture(scope="module")
def heldout_edition(tmp_path_factory):
    from epistola import ingest

    target = tmp_path_factory.mktemp("heldout") / "heldout.sqlite"
    ingest([HELDOUT], target)
    return target


@pytest.fixture(scope="module")
def heldout_scores(heldout_edition):
    return score(suggest(heldout_edition, skip_coded=False), heldout_gold())


@pytest.fixture(scope="module")
def sample_scores(sample_edition):
    return score(suggest(sample_edition[0], skip_coded=False), sample_gold())


def test_json_shape(sample_edition):
    r = CliRunner().invoke(app, ["suggest", str(sample_edition[0]), "--kind", "quantity", "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert rows and all(set(COLUMNS) <= set(x) for x in rows)
    assert {x["kind"] for x in rows} == {"quantity"}
    assert all(0 < x["confidence"] <= 1 and x["source"].startswith("quantities:") for x in rows)
    assert all(isinstance(x["value"], float) and x["unit"] for x in rows)
    # the sample edition codes its figures: only uncoded ones are proposed by default
    coded = {(q["value"]) for g in sample_gold().values() for q in g["quantities"]}
    everything = suggest(sample_edition[0], ["quantity"], skip_coded=False)
    assert len(everything) > len(rows)
    assert any(x["value"] in coded for x in everything)
    bad = CliRunner().invoke(app, ["suggest", str(sample_edition[0]), "--kind", "nonsense"])
    assert bad.exit_code == 2 and "Kinds:" in bad.output


def test_every_kind_is_made(heldout_edition):
    rows = suggest(heldout_edition)
    assert {r["kind"] for r in rows} >= set(KINDS) - {"subject"}  # no subject scheme there
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) and ids == [r["id"] for r in suggest(heldout_edition)]


def test_heldout_accuracy(heldout_scores):
    s = heldout_scores
    assert s["names"]["precision"] >= 0.9 and s["names"]["recall"] >= 0.9
    assert s["acronyms"]["recall"] >= 0.85
    assert s["quantities"]["precision"] >= 0.9 and s["quantities"]["recall"] >= 0.9
    assert s["matters_request"]["recall"] >= 0.9 and s["matters_answers"]["precision"] >= 0.9
    assert s["stance"]["precision"] >= 0.7


def test_sample_accuracy(sample_scores):
    s = sample_scores
    assert s["names"]["recall"] >= 0.85
    assert s["acronyms"]["recall"] >= 0.95 and s["acronyms"]["precision"] >= 0.9
    assert s["quantities"]["recall"] >= 0.9 and s["quantities"]["precision"] >= 0.7
    assert s["matters_request"]["recall"] >= 0.75


def test_tagged_names_link_to_their_entries(sample_edition):
    from epistola import open_edition

    with open_edition(sample_edition[0]) as ed:
        got = sample_linking(ed.store)
    assert got["precision"] >= 0.95 and got["linked"] >= 140


def test_accepted_rows_become_coding(heldout_edition, tmp_path):
    from epistola import ingest, load_project, open_edition

    project = tmp_path / "project"
    shutil.copytree(HELDOUT, project)
    r = CliRunner().invoke(app, ["suggest", str(heldout_edition), "--csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and "accepted" in rows[0]
    take = [x for x in rows if x["kind"] in ("quantity", "person")][:6]
    for x in take:
        x["accepted"] = "yes"
    (project / "accepted.csv").write_text(_csv(rows), encoding="utf-8")
    (project / "epistola.toml").write_text(
        '[edition]\ntitle = "Held-out"\n[sources]\npaths = ["letters", "registers.xml"]\n'
        '[coding]\naccepted = "accepted.csv"\n',
        encoding="utf-8",
    )
    target = tmp_path / "e.sqlite"
    ingest(load_project(project), target)
    with open_edition(target) as ed:
        qs = ed.store.execute("SELECT letter_id, quantity FROM quantities")
        ms = ed.store.execute("SELECT letter_id, entry_id FROM letter_mentions")
    want_q = {(x["letter"], float(x["value"])) for x in take if x["kind"] == "quantity"}
    want_m = {(x["letter"], x["entry"]) for x in take if x["kind"] == "person"}
    assert want_q and want_q == {(q["letter_id"], q["quantity"]) for q in qs}
    assert want_m and want_m <= {(m["letter_id"], m["entry_id"]) for m in ms}
    again = {r["id"] for r in suggest(target)}
    assert not again & {x["id"] for x in take}  # accepted: no longer proposed


def _csv(rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def test_dotted_abbreviations():
    from epistola.suggest.acronyms import dotted

    text = (
        "Нужно 6,2 млн зол. руб. на импорт, т. е. станки, пишет Dr. med. Weiss; дали 40 тыс. тонн."
    )
    assert [form for _, form in dotted(text)] == ["зол. руб.", "Dr. med."]


def test_slashed_and_hyphened_abbreviations():
    from epistola.suggest.acronyms import joined

    text = (
        "Отгрузить с/х машины на з-д в Сталинском р-не, ответ на п/я 12; т-во и о-во, ф-ка. "
        "Кто-то из-за 1/2 пуда, во-первых, ну-ка. Brief c/o Frankfurt a/M, und/oder XII/I, "
        "siehe anno.onb.ac.at/cgi-content."
    )
    got = [form for _, form in joined(text)]
    assert got == ["с/х", "п/я", "c/o", "a/M", "з-д", "р-не", "т-во", "о-во", "ф-ка"]


def test_commissariats_are_syllabic_compounds():
    from epistola.suggest.acronyms import _syllabic

    assert all(_syllabic(w) for w in ("Наркомфин", "Наркомпроса", "Наркомвнудел", "наркомат"))
    assert not any(_syllabic(w) for w in ("народ", "наркоман", "наркомании", "Нарва"))

"""Subjects proposed by word rules: lemmatised (Russian) and stemmed (English), marked proposed."""

from __future__ import annotations

from epistola import ingest, load_project, open_edition

LETTER = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{id}" xml:lang="{lang}">
<teiHeader><fileDesc><titleStmt><title>{id}</title></titleStmt>
<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>
<profileDesc><langUsage><language ident="{lang}"/></langUsage><correspDesc>
<correspAction type="sent"><persName>A</persName><date when="1931-08-0{n}"/></correspAction>
<correspAction type="received"><persName>B</persName></correspAction>
</correspDesc>{keywords}</profileDesc></teiHeader>
<text><body><p>{text}</p></body></text></TEI>
"""

TAXONOMY = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>s</title>
</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>
<encodingDesc><classDecl><taxonomy xml:id="subjects">
<category xml:id="s-grain"><catDesc>Grain</catDesc></category>
<category xml:id="s-rail"><catDesc>Railways</catDesc></category>
</taxonomy></classDecl></encodingDesc></teiHeader><text><body><p/></body></text></TEI>
"""

CONFIG = """[edition]
title = "Rules"
languages = ["ru", "en"]
[coding.rules.s-grain]
ru = ["хлеб", "хлебозаготов*"]
en = ["harvest"]
[coding.rules.s-rail]
ru = ["железная дорога"]
"""


def _letter(i, text, lang="ru", keywords=""):
    return LETTER.format(id=f"L{i}", n=i, lang=lang, text=text, keywords=keywords)


def test_rules_propose_subjects_by_lemma_stem_and_phrase(tmp_path):
    (tmp_path / "epistola.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "subjects.xml").write_text(TAXONOMY, encoding="utf-8")
    coded = '<textClass><keywords><term ref="#s-grain"/></keywords></textClass>'
    letters = {
        1: _letter(1, "Хлеба сдали мало, по железной дороге не вывезли."),  # inflected forms
        2: _letter(2, "Хлебозаготовительный план выполнен."),  # prefix rule
        3: _letter(3, "The harvests were poor.", lang="en"),  # English stem
        4: _letter(4, "Про хлеб уже закодировано.", keywords=coded),  # editors coded it
        5: _letter(5, "О погоде и о дороге домой."),  # 'дорога' alone is not the phrase
    }
    for i, xml in letters.items():
        (tmp_path / f"L{i}.xml").write_text(xml, encoding="utf-8")
    target = tmp_path / "e.sqlite"
    result = ingest(load_project(tmp_path), target)
    with open_edition(target) as ed:
        rows = ed.store.execute(
            "SELECT letter_id, subject, level FROM letter_subjects ORDER BY 1, 2"
        )
    got = {(r["letter_id"], r["subject"], r["level"]) for r in rows}
    assert got == {
        ("L1", "s-grain", "proposed"),
        ("L1", "s-rail", "proposed"),
        ("L2", "s-grain", "proposed"),
        ("L3", "s-grain", "proposed"),
        ("L4", "s-grain", "letter"),
    }
    assert any(d.code == "proposed-subjects" for d in result.diagnostics)


def test_unknown_subject_in_rules_is_reported(tmp_path):
    (tmp_path / "epistola.toml").write_text(
        CONFIG + '[coding.rules.s-wheather]\nru = ["дождь"]\n', encoding="utf-8"
    )
    (tmp_path / "subjects.xml").write_text(TAXONOMY, encoding="utf-8")
    (tmp_path / "L1.xml").write_text(_letter(1, "Шёл дождь."), encoding="utf-8")
    result = ingest(load_project(tmp_path), tmp_path / "e.sqlite")
    msgs = [d.message for d in result.diagnostics if d.code == "unknown-ref"]
    assert any("s-wheather" in m for m in msgs)


def test_sample_edition_proposals_never_repeat_editor_coding(sample):
    rows = sample.store.execute("SELECT letter_id, subject, level FROM letter_subjects")
    editor = {(r["letter_id"], r["subject"]) for r in rows if r["level"] != "proposed"}
    proposed = [(r["letter_id"], r["subject"]) for r in rows if r["level"] == "proposed"]
    assert proposed, "the sample's [coding.rules] propose subjects"
    assert not set(proposed) & editor
    assert len(proposed) == len(set(proposed))

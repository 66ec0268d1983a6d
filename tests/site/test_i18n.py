"""The interface speaks the edition's language: catalogues complete, no English label left."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import lxml.html
import pytest

from epistola.render.i18n import (
    LANGUAGES,
    MESSAGES,
    catalogue,
    interface_language,
    localise_date,
    localise_label,
)
from epistola.render.templating import PACKAGE_STATIC, PACKAGE_TEMPLATES

LABELS = "//nav | //h1 | //h2 | //h3 | //h4 | //label | //button | //th | //dt | //caption | //figcaption | //p[@class='total'] | //p[@class='breadcrumb'] | //footer | //title"  # noqa: E501
# the analyses' own texts: the question, what is counted, what is left out, and a chart's
# title, caption, axis and legend titles (its tick and legend labels are the data's values:
# names, the edition's kinds and units, shown as they are, like on the letter pages)
ANALYSIS_TEXTS = "//p[@class='question'] | //p[@class='analysis-description'] | //ul[@class='left-out'] | //svg//g[contains(@class, 'role-title-text') or contains(@class, 'role-title-subtitle') or contains(@class, 'role-axis-title') or contains(@class, 'role-legend-title')]//text"  # noqa: E501
ATTRS = ("aria-label", "placeholder")
_T_CALL = re.compile(r"""\bt\(\s*(?:"([^"]*)"|'([^']*)')\s*\)""")
_M_CALL = re.compile(r"""\bL\("([^"]*)"\)""")


def english() -> dict[str, str]:
    return json.loads(MESSAGES.joinpath("en.json").read_text(encoding="utf-8"))


def code_keys() -> set[str]:
    """Every literal label the templates and scripts ask for, and the code's own labels."""
    from epistola.render.letter_page import KIND_LABELS, NAV_LINKS
    from epistola.render.register_pages import TITLES
    from epistola.web.app import FACETS

    keys = set()
    for f in PACKAGE_TEMPLATES.rglob("*.html"):
        keys |= {a or b for a, b in _T_CALL.findall(f.read_text(encoding="utf-8"))}
    keys |= set(_M_CALL.findall((PACKAGE_STATIC / "search.js").read_text(encoding="utf-8")))
    keys |= set(KIND_LABELS.values()) | {label for _, label in NAV_LINKS} | set(TITLES.values())
    keys |= {title for _, title in FACETS}
    keys |= {
        f"{w} {x}" for w in ("Letters", "Register entries") for x in ("added", "changed", "removed")
    }  # noqa: E501
    keys |= {"Letters by year", "Undated letters", "Changes", "Translation", "Original"}
    return keys


def test_every_catalogue_has_every_key():
    en = english()
    missing = code_keys() - set(en)
    assert not missing, f"labels the code asks for but en.json lacks: {sorted(missing)}"
    assert all(k == v for k, v in en.items())
    for lang in LANGUAGES:
        cat = catalogue(lang)
        assert set(cat) == set(en), (lang, sorted(set(en) ^ set(cat)))
        assert all(v.strip() for v in cat.values()), lang


def test_language_is_the_editions_first_and_can_be_overridden():
    from epistola.model.edition import EditionMeta

    assert interface_language(EditionMeta(languages=["ru", "en"])) == "ru"
    assert interface_language(EditionMeta(languages=["de-AT"])) == "de"
    assert interface_language(EditionMeta(languages=["fr"])) == "en"  # no catalogue: English
    assert interface_language(EditionMeta(languages=["ru"], interface_language="de")) == "de"
    assert interface_language(EditionMeta(), "de") == "de"


def test_dates_and_numbers_per_language():
    assert localise_date("12 Aug. 1931", "de") == "12. Aug. 1931"
    assert localise_date("[before 3 May 1932]?", "ru") == "[до 3 мая 1932]?"
    assert localise_date("Aug. 1932?", "ru") == "авг. 1932?"
    assert localise_date("12 Aug. 1931", "en") == "12 Aug. 1931"
    assert localise_label("1931 No. 12", "de") == "1931 Nr. 12"
    assert localise_label("1931 No. 12", "ru") == "1931 № 12"


def labels_of(page) -> list[str]:
    """The labels of a page (a file, or an lxml document)."""
    doc = page if isinstance(page, lxml.html.HtmlElement) else lxml.html.parse(str(page)).getroot()
    out = []
    for el in doc.xpath(f"{LABELS} | {ANALYSIS_TEXTS}"):
        for el2 in el.iter():
            if el2.tag in ("script", "style") or el2.get("lang") not in (None, doc.get("lang")):
                continue
            out += [s.strip() for s in (el2.text, el2.tail) if s and s.strip()]
    for attr in ATTRS:
        out += [v.strip() for v in doc.xpath(f"//@{attr}")]
    return out


def pages_by_type(site: Path, per_type: int) -> list[Path]:
    """Up to ``per_type`` pages of each folder of the site (a folder is a page type)."""
    groups: dict[str, list[Path]] = defaultdict(list)
    for p in sorted(site.rglob("*.html")):
        groups[p.parent.relative_to(site).as_posix()].append(p)
    return [p for k, ps in groups.items() for p in (ps if k == "." else ps[:per_type])]


_PLACEHOLDER = re.compile(r"\{\w+\}")


def english_matcher(lang: str):
    """A test of one text: is it an English label (a catalogue key whose translation differs),
    a sentence made from an English template (placeholders match anything), or the first
    line of one (a chart's caption is wrapped: a line starting with a template's first 20 or
    more literal characters)?"""
    cat = catalogue(lang)
    # a label whose translation is the English word itself ("Version", "Original") is no slip
    english_only = sorted((k for k, v in cat.items() if v != k), key=len, reverse=True)
    keys = "|".join(".+?".join(re.escape(p) for p in _PLACEHOLDER.split(k)) for k in english_only)
    whole = re.compile(r"^(?:" + keys + r")(?:\s*[(:].*)?$")
    starts = tuple(
        head
        for k in english_only
        if len(head := _PLACEHOLDER.split(k)[0].strip()) >= 20 and head not in cat.values()
    )
    return lambda text: bool(whole.match(text)) or text.startswith(starts)


def english_labels_in(site: Path, lang: str, per_type: int) -> dict[str, list[str]]:
    english = english_matcher(lang)
    found: dict[str, list[str]] = defaultdict(list)
    pages = pages_by_type(site, per_type)
    assert len(pages) > 5
    for p in pages:
        for text in labels_of(p):
            if english(text):
                found[p.relative_to(site).as_posix()].append(text)
    return dict(found)


def test_sample_reading_room_is_russian(sample_site):
    site, _, _ = sample_site
    assert lxml.html.parse(str(site / "index.html")).getroot().get("lang") == "ru"
    analyses = sorted((site / "analyses").glob("*.html"))
    assert len(analyses) > 20  # the analyses' pages are among those looked at
    assert english_labels_in(site, "ru", per_type=1000) == {}
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Именной указатель" in home and "Name index" not in home


@pytest.mark.parametrize("per_type", [60])
def test_schnitzler_reading_room_is_german(schnitzler_site, per_type):
    site, _, _ = schnitzler_site
    assert english_labels_in(site, "de", per_type) == {}
    letters = sorted((site / "letters").glob("*.html"))[:20]
    text = " ".join(p.read_text(encoding="utf-8") for p in letters)
    assert " No. " not in text and "Nr." in text


def test_static_search_speaks_the_language(sample_site):
    site, _, _ = sample_site
    html = (site / "search.html").read_text(encoding="utf-8")
    m = re.search(r"window\.EpistolaMessages = (\{.*?\});", html)
    assert m and json.loads(m.group(1))["Sender"] == "Отправитель"


# -- analyses, the book, the server's error pages -------------------------------------------------
def _analysis_keys(edition) -> set[str]:
    """Every text an analysis shows as a label: titles, questions, column names, the templates
    of its sentences (and the labels given as their values), chart and axis titles."""
    from epistola.analyse import ANALYSES, run
    from epistola.analyse.result import left_out_notes

    keys: set[str] = set()

    def say(x, key=None):
        if isinstance(x, dict):
            for k, v in x.items():
                if k != "name":  # a person's name given as a value is no label
                    say(v, k)
        elif isinstance(x, (list, tuple)):
            for v in x:
                say(v, key)
        elif hasattr(x, "template"):
            keys.add(x.template)
            say(x.values)
        elif isinstance(x, str) and x and (key in ("title", "what", "whose", "coding")):
            keys.add(x)

    for a in ANALYSES.values():
        keys |= {a.title, a.question}
        for view in a.views:
            res = run(edition, a.name, view)  # one edition.facts for all
            keys |= set(res["columns"])
            say({"title": res["title"]})
            say([res["description"], left_out_notes(res["counts"]), res["rows"]])
            say(res.get("chart") or {})
    return keys


def test_every_analysis_text_is_in_every_catalogue(sample_edition):
    from epistola import open_edition

    with open_edition(sample_edition[0]) as ed:
        keys = _analysis_keys(ed)
    assert len(keys) > 150  # titles, questions, columns, sentences, axis titles
    for lang in LANGUAGES:
        cat = catalogue(lang)
        missing = sorted(k for k in keys if k not in cat)
        assert not missing, (lang, missing)
        placeholders = {k: set(re.findall(r"\{(\w+)\}", k)) for k in keys}
        wrong = [k for k in keys if set(re.findall(r"\{(\w+)\}", cat[k])) != placeholders[k]]
        assert not wrong, (lang, wrong)


MONTHS_RU = "янв. февр. март апр. май июнь июль авг. сент. окт. нояб. дек.".split()


def test_analysis_page_says_the_counts_in_russian(sample_site, sample_edition):
    """The description is the Russian sentence with the analysis's own counts in it."""
    from epistola import open_edition
    from epistola.analyse import run

    site, _, _ = sample_site
    with open_edition(sample_edition[0]) as ed:
        res = run(ed, "timeline", "year")
    doc = lxml.html.parse(str(site / "analyses" / "timeline-year.html")).getroot()
    (desc,) = doc.xpath("//p[@class='analysis-description']")
    n = res["counts"]["letters"]
    assert desc.text_content().startswith("Письма по годам;") and f": {n}." in desc.text_content()
    svg_texts = [t.text for t in doc.xpath("//svg//text") if t.text]
    assert "год" in svg_texts and "year" not in svg_texts  # the axis title
    # the months of the year are the interface's (tick labels, in calendar order)
    months = lxml.html.parse(str(site / "analyses" / "timeline-month.html")).getroot()
    ticks = [t.text for t in months.xpath("//svg//g[contains(@class, 'role-axis-label')]//text")]
    assert ticks[:12] == MONTHS_RU, ticks
    headers = [th.text_content() for th in doc.xpath("//th")]
    assert headers == ["год", catalogue("ru")["letters"]]


def test_book_html_speaks_the_editions_language(sample_edition, schnitzler_edition):
    from epistola import open_edition
    from epistola.render.book import book_html

    for (path, _), lang in ((sample_edition, "ru"), (schnitzler_edition, "de")):
        with open_edition(path) as ed:
            html = book_html(ed)
        doc = lxml.html.document_fromstring(html)
        english = english_matcher(lang)
        assert [t for t in labels_of(doc) if english(t)] == []
        # the index's page references: "1931/4 (с. 12)", "L00012 (S. 3)"
        p = catalogue(lang)["p."]
        assert p != "p." and f'content: " ({p}\\a0" target-counter' in html
        assert '" (p.' not in html


def test_server_error_pages_speak_the_editions_language(sample_edition):
    from starlette.testclient import TestClient

    from epistola.web.app import create_app

    with TestClient(create_app(str(sample_edition[0])), raise_server_exceptions=False) as c:
        for url in ("/no-such-page.html", "/letters/NO-SUCH-LETTER.html", "/static/none.css"):
            r = c.get(url)
            assert r.status_code == 404, url
            doc = lxml.html.document_fromstring(r.text)
            assert doc.get("lang") == "ru"
            assert doc.xpath("//h1")[0].text == "Не найдено"
            english = english_matcher("ru")
            assert [t for t in labels_of(doc) if english(t)] == []
            assert "This reading room" not in r.text and "home page" not in r.text

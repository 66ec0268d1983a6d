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

LABELS = "//nav | //h1 | //h2 | //h3 | //h4 | //label | //button | //th | //dt | //caption | //figcaption | //p[@class='total'] | //p[@class='breadcrumb'] | //footer"  # noqa: E501
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


def labels_of(page: Path) -> list[str]:
    doc = lxml.html.parse(str(page)).getroot()
    out = []
    for el in doc.xpath(LABELS):
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


def english_labels_in(site: Path, lang: str, per_type: int) -> dict[str, list[str]]:
    cat = catalogue(lang)
    # a label whose translation is the English word itself ("Version", "Original") is no slip
    english_only = sorted((k for k, v in cat.items() if v != k), key=len, reverse=True)
    pattern = re.compile(
        r"^(?:" + "|".join(re.escape(k) for k in english_only) + r")(?:\s*[(:].*)?$"
    )
    found: dict[str, list[str]] = defaultdict(list)
    pages = pages_by_type(site, per_type)
    assert len(pages) > 5
    for p in pages:
        for text in labels_of(p):
            if pattern.match(text):
                found[p.relative_to(site).as_posix()].append(text)
    return dict(found)


def test_sample_reading_room_is_russian(sample_site):
    site, _, _ = sample_site
    assert lxml.html.parse(str(site / "index.html")).getroot().get("lang") == "ru"
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

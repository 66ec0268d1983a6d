"""Golden files: normalised HTML of a few pages of the sample site, kept in tests/site/golden/
and reviewed in diffs, so that every change to what a reader sees shows up in a commit.

Regenerate after an intended change, then read the diff before committing it:

    EPISTOLA_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/site/test_golden.py

Normalised: one element a line, indented; whitespace folded; the contents of inline SVG
charts and of scripts left out (they have tests of their own), cache-busting hashes
(``?v=...``) and the day of the build in citations blanked.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from lxml import html

GOLDEN = Path(__file__).parent / "golden"
PAGES = {
    "letter": "letters/L1931-08-16.html",
    "person": "persons/p-vetrov.html",
    "year": "years/1931.html",
    "search": "search.html",
    "analyses": "analyses/index.html",
    "analysis": "analyses/priorities-subjects.html",
    "front": "front/preface.html",
}
_HASH = re.compile(r"([?&]v=)[0-9a-f]{6,}")
_BLANK = r"\1…"
_VOID = {"meta", "link", "br", "hr", "img", "input", "wbr", "source", "col", "area"}


_BUILT = re.compile(r"(version \d+) \(\d{4}-\d{2}-\d{2}\)")  # the day of the build


def _text(s: str | None) -> str:
    return _BUILT.sub(r"\1 (…)", " ".join((s or "").split()))


def _attrs(el) -> str:
    return "".join(f' {k}="{_HASH.sub(_BLANK, v)}"' for k, v in el.attrib.items())


def _lines(el, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    if not isinstance(el.tag, str):
        return
    tag = el.tag
    if tag in ("svg", "script", "style"):
        out.append(f"{pad}<{tag}{_attrs(el)}>…</{tag}>")
    elif tag in _VOID:
        out.append(f"{pad}<{tag}{_attrs(el)}>")
    else:
        out.append(f"{pad}<{tag}{_attrs(el)}>")
        if _text(el.text):
            out.append(f"{pad}  {_text(el.text)}")
        for child in el:
            _lines(child, depth + 1, out)
        out.append(f"{pad}</{tag}>")
    if _text(el.tail):
        out.append(f"{pad}{_text(el.tail)}")


def normalise(page: str) -> str:
    root = html.document_fromstring(page)
    out: list[str] = []
    _lines(root, 0, out)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_matches_its_golden_file(sample_site, name):
    site, _, _ = sample_site
    got = normalise((site / PAGES[name]).read_text(encoding="utf-8"))
    golden = GOLDEN / f"{name}.html"
    if os.environ.get("EPISTOLA_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}: run with EPISTOLA_UPDATE_GOLDEN=1"
    want = golden.read_text(encoding="utf-8")
    assert got == want, (
        f"{PAGES[name]} differs from tests/site/golden/{name}.html; if the change is intended, "
        "regenerate with EPISTOLA_UPDATE_GOLDEN=1 and review the diff"
    )


def test_normalise_folds_whitespace_and_hashes():
    a = normalise('<html><body><p>a  <b>b</b>\n c</p><link href="s.css?v=abcdef12"></body></html>')
    assert a == normalise(
        '<html><body><p>a <b>b</b> c</p><link href="s.css?v=00112233"></body></html>'
    )
    assert "<b>\n" in a and "…" in a
    assert normalise("<p>1931 No. 3, version 2 (2026-12-01).</p>") == normalise(
        "<p>1931 No. 3, version 2 (2027-01-31).</p>"
    )

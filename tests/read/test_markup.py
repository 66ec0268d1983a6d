"""The Markdown body syntax of docs/authoring.md -> TEI text markup, case by case."""

from __future__ import annotations

import pytest
from lxml import etree

from epistola.diagnostics import Diagnostics
from epistola.read.authoring import tei_text
from epistola.read.markup import MarkdownText

NS = ' xmlns="http://www.tei-c.org/ns/1.0"'


def body(src: str) -> str:
    _, b = tei_text()
    MarkdownText("x.md", Diagnostics()).convert(src, 1, b)
    return etree.tostring(b, encoding="unicode").replace(NS, "")


@pytest.mark.parametrize(
    "src, tei",
    [
        ("[Kern](person:p-kern)", '<p><persName ref="#p-kern">Kern</persName></p>'),
        ("[Samara](place:pl-s)", '<p><placeName ref="#pl-s">Samara</placeName></p>'),
        ("[CPO](org:o-cpo)", '<p><orgName ref="#o-cpo">CPO</orgName></p>'),
        ("[Notes](work:w-n)", '<p><title ref="#w-n">Notes</title></p>'),
        ("[flood](event:e-f)", '<p><rs type="event" ref="#e-f">flood</rs></p>'),
        ("[ГФО](term:gl-g)", '<p><abbr corresp="#gl-g">ГФО</abbr></p>'),
        ("[Ivanov](person:)", "<p><persName>Ivanov</persName></p>"),
        ("[site](https://example.org)", '<p><ref target="https://example.org">site</ref></p>'),
        ("{--a--}{++b++}", "<p><del>a</del><add>b</add></p>"),
        ("a{pb:3}b", '<p>a<pb n="3"/>b</p>'),
        ("{pb:2}\n\ntext", '<pb n="2"/><p>text</p>'),
        (
            "*i* _j_ **b**",
            '<p><hi rend="italic">i</hi> <hi rend="italic">j</hi> <hi rend="bold">b</hi></p>',
        ),
        (
            "<u>u</u> ~~s~~ ^2^",
            '<p><hi rend="underline">u</hi> '
            '<hi rend="strikethrough">s</hi> <hi rend="sup">2</hi></p>',
        ),
        ("one\ntwo", "<p>one two</p>"),
        ("one\\\ntwo", "<p>one<lb/>two</p>"),
        ("one\n\ntwo", "<p>one</p><p>two</p>"),
        ("# Head", "<head>Head</head>"),
        (r"\*not\*", "<p>*not*</p>"),
        ("::: opener\nPlace, date\nDear X!\n:::", "<opener>Place, date<lb/>Dear X!</opener>"),
        ("::: postscript\nP.S.\n:::", "<postscript><p>P.S.</p></postscript>"),
        ("a[^1]\n\n[^1]: note *n*", '<p>a<note>note <hi rend="italic">n</hi></note></p>'),
        (
            "[**[K](person:p-k)**](place:pl-x)",
            '<p><placeName ref="#pl-x"><hi rend="bold"><persName ref="#p-k">K</persName></hi>'
            "</placeName></p>",
        ),
    ],
)
def test_syntax(src, tei):
    assert body(src) == f"<body>{tei}</body>"


def test_translation_section_and_lines():
    _, b = tei_text()
    MarkdownText("x.md", Diagnostics()).convert(
        "Text.\n\n::: translation en\nText [A](person:p-a).\n:::", 5, b
    )
    div = b.find("{*}div")
    assert div.get("type") == "translation"
    assert div.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert div.find(".//{*}persName").sourceline == 8  # the Markdown line of the mark

"""The node-tree renderer: behaviours per kind, escaping, and rules a project can change."""

from epistola.render.html import RULES, HtmlRenderer


def render(nodes, **kw):
    return HtmlRenderer(**kw).render(nodes)


def test_text_and_attributes_are_escaped():
    html = render(
        [
            {"t": "p", "c": ["<script>alert(1)</script> & more"]},
            {"t": "hi", "rend": 'x" onclick="evil()', "c": ["hi"]},
            {"t": "foreign", "lang": 'de" onmouseover="x', "c": ["Wort"]},
        ]
    )
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert 'onclick="' not in html and 'onmouseover="' not in html


def test_names_link_to_register_entries_or_stay_text():
    def entry_url(kind, ref):
        return ("../persons/p1.html", "Ivanov, Ivan") if ref == "p1" else None

    html = render(
        [{"t": "name", "kind": "person", "ref": "p1", "c": ["Iwanow"]},
         {"t": "name", "kind": "person", "ref": "p-unknown", "c": ["Petrov"]}],
        entry_url=entry_url,
    )  # fmt: skip
    assert (
        '<a class="name kind-person" href="../persons/p1.html" title="Ivanov, Ivan">Iwanow</a>'
        in html
    )
    assert '<span class="name kind-person">Petrov</span>' in html


def test_abbreviation_has_its_expansion_and_glossary_link():
    html = render(
        [{"t": "abbr", "c": ["ЦК"], "gloss": None}],
        term_url=lambda text, gloss: (
            ("../glossary.html#gl-ck", "Центральный комитет") if text == "ЦК" else None
        ),
    )
    assert html == (
        '<a class="term" href="../glossary.html#gl-ck">'
        '<abbr class="abbr" title="Центральный комитет">ЦК</abbr></a>'
    )
    # without a glossary entry the <abbr> is still focusable, so the expansion shows on focus
    html = render([{"t": "abbr", "expan": "und so weiter", "c": ["usw."]}])
    assert html == '<abbr class="abbr" title="und so weiter" tabindex="0">usw.</abbr>'


def test_notes_are_numbered_links_with_back_anchors():
    html = render([{"t": "p", "c": ["Text", {"t": "note", "n": 2}]}])
    assert '<sup class="note-ref" id="nref2"><a href="#n2"' in html
    assert ">2</a></sup>" in html


def test_editorial_marks():
    html = render(
        [{"t": "sic", "corr": "Brief", "c": ["Breif"]}, {"t": "gap", "reason": "illegible"},
         {"t": "pb", "n": "2"}, {"t": "lb"}, {"t": "del", "c": ["x"]}, {"t": "add", "c": ["y"]},
         {"t": "ref", "target": "https://example.org/a?b=1&c=2", "c": ["link"]},
         {"t": "ref", "target": "javascript:alert(1)", "c": ["bad"]}]
    )  # fmt: skip
    assert '<span class="sic" title="recte: Brief">Breif</span>' in html
    assert '<span class="gap" title="illegible">[…]</span>' in html
    assert '<span class="pb" role="separator">[2]</span><br>' in html
    assert '<del class="del">x</del><ins class="add">y</ins>' in html
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
    assert "javascript:" not in html


def test_rules_are_data_a_project_can_change():
    assert RULES["p"] == ("block", "p")
    html = render([{"t": "p", "c": ["x"]}, {"t": "del", "c": ["gone"]}],
                  rules={"p": ("block", "div"), "del": ("omit", "")})  # fmt: skip
    assert html == '<div class="p">x</div>'

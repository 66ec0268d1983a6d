"""Charts and pages of the Analyses section: rendered to SVG, saved in test-output/ to look at."""

from __future__ import annotations

import re

import jinja2
from lxml import etree

from epistola.analyse import ANALYSES
from epistola.analyse.pages import analysis_pages

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    """Every text element's text, and each line (tspan) of multi-line ones."""
    root = etree.fromstring(svg.encode())
    out = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    return out + [t.text for t in root.iter(f"{SVG}tspan") if t.text]


def test_sample_pages_have_charts_with_cyrillic_labels(sample, output_dir):
    pages = analysis_pages(sample)
    out = output_dir / "analyses"
    out.mkdir(exist_ok=True)
    slugs = [p["slug"] for p in pages]
    # every analysis shows something on the sample edition
    assert {p["analysis"] for p in pages} == set(ANALYSES)
    assert "quantities-roundness" in slugs and "persons-stance" in slugs
    for p in pages:
        (out / f"{p['slug']}.svg").write_text(p["svg"], encoding="utf-8")
        (out / f"{p['slug']}.csv").write_text(p["csv"], encoding="utf-8")
        assert p["csv"].splitlines()[0] == ",".join(p["columns"])
        assert len(p["csv"].splitlines()) == len(p["rows"]) + 1 or "\n" in "".join(
            str(v) for r in p["rows"] for v in r.values()
        )
        if p["chart"] is None:
            continue
        texts = _texts(p["svg"])
        # the chart says what it counts: its title and the start of its caption are SVG text
        assert p["chart"]["title"]["text"] in texts
        assert any(t and p["description"].startswith(t) for t in texts), p["slug"]
    # names are Cyrillic in the registers, and stay readable text in the SVG
    for slug, name in (
        ("priorities-writers", "Арсений Григорьевич Ветров"),
        ("network-letters", "Матвей Ильич Лазутин"),
        ("persons-stance", "Пётр Семёнович Седых"),
    ):
        page = next(p for p in pages if p["slug"] == slug)
        assert name in _texts(page["svg"]), slug
    assert not any(re.search(r"\\u04[0-9a-f]{2}", p["svg"]) for p in pages)  # no escaped Cyrillic


def test_pages_render_with_the_reading_room_templates(sample, output_dir):
    from pathlib import Path

    import epistola

    templates = Path(epistola.__file__).parent / "render" / "templates"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), autoescape=True)
    pages = analysis_pages(sample, charts=False)
    ctx = {
        "root": "../",
        "lang": "en",
        "t": lambda s: s,
        "edition": sample.meta,
        "has": {"analyses": True},
    }
    index = env.get_template("analyses/index.html").render(pages=pages, **ctx)
    page = next(p for p in pages if p["slug"] == "quantities-roundness")
    html = env.get_template("analyses/analysis.html").render(page=page, pages=pages, **ctx)
    out = output_dir / "analyses"
    out.mkdir(exist_ok=True)
    (out / "index.html").write_text(index, encoding="utf-8")
    (out / "quantities-roundness.html").write_text(html, encoding="utf-8")
    for p in pages:
        assert f'href="{p["slug"]}.html"' in index
        assert f'href="{p["slug"]}.csv"' in index
    doc = etree.fromstring(html, etree.HTMLParser())
    cells = [[td.text for td in tr.iter("td")] for tr in doc.iter("tr")][1:]
    assert [c[0] for c in cells] == ["proposed", "decided"]
    assert doc.find(".//a[@download]").get("href") == "quantities-roundness.csv"
    assert any("left out" in (li.text or "") for li in doc.iter("li"))


def test_schnitzler_timeline_chart(schnitzler, output_dir):
    from epistola.analyse import run
    from epistola.analyse.charts import svg

    res = run(schnitzler, "timeline", "calendar")
    text = svg(res["chart"])
    (output_dir / "analyses").mkdir(exist_ok=True)
    (output_dir / "analyses" / "schnitzler-timeline-calendar.svg").write_text(
        text, encoding="utf-8"
    )
    texts = _texts(text)
    assert "1885" in texts and "1931" in texts and "Jan" in texts

"""Maps drawn at build time: they work from file:// with the network off, and their dots are the
register's coordinates."""

from __future__ import annotations

from lxml import etree

from ..conftest import SAMPLE
from .test_browser import _offline_page

T = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def register_coordinates() -> dict[str, tuple[float, float]]:
    """Place id -> (lat, lon) as the sample's TEI register gives them (<geo>lat lon</geo>)."""
    out = {}
    for place in etree.parse(str(SAMPLE / "registers" / "places.xml")).iter(f"{T}place"):
        geo = place.find(f".//{T}geo")
        if geo is not None and geo.text:
            # decimal commas occur in the register (<geo>64,54 40,52</geo>)
            lat, lon = (float(x.replace(",", ".")) for x in geo.text.split())
            out[place.get(XML_ID)] = (lat, lon)
    return out


def dots(page) -> list[dict]:
    return page.eval_on_selector_all(
        "svg.map circle.place",
        "cs => cs.map(c => ({id: c.dataset.id, lat: +c.dataset.lat, lon: +c.dataset.lon,"
        " x: +c.getAttribute('cx'), y: +c.getAttribute('cy'), here: c.classList.contains('here')}))",
    )


def test_place_and_person_maps_offline(browser, sample_site, output_dir):
    site, _, _ = sample_site
    coords = register_coordinates()
    assert len(coords) >= 3
    ctx, page, blocked = _offline_page(browser)
    try:
        checked = 0
        for pid, (lat, lon) in coords.items():
            f = site / "places" / f"{pid}.html"
            if not f.exists():
                continue
            page.goto(f.as_uri())
            found = dots(page)
            here = [d for d in found if d["here"]]
            assert [(d["id"], d["lat"], d["lon"]) for d in here] == [(pid, lat, lon)]
            for d in found:  # every dot is a register place at its coordinates
                assert (d["lat"], d["lon"]) == coords[d["id"]]
            checked += 1
        assert checked >= 3
        page.screenshot(path=output_dir / "site-sample-place-map.png")

        # a person's map: dots where the letters were written and received, west to east and
        # north to south as the coordinates say
        page.goto((site / "persons" / "p-vetrov.html").as_uri())
        found = dots(page)
        assert len(found) >= 2
        for a in found:
            assert (a["lat"], a["lon"]) == coords[a["id"]]
            for b in found:
                if a["lon"] < b["lon"]:
                    assert a["x"] < b["x"]
                if a["lat"] > b["lat"]:
                    assert a["y"] < b["y"]
        assert page.locator("svg.map line.route").count() >= 1

        # routes by year: one map per year with routes
        page.goto((site / "map.html").as_uri())
        assert page.locator("section.map-year svg.map").count() >= 1
        for d in dots(page):
            assert (d["lat"], d["lon"]) == coords[d["id"]]
        page.screenshot(path=output_dir / "site-sample-routes.png", full_page=True)
        assert blocked == []
    finally:
        ctx.close()

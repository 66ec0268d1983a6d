"""The formats harvesters read, each checked against its specification and the sources:
BEACON, IIIF Presentation 3, W3C Web Annotations, OAI-PMH (server and static repository),
sitemap.xml and schema.org JSON-LD."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as StdET

import pytest
from lxml import etree
from PIL import Image

from epistola import ingest, load_project, open_edition
from epistola.export import export

from ..conftest import SAMPLE, SCHNITZLER, need

TEI = {"t": "http://www.tei-c.org/ns/1.0"}
OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"


# -- BEACON ---------------------------------------------------------------------------------
@pytest.mark.corpora
def test_beacon_lists_gnd_persons_with_counts_bounded_by_the_tei(schnitzler_edition, tmp_path):
    src = need(SCHNITZLER)
    with open_edition(schnitzler_edition[0]) as ed:
        (path,) = export(ed, "beacon", tmp_path)
    lines = path.read_text().splitlines()
    assert lines[0] == "#FORMAT: BEACON"
    assert "#PREFIX: http://d-nb.info/gnd/" in lines
    rows = [line.split("|") for line in lines if not line.startswith("#")]
    assert all(len(r) == 3 and re.fullmatch(r"[0-9X-]+", r[0]) for r in rows)
    # every GND number is a person's GND id in the TEI (the person register, or a letter's
    # <back> for the persons the register lacks), linked to that person's page
    gnd_of = {}
    files = [src / "indices" / "listperson.xml", *sorted((src / "editions").glob("L*.xml"))]
    for f in files:
        for idno in etree.parse(str(f)).iterfind(".//t:person/t:idno[@subtype='gnd']", TEI):
            pid = idno.getparent().get("{http://www.w3.org/XML/1998/namespace}id")
            gnd_of.setdefault(pid, idno.text.strip().rstrip("/"))
    by_page = {r[2]: r for r in rows}
    assert len(by_page) == len(rows) > 1000
    for number, _count, page in rows:
        pid = page.removeprefix("persons/").removesuffix(".html")
        assert gnd_of.get(pid, "").endswith("/" + number), (pid, number)
    # counts: at least the letters whose correspDesc names the person, at most the letters
    # whose file names the person anywhere
    texts = {f.name: f.read_text(encoding="utf-8") for f in (src / "editions").glob("L*.xml")}
    checked = 0
    for _number, count, page in rows[:: max(1, len(rows) // 25)]:
        pid = page.removeprefix("persons/").removesuffix(".html")
        anywhere = re.compile(rf"#?{pid}(?![0-9])")
        in_corresp = sum(
            1
            for t in texts.values()
            if anywhere.search(t[t.find("<correspDesc") : t.find("</correspDesc>")])
        )
        mentioned = sum(1 for t in texts.values() if anywhere.search(t))
        assert in_corresp <= int(count) <= mentioned, (pid, in_corresp, count, mentioned)
        checked += 1
    assert checked >= 20


# -- IIIF -----------------------------------------------------------------------------------
SCHNITZLER_FILES = ("L00010.xml", "L01000.xml", "L02000.xml")
IIIF_BASE = "https://iiif.example.org/images/schnitzler/"


@pytest.fixture(scope="module")
def iiif_project(tmp_path_factory):
    src = need(SCHNITZLER) / "editions"
    root = tmp_path_factory.mktemp("iiif")
    paths = ", ".join(f'"{src / f}"' for f in SCHNITZLER_FILES)
    (root / "epistola.toml").write_text(
        f'[edition]\ntitle = "Three letters"\nbase_url = "https://example.org/ed/"\n'
        f'iiif_image_base = "{IIIF_BASE}"\n\n[sources]\npaths = [{paths}]\n',
        encoding="utf-8",
    )
    target = root / "ed.sqlite"
    ingest(load_project(root), target)
    return root, target


@pytest.mark.corpora
def test_iiif_manifests_are_presentation_3_with_the_graphics_of_the_tei(iiif_project, tmp_path):
    from iiif_prezi3 import Manifest

    _root, target = iiif_project
    with open_edition(target) as ed:
        files = export(ed, "iiif", tmp_path / "iiif")
    by_name = {f.name: f for f in files}
    for name in SCHNITZLER_FILES:
        tei = etree.parse(str(need(SCHNITZLER) / "editions" / name))
        graphics = [g.get("url") for g in tei.iterfind(".//t:facsimile//t:graphic", TEI)]
        data = json.loads(by_name[name.replace(".xml", ".json")].read_text())
        Manifest(**data)  # the IIIF Presentation 3 model accepts it
        assert data["id"] == f"https://example.org/ed/data/iiif/{name.replace('.xml', '.json')}"
        services = [c["items"][0]["items"][0]["body"]["service"][0]["id"] for c in data["items"]]
        assert services == [IIIF_BASE + g for g in graphics]
    collection = json.loads(by_name["collection.json"].read_text())
    assert len(collection["items"]) == len(SCHNITZLER_FILES)


@pytest.mark.corpora
def test_letter_pages_show_facsimiles_from_the_iiif_image_base(iiif_project, tmp_path):
    from epistola.site import build_site

    _root, target = iiif_project
    build_site(target, tmp_path / "site")
    html = (tmp_path / "site" / "letters" / "L02000.html").read_text()
    tei = etree.parse(str(need(SCHNITZLER) / "editions" / "L02000.xml"))
    for g in tei.iterfind(".//t:facsimile//t:graphic", TEI):
        assert f'src="{IIIF_BASE}{g.get("url")}/full/800,/0/default.jpg"' in html


def test_iiif_needs_an_absolute_base(sample_edition, tmp_path):
    from epistola.errors import EpistolaError

    with open_edition(sample_edition[0]) as ed, pytest.raises(EpistolaError) as e:
        export(ed, "iiif", tmp_path / "iiif")
    assert "base_url" in e.value.hint


def test_iiif_manifest_of_bundled_images_has_their_pixel_size(sample_edition, tmp_path):
    from iiif_prezi3 import Manifest

    with open_edition(sample_edition[0]) as ed:
        files = export(ed, "iiif", tmp_path / "iiif", base_url="https://example.org/sample/")
    data = json.loads((tmp_path / "iiif" / "L1931-08-16.json").read_text())
    Manifest(**data)
    (canvas,) = data["items"]
    with Image.open(SAMPLE / "images" / "facs-1931-08-16.png") as im:
        assert (canvas["width"], canvas["height"]) == im.size
    body = canvas["items"][0]["items"][0]["body"]
    assert body["id"] == "https://example.org/sample/facsimiles/facs-1931-08-16.png"
    assert len(files) == 1 + len(list(SAMPLE.glob("images/facs-*.png")))


# -- Web Annotations ------------------------------------------------------------------------
def test_notes_as_web_annotations(sample_edition, tmp_path):
    with open_edition(sample_edition[0]) as ed:
        (path,) = export(ed, "webannotation", tmp_path / "notes.jsonld")
    doc = json.loads(path.read_text())
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection"
    items = doc["first"]["items"]
    # every editorial note in the letters' text, read from the TEI
    expected = 0
    texts = set()
    for f in (SAMPLE / "letters").rglob("*.xml"):
        for n in etree.parse(str(f)).xpath("//t:text//t:note", namespaces=TEI):
            expected += 1
            texts.add(" ".join("".join(n.itertext()).split()))
    assert doc["total"] == len(items) == expected
    for a in items:
        assert a["type"] == "Annotation" and a["motivation"] == "commenting"
        body = a["body"][0] if isinstance(a["body"], list) else a["body"]
        assert body["type"] == "TextualBody" and body["purpose"] == "commenting"
        assert " ".join(body["value"].split()) in texts
        sel = a["target"]["selector"]
        assert sel["type"] == "FragmentSelector" and re.fullmatch(r"nref\d+", sel["value"])
        assert a["target"]["source"].startswith("letters/")


# -- OAI-PMH --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def oai_client(sample_edition):
    from starlette.testclient import TestClient

    from epistola.web.app import create_app

    with TestClient(create_app(sample_edition[0])) as client:
        yield client


def _oai(client, **params):
    r = client.get("/oai", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/xml")
    return StdET.fromstring(r.content)


def _error_code(root):
    err = root.find(f"{OAI}error")
    return err.get("code") if err is not None else None


def test_oai_pmh_identify_formats_and_records(oai_client, sample_edition):
    root = _oai(oai_client, verb="Identify")
    ident = root.find(f"{OAI}Identify")
    assert ident.findtext(f"{OAI}protocolVersion") == "2.0"
    assert ident.findtext(f"{OAI}granularity") == "YYYY-MM-DD"
    root = _oai(oai_client, verb="ListMetadataFormats")
    assert root.findtext(f".//{OAI}metadataPrefix") == "oai_dc"
    root = _oai(oai_client, verb="ListRecords", metadataPrefix="oai_dc")
    records = root.findall(f".//{OAI}record")
    letters = sorted((SAMPLE / "letters").rglob("*.xml"))
    assert len(records) == len(letters)  # 47 letters: one page, no resumption token
    ids = {r.findtext(f"{OAI}header/{OAI}identifier").rsplit(":", 1)[1] for r in records}
    assert ids == {f.stem for f in letters}
    one = next(r for r in records if r.findtext(f".//{OAI}identifier").endswith("L1931-06-14"))
    tei = etree.parse(str(SAMPLE / "letters" / "1931" / "L1931-06-14.xml"))
    when = tei.find(".//t:correspAction[@type='sent']/t:date", TEI).get("when")
    assert one.findtext(f".//{DC}date") == when
    identifier = one.findtext(f"{OAI}header/{OAI}identifier")
    got = _oai(oai_client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert got.findtext(f".//{DC}title") == one.findtext(f".//{DC}title")


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Sing"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc"}, "cannotDisseminateFormat"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "x"}, "noSetHierarchy"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "3000-01-01"}, "noRecordsMatch"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "1931"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "junk"}, "badResumptionToken"),
        ({"verb": "GetRecord", "identifier": "oai:x:nothing", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListSets"}, "noSetHierarchy"),
    ],
)  # fmt: skip
def test_oai_pmh_errors(oai_client, params, code):
    assert _error_code(_oai(oai_client, **params)) == code


def test_oai_pmh_repeated_argument_is_bad(oai_client):
    r = oai_client.get("/oai?verb=Identify&verb=Identify")
    assert _error_code(StdET.fromstring(r.content)) == "badArgument"


@pytest.mark.corpora
def test_oai_pmh_resumption_walks_every_schnitzler_letter(schnitzler_edition):
    from epistola.export.oai import PAGE, Repository

    with open_edition(schnitzler_edition[0]) as ed:
        repo = Repository(ed)
        seen, token, pages = [], None, 0
        while True:
            params = {"verb": "ListIdentifiers"}
            params.update({"resumptionToken": token} if token else {"metadataPrefix": "oai_dc"})
            root = StdET.fromstring(repo.respond(params)[1])
            assert _error_code(root) is None
            seen += [h.findtext(f"{OAI}identifier") for h in root.iter(f"{OAI}header")]
            tok = root.find(f".//{OAI}resumptionToken")
            pages += 1
            if tok is None or not tok.text:
                assert tok is None or tok.get("completeListSize") == str(len(seen))
                break
            token = tok.text
    files = list((need(SCHNITZLER) / "editions").glob("L*.xml"))
    assert len(seen) == len(set(seen)) == len(files)
    assert pages == -(-len(files) // PAGE)


def test_static_repository_has_every_letter(sample_edition, tmp_path):
    with open_edition(sample_edition[0]) as ed:
        (path,) = export(ed, "oai", tmp_path)
    root = StdET.parse(path).getroot()
    assert root.tag == "{http://www.openarchives.org/OAI/2.0/static-repository}Repository"
    s = "{http://www.openarchives.org/OAI/2.0/static-repository}"
    assert [c.tag for c in root] == [f"{s}Identify", f"{s}ListMetadataFormats", f"{s}ListRecords"]
    assert root.find(f"{s}Identify/{OAI}repositoryName").text
    n = len(list((SAMPLE / "letters").rglob("*.xml")))
    assert len(root.findall(f"{s}ListRecords/{OAI}record")) == n


# -- sitemap and JSON-LD --------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_site(sample_edition, tmp_path_factory):
    from epistola.site import build_site

    out = tmp_path_factory.mktemp("harvest-site")
    build_site(sample_edition[0], out)
    return out


def test_sitemap_lists_every_page_of_the_site(sample_site):
    root = StdET.parse(sample_site / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = {u.findtext(f"{ns}loc") for u in root.iter(f"{ns}url")}
    pages = {p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*.html")}
    assert locs == pages
    assert "letters/L1931-06-14.html" in locs and "analyses/index.html" in locs


def _jsonld(html: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def test_json_ld_on_letter_person_and_place_pages(sample_site):
    tei = etree.parse(str(SAMPLE / "letters" / "1931" / "L1931-06-14.xml"))
    letter = _jsonld((sample_site / "letters" / "L1931-06-14.html").read_text())
    assert letter["@type"] == "Message"
    sent = tei.find(".//t:correspAction[@type='sent']", TEI)
    assert letter["dateSent"] == sent.find("t:date", TEI).get("when")
    ref = sent.find("t:persName", TEI).get("ref").lstrip("#")
    assert letter["sender"][0]["url"] == f"persons/{ref}.html"
    persons = etree.parse(str(SAMPLE / "registers" / "persons.xml"))
    p = persons.find(
        f".//t:person[@xml:id='{ref}']", {**TEI, "xml": "http://www.w3.org/XML/1998/namespace"}
    )
    person = _jsonld((sample_site / "persons" / f"{ref}.html").read_text())
    assert person["@type"] == "Person"
    assert person["birthDate"] == p.find("t:birth", TEI).get("when")
    places = etree.parse(str(SAMPLE / "registers" / "places.xml"))
    pl = places.xpath("//t:place[t:location/t:geo]", namespaces=TEI)[0]
    pid = pl.get("{http://www.w3.org/XML/1998/namespace}id")
    place = _jsonld((sample_site / "places" / f"{pid}.html").read_text())
    lat, lon = (float(x) for x in pl.find(".//t:geo", TEI).text.replace(",", ".").split())
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}

"""CMIF export against the official schema: RELAX NG and Schematron, on every real edition."""

from __future__ import annotations

import copy

import pytest
from lxml import etree

from epistola import ingest, open_edition
from epistola.export import export

from ..conftest import AUDEN, CORPORA, need
from . import schematron

SCHEMA = CORPORA / "cmif" / "TEI-Correspondence-SIG-CMIF" / "schema"
T = "{http://www.tei-c.org/ns/1.0}"


def _validate(path):
    schema = need(SCHEMA)
    rng = etree.RelaxNG(file=str(schema / "cmi-customization.rng"))
    doc = etree.parse(str(path))
    ok = rng.validate(doc)
    errors = [f"{e.line}: {e.message}" for e in list(rng.error_log)[:10]]
    failures = [f for f in schematron.check(schema / "cmif.sch", doc) if f.role == "error"]
    warnings = [f for f in schematron.check(schema / "cmif.sch", doc) if f.role != "error"]
    return doc, ok, errors, failures, warnings


def _export(edition_path, tmp_path):
    out = tmp_path / "cmif.xml"
    with open_edition(edition_path) as ed:
        export(ed, "cmif", out)
        n = ed.counts()["letters"]
    return out, n


@pytest.mark.corpora
@pytest.mark.parametrize("which", ["sample", "schnitzler"])
def test_cmif_export_is_valid(which, request, tmp_path):
    edition = request.getfixturevalue(f"{which}_edition")[0]
    out, n = _export(edition, tmp_path)
    doc, ok, errors, failures, warnings = _validate(out)
    assert ok, errors
    assert failures == []
    assert warnings == []  # the bibl carries a UUID, as W0001 recommends
    assert len(doc.findall(f".//{T}correspDesc")) == n


@pytest.mark.corpora
def test_cmif_export_of_auden_is_valid(tmp_path):
    target = tmp_path / "auden.sqlite"
    ingest([need(AUDEN)], target)
    out, n = _export(target, tmp_path)
    _doc, ok, errors, failures, _ = _validate(out)
    assert ok, errors
    assert failures == []


def test_the_schematron_runner_reports_broken_cmif(sample_edition, tmp_path):
    """The rules really run: a letter without a received action and a dangling source fail."""
    out, _ = _export(sample_edition[0], tmp_path)
    doc = etree.parse(str(out))
    cd = doc.find(f".//{T}correspDesc")
    broken = copy.deepcopy(doc)
    bcd = broken.find(f".//{T}correspDesc")
    bcd.remove(bcd.find(f"{T}correspAction[@type='received']"))
    bcd.set("source", "#nowhere")
    failures = schematron.check(need(SCHEMA) / "cmif.sch", broken)
    codes = sorted(f.message.split("]")[0].lstrip("[") for f in failures)
    assert codes == ["E0002", "E0003"]
    assert cd is not None

"""`epistola stats`: tables, JSON, CSV, and the network as GEXF and GraphML."""

from __future__ import annotations

import csv
import io
import json

from lxml import etree
from typer.testing import CliRunner

from epistola.cli import app

runner = CliRunner()


def test_stats_json_and_csv(sample_edition):
    path = str(sample_edition[0])
    res = runner.invoke(app, ["stats", path, "timeline", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["name"] == "timeline" and data["view"] == "year"
    assert {r["year"]: r["letters"] for r in data["rows"]} == {1931: 15, 1932: 17, 1933: 14}
    assert data["counts"]["left_out_undated"] == 1
    res = runner.invoke(app, ["stats", path, "quantities", "--view", "roundness", "--csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["status"] for r in rows] == ["proposed", "decided"]
    res = runner.invoke(app, ["stats", path, "replies"])
    assert res.exit_code == 0
    assert "Reply times by medium" in res.stdout and "ciphered" in res.stdout


def test_stats_errors_say_how_to_fix(sample_edition):
    res = runner.invoke(app, ["stats", str(sample_edition[0]), "weather"])
    assert res.exit_code == 2
    assert "no analysis named 'weather'" in res.output and "timeline" in res.output
    res = runner.invoke(app, ["stats", str(sample_edition[0]), "timeline", "--view", "weekly"])
    assert res.exit_code == 2
    assert "calendar" in res.output


def test_network_exports_for_gephi(sample_edition, tmp_path):
    path = str(sample_edition[0])
    gexf, graphml = tmp_path / "letters.gexf", tmp_path / "letters.graphml"
    res = runner.invoke(
        app, ["stats", path, "network", "--csv", "--gexf", str(gexf), "--graphml", str(graphml)]
    )
    assert res.exit_code == 0, res.output
    table = list(csv.DictReader(io.StringIO(res.stdout)))
    weights = {(r["source"], r["target"]): int(r["letters"]) for r in table}
    g = etree.parse(str(gexf)).getroot()
    ns = {"g": g.nsmap[None]}
    edges = g.findall(".//g:edge", ns)
    assert len(edges) == len(table)
    lazutin_vetrov = next(
        e for e in edges if (e.get("source"), e.get("target")) == ("p-lazutin", "p-vetrov")
    )
    assert float(lazutin_vetrov.get("weight")) == weights[("p-lazutin", "p-vetrov")]
    labels = {n.get("id"): n.get("label") for n in g.findall(".//g:node", ns)}
    assert labels["p-vetrov"] == "Арсений Григорьевич Ветров"
    gm = etree.parse(str(graphml)).getroot()
    assert len(gm.findall(".//{http://graphml.graphdrawing.org/xmlns}edge")) == len(table)

"""Networks: who wrote to whom (directed, weighted by letters) and who is named together.

Correspondence graph: an edge sender -> addressee for every pair of a letter's senders and
addressees that are register persons or organisations; its weight is the number of letters.
Parties not in the registers are left out (and counted). Co-mention graph: an undirected edge
between two persons named in the text of one letter, weighted by the letters naming both.
Centralities (networkx): weighted degrees, betweenness (distance = 1/weight) and eigenvector
centrality ("rank", on the undirected weighted graph; scaled per connected component by its share
of the nodes, so a small separate group does not outrank the main one).
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from ..facts import EditionFacts
from . import charts
from .result import COUNTED_MENTION, Msg, result

SAMPLE = 200  # betweenness is exact up to this many nodes


def letter_edges(facts: EditionFacts) -> tuple[Counter, dict]:
    edges = Counter()
    unknown = 0
    considered = 0
    for r in facts.letters.values():
        sent, recv = facts.senders(r["id"]), facts.addressees(r["id"])
        if None in sent or None in recv or not sent or not recv:
            unknown += 1
        pairs = {(s, a) for s in sent for a in recv if s and a and s != a}
        if pairs:
            considered += 1
        edges.update(pairs)
    counts = {"letters": considered, "left_out_unknown_party": unknown}
    return edges, counts


def mention_edges(facts: EditionFacts, min_letters: int = 1) -> tuple[Counter, dict]:
    per_letter: dict[str, set] = {}
    for m in facts.store.execute(
        "SELECT m.letter_id, m.entry_id FROM letter_mentions m JOIN entries e ON e.id = m.entry_id "
        "WHERE e.kind = 'person' AND " + COUNTED_MENTION
    ):
        per_letter.setdefault(m["letter_id"], set()).add(m["entry_id"])
    edges = Counter()
    for people in per_letter.values():
        edges.update(combinations(sorted(people), 2))
    if min_letters > 1:
        edges = Counter({k: v for k, v in edges.items() if v >= min_letters})
    with_two = sum(1 for p in per_letter.values() if len(p) > 1)
    counts = {"letters": with_two, "left_out_uncoded": len(facts.letters) - with_two}
    return edges, counts


def graph(facts: EditionFacts, kind: str = "letters", min_letters: int = 1):
    """The networkx graph: DiGraph of letters, or Graph of co-mentions; nodes carry 'label'."""
    import networkx as nx

    if kind == "letters":
        edges, _ = letter_edges(facts)
        g = nx.DiGraph()
    else:
        edges, _ = mention_edges(facts, min_letters)
        g = nx.Graph()
    for (a, b), w in edges.items():
        g.add_edge(a, b, weight=w, letters=w)
    for n in g.nodes:
        g.nodes[n]["label"] = facts.name(n) or n
        g.nodes[n]["kind"] = facts.kinds.get(n, "unknown")
    return g


def letters(facts: EditionFacts, top: int = 20, **_) -> dict:
    edges, counts = letter_edges(facts)
    rows = [
        {
            "source": a,
            "source_name": facts.name(a),
            "target": b,
            "target_name": facts.name(b),
            "letters": w,
        }
        for (a, b), w in sorted(edges.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    desc = Msg(
        "Who wrote to whom: {edges} directed edges sender → addressee weighted by letters, over "
        "the {n} letters between register persons or organisations; {unknown} letters have a "
        "party not in the registers (not counted).",
        edges=len(rows),
        n=counts["letters"],
        unknown=counts["left_out_unknown_party"],
    )
    keep = _busiest(edges, top)
    chart_rows = [
        {"from": r["source_name"], "to": r["target_name"], "letters": r["letters"]}
        for r in rows
        if r["source"] in keep and r["target"] in keep
    ]
    chart = _matrix(
        facts,
        chart_rows,
        keep,
        x="to",
        y="from",
        title=Msg("Who wrote to whom (the {n} busiest correspondents)", n=len(keep)),
        subtitle=desc,
        x_title="addressee",
        y_title="sender",
    )
    cols = ["source", "source_name", "target", "target_name", "letters"]
    return result("network", "letters", "Correspondence network", desc, cols, rows, counts, chart)


def comentions(facts: EditionFacts, min_letters: int = 1, top: int = 20, **_) -> dict:
    edges, counts = mention_edges(facts, int(min_letters))
    rows = [
        {"a": a, "a_name": facts.name(a), "b": b, "b_name": facts.name(b), "letters": w}
        for (a, b), w in sorted(edges.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    desc = Msg(
        "Persons named together in the text of a letter: {pairs} pairs weighted by letters"
        "{least}, over the {n} letters naming two or more register persons; {uncoded} letters "
        "naming fewer are left out.",
        pairs=len(rows),
        least=Msg(" (at least {n})", n=int(min_letters)) if int(min_letters) > 1 else "",
        n=counts["letters"],
        uncoded=counts["left_out_uncoded"],
    )
    keep = _busiest(edges, top)
    chart_rows = []
    for r in rows:
        if r["a"] in keep and r["b"] in keep:
            chart_rows.append({"x": r["a_name"], "y": r["b_name"], "letters": r["letters"]})
            chart_rows.append({"x": r["b_name"], "y": r["a_name"], "letters": r["letters"]})
    chart = _matrix(
        facts,
        chart_rows,
        keep,
        x="x",
        y="y",
        title=Msg("Named together (the {n} most connected persons)", n=len(keep)),
        subtitle=desc,
        x_title="person",
        y_title="person",
    )
    cols = ["a", "a_name", "b", "b_name", "letters"]
    return result("network", "comentions", "Co-mention network", desc, cols, rows, counts, chart)


def _busiest(edges: Counter, top: int) -> list[str]:
    """The ``top`` parties with the most letters on their edges, busiest first."""
    weight: Counter = Counter()
    for (a, b), w in edges.items():
        weight[a] += w
        weight[b] += w
    return [p for p, _ in weight.most_common(top)]


def _matrix(facts: EditionFacts, rows: list[dict], keep: list[str], **labels) -> dict:
    """A heatmap of letters between the parties ``keep``, both axes in their order."""
    names = [facts.name(p) for p in keep]
    return charts.heatmap(rows, value="letters", x_sort=names, y_sort=names, **labels)


def centrality(facts: EditionFacts, kind: str = "letters", min_letters: int = 1, **_) -> dict:
    import networkx as nx

    g = graph(facts, kind, int(min_letters))
    rows = []
    if g.number_of_nodes():
        dist = {e: 1.0 / d["weight"] for e, d in g.edges.items()}
        nx.set_edge_attributes(g, dist, "distance")
        # exact up to SAMPLE nodes; beyond, estimated from SAMPLE source nodes (fixed seed)
        k = SAMPLE if g.number_of_nodes() > SAMPLE else None
        between = nx.betweenness_centrality(g, k=k, seed=0, weight="distance", normalized=True)
        rank = _eigenvector(g)
        for n in g.nodes:
            row = {"node": n, "name": g.nodes[n]["label"], "kind": g.nodes[n]["kind"]}
            if kind == "letters":
                row.update(
                    letters_sent=g.out_degree(n, weight="weight"),
                    letters_received=g.in_degree(n, weight="weight"),
                    writes_to=g.out_degree(n),
                    hears_from=g.in_degree(n),
                )
            else:
                row.update(letters=g.degree(n, weight="weight"), named_with=g.degree(n))
            row.update(betweenness=round(between[n], 6), rank=round(rank[n], 6))
            rows.append(row)
    rows.sort(key=lambda r: (-r["rank"], r["node"]))
    _, counts = letter_edges(facts) if kind == "letters" else mention_edges(facts, int(min_letters))
    sampled = (
        Msg(", estimated from {n} sampled sources", n=SAMPLE)
        if g.number_of_nodes() > SAMPLE
        else ""
    )
    what = "correspondence (sender → addressee)" if kind == "letters" else "co-mention"
    if kind != "letters" and int(min_letters) > 1:
        what = Msg("co-mention (pairs named together in at least {n} letters)", n=int(min_letters))
    desc = Msg(
        "Centralities in the {what} graph of {nodes} nodes and {edges} edges: weighted degrees, "
        "betweenness (shortest paths with distance 1/letters{sampled}) and eigenvector "
        "centrality as 'rank', over {n} letters.",
        what=what,
        nodes=g.number_of_nodes(),
        edges=g.number_of_edges(),
        sampled=sampled,
        n=counts["letters"],
    )
    cols = ["node", "name", "kind"]
    cols += (
        ["letters_sent", "letters_received", "writes_to", "hears_from"]
        if kind == "letters"
        else ["letters", "named_with"]
    )
    cols += ["betweenness", "rank"]
    chart = charts.bars(
        rows[:20],
        x="name",
        y="rank",
        horizontal=True,
        title="Most central: correspondence graph (eigenvector centrality)"
        if kind == "letters"
        else "Most central: co-mention graph (eigenvector centrality)",
        subtitle=desc,
        x_title="",
        x_type="N",
        sort="-x",
    )
    view = "centrality" if kind == "letters" else "comention-centrality"
    return result("network", view, "Centralities", desc, cols, rows, counts, chart)


def _eigenvector(g) -> dict:
    """Weighted eigenvector centrality of the undirected graph (letters both ways summed), unit
    length per connected component, scaled by the component's share of the nodes."""
    import networkx as nx
    import numpy as np

    u = nx.Graph()
    u.add_nodes_from(g.nodes)
    for a, b, d in g.edges(data=True):
        w = u.edges[a, b]["weight"] if u.has_edge(a, b) else 0
        u.add_edge(a, b, weight=w + d["weight"])
    out = {}
    n = u.number_of_nodes()
    for comp in nx.connected_components(u):
        nodes = sorted(comp)
        if len(nodes) < 2:
            out[nodes[0]] = 0.0
            continue
        # a dense symmetric eigensolve: exact, and fast for the few thousand nodes of an edition
        # (networkx's power iteration crawls on star-shaped correspondences)
        a = nx.to_numpy_array(u, nodelist=nodes, weight="weight")
        vals, vecs = np.linalg.eigh(a)
        v = np.abs(vecs[:, int(np.argmax(vals))])
        v = v / np.linalg.norm(v)
        out.update({x: float(v[i]) * len(nodes) / n for i, x in enumerate(nodes)})
    return out


def comention_centrality(facts: EditionFacts, min_letters: int = 2, **options) -> dict:
    """Centralities of persons named together in at least ``min_letters`` letters."""
    options.pop("kind", None)
    return centrality(facts, kind="mentions", min_letters=min_letters, **options)


def write(facts: EditionFacts, path, kind: str = "letters", fmt: str | None = None) -> int:
    """Write the graph as GEXF or GraphML (by ``fmt`` or the file suffix); return its edges."""
    import networkx as nx

    from ..errors import EpistolaError

    g = graph(facts, kind)
    fmt = fmt or str(path).rsplit(".", 1)[-1].lower()
    if fmt == "gexf":
        nx.write_gexf(g, path)
    elif fmt == "graphml":
        nx.write_graphml(g, path)
    else:
        raise EpistolaError(f"unknown graph format {fmt!r}", hint="Use a .gexf or .graphml file.")
    return g.number_of_edges()


VIEWS = {
    "letters": letters,
    "comentions": comentions,
    "centrality": centrality,
    "comention-centrality": comention_centrality,
}

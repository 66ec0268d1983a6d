"""The 20-coder lost-update run, short (5 s; bench/coders_bench.py runs it 60 s): 20 clients
edit the same and different annotations with If-Match against ``epistola serve --workers 2``
(a real server process), on SQLite and on PostgreSQL. Every acknowledged edit must be in the
version histories; the only refusals are 409s. No timing is asserted."""

from __future__ import annotations

from bench.coders_bench import count_lost, prepare, run
from bench.load_bench import _serve, _stop


def test_twenty_coders_lose_no_update(fresh_edition):
    edition = str(fresh_edition())
    tokens, shared, own = prepare(edition, 20)
    proc, base = _serve(edition, 2, True)
    try:
        res = run(base, tokens, shared, own, 5)
        assert res["errors"] == {}, res["errors"]
        assert res["lost"] == [], res["lost"][:5]
        assert res["edits"] > 0 and res["conflicts"] > 0  # the coders really collided
        # the count would see a lost update: an edit acknowledged but not in the history
        aid, version, _ = res["acks"][0]
        fake = [*res["acks"], (aid, version, "an edit the server dropped")]
        lost, _ = count_lost(base, next(iter(tokens.values())), [aid], fake)
        assert lost and all(a == aid for a, _ in lost)
    finally:
        _stop(proc)

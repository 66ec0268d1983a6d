"""The columns of the letters' search index and their bm25 weights: one definition for the
SQLite index (index.py), PostgreSQL's (pg.py) and the static search (render/search_data.py)."""

COLUMNS = ("text", "notes", "title", "names", "exact")
WEIGHTS = (1.0, 0.5, 3.0, 2.0, 1.0)  # bm25 weight of each column (the static search uses them too)
RANK = "bm25(" + ", ".join(map(str, WEIGHTS)) + ")"

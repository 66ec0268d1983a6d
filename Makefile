# The two commands of the README. Each sets up what it needs first (scripts/setup.sh).
.PHONY: setup sample test lint format bench bench-load

setup:
	@scripts/setup.sh

# Build the bundled sample edition (examples/sample-edition) into _build/sample, then serve
# its reading room (the static copy is _build/sample/site/index.html, which works from file://).
sample: setup
	.venv/bin/epistola build examples/sample-edition --out _build/sample
	.venv/bin/epistola serve _build/sample/edition.sqlite --port 8000

# Every test, lint included. CI runs this.
test: setup
	.venv/bin/ruff check src tests bench
	.venv/bin/ruff format --check src tests bench
	.venv/bin/python -m pytest -q

format: setup
	.venv/bin/ruff format src tests bench
	.venv/bin/ruff check --fix src tests bench

bench: setup
	.venv/bin/python bench/run.py

# wrk against `epistola serve --workers 2` on PostgreSQL and SQLite (docs/benchmarks.md, Load)
bench-load: setup
	.venv/bin/python bench/load_bench.py

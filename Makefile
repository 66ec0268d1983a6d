# The two commands of the README. Each sets up what it needs first (scripts/setup.sh).
.PHONY: setup sample test lint format bench bench-load reliability

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

# The full fault suite (docs/reliability.md): 20 kill trials each of ingest and site build,
# 10,000 fuzz cases per reader and for the query parser, hostile inputs, full disk, locks,
# the server's limits, and 5 PostgreSQL restarts of 5 s under load.
# The test suite runs the same tests short (3 trials, 200 cases, 1 restart of 3 s).
reliability: setup
	EPISTOLA_KILL_TRIALS=20 EPISTOLA_FUZZ_EXAMPLES=10000 \
	EPISTOLA_PG_OUTAGES=5 EPISTOLA_PG_OUTAGE_SECONDS=5 .venv/bin/python -m pytest -q \
		tests/test_faults.py tests/test_kill_trials.py tests/test_fuzz.py \
		tests/test_hostile_inputs.py tests/test_broken_inputs.py \
		tests/web/test_serve_limits.py tests/store/test_pg_outage.py tests/store/test_pgserver.py

# wrk against `epistola serve --workers 2` on PostgreSQL and SQLite (docs/benchmarks.md, Load)
bench-load: setup
	.venv/bin/python bench/load_bench.py
	.venv/bin/python bench/coders_bench.py --seconds 60 --coders 20 --workers 2

# One place for the checks: CI (.ci/run) calls these targets, so local runs and CI agree.
.PHONY: sync lint typecheck migrations test check fuzz bench bench-intake bench-freshness bench-stats bench-export bench-pdq bench-queue

sync:
	uv sync --locked

lint:
	uv run ruff check .
	uv run ruff format --check .

typecheck:
	uv run mypy

# Every model change has its migration: a missing one fails here, not on a hotline's upgrade.
migrations:
	uv run turntide manage makemigrations --check --dry-run

test:
	uv run pytest

check: lint typecheck migrations test

bench:
	uv run python bench/bench_urls.py

# Needs DATABASE_URL pointing at a scratch PostgreSQL database.
bench-intake:
	uv run python bench/bench_intake.py

# Needs DATABASE_URL pointing at a scratch PostgreSQL database; loads 1,000,000 judged URLs.
bench-stats:
	uv run python bench/bench_stats.py

# Needs DATABASE_URL pointing at a scratch PostgreSQL database; exports 1,000,000 cases.
bench-export:
	uv run python bench/bench_case_export.py

# Needs DATABASE_URL pointing at a scratch PostgreSQL database; loads 1,000,000 decided and
# 50,000 open cases, then times the queue page and the search (goal: each under 200 ms).
bench-queue:
	uv run python bench/bench_queue.py

# A real server and worker: from a judgement to the member's delta, against the 60 s promise.
bench-freshness:
	uv run python bench/bench_freshness.py

# Generated requests at the API, the public form and report batches; counts server errors.
fuzz:
	uv run python bench/fuzz_doors.py

# Ten million PDQ hashes against faiss; several minutes and about 5 GB of memory.
bench-pdq:
	uv run python bench/bench_pdq.py

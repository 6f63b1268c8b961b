# The two commands of README.md.
.PHONY: run test lint bench export

run:  ## set up (venv, bun, SQLite) and start the app with hot reload
	@bash scripts/run.sh

test:  ## run the whole suite (SQLite, PostgreSQL, real browser)
	@bash scripts/test.sh

lint:  ## ruff (lint + format check) and pyright; also the first step of make test
	@bash scripts/lint.sh

bench:  ## seed big databases, measure pages, websocket load and the frontend (see bench/)
	@bash scripts/bench.sh $(ARGS)

export:  ## static frontend for Vercel: API_URL=https://backend make export
	@bash scripts/export.sh

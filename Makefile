# The two commands of README.md.
.PHONY: run test bench export

run:  ## set up (venv, bun, SQLite) and start the app with hot reload
	@bash scripts/run.sh

test:  ## run the whole suite (SQLite, PostgreSQL, real browser)
	@bash scripts/test.sh

bench:  ## seed big databases and print page costs (see bench/)
	@bash scripts/bootstrap.sh dev && . scripts/env.sh && python -m bench $(ARGS)

export:  ## static frontend for Vercel: API_URL=https://backend make export
	@bash scripts/export.sh

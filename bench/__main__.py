"""Benchmarks: `make bench` (or `python -m bench --help`).

Seeds a fresh database per backend and prints the SQL cost of each page,
then runs the production set-up on the PostgreSQL seed for the websocket
event load, state sizes, memory and the frontend (bench/live.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def _engines(which: str, pg_url: str, keep: bool = False) -> dict[str, str]:
    urls = {}
    if which in ("sqlite", "both"):
        OUT.mkdir(exist_ok=True)
        db = OUT / "bench.db"
        for suffix in ("", "-wal", "-shm") if not keep else ():
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        urls["sqlite"] = f"sqlite:///{db}"
    if which in ("postgres", "both"):
        urls["postgres"] = pg_url
    return urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 10k users, 200k posts, 1M likes")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--no-seed", action="store_true", help="measure the databases seeded by a previous run")
    parser.add_argument(
        "--only",
        choices=["queries", "load", "frontend", "imports", "circles", "bundle"],
        action="append",
        help="run only these parts (repeatable); default: all",
    )
    parser.add_argument("--import-rows", type=int, default=20_000, help="rows of the generated Goodreads file")
    parser.add_argument("--readers", default="50,200", help="simulated readers per load run")
    parser.add_argument("--seconds", type=float, default=30, help="length of each load phase")
    parser.add_argument("--page-loads", type=int, default=5, help="cold page loads timed per kind of visitor")
    parser.add_argument(
        "--original", type=Path, help="frontend: also time the original app from this checkout (bench/original.py)"
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/trackmyread_bench"),
    )
    args = parser.parse_args()

    os.environ.setdefault("BCRYPT_ROUNDS", "12")
    import sqlalchemy as sa

    from bench import query_cost
    from bench.seed import SeedCounts, seed
    from booktracker.db import build_engine
    from booktracker.migrations import ensure_database_exists, upgrade_to_head
    from booktracker.settings_checks import normalize_database_url

    parts = set(args.only or ["queries", "load", "frontend", "imports", "circles", "bundle"])
    if args.db == "sqlite" and parts & {"load", "frontend"}:
        # The production set-up they drive runs on PostgreSQL, as on Render.
        print("note: the event load and frontend runs need --db postgres or both; skipped")
    counts = SeedCounts.scaled(args.scale)
    print(
        f"# TrackMyRead benchmarks — {time.strftime('%Y-%m-%d %H:%M')} — {platform.node()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    if "bundle" in parts:  # what each main page downloads, no database (bench/bundle.py)
        from bench import bundle

        bundle.run()
        if parts == {"bundle"}:
            return
    if "imports" in parts:
        run_imports(args)
        if parts <= {"imports", "bundle"}:
            return
    if "circles" in parts:  # a 500-member circle on databases of its own (bench/circles.py)
        from bench import circles

        circles.run(args.db, args.pg_url, args.runs, OUT)
        if parts <= {"imports", "circles", "bundle"}:
            return
    print(f"seed: {counts}")
    summary = {}
    for name, raw_url in _engines(args.db, args.pg_url, keep=args.no_seed).items():
        url = normalize_database_url(raw_url)
        engine = build_engine(url)
        if args.no_seed:
            print(f"\n## {name}: measuring the existing seed")
        else:
            ensure_database_exists(url)
            if name == "postgres":
                with engine.begin() as conn:
                    conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            upgrade_to_head(url)
            started = time.perf_counter()
            seed(engine, counts)
            print(f"\n## {name}: seeded in {time.perf_counter() - started:.1f} s")
        if "queries" in parts:
            print(f"{'page':40} {'statements':>10} {'p50 ms':>8} {'p95 ms':>8}")
            for cost in query_cost.measure(engine, runs=args.runs):
                print(f"{cost.page:40} {cost.statements:>10} {cost.p50_ms:>8.2f} {cost.p95_ms:>8.2f}")
                summary.setdefault(cost.page, {})[name] = cost
        if name == "postgres":
            run_live(parts, args, raw_url, engine)
        engine.dispose()
    if len({n for costs in summary.values() for n in costs}) == 2:
        print("\n## postgres / sqlite p95 ratio")
        for page, costs in summary.items():
            print(f"{page:40} {costs['postgres'].p95_ms / costs['sqlite'].p95_ms:>8.2f}x")


def run_imports(args: argparse.Namespace) -> None:
    """A generated Goodreads file into an empty account, on fresh databases of its own."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from bench import imports
    from booktracker.db import build_engine
    from booktracker.migrations import ensure_database_exists, upgrade_to_head
    from booktracker.settings_checks import normalize_database_url

    data = imports.goodreads_file(args.import_rows)
    print(f"\n## import: a {args.import_rows:,}-row Goodreads file ({len(data) / 2**20:.1f} MB) into an empty account")
    urls = {}
    if args.db in ("sqlite", "both"):
        OUT.mkdir(exist_ok=True)
        db = OUT / "imports.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        urls["sqlite"] = f"sqlite:///{db}"
    if args.db in ("postgres", "both"):
        urls["postgres"] = make_url(args.pg_url).set(database="trackmyread_bench_imports").render_as_string(False)
    costs = []
    for name, raw_url in urls.items():
        url = normalize_database_url(raw_url)
        ensure_database_exists(url)
        engine = build_engine(url)
        if name == "postgres":
            with engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade_to_head(url)
        costs.append(imports.measure(name, engine, data, args.import_rows))
        engine.dispose()
        if name == "postgres":
            _drop_database(url)
    imports.print_costs(costs)


def _drop_database(url: str) -> None:
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
    admin.dispose()


def run_live(parts: set[str], args: argparse.Namespace, database_url: str, engine) -> None:
    """The production set-up on the PostgreSQL seed (needs --db postgres or both)."""
    from bench import live

    OUT.mkdir(exist_ok=True)
    if "load" in parts:
        print("\n## event load (gunicorn + uvicorn workers, websocket clients on the same machine)")
        reports = live.measure_load(
            database_url, engine, counts=[int(n) for n in args.readers.split(",")], seconds=args.seconds, log_dir=OUT
        )
        live.print_load_summary(reports)
    if "frontend" in parts:
        from bench import frontend

        original = args.original and args.original.resolve()
        frontend.print_report(
            frontend.measure(database_url, engine, runs=args.page_loads, log_dir=OUT, original=original)
        )


if __name__ == "__main__":
    main()

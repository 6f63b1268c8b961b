"""Benchmarks against the running production set-up (render.yaml's gunicorn
command, PostgreSQL with the big seed, Redis when several workers):

- event load: 50 and 200 simulated readers, 1 worker vs 4 workers + Redis;
- state size per client (what the browser is sent, what Redis stores) and
  per event delta; backend memory idle and with every reader connected;
- frontend: bench/frontend.py (re-exported here as measure_frontend / print_frontend).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from bench import event_load
from bench.seed import PASSWORD
from tests.support.servers import Backend, flush_redis, free_port, production_env

SECRET = "benchmark-secret-key-0123456789abcdef0123"
REDIS_DB = 13
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass(frozen=True)
class Config:
    name: str
    workers: int
    redis: bool


# "1 worker + Redis" measures what sharing state through Redis costs per
# action without four processes fighting over two CPUs.
CONFIGS = [Config("1 worker", 1, False), Config("1 worker + Redis", 1, True), Config("4 workers + Redis", 4, True)]


def readers(engine: sa.Engine, count: int) -> list[event_load.Reader]:
    """Seeded readers (not the heavy one) that have at least one book."""
    query = sa.text(
        "SELECT u.email, min(ub.id) FROM users u JOIN user_books ub ON ub.user_id = u.id "
        "WHERE u.id > 1 GROUP BY u.id, u.email ORDER BY u.id LIMIT :count"
    )
    with engine.connect() as conn:
        rows = conn.execute(query, {"count": count}).all()
    return [event_load.Reader(email, PASSWORD, user_book_id) for email, user_book_id in rows]


class MemorySampler:
    """Peak resident memory (MB) of each worker, sampled every 0.2 s."""

    def __init__(self, backend: Backend):
        import psutil

        self.processes = [psutil.Process(pid) for pid in backend.worker_pids()]
        self.peak = [0.0] * len(self.processes)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> list[float]:
        return [process.memory_info().rss / 2**20 for process in self.processes]

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = [max(a, b) for a, b in zip(self.peak, self.now(), strict=False)]

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def cpu_meter(backend: Backend):
    """CPU seconds used so far by the app workers, PostgreSQL and Redis."""
    import psutil

    workers = [psutil.Process(pid) for pid in backend.worker_pids()]

    def used(processes) -> float:
        total = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

    def read() -> dict[str, float]:
        others = list(psutil.process_iter(["name"]))
        return {
            "app": used(workers),
            "postgres": used(p for p in others if (p.info["name"] or "").startswith("postgres")),
            "redis": used(p for p in others if (p.info["name"] or "").startswith("redis")),
        }

    return read


def redis_state_bytes(db: int) -> list[int]:
    """Pickled state each client token holds in Redis (all its substates)."""
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=db)
    per_token: dict[str, int] = {}
    for key in client.scan_iter(match="*_reflex___state____state*", count=1000):
        token = key.decode()[:36]
        size = client.strlen(key)  # an int: this client is synchronous (redis' stubs say int | Awaitable)
        per_token[token] = per_token.get(token, 0) + (size if isinstance(size, int) else 0)
    return sorted(per_token.values())


@dataclass
class LoadReport:
    config: Config
    idle_mb: list[float]
    runs: list[tuple[event_load.RunResult, list[float]]] = field(default_factory=list)
    redis_state: list[int] = field(default_factory=list)


def measure_load(
    database_url: str, engine: sa.Engine, *, counts: list[int], seconds: float, log_dir: Path
) -> list[LoadReport]:
    people = readers(engine, max(counts))
    reports = []
    for config in CONFIGS:
        port = free_port()
        origin = "http://127.0.0.1:3000"
        if config.redis:
            flush_redis(REDIS_DB)
        env = production_env(
            database_url, site_origin=origin, port=port, secret=SECRET, redis_db=REDIS_DB if config.redis else None
        )
        backend = Backend(port, env, log_dir / f"backend-{config.workers}.log", workers=config.workers).start()
        try:
            time.sleep(2)
            report = LoadReport(config, MemorySampler(backend).now())
            for count in counts:
                with MemorySampler(backend) as memory:
                    result = asyncio.run(
                        event_load.run(
                            backend.url, origin, people[:count], seconds=seconds, cpu_meter=cpu_meter(backend)
                        )
                    )
                report.runs.append((result, memory.peak))
                print_run(config, result, memory.peak)
            if config.redis:
                report.redis_state = redis_state_bytes(REDIS_DB)
            reports.append(report)
        finally:
            backend.stop()
    return reports


def print_run(config: Config, result: event_load.RunResult, peak_mb: list[float]) -> None:
    print(f"\n### {config.name}, {result.readers} readers")
    login = result.login
    print(
        f"  arrive + log in: {login.seconds:.1f} s for {result.readers} readers; {event_load.summarize_latencies(login)}"
    )
    for phase in result.phases:
        s = phase.summary()
        cpu = ", ".join(f"{kind} {ms:.1f}" for kind, ms in phase.server_cpu_ms.items())
        print(
            f"  {phase.name:10} {s['actions/s']:7.1f} actions/s ({s['events/s']:.0f} events/s)  p50 {s['p50']:6.1f}  "
            f"p95 {s['p95']:6.1f}  p99 {s['p99']:6.1f} ms  errors {s['errors']}"
        )
        print(f"             CPU ms per action: {cpu}; load client {phase.client_cpu:.0%} of a core")
        print(f"             {event_load.summarize_latencies(phase)}")
    print(
        f"  state sent on a feed page load: {max(result.page_load_chars, default=0) / 1024:.1f} KB; "
        f"deltas p95 {result.p95_delta_chars / 1024:.1f} KB, max {result.max_delta_chars / 1024:.1f} KB"
    )
    print(f"  worker memory peak: {', '.join(f'{mb:.0f}' for mb in peak_mb)} MB")


def print_load_summary(reports: list[LoadReport]) -> None:
    print("\n## event load summary")
    print(
        f"{'set-up':20} {'readers':>7} {'paced act/s':>11} {'ev/s':>5} {'p50':>5} {'p95':>5} {'p99':>5} "
        f"{'sat. act/s':>10} {'ev/s':>5} {'p99':>5} {'app CPU ms/act':>14}"
    )
    throughput: dict[tuple[str, int], float] = {}
    app_cpu: dict[tuple[str, int], float] = {}
    for report in reports:
        for result, _ in report.runs:
            paced, saturated = (phase.summary() for phase in result.phases)
            key = (report.config.name, result.readers)
            throughput[key] = saturated["actions/s"]
            app_cpu[key] = result.phases[1].server_cpu_ms.get("app", float("nan"))
            print(
                f"{report.config.name:20} {result.readers:>7} {paced['actions/s']:>11.1f} {paced['events/s']:>5.0f} "
                f"{paced['p50']:>5.0f} {paced['p95']:>5.0f} {paced['p99']:>5.0f} {saturated['actions/s']:>10.1f} "
                f"{saturated['events/s']:>5.0f} {saturated['p99']:>5.0f} {app_cpu[key]:>14.1f}"
            )
    one, shared, many = CONFIGS
    for count in sorted({n for _, n in throughput}):
        if (one.name, count) in throughput and (many.name, count) in throughput:
            ratio = throughput[(many.name, count)] / throughput[(one.name, count)]
            print(
                f"saturated throughput {many.name} / {one.name} at {count} readers: {ratio:.2f}x measured here "
                f"({os.cpu_count()} CPUs shared by the workers, PostgreSQL, Redis and the load client)"
            )
            # With a core per worker, throughput scales with workers / CPU per action.
            for basis in (shared, many):
                if (basis.name, count) in app_cpu:
                    projected = many.workers * app_cpu[(one.name, count)] / app_cpu[(basis.name, count)]
                    print(
                        f"  projected with a core per worker, from the CPU per action of {basis.name}: {projected:.2f}x"
                    )
    for report in reports:
        print(f"{report.config.name}: idle memory per worker {', '.join(f'{mb:.0f}' for mb in report.idle_mb)} MB")
        if report.redis_state:
            sizes = report.redis_state
            print(
                f"{report.config.name}: state per client in Redis p50 {statistics.median(sizes) / 1024:.1f} KB, "
                f"max {sizes[-1] / 1024:.1f} KB over {len(sizes)} clients"
            )


# ---------------------------------------------------------------- frontend
# Moved to bench/frontend.py (every main page, both viewports, the feed's
# timeline and the comparison with the original app); kept under these names.
from bench.frontend import measure as measure_frontend  # noqa: E402
from bench.frontend import print_report as print_frontend  # noqa: E402

__all__ = ["measure_frontend", "measure_load", "print_frontend", "print_load_summary"]

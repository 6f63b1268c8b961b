"""Event load: simulated readers that speak Reflex's websocket event protocol.

Each reader is a real socket.io client (python-socketio, the protocol the
Reflex frontend speaks) that connects to `/_event` with a session token and
the hydrate event in the CONNECT packet, exactly as the browser does, then:

  log in (the login form's event) -> loop: open the feed (client-side
  navigation: update_vars_internal + on_load_internal) -> like a post on it ->
  open one of their books -> save reading progress.

The events are the ones a real browser sends (see the frames a chromium
session records); their names come from the state classes, so a renamed
handler breaks the benchmark instead of measuring nothing. An action counts
as done when the update that ends it arrives (Reflex sends no "final" flag):
the hydrated flag for page loads, the second feed delta for a like
(optimistic, then confirmed), the toast for saved progress, the redirect for
a login. A reader whose action fails or times out is counted as an error.

Two phases per run: "paced" (each reader thinks 0.5–1.5 s between actions,
a very busy human) for latency, and "saturated" (no think time) for the
throughput the backend can sustain.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import socketio
from reflex.state import OnLoadInternalState, State, UpdateVarsInternalState

from booktracker.pages.book_detail import BookDetailState
from booktracker.pages.feed import FeedState
from booktracker.pages.login import LoginState
from booktracker.state import AuthState

NAMESPACE = "/_event"
ROOT_STATE = State.get_full_name()
HYDRATE = f"{ROOT_STATE}.hydrate_and_load"
ON_LOAD = f"{OnLoadInternalState.get_full_name()}.on_load_internal"
UPDATE_VARS = f"{UpdateVarsInternalState.get_full_name()}.update_vars_internal"
LOG_IN = f"{LoginState.get_full_name()}.log_in"
TOGGLE_LIKE = f"{FeedState.get_full_name()}.toggle_like"
SAVE_PROGRESS = f"{BookDetailState.get_full_name()}.save_progress"
AUTH_TOKEN_VAR = f"{AuthState.get_full_name()}.auth_token_rx_state_"
FEED_STATE = FeedState.get_full_name()
LOGIN_STATE = LoginState.get_full_name()
AUTH_STATE = AuthState.get_full_name()
ACTION_TIMEOUT = 60.0

Update = dict
Predicate = Callable[[Update], bool]


def form_data(**fields: str) -> dict:
    """A form submission as the Reflex frontend encodes it."""
    return {"__reflex_form_data__": [[name, value] for name, value in fields.items()]}


def router_data(path: str, query: dict | None = None) -> dict:
    data = {"pathname": path, "asPath": path}
    if query:
        data["query"] = query
    return data


def hydrated(update: Update) -> bool:
    return update.get("delta", {}).get(ROOT_STATE, {}).get("is_hydrated_rx_state_") is True


def has_event(name: str, containing: str = "") -> Predicate:
    def check(update: Update) -> bool:
        return any(
            e.get("name") == name and containing in json.dumps(e.get("payload")) for e in update.get("events", [])
        )

    return check


def touches(substate: str) -> Predicate:
    return lambda update: substate in update.get("delta", {})


class _SizedJson:
    """socket.io's json hook: remembers how big the last decoded packet was."""

    last_size = 0

    @classmethod
    def loads(cls, text, **kwargs):
        cls.last_size = len(text)
        return json.loads(text, **kwargs)

    dumps = staticmethod(json.dumps)


@dataclass
class Recorder:
    """Latencies (ms) per action and message sizes (characters), for one run."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    delta_sizes: list[int] = field(default_factory=list)
    counting: bool = False
    done: int = 0
    sent: int = 0  # websocket events sent while counting (an action sends 1 to 3)

    def action(self, name: str, ms: float) -> None:
        self.latencies[name].append(ms)
        if self.counting:
            self.done += 1


@dataclass
class Reader:
    email: str
    password: str
    user_book_id: int


class SimulatedReader:
    def __init__(self, base_url: str, origin: str, reader: Reader, recorder: Recorder):
        self.base_url, self.origin, self.reader, self.recorder = base_url, origin, reader, recorder
        self.client = socketio.AsyncClient(reconnection=False, json=_SizedJson)
        self.client.on("event", self._on_update, namespace=NAMESPACE)
        self.token = str(uuid.uuid4())
        self.auth_token = ""
        self.path = "/login"
        self.query: dict | None = None
        self.post_ids: list[int] = []
        self._waiting: tuple[Predicate, int, asyncio.Future] | None = None
        self.received_chars = 0

    # ------------------------------------------------------------ protocol

    async def _on_update(self, update: Update) -> None:
        self.recorder.delta_sizes.append(_SizedJson.last_size)
        self.received_chars += _SizedJson.last_size
        delta = update.get("delta", {})
        if posts := delta.get(FEED_STATE, {}).get("posts_rx_state_"):
            self.post_ids = [post["id"] for post in posts]
        # The browser would keep this in localStorage and send it on navigation.
        self.auth_token = delta.get(AUTH_STATE, {}).get("auth_token_rx_state_", self.auth_token)
        if self._waiting is None:
            return
        predicate, remaining, future = self._waiting
        if predicate(update):
            remaining -= 1
            if remaining == 0 and not future.done():
                future.set_result(update)
            self._waiting = (predicate, remaining, future)

    def _expect(self, predicate: Predicate, times: int = 1) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self._waiting = (predicate, times, future)
        return future

    async def _event(self, name: str, payload: dict | None = None) -> None:
        if self.recorder.counting:
            self.recorder.sent += 1
        await self.client.emit(
            "event",
            {"name": name, "payload": payload or {}, "router_data": router_data(self.path, self.query)},
            namespace=NAMESPACE,
        )

    async def _timed(self, action: str, future: asyncio.Future, *sends) -> Update | None:
        started = time.perf_counter()
        for send in sends:
            await send
        try:
            update = await asyncio.wait_for(future, ACTION_TIMEOUT)
        except TimeoutError:
            self.recorder.errors[action] += 1
            return None
        finally:
            self._waiting = None
        self.recorder.action(action, (time.perf_counter() - started) * 1000)
        return update

    # ------------------------------------------------------------ actions

    async def connect(self) -> None:
        """Open the socket with the hydrate event, as a page load does.

        A returning reader's browser sends its stored token along.
        """
        future = self._expect(hydrated)
        payload = {"vars": {AUTH_TOKEN_VAR: self.auth_token}} if self.auth_token else {}
        boot = {"event": {"name": HYDRATE, "payload": payload, "router_data": router_data(self.path)}}
        started = time.perf_counter()
        await self.client.connect(
            f"{self.base_url}?token={self.token}",
            headers={"Origin": self.origin},
            auth=boot,
            transports=["websocket"],
            namespaces=[NAMESPACE],
            socketio_path="/_event",
            wait_timeout=30,
        )
        await asyncio.wait_for(future, ACTION_TIMEOUT)
        self._waiting = None
        self.recorder.action("connect", (time.perf_counter() - started) * 1000)

    async def log_in(self) -> bool:
        future = self._expect(
            lambda u: has_event("_redirect")(u) or bool(u.get("delta", {}).get(LOGIN_STATE, {}).get("error_rx_state_"))
        )
        update = await self._timed(
            "log in",
            future,
            self._event(LOG_IN, {"form": form_data(email=self.reader.email, password=self.reader.password)}),
        )
        ok = update is not None and has_event("_redirect")(update) and bool(self.auth_token)
        if not ok:
            self.recorder.errors["log in"] += update is not None
        return ok

    async def open_page(self, action: str, path: str, query: dict | None = None) -> None:
        """Client-side navigation, as the browser's router does it."""
        self.path, self.query = path, query
        future = self._expect(hydrated)
        await self._timed(
            action, future, self._event(UPDATE_VARS, {"vars": {AUTH_TOKEN_VAR: self.auth_token}}), self._event(ON_LOAD)
        )

    async def like_a_post(self) -> None:
        if not self.post_ids:
            self.recorder.errors["like"] += 1
            return
        # The like shows at once (first delta) and is confirmed with the count (second).
        future = self._expect(touches(FEED_STATE), times=2)
        await self._timed("like", future, self._event(TOGGLE_LIKE, {"post_id": random.choice(self.post_ids)}))

    async def save_progress(self) -> None:
        future = self._expect(has_event("_call_function", "toast"))
        update = await self._timed(
            "save progress",
            future,
            self._event(SAVE_PROGRESS, {"form": form_data(current_page=str(random.randint(1, 80)))}),
        )
        if update is not None and "success" not in json.dumps(update):
            self.recorder.errors["save progress"] += 1

    async def journey(self, think: Callable[[], float], stop: asyncio.Event) -> None:
        # Readers do not all click in the same instant: start somewhere in one think time.
        await asyncio.sleep(random.uniform(0, think()))
        book = str(self.reader.user_book_id)
        steps = (
            lambda: self.open_page("open feed", "/"),
            self.like_a_post,
            lambda: self.open_page("open book", f"/books/{book}", {"user_book_id": book}),
            self.save_progress,
        )
        while not stop.is_set():
            for step in steps:
                await step()
                if pause := think():
                    await asyncio.sleep(pause)
                if stop.is_set():
                    return

    async def close(self) -> None:
        await self.client.disconnect()


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


@dataclass
class PhaseResult:
    name: str
    readers: int
    seconds: float
    actions: int
    latencies: dict[str, list[float]]
    errors: dict[str, int]
    client_cpu: float = 0.0  # share of one core the simulated readers themselves used
    events_sent: int = 0
    server_cpu_ms: dict[str, float] = field(default_factory=dict)  # CPU per action, by process kind

    @property
    def actions_per_second(self) -> float:
        return self.actions / self.seconds

    @property
    def events_per_second(self) -> float:
        return self.events_sent / self.seconds

    def all_latencies(self) -> list[float]:
        return [ms for name, values in self.latencies.items() for ms in values]

    def summary(self) -> dict[str, float]:
        values = self.all_latencies()
        return {
            "actions/s": self.actions_per_second,
            "events/s": self.events_per_second,
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
            "p99": percentile(values, 99),
            "errors": sum(self.errors.values()),
        }


CpuMeter = Callable[[], dict[str, float]]  # CPU seconds used so far, by process kind


async def _phase(
    readers: list[SimulatedReader], recorder: Recorder, name: str, seconds: float, think, cpu_meter: CpuMeter
) -> PhaseResult:
    recorder.latencies.clear()
    recorder.errors.clear()
    recorder.done, recorder.sent, recorder.counting = 0, 0, True
    cpu_before = cpu_meter()
    stop = asyncio.Event()
    tasks = [asyncio.create_task(reader.journey(think, stop)) for reader in readers]
    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.sleep(seconds)
    recorder.counting = False
    elapsed = time.perf_counter() - started
    client_cpu = (time.process_time() - cpu_started) / elapsed
    cpu_after, actions, sent = cpu_meter(), recorder.done, recorder.sent
    stop.set()
    # Readers finish the action in hand; one still stuck after a grace period is cut off.
    _, stuck = await asyncio.wait(tasks, timeout=10)
    for task in stuck:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    per_action = {kind: (cpu_after[kind] - cpu_before[kind]) * 1000 / max(actions, 1) for kind in cpu_after}
    return PhaseResult(
        name,
        len(readers),
        elapsed,
        actions,
        {k: list(v) for k, v in recorder.latencies.items()},
        dict(recorder.errors),
        client_cpu,
        sent,
        per_action,
    )


@dataclass
class RunResult:
    readers: int
    login: PhaseResult
    phases: list[PhaseResult]
    page_load_chars: list[int]  # everything sent to a returning reader opening the feed
    max_delta_chars: int
    p95_delta_chars: float


async def _page_load_chars(base_url: str, origin: str, signed_in: list[SimulatedReader]) -> list[int]:
    """A returning reader reloads the feed: the whole state it is sent."""
    sizes = []
    for old in signed_in:
        fresh = SimulatedReader(base_url, origin, old.reader, Recorder())
        fresh.auth_token, fresh.path = old.auth_token, "/"
        await fresh.connect()
        sizes.append(fresh.received_chars)
        await fresh.close()
    return sizes


async def run(base_url: str, origin: str, people: list[Reader], *, seconds: float, cpu_meter: CpuMeter) -> RunResult:
    """Connect and log in every reader, then a paced and a saturated phase."""
    recorder = Recorder()
    readers = [SimulatedReader(base_url, origin, person, recorder) for person in people]
    gate = asyncio.Semaphore(25)  # readers arrive over a few seconds, not in one instant

    async def arrive(reader: SimulatedReader) -> None:
        async with gate:
            await reader.connect()
            await reader.log_in()

    started = time.perf_counter()
    await asyncio.gather(*(arrive(reader) for reader in readers))
    login = PhaseResult(
        "log in",
        len(readers),
        time.perf_counter() - started,
        len(recorder.latencies["log in"]),
        {k: list(v) for k, v in recorder.latencies.items()},
        dict(recorder.errors),
    )
    recorder.delta_sizes.clear()
    phases = [
        await _phase(readers, recorder, "paced", seconds, lambda: random.uniform(0.5, 1.5), cpu_meter),
        await _phase(readers, recorder, "saturated", seconds, lambda: 0.0, cpu_meter),
    ]
    deltas = list(recorder.delta_sizes)
    page_loads = await _page_load_chars(base_url, origin, [r for r in readers if r.auth_token][:5])
    await asyncio.gather(*(reader.close() for reader in readers), return_exceptions=True)
    return RunResult(len(readers), login, phases, page_loads, max(deltas, default=0), percentile(deltas, 95))


def summarize_latencies(phase: PhaseResult) -> str:
    parts = []
    for name, values in sorted(phase.latencies.items()):
        parts.append(
            f"{name} p50 {statistics.median(values):.0f} / p99 {percentile(values, 99):.0f} ms (n={len(values)})"
        )
    return "; ".join(parts)

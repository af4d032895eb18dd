"""The join page with the app running: 500 phones polling, bursts of questions, and keys.

    python bench/join_live.py [--runs N] [--devices N] [--bursts N]

The app runs headless (`run_test`, 160x45) on a live session whose agenda
item is a board, with the join page open on loopback (the server runs where
the app puts it) and every event saved by the real writer. Its screen
updates are rendered to a terminal sequence as a real terminal would need.
The phones run in a child process, as phones are other machines: 500
devices, each from a loopback address of its own (127.0.x.y) on a keep-alive
connection, each first loading the board (its device token and ETag). Then:

- quiet: for 4.5 s every phone polls `/api/board` every 1.5 s (at its own
  moment in the cycle) with `If-None-Match`, and nothing changes;
- bursts: at 4.5 s (and every 4.5 s after, with --bursts), all phones ask a question at once
  (`POST /api/questions`, answered once on disk), polling on; meanwhile the
  facilitator presses keys (`1` a mentee's hand, `v` upvote the selected
  question): one every 0.3 to 0.6 s, and one every 5 ms (after the last one's
  repaint) while a burst's questions are on their way.

A key's time runs from the key event reaching the app until the first screen
update painted after the key's event was recorded. Keys are also timed with
the page open but no phone connected (idle).

Figures:
- join_p99_ms_500       99th percentile of every phone request after set-up
                        (polls and questions), median over runs (target <= 150)
- ui_ms_during_burst    90th percentile key-to-repaint of keys pressed while a
                        burst's questions were arriving, all runs pooled (target
                        <= 50: a burst must not hold a key up, so not the median,
                        which the keys pressed between two slow ones would carry)
- ui_ms_during_burst_median  their median
- ui_ms_polling         median for keys between bursts (phones polling)
- ui_ms_idle            median with no phone connected
- poll_bytes_unchanged  mean body bytes of a poll in the quiet phase, where
                        nothing a phone shows changes (304: 0; target <= 200)
- poll_bytes_changed    median body bytes of a poll answered 200 after the
                        last burst (the whole board, every question)
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import math
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

SIZE = (160, 45)
POLL_S = 1.5
QUIET_S = 4.5
BURST_EVERY_S = 4.5
IDLE_KEYS = 30
KEYS = ("1", "v")


# -- the phones (child process) ------------------------------------------------------
class Phone:
    """One device on its own keep-alive connection, speaking plain HTTP/1.1.

    Hand-written requests keep the load generator cheap, so the figures are
    the server's and not the client library's.
    """

    def __init__(self, host: str, port: int, code: str, n: int) -> None:
        self.host, self.port = host, port
        self.address = f"127.0.{1 + n // 250}.{1 + n % 250}"
        # As a phone's browser asks: it takes a compressed answer.
        self.head = (
            f"Host: {host}:{port}\r\nX-Circle-Code: {code}\r\n"
            "Accept-Encoding: gzip, deflate, br\r\n"
        )
        self.etag = ""
        self.lock = asyncio.Lock()  # one request at a time on the connection

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(
            self.host, self.port, local_addr=(self.address, 0)
        )

    async def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, int]:
        """(status, body bytes); keeps the device token and the board's ETag."""
        data = b"" if body is None else json.dumps(body).encode()
        extra = ""
        if method == "GET" and self.etag:
            extra = f"If-None-Match: {self.etag}\r\n"
        if data:
            extra += "Content-Type: application/json\r\n"
        async with self.lock:
            self.writer.write(
                f"{method} {path} HTTP/1.1\r\n{self.head}{extra}"
                f"Content-Length: {len(data)}\r\n\r\n".encode()
                + data
            )
            head = await self.reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                name, _, value = line.partition(b":")
                name = name.lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"etag" and path == "/api/board":
                    self.etag = value.strip().decode()
                elif name == b"set-cookie" and value.strip().startswith(b"circle_device="):
                    token = value.strip().split(b";")[0].decode()
                    self.head += f"Cookie: {token}\r\n"
            await self.reader.readexactly(length)
        return status, length


# Words of a mentoring room, drawn at random: questions that differ as much as a
# room's do, so a compressed board is no smaller than a real one would be.
WORDS = tuple(
    " ".join(
        (
            "how do you keep a one to one useful when nothing is urgent and the team",
            "feels stuck what would you say to a manager who never gives feedback",
            "should I ask for a promotion or wait until the project ships which",
            "skills matter most in the first year how did you learn to say no",
            "without burning bridges when is it time to change teams what makes a",
            "good mentor for someone switching careers into design or data how",
            "do I prepare for a hard conversation with my lead about workload",
        )
    ).split(" ")
)


def question_text(n: int, burst: int) -> str:
    pick = random.Random(n * 1000 + burst)
    words = [pick.choice(WORDS) for _ in range(pick.randint(8, 22))]
    return f"{' '.join(words).capitalize()}? ({n})"


async def phones(base: str, devices: int, code: str, bursts: int) -> None:
    host, port = base.rsplit(":", 1)
    crowd = [Phone(host, int(port), code, n) for n in range(devices)]
    await asyncio.gather(*(p.connect() for p in crowd))
    await asyncio.gather(*(p.request("GET", "/api/board") for p in crowd))
    start = time.monotonic()  # system-wide: the parent reads the same clock
    end = start + QUIET_S + bursts * BURST_EVERY_S
    print(json.dumps({"ready": start}), flush=True)
    records: list[tuple[str, float, float, int, int]] = []  # kind, at, ms, status, bytes

    async def timed(kind: str, phone: Phone, method: str, path: str, body: Any = None) -> None:
        at = time.monotonic()
        status, size = await phone.request(method, path, body)
        records.append((kind, at - start, (time.monotonic() - at) * 1000, status, size))

    async def poll(phone: Phone) -> None:
        tick = start + random.uniform(0, POLL_S)
        while tick < end:
            await asyncio.sleep(max(0.0, tick - time.monotonic()))
            await timed("poll", phone, "GET", "/api/board")
            tick += POLL_S

    async def ask(n: int, phone: Phone, burst: int) -> None:
        await asyncio.sleep(max(0.0, start + QUIET_S + burst * BURST_EVERY_S - time.monotonic()))
        text = question_text(n, burst)
        await timed("ask", phone, "POST", "/api/questions", {"text": text, "name": None})

    tasks = [poll(p) for p in crowd]
    tasks += [ask(n, p, b) for b in range(bursts) for n, p in enumerate(crowd)]
    await asyncio.gather(*tasks)
    for phone in crowd:
        phone.writer.close()
    print(json.dumps({"records": records}), flush=True)


# -- the app (this process) ------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Paints:
    """Wraps `app._display`: each screen update is rendered to a terminal sequence, then noted."""

    def __init__(self, app: Any, session: Any) -> None:
        from rich.console import Console

        self.session = session
        self.waiting: tuple[int, asyncio.Future] | None = None
        console = Console(
            file=io.StringIO(),
            width=SIZE[0],
            height=SIZE[1],
            force_terminal=True,
            color_system="truecolor",
            legacy_windows=False,
        )
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            if renderable is not None and hasattr(renderable, "render_segments"):
                renderable.render_segments(console)
            console.file = io.StringIO()  # don't keep the whole session's output
            original(screen, renderable)
            if self.waiting is not None and session.version >= self.waiting[0]:
                future = self.waiting[1]
                if not future.done():
                    future.set_result(time.perf_counter())

        app._display = display


class Keys:
    """Presses keys as a terminal would deliver them and times each to its repaint."""

    def __init__(self, app: Any, run: Any) -> None:
        self.app, self.session = app, run.session
        self.paints = Paints(app, run.session)
        self.recorded: asyncio.Future | None = None
        self.session.listeners.append(self._seen)
        self.presses = 0

    def _seen(self, event: dict) -> None:
        if event["source"] == "facilitator" and self.recorded and not self.recorded.done():
            self.recorded.set_result(self.session.version)

    async def press(self) -> float:
        from textual import events

        key = KEYS[self.presses % len(KEYS)]
        self.presses += 1
        loop = asyncio.get_running_loop()
        self.recorded = loop.create_future()
        painted = loop.create_future()
        start = time.perf_counter()
        self.app._driver.send_message(events.Key(key, key))
        version = await asyncio.wait_for(self.recorded, 10)
        self.paints.waiting = (version, painted)
        at = await asyncio.wait_for(painted, 10)
        self.paints.waiting = None
        return (at - start) * 1000


class Bursts:
    """Whether a burst's questions are on their way: sent on the phones' schedule, not all in."""

    def __init__(self, session: Any, devices: int) -> None:
        self.devices = devices
        self.count = 0
        self.first_at = math.inf  # the phones' clock: when the first burst is sent
        session.listeners.append(self._seen)

    def _seen(self, event: dict) -> None:
        if event["source"] == "phone" and event["kind"] == "question_added":
            self.count += 1

    def current(self) -> int:
        """The latest burst sent (0, 1, ...), or -1 before the first."""
        since = time.monotonic() - self.first_at
        return -1 if since < 0 else int(since // BURST_EVERY_S)

    @property
    def active(self) -> bool:
        burst = self.current()
        late = time.monotonic() - self.first_at - burst * BURST_EVERY_S > BURST_EVERY_S / 2
        return burst >= 0 and self.count < (burst + 1) * self.devices and not late

    def pause_s(self) -> float:
        """Between keys: a person's pace (every key changes what phones show, so
        each is a new board for all of them), but keys come thick around a burst."""
        burst = self.current()
        since = time.monotonic() - self.first_at - burst * BURST_EVERY_S
        if self.active or since > BURST_EVERY_S - 0.6:
            return 0.005
        return random.uniform(0.3, 0.6)


def make_app(data_dir: Path, port: int) -> tuple[Any, Any]:
    from circle.app import CircleApp
    from circle.domain.agenda import Agenda, AgendaItem
    from circle.domain.clock import SystemClock
    from circle.runtime import LiveRun
    from circle.storage import Store

    agenda = Agenda(title="Bench", items=(AgendaItem("Open questions", 3600, "board", ""),))
    store = Store(data_dir)
    run = LiveRun.start_new(
        store,
        SystemClock(),
        title="Room burst",
        agenda=agenda,
        mentors=["Ada", "Grace"],
        mentees=["Mira", "Jon", "Priya", "Leo", "Sam"],
    )
    for n in range(5):  # the facilitator's own, so that `v` has something to upvote
        run.session.add_question(f"Question {n + 1} from the room", None)
    return CircleApp(store, run, join=True, host="127.0.0.1", port=port), run


async def until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def one_run(devices: int, bursts: int) -> dict[str, Any]:
    samples: dict[str, list[float]] = {"idle": [], "polling": [], "burst": []}
    with tempfile.TemporaryDirectory() as tmp:
        app, run = make_app(Path(tmp), free_port())
        async with app.run_test(size=SIZE) as pilot:
            await until(lambda: app.join_server is not None, 20, "the join page")
            await pilot.press("escape")  # the join card; the header keeps the code
            await until(lambda: type(app.screen).__name__ == "LiveScreen", 10, "the live screen")
            keys, arriving = Keys(app, run), Bursts(run.session, devices)
            for _ in range(IDLE_KEYS):
                samples["idle"].append(await keys.press())
                await asyncio.sleep(random.uniform(0.03, 0.08))
            child = await asyncio.create_subprocess_exec(
                sys.executable,
                __file__,
                "--phones",
                f"127.0.0.1:{app.join_server.port}",
                str(devices),
                run.session.join_code,
                str(bursts),
                stdout=asyncio.subprocess.PIPE,
                limit=1 << 26,
            )
            assert child.stdout is not None
            ready = json.loads(await asyncio.wait_for(child.stdout.readline(), 120))["ready"]
            # Keys from the first burst on: the quiet phase stays quiet.
            arriving.first_at = ready + QUIET_S
            await asyncio.sleep(max(0.0, arriving.first_at - time.monotonic()))
            reading = asyncio.create_task(child.stdout.readline())
            while not reading.done():
                burst = arriving.active
                ms = await keys.press()
                samples["burst" if burst else "polling"].append(ms)
                await asyncio.sleep(arriving.pause_s())
            result = json.loads(await reading)
            await child.wait()
            run.writer.flush(10.0)
            on_board = arriving.count
    records = result["records"]
    after_setup = [ms for _, _, ms, _, _ in records]
    quiet = [r for r in records if r[0] == "poll" and r[1] < QUIET_S]
    last_burst = QUIET_S + (bursts - 1) * BURST_EVERY_S
    changed = [r[4] for r in records if r[0] == "poll" and r[3] == 200 and r[1] > last_burst]
    statuses: dict[str, int] = {}
    for kind, _, _, status, _ in records:
        statuses[f"{kind} {status}"] = statuses.get(f"{kind} {status}", 0) + 1
    return {
        "p99": percentile(after_setup, 0.99),
        "p50": statistics.median(after_setup),
        "ask_p99": percentile([r[2] for r in records if r[0] == "ask"], 0.99),
        "poll_p99": percentile([r[2] for r in records if r[0] == "poll"], 0.99),
        "quiet_bytes": statistics.fmean(r[4] for r in quiet) if quiet else math.nan,
        "quiet_304": sum(r[3] == 304 for r in quiet) / max(1, len(quiet)),
        "changed_bytes": statistics.median(changed) if changed else math.nan,
        "requests": len(records),
        "statuses": statuses,
        "lost": bursts * devices - on_board,
        "samples": samples,
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else math.nan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--bursts", type=int, default=1)
    parser.add_argument("--phones", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phones:
        base, devices, code, bursts = args.phones
        asyncio.run(phones(base, int(devices), code, int(bursts)))
        return

    print(
        f"join page with the app running: {args.devices} phones polling every {POLL_S} s, "
        f"{args.bursts} bursts of questions, {os.cpu_count()} cores"
    )
    print(
        f"  {'run':>3} {'requests':>8} {'p50 ms':>7} {'p99 ms':>7} {'poll p99':>8} "
        f"{'ask p99':>8} {'quiet B':>8} {'304 %':>6} {'changed B':>9} {'lost':>4}  statuses"
    )
    results = []
    for n in range(1, args.runs + 1):
        r = asyncio.run(one_run(args.devices, args.bursts))
        results.append(r)
        print(
            f"  {n:>3} {r['requests']:>8} {r['p50']:7.1f} {r['p99']:7.1f} {r['poll_p99']:8.1f} "
            f"{r['ask_p99']:8.1f} {r['quiet_bytes']:8.0f} {r['quiet_304'] * 100:6.1f} "
            f"{r['changed_bytes']:9.0f} {r['lost']:>4}  {r['statuses']}"
        )
    pooled = {
        phase: [ms for r in results for ms in r["samples"][phase]]
        for phase in ("idle", "polling", "burst")
    }
    print(f"  key to repaint      {'n':>5} {'median':>8} {'p90':>8} {'max':>8}  ms")
    for phase, times in pooled.items():
        if times:
            print(
                f"  {phase:<18} {len(times):>5} {statistics.median(times):8.1f} "
                f"{percentile(times, 0.9):8.1f} {max(times):8.1f}"
            )
    print()
    print(f"join_p99_ms_500 = {statistics.median(r['p99'] for r in results):.1f}")
    burst = pooled["burst"]
    print(f"ui_ms_during_burst = {percentile(burst, 0.9):.1f}")
    print(f"ui_ms_during_burst_median = {statistics.median(burst) if burst else math.nan:.1f}")
    for phase in ("polling", "idle"):
        value = statistics.median(pooled[phase]) if pooled[phase] else math.nan
        print(f"ui_ms_{phase} = {value:.1f}")
    print(f"poll_bytes_unchanged = {statistics.median(r['quiet_bytes'] for r in results):.0f}")
    print(f"poll_bytes_changed = {statistics.median(r['changed_bytes'] for r in results):.0f}")
    print(f"join_live_lost = {max(r['lost'] for r in results)}")


if __name__ == "__main__":
    main()

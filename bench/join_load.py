"""The join page under a room's burst: 200 phones ask and vote at once.

    python bench/join_load.py [--runs N] [--devices N]

The server runs as the app runs it, in a process of its own
(`circle.web.link`), for a real session in this process saved the way the
app saves it (`circle.runtime.LiveRun`: every event goes to the background
`SessionWriter`, group commit), and a write is answered only once the group
commit that holds it is on disk. The phones run in a child
process, as phones are other machines: 200 devices on loopback, each from an
address of its own (127.2.x.y, as phones in a room each have theirs) with an
open keep-alive connection. Each loads the board first, which gives it its
signed device token, then all at once each posts a question and votes for it.

Figures (median over runs):
- join_rps        writes answered per second during the burst
- join_p50_ms     median latency of a write, as the phone sees it (durable when answered)
- join_p99_ms     99th percentile latency
- join_lost       questions that did not reach the board and the file on disk
- join_durable_s  from the burst's start until every write is durable
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path


# -- the phones (child process) ------------------------------------------------------
class Phone:
    """One device on its own keep-alive connection, speaking plain HTTP/1.1.

    Hand-written requests keep the load generator cheap, so the figures are
    the server's and not the client library's.
    """

    def __init__(self, host: str, port: int, code: str, n: int) -> None:
        self.host, self.port = host, port
        self.address = f"127.2.{n // 250}.{n % 250 + 1}"
        self.head = f"Host: {host}:{port}\r\nX-Circle-Code: {code}\r\n"

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(
            self.host, self.port, local_addr=(self.address, 0)
        )

    async def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = b"" if body is None else json.dumps(body).encode()
        self.writer.write(
            f"{method} {path} HTTP/1.1\r\n{self.head}Content-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n\r\n".encode()
            + data
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
            elif name.lower() == b"set-cookie" and value.strip().startswith(b"circle_device="):
                # The device token the server issued: from now on this phone is that device.
                token = value.strip().split(b";")[0].decode()
                self.head += f"Cookie: {token}\r\n"
        return status, json.loads(await self.reader.readexactly(length))


async def phones(base: str, devices: int, code: str) -> dict:
    host, port = base.rsplit(":", 1)
    crowd = [Phone(host, int(port), code, n) for n in range(devices)]
    await asyncio.gather(*(p.connect() for p in crowd))
    # The page is open and polling: each phone has its device token.
    await asyncio.gather(*(p.request("GET", "/api/board") for p in crowd))
    latencies: list[float] = []
    statuses: dict[str, int] = {}

    async def write(phone: Phone, path: str, body: dict | None) -> dict:
        started = time.perf_counter()
        status, reply = await phone.request("POST", path, body)
        latencies.append((time.perf_counter() - started) * 1000)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        return reply

    async def device(n: int, phone: Phone) -> None:
        text = f"Device {n}: how do you keep a 1:1 useful when nothing is urgent?"
        question = await write(phone, "/api/questions", {"text": text, "name": None})
        if "id" in question:
            await write(phone, f"/api/questions/{question['id']}/vote", None)

    start = time.monotonic()  # system-wide: comparable with the server's clock
    await asyncio.gather(*(device(n, p) for n, p in enumerate(crowd)))
    end = time.monotonic()
    for phone in crowd:
        phone.writer.close()
    return {"start": start, "end": end, "latencies": latencies, "statuses": statuses}


# -- the server (this process) ------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_run(data_dir: Path):
    """A session saved like the app saves it, or as close as this checkout allows."""
    from circle.domain.agenda import Agenda, AgendaItem
    from circle.domain.clock import SystemClock
    from circle.domain.session import Session

    agenda = Agenda(title="Bench", items=(AgendaItem("Questions", 1800, "board", ""),))
    people = dict(mentors=["Ada"], mentees=["Mira", "Jon", "Priya", "Leo"])
    try:
        from circle.runtime import LiveRun
        from circle.storage import Store
    except ImportError:
        session = Session.create(title="Bench", agenda=agenda, clock=SystemClock(), **people)
        return session, None, None
    run = LiveRun.start_new(Store(data_dir), SystemClock(), title="Bench", agenda=agenda, **people)
    return run.session, run, Store(data_dir)


class Durable:
    """`durable(seq)` for the join server: returns once the writer has that event on disk.

    One poller for every waiting write, so a burst costs one timer, not 400.
    """

    def __init__(self, run) -> None:
        self.run = run
        self.waiting: list[tuple[int, asyncio.Future]] = []
        self.poller: asyncio.Task | None = None

    async def __call__(self, seq: int) -> None:
        if self.run is None or self.run.writer.durable_seq >= seq:
            return
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((seq, future))
        if self.poller is None or self.poller.done():
            self.poller = asyncio.create_task(self.poll())
        await future

    async def poll(self) -> None:
        while self.waiting:
            await asyncio.sleep(0.001)
            done = self.run.writer.durable_seq
            still = []
            for seq, future in self.waiting:
                if seq <= done:
                    if not future.done():
                        future.set_result(None)
                else:
                    still.append((seq, future))
            self.waiting = still


def make_server(session, on_change, durable):
    """The join page as the app opens it: in a process of its own where the checkout
    has one, else on this process's loop."""
    port = free_port()
    try:
        from circle.web.link import JoinLink
    except ImportError:
        from circle.web.server import JoinServer

        return JoinServer(lambda: session, on_change, "127.0.0.1", port, durable=durable)
    return JoinLink(
        lambda: session, on_change, "127.0.0.1", port, secret=os.urandom(32), durable=durable
    )


async def one_run(devices: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        session, run, store = make_run(Path(tmp))
        events: list[dict] = []
        phone_writes = asyncio.Event()

        def seen(event: dict) -> None:  # every event, in order, as the app's listener sees it
            events.append(event)
            if event["source"] == "phone" and len(events) >= 2 * devices:
                phone_writes.set()  # a question and a vote per device, nothing else

        session.listeners.append(seen)
        redraws = 0

        def on_change() -> None:
            nonlocal redraws
            redraws += 1

        server = make_server(session, on_change, Durable(run))
        await server.start()
        try:
            child = await asyncio.create_subprocess_exec(
                sys.executable,
                __file__,
                "--phones",
                f"127.0.0.1:{server.port}",
                str(devices),
                session.join_code,
                stdout=asyncio.subprocess.PIPE,
            )
            # Durable: every phone write recorded, then the writer's flush covers it.
            with contextlib.suppress(TimeoutError):  # a lost write shows up as join_lost
                await asyncio.wait_for(phone_writes.wait(), 30)
            if run is not None and not await asyncio.to_thread(run.writer.flush, 10):
                sys.exit("the writer did not finish")
            durable_at = time.monotonic()
            out, _ = await child.communicate()
            result = json.loads(out)
            on_board = sum(q.source == "phone" for q in session.board.ordered())
            on_disk, writes = on_board, 0
            if run is not None:
                writes = run.writer.writes
                run.close()
                stored = store.load_session(run.session_id).events
                on_disk = sum(
                    e["kind"] == "question_added" and e["source"] == "phone" for e in stored
                )
        finally:
            await server.stop()
    lat = sorted(result["latencies"])
    return {
        "rps": len(lat) / (result["end"] - result["start"]),
        "p50": statistics.median(lat),
        "p99": lat[min(len(lat) - 1, round(0.99 * len(lat)) - 1)],
        "lost": devices - min(on_board, on_disk),
        "durable": durable_at - result["start"],
        "statuses": result["statuses"],
        "file_writes": writes,
        "redraws": redraws,
        "saved": run is not None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--phones", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phones:
        print(json.dumps(asyncio.run(phones(args.phones[0], int(args.phones[1]), args.phones[2]))))
        return

    print(f"join page load: {args.devices} devices on loopback, {os.cpu_count()} cores")
    print(
        f"  {'run':>3} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8} {'lost':>5} "
        f"{'durable s':>10} {'file writes':>11} {'on_change':>9}  statuses"
    )
    results = []
    for n in range(1, args.runs + 1):
        r = asyncio.run(one_run(args.devices))
        results.append(r)
        print(
            f"  {n:>3} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} {r['lost']:5d} "
            f"{r['durable']:10.3f} {r['file_writes']:11d} {r['redraws']:9d}  {r['statuses']}"
        )
    if not results[0]["saved"]:
        print("  (no circle.runtime/storage in this checkout: durable = all in the session)")
    median = {k: statistics.median(r[k] for r in results) for k in ("rps", "p50", "p99", "durable")}
    print(f"join_rps = {median['rps']:.0f}")
    print(f"join_p50_ms = {median['p50']:.1f}")
    print(f"join_p99_ms = {median['p99']:.1f}")
    print(f"join_lost = {max(r['lost'] for r in results)}")
    print(f"join_durable_s = {median['durable']:.3f}")


if __name__ == "__main__":
    main()

"""The console's hub and the walls' feeds over real sockets."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from circle.channel import paths
from circle.channel.feed import FeedUpdate, WallFeed
from circle.channel.framing import HELLO, LineSplitter
from circle.channel.hub import WallHub
from circle.channel.paths import AlreadyRunning, find_running
from tests.channel.helpers import until

SID = "20261120-0900-abcd"
REPO = Path(__file__).resolve().parents[2]


async def next_update(feed: WallFeed, timeout: float = 5.0) -> FeedUpdate:
    return await asyncio.wait_for(anext(feed), timeout)


async def snapshot_where(feed: WallFeed, n: int, timeout: float = 5.0) -> FeedUpdate:
    """Updates until the one whose snapshot is number `n` (skipping older ones)."""
    async with asyncio.timeout(timeout):
        while True:
            update = await anext(feed)
            if update.snapshot is not None and update.snapshot.get("n") == n:
                return update


@pytest.fixture
async def hub(data_dir: Path) -> AsyncIterator[WallHub]:
    counts: list[int] = []
    hub = WallHub(data_dir, SID, on_count=counts.append, stall_timeout_s=0.3)
    hub.counts = counts  # type: ignore[attr-defined]
    await hub.start()
    yield hub
    await hub.stop()


def feed_for(data_dir: Path) -> WallFeed:
    return WallFeed(data_dir, SID, retry_s=0.05)


async def test_a_wall_receives_what_the_console_publishes(hub: WallHub, data_dir: Path) -> None:
    hub.publish({"n": 1})
    async with feed_for(data_dir) as feed:
        assert await next_update(feed) == FeedUpdate(True, {"n": 1})  # at once, on attaching
        assert hub.count == 1 and hub.counts == [1]  # type: ignore[attr-defined]
        hub.publish({"n": 2, "text": "Réunion ☕"})
        assert await next_update(feed) == FeedUpdate(True, {"n": 2, "text": "Réunion ☕"})
        assert feed.running is True and feed.latest == {"n": 2, "text": "Réunion ☕"}
    await until(lambda: hub.count == 0)
    assert hub.counts == [1, 0]  # type: ignore[attr-defined]


async def test_three_walls_follow_one_console(hub: WallHub, data_dir: Path) -> None:
    feeds = [feed_for(data_dir) for _ in range(3)]
    for feed in feeds:
        feed.start()
    await until(lambda: hub.count == 3)
    assert hub.counts == [1, 2, 3]  # type: ignore[attr-defined]
    hub.publish({"n": 7})
    for feed in feeds:
        assert (await snapshot_where(feed, 7)).running
    await feeds[0].aclose()
    await until(lambda: hub.count == 2)
    hub.publish({"n": 8})
    for feed in feeds[1:]:
        assert (await snapshot_where(feed, 8)).running
        await feed.aclose()
    await until(lambda: hub.count == 0)


async def test_a_probe_is_not_a_wall(hub: WallHub, data_dir: Path) -> None:
    assert find_running(data_dir) == [SID]
    assert paths.answers(hub.path)
    await asyncio.sleep(0.1)
    assert hub.count == 0 and hub.counts == []  # type: ignore[attr-defined]


async def test_a_busy_wall_gets_only_the_latest_snapshot(hub: WallHub, data_dir: Path) -> None:
    async with feed_for(data_dir) as feed:
        await until(lambda: hub.count == 1)
        for n in range(1, 21):
            hub.publish({"n": n})
            await asyncio.sleep(0.005)
        await until(lambda: feed.latest == {"n": 20})
        # The wall was drawing all along: it is handed the newest, not a backlog.
        assert await next_update(feed) == FeedUpdate(True, {"n": 20})


async def test_a_slow_wall_skips_to_the_latest_snapshot(data_dir: Path) -> None:
    hub = WallHub(data_dir, SID, stall_timeout_s=30)
    await hub.start()
    slow = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    try:
        slow.connect(str(hub.path))
        slow.sendall(HELLO)
        await until(lambda: hub.count == 1)
        padding = "x" * 200_000
        for n in range(1, 41):  # published while the wall reads nothing
            hub.publish({"n": n, "padding": padding})
            await asyncio.sleep(0.01)
        received = await asyncio.to_thread(read_until, slow, 40)
        # What was on its way when the wall stalled, then straight to the newest.
        assert received == sorted(received)
        assert len(received) < 10, received
    finally:
        slow.close()
        await hub.stop()


def read_until(sock: socket.socket, last: int) -> list[int]:
    """Read the snapshots' numbers off a blocking socket until `last` arrives."""
    sock.settimeout(5)
    splitter, received = LineSplitter(), []
    while not received or received[-1] != last:
        chunk = sock.recv(1 << 16)
        assert chunk, "the hub hung up"
        received += [json.loads(line)["n"] for line in splitter.feed(chunk)]
    return received


async def test_a_wall_that_doesnt_read_never_slows_the_console(
    hub: WallHub, data_dir: Path
) -> None:
    stuck = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stuck.connect(str(hub.path))
    stuck.sendall(HELLO)  # then never reads a byte
    try:
        async with feed_for(data_dir) as feed:
            await until(lambda: hub.count == 2)
            padding = "x" * 200_000  # a few of these fill every buffer on the way
            slowest = 0.0
            for n in range(1, 41):
                started = time.perf_counter()
                hub.publish({"n": n, "padding": padding})
                slowest = max(slowest, time.perf_counter() - started)
                await asyncio.sleep(0.02)
            assert slowest < 0.1, f"publish took {slowest:.3f} s with a stuck wall"
            # The stuck wall is dropped; the reading one still has everything.
            await until(lambda: hub.count == 1)
            assert (await snapshot_where(feed, 40)).running
            hub.publish({"n": 41})
            assert (await snapshot_where(feed, 41)).running
    finally:
        stuck.close()


async def test_the_console_stopping_and_coming_back(data_dir: Path) -> None:
    feed = feed_for(data_dir)
    assert await next_update(feed) == FeedUpdate(False, None)  # opened before the console
    first = WallHub(data_dir, SID)
    await first.start()
    first.publish({"n": 1})
    assert await next_update(feed) == FeedUpdate(True, {"n": 1})
    await first.stop()
    assert not first.path and not paths.default_socket_path(data_dir, SID).exists()
    # Said once, with the last snapshot, however many retries follow.
    assert await next_update(feed) == FeedUpdate(False, {"n": 1})
    with pytest.raises(TimeoutError):
        await next_update(feed, timeout=0.3)
    resumed = WallHub(data_dir, SID)
    await resumed.start()
    resumed.publish({"n": 2})
    assert await next_update(feed) == FeedUpdate(True, {"n": 2})
    await feed.aclose()
    await resumed.stop()
    with pytest.raises(StopAsyncIteration):
        await anext(feed)


CONSOLE = """
import asyncio, sys
from circle.channel.hub import WallHub

async def main():
    hub = WallHub(sys.argv[1], sys.argv[2])
    await hub.start()
    n = 0
    while True:
        n += 1
        hub.publish({"n": n, "from": "subprocess"})
        if n == 1:
            print("serving", flush=True)
        await asyncio.sleep(0.05)

asyncio.run(main())
"""


async def test_a_killed_console_leaves_the_wall_waiting_until_resumed(data_dir: Path) -> None:
    console = subprocess.Popen(
        [sys.executable, "-c", CONSOLE, str(data_dir), SID],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert console.stdout is not None
        assert await asyncio.to_thread(console.stdout.readline) == "serving\n"
        async with feed_for(data_dir) as feed:
            update = await next_update(feed)
            assert update.running and update.snapshot["from"] == "subprocess"
            # A second console on the same session is refused while this one lives.
            with pytest.raises(AlreadyRunning, match="already running in another console"):
                await WallHub(data_dir, SID).start()
            os.kill(console.pid, signal.SIGKILL)
            console.wait()
            while (await next_update(feed)).running:
                pass  # snapshots sent before the kill may still be arriving
            assert paths.default_socket_path(data_dir, SID).exists()  # left behind
            assert find_running(data_dir) == []
            resumed = WallHub(data_dir, SID)
            await resumed.start()  # the stale socket is replaced
            try:
                resumed.publish({"n": 1, "from": "resumed"})
                update = await next_update(feed)
                assert update == FeedUpdate(True, {"n": 1, "from": "resumed"})
            finally:
                await resumed.stop()
    finally:
        if console.poll() is None:
            console.kill()
            console.wait()
        console.stdout.close()


async def test_the_socket_is_for_this_user_only(hub: WallHub, data_dir: Path) -> None:
    assert hub.path == data_dir / "run" / f"{SID}.sock"
    info = hub.path.lstat()
    assert stat.S_ISSOCK(info.st_mode)
    assert stat.S_IMODE(info.st_mode) == 0o600
    assert info.st_uid == os.getuid()
    assert stat.S_IMODE(hub.path.parent.stat().st_mode) == 0o700


async def test_a_second_console_on_a_live_session_is_refused(hub: WallHub, data_dir: Path) -> None:
    with pytest.raises(AlreadyRunning, match=f"Session {SID} is already running"):
        await WallHub(data_dir, SID).start()
    # The lock alone refuses it, before any socket is looked at: two consoles
    # starting at the same moment can't both see a free path.
    with open(paths.lock_path(data_dir, SID), "rb") as lock, pytest.raises(BlockingIOError):
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    # The first console still serves, its socket untouched.
    async with feed_for(data_dir) as feed:
        hub.publish({"n": 3})
        assert (await snapshot_where(feed, 3)).running


async def test_a_socket_that_answers_is_never_taken_over(data_dir: Path) -> None:
    # Another console whose lock this one can't see (say, one started before
    # the data directory was moved back): its live socket still wins.
    path = paths.serving_path(data_dir, SID)
    other = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    other.bind(str(path))
    other.listen()
    try:
        with pytest.raises(AlreadyRunning):
            await WallHub(data_dir, SID).start()
        assert paths.answers(path)
    finally:
        other.close()
    # The lock was let go with the refusal: once the socket is stale, start works.
    hub = WallHub(data_dir, SID)
    await hub.start()
    await hub.stop()


async def test_something_else_in_the_sockets_place_is_left_alone(data_dir: Path) -> None:
    path = paths.serving_path(data_dir, SID)
    path.write_text("not mine to delete")
    with pytest.raises(paths.ChannelError, match="not a socket"):
        await WallHub(data_dir, SID).start()
    assert path.read_text() == "not mine to delete"


async def test_a_deep_data_dir_serves_through_the_runtime_dir(
    long_data_dir: Path, runtime_dir: Path
) -> None:
    hub = WallHub(long_data_dir, SID)
    await hub.start()
    pointer = paths.pointer_path(long_data_dir, SID)
    try:
        assert hub.path is not None and hub.path.parent == runtime_dir / "circle"
        assert stat.S_IMODE(hub.path.lstat().st_mode) == 0o600
        assert pointer.read_text().strip() == str(hub.path)
        assert find_running(long_data_dir) == [SID]
        hub.publish({"n": 5})
        async with WallFeed(long_data_dir, SID, retry_s=0.05) as feed:
            assert await next_update(feed) == FeedUpdate(True, {"n": 5})
    finally:
        path = hub.path
        await hub.stop()
    assert not path.exists() and not pointer.exists()


async def test_the_wall_skips_lines_that_arent_snapshots(data_dir: Path) -> None:
    path = paths.serving_path(data_dir, SID)
    served = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readline()
        writer.write(b"not json\n[1, 2]\n\xff\xfe\n")
        writer.write(b'{"n": "' + b"x" * (1 << 21) + b'"}\n')  # over the size limit
        writer.write(b'{"n": 1}\n')
        await writer.drain()
        await reader.read()  # until the wall hangs up
        writer.close()
        served.set()

    server = await asyncio.start_unix_server(serve, path=str(path))
    try:
        async with feed_for(data_dir) as feed:
            assert await next_update(feed) == FeedUpdate(True, {"n": 1})
        await asyncio.wait_for(served.wait(), 5)
    finally:
        server.close()


async def test_a_snapshot_that_cant_be_sent_keeps_the_last_one(
    hub: WallHub, data_dir: Path
) -> None:
    hub.publish({"n": 1})
    async with feed_for(data_dir) as feed:
        await snapshot_where(feed, 1)
        hub.publish({"n": float("nan")})
        hub.publish({"n": 2})
        assert await next_update(feed) == FeedUpdate(True, {"n": 2})
        hub.publish({"n": float("nan")})
        # A wall attaching now is shown the last snapshot that could go.
        async with feed_for(data_dir) as late:
            assert await next_update(late) == FeedUpdate(True, {"n": 2})
    assert hub.unsent == 2


async def test_a_data_dir_that_cant_hold_the_socket_is_a_one_line_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("a file where the data directory should be")
    with pytest.raises(paths.ChannelError, match="Can't make .* for the wall's socket") as caught:
        await WallHub(not_a_dir, SID).start()
    assert "\n" not in str(caught.value)

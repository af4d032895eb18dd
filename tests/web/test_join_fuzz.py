"""Fuzzing the join page: whatever bytes arrive, never a 500, never a traceback or a path.

The server runs in a thread of its own, on a real socket; hypothesis sends
raw HTTP/1.1 with made-up bodies and headers (invalid UTF-8, lone
surrogates spelled in JSON, wrong types, foreign origins, forged tokens),
each from its own loopback address so the per-address limits don't end the
exploration early.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from circle.domain.clock import FakeClock
from circle.web.server import JoinServer
from tests.conftest import make_session

CODE = b"ABCDEF"
LEAKS = (b"Traceback", b'File "', b".py", b"/home", b"/tmp", b"/work", b"/usr", b"site-packages")


class Served:
    def __init__(self) -> None:
        self.session = make_session(FakeClock())
        self.session.add_question("Vote me")
        self.session.open_pulse()
        self.qid = self.session.board.ordered()[0].id
        self.loop = asyncio.new_event_loop()
        self.server = JoinServer(lambda: self.session, lambda: None, host="127.0.0.1", port=0)
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.run(self.server.start())
        self.port = self.server.port
        self.issued = 0
        # Each request from an address of its own, so per-address limits don't end the run.
        self.addresses = iter(f"127.1.{n // 250}.{n % 250 + 1}" for n in range(60_000))

    def run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    def token(self) -> bytes:
        """A token issued as to a phone of its own (each address gets 30 a minute)."""
        self.issued += 1
        token = self.server.tokens.issue(f"phone {self.issued}", self.session.join_code)
        assert token is not None
        return token.encode()

    def close(self) -> None:
        self.run(self.server.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    served = Served()
    yield served
    served.close()


# Header values: mostly bytes a parser lets through (printable, and any byte
# from 0x80 up, which is not UTF-8 on its own), now and then control bytes.
header_bytes = st.binary(max_size=24).map(
    lambda b: bytes(c for c in b if c >= 0x20 and c != 0x7F)
) | st.binary(max_size=8).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b""))


def mostly(usual: st.SearchStrategy, odd: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(usual, usual, usual, odd)


texts = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()), max_size=40
)  # lone surrogates included: JSON spells them as \udXXX
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-20, 20) | st.floats(allow_nan=True) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
plain = st.text(alphabet="abc xyz?!é<>&", min_size=1, max_size=30)
json_bodies = st.fixed_dictionaries(
    {
        "text": mostly(plain, texts | json_values),
        "name": mostly(st.sampled_from(["Mira", "Ada", "Zed", "mira", None]), json_values),
        "up": mostly(st.booleans(), json_values),
    },
    optional={
        "score": mostly(st.integers(0, 11), json_values),
        "comment": mostly(plain, texts | json_values),
    },
).map(lambda d: json.dumps(d).encode())
form_bodies = st.lists(
    st.tuples(
        st.sampled_from([b"code", b"text", b"name", b"x"]),
        mostly(st.sampled_from([CODE, b"Mira", b"hello"]), st.binary(max_size=20)),
    ),
    max_size=4,
).map(lambda pairs: b"&".join(k + b"=" + quote_from_bytes(v).encode() for k, v in pairs))
bodies = (
    json_bodies | form_bodies | st.binary(max_size=200) | st.binary(min_size=4097, max_size=4200)
)


VOTE = b"/api/questions/{qid}/vote"
ROUTES = [
    (b"POST", b"/api/questions"),
    (b"POST", b"/api/hand"),
    (b"POST", b"/api/pulse"),
    (b"POST", b"/ask"),
    (b"POST", VOTE),
    (b"DELETE", VOTE),
    (b"GET", b"/api/board"),
    (b"GET", b"/"),
]
ANY_ROUTE = st.tuples(
    st.sampled_from([b"GET", b"POST", b"DELETE", b"PUT", b"HEAD", b"OPTIONS"]),
    st.sampled_from(
        [b"/api/questions/999/vote", b"/static/page.js", b"/static/../server.py", b"/nowhere"]
        + [path for _, path in ROUTES]
    ),
)


@st.composite
def requests(draw, served: Served, route: tuple[bytes, bytes] | None) -> tuple[bytes, bytes]:
    """One request. With a `route`, the envelope is what the page sends (the right code,
    a valid token, our own host and origin) so made-up bodies reach the checks deep
    inside; without one, every header may be anything too."""
    odd_headers = route is None

    def header(usual: st.SearchStrategy, odd: st.SearchStrategy):
        return draw(mostly(usual, odd) if odd_headers else usual)

    method, path = route or draw(ANY_ROUTE)
    path = path.replace(b"{qid}", b"%d" % served.qid)
    odd_query = st.sampled_from([b"?code=ABCDEF", b"?code=", b"?code=%FF%ED%A0%80"]) | st.binary(
        max_size=8
    ).map(lambda b: b"?code=" + quote_from_bytes(b).encode())
    query = header(st.just(b""), odd_query)
    host = header(st.just(b"127.0.0.1:%d" % served.port), st.just(b"x") | header_bytes)
    headers = [b"Host: " + host]
    code = header(st.just(CODE), st.sampled_from([None, b"abcdef"]) | header_bytes)
    if code is not None:
        headers.append(b"X-Circle-Code: " + code)
    device = header(st.just(b"valid"), st.sampled_from([None, b"forged.token"]) | header_bytes)
    cookies = []
    if device is not None:
        cookies.append(b"circle_device=" + (served.token() if device == b"valid" else device))
    if odd_headers and draw(st.booleans()):
        cookies.append(b"circle_code=" + draw(st.sampled_from([CODE]) | header_bytes))
    if cookies:
        headers.append(b"Cookie: " + b"; ".join(cookies))
    form = path == b"/ask"
    content_type = header(
        st.just(b"application/x-www-form-urlencoded" if form else b"application/json"),
        st.sampled_from([None, b"text/plain"]) | header_bytes,
    )
    if content_type is not None:
        headers.append(b"Content-Type: " + content_type)
    ours = b"http://127.0.0.1:%d" % served.port
    origin = header(
        st.sampled_from([None, ours]), st.sampled_from([b"null", b"http://evil"]) | header_bytes
    )
    if origin is not None:
        headers.append(b"Origin: " + origin)
    if odd_headers and draw(st.booleans()):
        headers.append(b"If-None-Match: " + draw(header_bytes))
    usual_body = form_bodies if path == b"/ask" else json_bodies
    body = draw(mostly(usual_body, bodies))
    headers.append(b"Content-Length: %d" % len(body))
    head = method + b" " + path + query + b" HTTP/1.1\r\n" + b"\r\n".join(headers) + b"\r\n"
    return head, body


def send(port: int, source: str, head: bytes, body: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0)) as s:
        s.sendall(head + b"Connection: close\r\n\r\n" + body)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    "route",
    [*ROUTES, None],
    ids=[f"{m.decode()} {p.decode()}" for m, p in ROUTES] + ["any headers"],
)
def test_no_request_gets_a_500_or_a_trace(served: Served, route) -> None:
    addresses = served.addresses

    @settings(
        max_examples=80 if route else 400,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def check(data) -> None:
        head, body = data.draw(requests(served, route))
        answer = send(served.port, next(addresses), head, body)
        status = int(answer.split(b" ", 2)[1])
        assert status < 500, answer[:300]
        for leak in LEAKS:
            assert leak not in answer, answer[:300]

    check()
    # Nothing that can't be written as UTF-8 reached the session.
    json.dumps(served.session.events, ensure_ascii=False).encode("utf-8")

"""One snapshot a line, with a size limit; what isn't a snapshot is skipped."""

from __future__ import annotations

import json

from circle.channel.framing import MAX_LINE, LineSplitter, decode, encode, to_json


def test_a_snapshot_is_one_ascii_line_whatever_its_text() -> None:
    snapshot = {"title": "Réunion\nde mentorat 🌱", "board": [{"text": "a\u2028b\ud800"}]}
    line = encode(snapshot)
    assert line is not None
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert line.isascii()
    assert decode(line[:-1]) == snapshot


def test_what_cant_go_is_not_encoded() -> None:
    assert encode({"x": float("nan")}) is None
    assert encode({"x": object()}) is None
    assert encode({"x": "a" * MAX_LINE}) is None


def test_lines_that_arent_snapshots_decode_to_none() -> None:
    for line in (b"", b"{", b"[1, 2]", b'"text"', b"\xff\xfe", b"null", b"[" * 100_000):
        assert decode(line) is None
    assert decode(b'{"a": 1}') == {"a": 1}


def test_lines_are_found_across_any_chunking() -> None:
    stream = b"".join(json.dumps({"n": n}).encode() + b"\n" for n in range(50))
    for size in (1, 3, 7, 64, len(stream)):
        splitter = LineSplitter()
        lines = []
        for start in range(0, len(stream), size):
            lines += splitter.feed(stream[start : start + size])
        assert [decode(line) for line in lines] == [{"n": n} for n in range(50)]


def test_an_overlong_line_is_skipped_whole_and_memory_stays_bounded() -> None:
    splitter = LineSplitter(limit=100)
    assert splitter.feed(b'{"a": 1}\n' + b"x" * 60) == [b'{"a": 1}']
    for _ in range(100):  # 6000 bytes of one line, arriving in pieces
        assert splitter.feed(b"y" * 60) == []
        assert len(splitter._buffer) < 100
    # Its tail, even one that looks like JSON, is not taken for a line.
    assert splitter.feed(b'{"tail": 1}\n{"b": 2}\n') == [b'{"b": 2}']


def test_parts_encoded_already_make_the_same_line_as_the_whole() -> None:
    snapshot = {"title": "Réunion 🌱", "n": 3, "board": [{"text": "a\u2028b", "votes": 2}]}
    parts = {"board": to_json(snapshot["board"])}
    line = encode(snapshot, parts)
    assert line is not None and line.isascii() and line.count(b"\n") == 1
    assert decode(line[:-1]) == decode(encode(snapshot)[:-1]) == snapshot
    # The encoded part wins over the snapshot's own, which isn't encoded again.
    assert decode(encode({"board": object()}, parts)[:-1]) == {"board": snapshot["board"]}
    assert encode({"x": float("nan")}, parts) is None

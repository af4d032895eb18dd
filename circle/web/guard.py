"""Who may talk to the join page: device tokens, throttles, join codes and origins.

Plain rules over strings and clocks, with no HTTP in them. Everything here
reads values an attacker in the room chose (headers, cookies, query strings),
so every function accepts any `str` at all, lone surrogates included, and
answers False or None rather than raising.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
import time
from collections import deque
from collections.abc import Callable
from urllib.parse import urlsplit

TOKENS_PER_MINUTE = 30
KNOWN_TOKENS = 4096
WRONG_CODES, WRONG_CODE_WINDOW_S, WRONG_CODE_BLOCK_S = 10, 60.0, 60.0
# 16 random bytes name the device; 16 bytes of HMAC-SHA256 vouch for it.
_TOKEN = re.compile(r"([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_FORGET_AFTER = 5000  # keys kept before idle ones are dropped, so tables stay small


class RateLimiter:
    """At most `limit` hits per `window` seconds per key (sliding window)."""

    def __init__(self, limit: int, window: float, now: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.now = limit, window, now
        self.hits: dict[str, deque[float]] = {}

    def hit(self, key: str) -> float | None:
        """Count a hit; None if allowed, else the seconds until it would be."""
        now = self.now()
        if len(self.hits) > _FORGET_AFTER:
            self.hits = {k: q for k, q in self.hits.items() if q and now - q[-1] < self.window}
        recent = self.hits.setdefault(key, deque())
        while recent and now - recent[0] >= self.window:
            recent.popleft()
        if len(recent) >= self.limit:
            return self.window - (now - recent[0])
        recent.append(now)
        return None


class DeviceTokens:
    """Device tokens signed with the session's secret.

    A token is `ID.MAC`: the MAC covers the join code too, so a token issued
    for one session is foreign to any other. The device is known by its ID
    alone, which is what the session stores: a copy of the session file
    can't be turned back into a working token.
    """

    def __init__(
        self,
        secret: bytes,
        per_minute: int = TOKENS_PER_MINUTE,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        if len(secret) < 16:
            raise ValueError("a device secret needs at least 16 bytes")
        self._secret = secret
        self.issued = RateLimiter(per_minute, 60.0, now)
        # Tokens already checked: every phone shows its own on every poll. Only
        # genuine ones are kept, so forged ones can't fill it.
        self._known: dict[tuple[str, str], str] = {}

    def _mac(self, scope: str, ident: str) -> str:
        message = f"circle-device\0{scope}\0{ident}".encode()
        digest = hmac.digest(self._secret, message, "sha256")[:16]  # one C call
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def device(self, token: str | None, scope: str) -> str | None:
        """The device a token names; None if it is missing, malformed, forged or foreign."""
        if token and (known := self._known.get((token, scope))) is not None:
            return known
        match = _TOKEN.fullmatch(token) if token else None
        if match is None or not scope.isascii():
            return None
        if not hmac.compare_digest(match[2], self._mac(scope, match[1])):
            return None
        if len(self._known) >= KNOWN_TOKENS:
            self._known.clear()
        self._known[(match[0], scope)] = device = f"c:{match[1]}"
        return device

    def issue(self, address: str, scope: str) -> str | None:
        """A new token, unless this address already had its share this minute."""
        if not scope.isascii() or self.issued.hit(address) is not None:
            return None
        ident = secrets.token_urlsafe(16)
        return f"{ident}.{self._mac(scope, ident)}"


class WrongCodes:
    """After too many wrong join codes from one address, that address waits."""

    def __init__(
        self,
        limit: int = WRONG_CODES,
        window: float = WRONG_CODE_WINDOW_S,
        block: float = WRONG_CODE_BLOCK_S,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.counter = RateLimiter(limit - 1, window, now)
        self.block, self.now = block, now
        self.blocked_until: dict[str, float] = {}

    def wait(self, address: str) -> float | None:
        """Seconds this address must still wait, or None if it may go on."""
        until = self.blocked_until.get(address)
        if until is None:
            return None
        left = until - self.now()
        if left <= 0:
            del self.blocked_until[address]
            return None
        return left

    def wrong(self, address: str) -> None:
        """Count a wrong code; the one that reaches the limit starts the wait."""
        if self.counter.hit(address) is not None:
            self.counter.hits.pop(address, None)  # after the wait, a fresh count
            now = self.now()
            if len(self.blocked_until) > _FORGET_AFTER:
                self.blocked_until = {a: t for a, t in self.blocked_until.items() if t > now}
            self.blocked_until[address] = now + self.block


def clean_code(given: str | None) -> str | None:
    """A code as typed (any case, spaces round it); None when nothing was given."""
    if given is None:
        return None
    given = given.strip()
    return given.upper() if given else None


def code_matches(given: str, expected: str) -> bool:
    # Only ASCII is compared: a header's invalid UTF-8 arrives as lone
    # surrogates, which could not even be encoded for the comparison.
    if not expected or not given.isascii():
        return False
    return hmac.compare_digest(given.encode("ascii"), expected.encode("ascii"))


def _origin_of(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme not in _DEFAULT_PORTS or not host or parts.username or parts.password:
        return None
    return scheme, host.lower(), port if port is not None else _DEFAULT_PORTS[scheme]


def same_origin(origin: str, scheme: str, host: str) -> bool:
    """Whether an `Origin` header names this very site: scheme, host and port.

    `null` (a sandboxed frame, a page that hides its origin) names no site,
    so it is not ours.
    """
    if not origin.isascii() or not host.isascii():
        return False
    theirs = _origin_of(origin)
    if theirs is None or urlsplit(origin).path not in ("", "/"):
        return False
    return theirs == _origin_of(f"{scheme}://{host}")


def new_secret() -> bytes:
    return secrets.token_bytes(32)

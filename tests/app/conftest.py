"""Fixtures for the screen tests."""

from __future__ import annotations

import time

import pytest


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch):
    """Times are shown in local time: make local time UTC, so snapshots match anywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()

"""Which series a session belongs to, and how two series names compare."""

from __future__ import annotations


def series_name(title: str, series: str | None = None) -> str:
    """The series a session joins: the name given, else its title, spaces tidied."""
    return " ".join((series or "").split()) or " ".join(title.split())


def series_key(name: str) -> str:
    """What two series names are compared by: names match in any case."""
    return " ".join(name.split()).casefold()

"""Error types shared by the domain, storage and the command line."""

from __future__ import annotations


class CircleError(Exception):
    """Base of every error circle reports to a person rather than crashing on."""


class DomainError(CircleError):
    """An operation the session's rules don't allow (unknown person, second vote, ...)."""


class BadInput(CircleError):
    """Bad input from the command line or a file: exit code 2, one line."""


class StorageError(BadInput):
    """A data file that can't be read or trusted. It is never overwritten."""

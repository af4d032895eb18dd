"""circle: a projected terminal companion for live group-mentoring sessions."""

__version__ = "0.1.0"

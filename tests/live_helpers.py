"""The live screen's test helpers now live in `tests/app/live_helpers.py`.

Kept for the test modules outside `tests/app` that drive the live screen
(the join page's end-to-end test).
"""

from tests.app.live_helpers import make_app, run_of, screen_text, wait_for

__all__ = ["make_app", "run_of", "screen_text", "wait_for"]

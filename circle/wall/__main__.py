"""`python -m circle.wall [--data-dir DIR] [SESSION]`: the wall, without the `circle` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from circle.domain.errors import BadInput
from circle.startup import pause_gc, resume_gc
from circle.wall.command import wall_command


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="circle wall", description="The projected view of a session running in the console."
    )
    parser.add_argument("session", nargs="?", help="session id (default: the newest running)")
    parser.add_argument("--data-dir", metavar="DIR", help="where sessions are stored")
    args = parser.parse_args(argv)
    from circle.storage import Store, resolve_data_dir

    pause_gc()
    try:
        return wall_command(Store(resolve_data_dir(args.data_dir)), args.session)
    except BadInput as exc:
        print(f"circle wall: {exc}", file=sys.stderr)
        return 2
    finally:
        resume_gc()


if __name__ == "__main__":
    raise SystemExit(main())

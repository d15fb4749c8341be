"""`python -m briefing`, and the `briefing` / `briefing-gui` programs.

The CLI module is imported inside `run`, so a Ctrl-C while it is still importing (the first tenth of
a second) ends like a Ctrl-C once click runs: a short line and exit code 130, never a traceback.
"""

from __future__ import annotations

import sys


def _interrupted() -> None:
    sys.stderr.write("\nAborted!\n")
    raise SystemExit(130)


def run() -> None:
    """The `briefing` command line."""
    try:
        from briefing.cli import main
    except KeyboardInterrupt:
        _interrupted()
    main()


def run_gui() -> None:
    """`briefing gui` (the windowed program: no console window on Windows)."""
    try:
        from briefing.cli import gui_main
    except KeyboardInterrupt:
        _interrupted()
    gui_main()


if __name__ == "__main__":
    run()

"""The `briefing` command: a thin click shell over the core.

Exit codes: 0 ok, 1 failed (one `error: ...` line on stderr, never a traceback), 2 usage.
Each command's docstring is its --help and carries an example.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from briefing import __version__
from briefing.core.errors import BriefingError
from briefing.core.home import Home

home_option = click.option(
    "--home", "home_dir", type=click.Path(file_okay=False), default=None,
    help="Home folder (default: $BRIEFING_HOME, then the user data folder).",
)


class CommandError(click.ClickException):
    """Shown as one `error: ...` line on stderr; exit code 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


def fail(message: str) -> None:
    """Stop the command with one `error:` line and exit code 1."""
    raise CommandError(message)


class BriefingGroup(click.Group):
    """Turns expected failures anywhere in a command into one `error:` line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BriefingError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")) from None


def open_home(home_dir: str | None) -> Home:
    return Home.open(home_dir)


@click.group(cls=BriefingGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefing")
@home_option
@click.pass_context
def cli(ctx: click.Context, home_dir: str | None) -> None:
    """Open Model Briefing: the open-weight AI race, offline, from sourced records.

    With no command, opens the desktop app.

    Example: briefing info --json
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(gui, home_dir=home_dir)


@cli.command()
@home_option
def gui(home_dir: str | None) -> None:
    """Open the desktop app on the home's database.

    Example: briefing gui --home ~/briefing-test
    """
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        fail("no display available (set DISPLAY, or QT_QPA_PLATFORM=offscreen for a headless run)")
    missing = missing_x11_library()
    if missing:
        # Qt aborts the whole process when its xcb plugin cannot load: say why in one line instead.
        fail(f"Qt's X11 support needs the system library {missing} (Debian/Ubuntu: apt-get install {missing}; `make run` installs it)")
    home = open_home(home_dir)
    from briefing.ui.app import run  # Qt is imported only when a window is wanted

    sys.exit(run(home))


def missing_x11_library() -> str | None:
    """The Debian package of a library Qt's X11 (xcb) plugin needs and cannot find, else None."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or not os.environ.get("DISPLAY") or platform not in ("", "xcb"):
        return None
    import ctypes.util

    return None if ctypes.util.find_library("xcb-cursor") else "libxcb-cursor0"


def info_data(home: Home) -> dict[str, Any]:
    with home.store(readonly=False) as store:
        counts = store.counts()
        meta = store.meta()
    with home.notes() as notes:
        n_notes = notes.count()
    return {
        "counts": counts,
        "snapshot_version": _int_or_none(meta.get("snapshot_version")),
        "feed_version": _int_or_none(meta.get("feed_version")),
        "data_as_of": meta.get("data_as_of"),
        "last_sync": meta.get("last_sync"),
        "notes": n_notes,
        "home": str(home.dir),
    }


@cli.command()
@home_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def info(home_dir: str | None, as_json: bool) -> None:
    """Show record counts, snapshot version, data as-of date, last sync and notes count.

    Example: briefing info --json --home /tmp/briefing
    """
    data = info_data(open_home(home_dir))
    if as_json:
        click.echo(json.dumps(data, indent=2, sort_keys=True))
        return
    for kind, n in data["counts"].items():
        click.echo(f"{kind:<14} {n:>8,}")
    click.echo(f"snapshot       v{data['snapshot_version']}  (data as of {data['data_as_of']})")
    if data["feed_version"] is not None:
        click.echo(f"feed           v{data['feed_version']}")
    click.echo(f"last sync      {data['last_sync'] or 'never'}")
    click.echo(f"notes          {data['notes']}")
    click.echo(f"home           {data['home']}")


@cli.command()
@home_option
def verify(home_dir: str | None) -> None:
    """Check the database: integrity, foreign keys, every record sourced, no dangling reference.

    Lists each problem and exits 1 if there is any.

    Example: briefing verify --home /tmp/briefing
    """
    with open_home(home_dir).store() as store:
        problems = store.verify()
    for line in problems:
        click.echo(line)
    if problems:
        fail(f"{len(problems)} problem(s) found")
    click.echo("ok: integrity, foreign keys, sources and references all check out")


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `briefing` script and `python -m briefing`."""
    cli.main(args=argv, prog_name="briefing", standalone_mode=True)


# sync, feed keygen/build and restore live in their own module (briefing/cli_sync.py).
from briefing.cli_sync import add_sync_commands  # noqa: E402

add_sync_commands(cli)

# export onepager/chart/table live in their own module (briefing/cli_export.py).
from briefing.cli_export import add_export_commands  # noqa: E402

add_export_commands(cli)

# screenshot (offscreen PNGs of the views) lives in its own module (briefing/cli_screenshot.py).
from briefing.cli_screenshot import add_screenshot_command  # noqa: E402

add_screenshot_command(cli)

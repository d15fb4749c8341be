"""The `briefing` command: one click group of thin commands over the core.

Exit codes: 0 ok, 1 failed (one `error: ...` line on stderr, never a traceback), 2 usage.
Each command's docstring is its --help and carries an example. Qt is imported only inside the
commands that draw (gui, screenshot, export onepager/chart), through `_qt_app`; `export table` and
every `--help` run without it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from briefing import __version__
from briefing.core import atomic, limits, logs
from briefing.core.errors import BriefingError
from briefing.core.home import Home

log = logging.getLogger(__name__)

TOPICS = ("overview", "adoption", "investment", "policy")
TABLE_KINDS = ("models", "adoption", "investments", "policy-actions", "sources")
#: The main window's views (ui.main_window.VIEW_NAMES, spelled out so --help needs no Qt).
VIEWS = ("overview", "adoption", "investment", "policy", "sources")


def _not_empty(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not str(value).strip():
        raise click.BadParameter("must not be empty (leave it out for the default home)")
    return value


HOME_HELP = "Home folder (default: the group's --home, then $BRIEFING_HOME, then the user data folder)."
home_option = click.option(
    "--home", "home_dir", type=click.Path(file_okay=False), default=None, callback=_not_empty, help=HOME_HELP
)


class FiniteFloat(click.ParamType):
    """A finite float in [low, high]: nan, inf and 1e308 are usage errors (exit 2), not tracebacks."""

    name = "number"

    def __init__(self, low: float, high: float) -> None:
        self.low, self.high = low, high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number) or not self.low <= number <= self.high:
            self.fail(f"{value} is not in the range {self.low:g} to {self.high:g}", param, ctx)
        return number


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
            log.warning("%s failed: %s", ctx.invoked_subcommand, exc)
            raise CommandError(str(exc)) from None
        except OSError as exc:
            log.warning("%s failed: %s", ctx.invoked_subcommand, exc)
            raise CommandError(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")) from None
        except sqlite3.DatabaseError as exc:  # a damaged file found mid-command: one line and the way back
            log.warning("%s failed: %s", ctx.invoked_subcommand, exc)
            raise CommandError(
                f"a database of the home is damaged ({str(exc)[:120]}); `briefing restore` brings back the data"
            ) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception:
            log.exception("%s crashed", ctx.invoked_subcommand)
            raise


def home_dir_of(home_dir: str | None) -> str | None:
    """The command's --home, else the group's (`briefing --home H CMD`), else None ($BRIEFING_HOME is
    the group option's envvar, so it is in the group's value)."""
    if home_dir:
        return home_dir
    ctx = click.get_current_context(silent=True)
    return ctx.find_root().params.get("home_dir") if ctx is not None else None


def open_home(home_dir: str | None) -> Home:
    return Home.open(home_dir_of(home_dir))


def check_out(*paths: str | Path) -> None:
    """Refuse, before any work, an output that is not a regular file or is one of the home's files."""
    for path in paths:
        atomic.check_target(path)


def _display_available() -> bool:
    """False on Linux with no X11/Wayland display and no Qt platform chosen."""
    return not sys.platform.startswith("linux") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    )


def _qt_app(*, offscreen: bool = False) -> Any:
    """The process's QApplication for a command that draws: on Qt's offscreen platform when asked,
    or when there is no display to draw on."""
    if offscreen or not _display_available():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from briefing.ui.app import ensure_app  # Qt is imported only by the commands that draw

    return ensure_app()


def missing_x11_library() -> str | None:
    """The Debian package of a library Qt's X11 (xcb) plugin needs and cannot find, else None."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or not os.environ.get("DISPLAY") or platform not in ("", "xcb"):
        return None
    if bundled_library("libxcb-cursor.so"):
        return None  # the standalone bundle carries it: the system's copy is not needed
    import ctypes.util

    return None if ctypes.util.find_library("xcb-cursor") else "libxcb-cursor0"


def bundled_library(prefix: str) -> Path | None:
    """In the standalone (PyInstaller) bundle, the shared library it carries whose name starts
    with `prefix`; else None."""
    folder = getattr(sys, "_MEIPASS", None)
    if not getattr(sys, "frozen", False) or not folder:
        return None
    return next(iter(sorted(Path(folder).rglob(f"{prefix}*"))), None)


@contextlib.contextmanager
def _progress_bar(label: str) -> Iterator[Callable[[float, str], None]]:
    """A click progress bar on stderr, driven by a core `progress(fraction, message)` callback.

    Only on a terminal: in a log (cron, a pipe) stderr holds just the `error:`/`warning:` lines."""
    if not sys.stderr.isatty():
        yield lambda fraction, message: None
        return
    with click.progressbar(length=1000, label=label, file=sys.stderr) as bar:
        shown = [0]

        def progress(fraction: float, message: str) -> None:
            step = max(0, min(1000, int(fraction * 1000)) - shown[0])
            shown[0] += step
            bar.update(step)

        yield progress


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


@click.group(cls=BriefingGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefing")
@click.option(
    "--home",
    "home_dir",
    type=click.Path(file_okay=False),
    default=None,
    envvar="BRIEFING_HOME",
    show_envvar=True,
    callback=_not_empty,
    help="Home folder for every command (a command's own --home wins; default: the user data folder).",
)
@click.pass_context
def cli(ctx: click.Context, home_dir: str | None) -> None:
    """Open Model Briefing: the open-weight AI race, offline, from sourced records.

    With no command, opens the desktop app.

    Example: briefing info --json
    """
    logs.setup()
    log.info("briefing %s: %s", __version__, ctx.invoked_subcommand or "gui")
    if ctx.invoked_subcommand is None:
        ctx.invoke(gui, home_dir=home_dir)


# -- the app -----------------------------------------------------------------------------------------


@cli.command()
@home_option
@click.option(
    "--view",
    "view_link",
    default=None,
    callback=_not_empty,
    help="Open on this view: a name, a view link copied in the app (View > Saved views > "
    "Copy link), or the name of a saved view.",
)
def gui(home_dir: str | None, view_link: str | None) -> None:
    """Open the desktop app on the home's database.

    Example: briefing gui --view 'policy?jurisdiction=US,CN&stance=restrictive'
    """
    if not _display_available():
        fail("no display available (set DISPLAY, or QT_QPA_PLATFORM=offscreen for a headless run)")
    missing = missing_x11_library()
    if missing:
        # Qt aborts the whole process when its xcb plugin cannot load: say why in one line instead.
        fail(
            f"Qt's X11 support needs the system library {missing} (Debian/Ubuntu: apt-get install {missing}; `make run` installs it)"
        )
    home = open_home(home_dir)
    if view_link is not None:  # a bad link is one line, before any window opens
        from briefing.core import view_links
        from briefing.core.settings import Settings

        try:
            view_links.resolve(view_link, VIEWS, Settings.load(home.settings_path).saved_views)
        except BriefingError as exc:
            fail(f"--view: {exc}")
    app = _qt_app()
    from briefing.ui.app import log_app_errors
    from briefing.ui.main_window import MainWindow  # after the QApplication exists

    log_app_errors()
    window = MainWindow(home)
    if view_link is not None:
        window.open_link(view_link)
    window.show()
    log.info("window shown on %s", home.dir)
    code = app.exec()
    log.info("app closed (exit code %s)", code)
    sys.exit(code)


@cli.command()
@home_option
@click.option("--view", type=click.Choice(VIEWS), help="The view to render.")
@click.option("--all", "all_views", is_flag=True, help="Render every view (use with --out-dir).")
@click.option("--out", type=click.Path(dir_okay=False), help="PNG file to write (with --view).")
@click.option("--out-dir", type=click.Path(file_okay=False), help="Folder for <view>.png files (with --all).")
@click.option("--size", default="1400x900", show_default=True, help="Window size in pixels, WIDTHxHEIGHT.")
@click.option(
    "--theme",
    type=click.Choice(["light", "dark", "system"]),
    default="light",
    show_default=True,
    help="The colours to render in (View > Theme in the app).",
)
def screenshot(
    home_dir: str | None, view: str | None, all_views: bool, out: str | None, out_dir: str | None, size: str, theme: str
) -> None:
    """Render a view of the app offscreen to a PNG of the given size (for docs and checks).

    Either --view NAME --out FILE.png, or --all --out-dir DIR (writes DIR/<view>.png for each).
    The window's remembered state is neither read nor changed.

    Example: briefing screenshot --view policy --theme dark --out policy-dark.png --size 1024x700
    """
    if all_views == bool(view):
        fail("give either --view (with --out) or --all (with --out-dir)")
    if view and not out:
        fail("--view needs --out FILE.png")
    if all_views and not out_dir:
        fail("--all needs --out-dir DIR")
    names = list(VIEWS) if all_views else [view]
    home = open_home(home_dir)
    check_out(*([out] if view else [Path(out_dir) / f"{name}.png" for name in names]))
    _qt_app(offscreen=True)  # always offscreen: the same pixels with or without a display
    from briefing.ui import app as app_module
    from briefing.ui.screenshot import parse_size, render_views, save_png

    width_height = parse_size(size)
    with tempfile.TemporaryDirectory(prefix="briefing-qsettings-") as settings_dir:
        app_module.configure_settings(settings_dir)
        try:
            images = render_views(home, names, width_height, theme=theme)
        finally:
            app_module.configure_settings(None)
    for name, image in images.items():
        path = Path(out) if view else Path(out_dir) / f"{name}.png"
        save_png(image, path)
        click.echo(f"wrote {path} ({image.width()}x{image.height()})")


# -- the data ----------------------------------------------------------------------------------------


def info_data(home: Home) -> dict[str, Any]:
    with home.store() as store:
        counts = store.counts()
        meta = store.meta()
    with home.notes(readonly=True) as notes:
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
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of figure objects (see docs/figures.md).")
@click.option("--id", "ids", multiple=True, metavar="FIGURE_ID", help="Only this figure (repeatable).")
@click.option(
    "--cite",
    "cite_ids",
    multiple=True,
    metavar="FIGURE_ID",
    help="Print a citation of this figure (plain text, close to CRS style; repeatable).",
)
def figures(home_dir: str | None, as_json: bool, ids: tuple[str, ...], cite_ids: tuple[str, ...]) -> None:
    """Print every headline figure with its measure, window, as-of date, graded sources and caveats.

    These are the figures the Overview cards and the one-page briefs show, from the same code. The
    data's age on today's date is printed first (with --json it is left out: every figure carries
    its own dates). With --cite, only the citation of each named figure, one paragraph each.

    Example: briefing figures --cite download-share-by-country
    """
    from briefing.core import figures as figure_layer
    from briefing.core.settings import Settings

    home = open_home(home_dir)
    with home.store(readonly=True) as store:
        ctx = figure_layer.Context.load(store, stale_after_days=Settings.load(home.settings_path).stale_after_days)
    try:
        figs = figure_layer.compute_from(ctx, list(cite_ids or ids) if (cite_ids or ids) else None)
    except KeyError as exc:
        fail(f"{exc.args[0]} (known: {', '.join(figure_layer.FIGURES)})")
    if cite_ids:
        from briefing.core.cite import figure_citation

        missing = [i for i in cite_ids if i not in {f.id for f in figs}]
        if missing:
            fail(f"no data for figure {', '.join(missing)} in this home")
        click.echo("\n\n".join(figure_citation(f, data_as_of=ctx.data_as_of, today=ctx.today) for f in figs))
        return
    if as_json:
        click.echo(json.dumps([f.to_json() for f in figs], indent=2, ensure_ascii=False))
        return
    age = figure_layer.data_age(ctx)
    click.echo(age.current_to.replace(" before this brief", " ago") + (f"  [{age.warning}]" if age.warning else ""))
    for f in figs:
        mark = "  [weakly sourced]" if f.weakly_sourced else ""
        click.echo(f"\n{f.id}: {f.title}{mark}")
        click.echo(f"  {f.value_text()}  ({f.when_text()})")
        click.echo(f"  measure: {f.measure}")
        click.echo(f"  grade: {f.grade}; basis: {f.basis}")
        for src in f.sources[:5]:
            read = f"read {src.retrieved_on}" if src.retrieved_on else "date read not recorded"
            click.echo(f"  source [{src.grade}]: {src.publisher}: {src.title} <{src.url}> ({read})")
        if len(f.sources) > 5:
            click.echo(f"  ... and {len(f.sources) - 5} more sources (--json lists all)")
        for c in f.caveats:
            click.echo(f"  caveat: {c}")


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


@cli.command()
@home_option
@click.option(
    "--source",
    type=click.Choice(["feed", "huggingface", "federal-register", "all"]),
    default="feed",
    show_default=True,
    help="What to sync from.",
)
@click.option("--feed", "feed_url", default=None, help="Feed address (default: the feed_url setting).")
@click.option("--endpoint", default=None, help="Base address of the chosen public source (tests, mirrors).")
@click.option(
    "--trust-key",
    "trust_keys",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True),
    help="An extra minisign public key file to trust (repeatable).",
)
def sync(
    home_dir: str | None, source: str, feed_url: str | None, endpoint: str | None, trust_keys: tuple[str, ...]
) -> None:
    """Update the data from the signed feed or a public source, all or nothing.

    Prints added/changed/removed records per kind. On any failure the data is left exactly as
    it was and one line says why (exit 1). Every attempt is written to the sync log.

    Example: briefing sync --source all --home ~/briefing
    """
    from briefing.core import sync as core_sync

    home = open_home(home_dir)
    if source == "all":
        with _progress_bar("sync all") as progress:
            results, errors = core_sync.sync_all(home, feed_url=feed_url, trust_keys=trust_keys, progress=progress)
    else:
        name = source.replace("-", "_")
        results, errors = [], []
        with _progress_bar(f"sync {name}") as progress:
            try:
                results.append(
                    core_sync.sync(
                        home,
                        source=name,
                        feed_url=feed_url,
                        endpoint=endpoint,
                        trust_keys=trust_keys,
                        progress=progress,
                    )
                )
            except BriefingError as exc:
                errors.append(f"{name}: {exc}")
    for result in results:
        click.echo(result.summary())
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
    if errors:
        fail("; ".join(errors))


@cli.command()
@home_option
@click.option("--list", "list_only", is_flag=True, help="List the backup generations.")
@click.option("--generation", default=1, show_default=True, type=click.IntRange(min=1), help="1 is the newest.")
def restore(home_dir: str | None, list_only: bool, generation: int) -> None:
    """Bring back the data file as it was before a sync (the last 3 are kept).

    Example: briefing restore --list --home ~/briefing
    """
    from briefing.core import staging

    home = Home.locate(home_dir_of(home_dir))  # never opens the data file: it may be what is damaged
    if list_only:
        gens = staging.backups(home)
        if not gens:
            click.echo("no backups yet")
        for n, path in enumerate(gens, 1):
            backup = staging.describe_backup(path)
            state = (
                f"unreadable: {backup['error']}" if "error" in backup else f"feed v{backup.get('feed_version') or '-'}"
            )
            click.echo(f"{n}  {backup['file']}  {state}  {backup['bytes']:,} bytes")
        return
    path = staging.restore(home, generation)
    click.echo(f"restored generation {generation} ({path.name})")


# -- publishing the feed -----------------------------------------------------------------------------


@cli.group()
def feed() -> None:
    """Publish the briefing feed: make a signing key, build and sign feed.json.

    Example: briefing feed build --out site/ --secret-key ~/keys/briefing.key --version 18
    """


@feed.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for the key pair.")
@click.option("--force", is_flag=True, help="Overwrite an existing key pair.")
def keygen(out_dir: str, force: bool) -> None:
    """Write DIR/briefing.key (secret, no password) and DIR/briefing.pub in minisign's formats.

    Keep briefing.key out of any repository; only briefing.pub is published.

    Example: briefing feed keygen --out ~/.config/briefing-publisher
    """
    from briefing.core.feed_publish import keygen as make_keys

    key, pub, key_id = make_keys(out_dir, force=force)
    click.echo(f"secret key: {key} (keep it private)\npublic key: {pub} (key id {key_id})")


@feed.command()
@home_option
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder to write feed.json into."
)
@click.option(
    "--secret-key", required=True, type=click.Path(dir_okay=False, exists=True), help="minisign secret key file."
)
@click.option(
    "--version",
    "version",
    required=True,
    type=click.IntRange(min=1, max=limits.MAX_FEED_VERSION),
    help="Feed version (must grow; at most 2**63-1, what a reader accepts).",
)
@click.option(
    "--expires-days",
    default=30.0,
    show_default=True,
    type=FiniteFloat(0.01, limits.MAX_EXPIRES_DAYS),
    help="Days until the feed expires.",
)
@click.option("--base-url", default=None, help="Where the feed will be hosted (home_page_url).")
def build(
    home_dir: str | None, out_dir: str, secret_key: str, version: int, expires_days: float, base_url: str | None
) -> None:
    """Write feed.json and feed.json.minisig from the home's database.

    Example: briefing feed build --out site/ --secret-key briefing.key --version 18 --expires-days 30
    """
    from briefing.core.feed_publish import build as build_feed

    home = open_home(home_dir)
    feed_path, sig_path, n = build_feed(
        home.data_path,
        out_dir,
        secret_key=secret_key,
        version=version,
        expires_days=expires_days,
        base_url=base_url,
    )
    click.echo(f"wrote {feed_path} ({n} items) and {sig_path}")


def _endpoints(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        name, sep, url = value.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in ("huggingface", "federal_register") or not url.strip():
            fail(f"--endpoint wants SOURCE=URL with SOURCE huggingface or federal-register, not {value!r}")
        out[name] = url.strip()
    return out


@cli.command()
@click.option(
    "--home",
    "home_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="The publisher's home (its own database; created from the bundled snapshot if new).",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="The site folder; it may hold the last publication, which is read first.",
)
@click.option(
    "--secret-key", required=True, type=click.Path(dir_okay=False, exists=True), help="minisign secret key file."
)
@click.option(
    "--records",
    "records_dir",
    default=None,
    type=click.Path(file_okay=False, exists=True),
    help="Curated records folder (default: data/records of this checkout).",
)
@click.option("--offline", is_flag=True, help="Skip the public sources; publish what the home holds.")
@click.option(
    "--endpoint",
    "endpoints",
    multiple=True,
    metavar="SOURCE=URL",
    help="Base address of a public source, huggingface or federal-register (repeatable; mirrors, tests).",
)
@click.option("--base-url", default=None, help="Where the site is served (default: where the default feed_url points).")
@click.option(
    "--expires-days",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0.01),
    help="Days until the feed expires.",
)
def publish(
    home_dir: str,
    out_dir: str,
    secret_key: str,
    records_dir: str | None,
    offline: bool,
    endpoints: tuple[str, ...],
    base_url: str | None,
    expires_days: float,
) -> None:
    """Publish the feed: sync the public sources into the publisher's home, apply the curated
    records, and write a signed feed one version above the last published, with its changelog,
    to a static site folder (feed.json, feed.json.minisig, changelog.json, index.html, briefing.pub).

    A public source that fails is reported and the rest is still published.

    Example: briefing publish --home ~/publisher --out site/ --secret-key ~/keys/briefing.key
    """
    from briefing.core.publish import publish as run_publish

    addresses = _endpoints(endpoints)
    home = open_home(home_dir)
    with _progress_bar("publish") as progress:
        done = run_publish(
            home,
            out_dir,
            secret_key=secret_key,
            records_dir=records_dir,
            offline=offline,
            endpoints=addresses,
            base_url=base_url,
            expires_days=expires_days,
            progress=progress,
        )
    for line in done.errors:
        click.echo(f"warning: not synced: {line}", err=True)
    click.echo(f"published feed v{done.version} ({done.items:,} records) to {done.site}")
    click.echo(f"since {done.baseline}: " + done.result.summary().split("; ", 1)[1])


# -- exports -----------------------------------------------------------------------------------------


class _ChartHelpCommand(click.Command):
    """Appends the chart registry's names to --help (the registry is imported only for help)."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help_text(ctx, formatter)
        try:
            from briefing.render.charts import CHARTS  # imports Qt, but needs no QApplication

            names = list(CHARTS)
        except Exception as exc:  # noqa: BLE001 - help must render even if the chart code cannot load
            names = [f"(unavailable: {exc})"]
        with formatter.section("Charts"):
            for name in names:
                formatter.write_text(name)


@cli.group()
def export() -> None:
    """Export a one-page PDF brief, a chart image or a data table.

    Example: briefing export onepager --topic overview --out brief.pdf
    """


@export.command()
@home_option
@click.option("--topic", type=click.Choice(TOPICS), required=True, help="Which brief.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), required=True, help="File to write.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "docx", "pptx"]),
    default=None,
    help="pdf (tagged, PDF/UA-1), docx (Word) or pptx (slides); default: from --out's suffix, else pdf.",
)
@click.option("--page", type=click.Choice(["letter", "a4"]), default="letter", show_default=True, help="Paper size.")
@click.option("--prepared-by", default=None, help="The 'Prepared by' name (default: the setting).")
@click.option("--prepared-for", default=None, help="The 'Prepared for' name (default: the setting).")
@click.option(
    "--changes/--no-changes",
    "show_changes",
    default=None,
    help="Print what changed since your last brief on this topic (default: the setting).",
)
def onepager(
    home_dir: str | None,
    topic: str,
    out: str,
    fmt: str | None,
    page: str,
    prepared_by: str | None,
    prepared_for: str | None,
    show_changes: bool | None,
) -> None:
    """Write a topic's brief: a one-page tagged PDF (PDF/UA-1), a Word document or slides, with the
    bottom line, definitions, key figures, the chart with its source, the policy actions on the
    topic, considerations and numbered, complete source notes (on page 2 when they do not fit).

    Uses your edited bottom line and considerations, if any (kept with your notes), and records the
    figures the brief quotes, so the next brief can say what changed.

    Example: briefing export onepager --topic adoption --out adoption.docx --prepared-for "Rep. Smith"
    """
    from briefing.core.settings import Settings

    fmt = fmt or (
        Path(out).suffix.lower().lstrip(".") if Path(out).suffix.lower() in (".pdf", ".docx", ".pptx") else "pdf"
    )
    home = open_home(home_dir)
    check_out(out)
    settings = Settings.load(home.settings_path)
    from briefing.render.pdf import export_onepager  # no Qt: the brief's chart is a plain SVG

    try:
        notes = home.notes()  # writable: the brief is logged for "what changed since my last brief"
    except BriefingError:
        notes = home.notes(readonly=True)  # a read-only home still makes briefs (unlogged)
    with home.store() as store, notes:
        draft = export_onepager(
            store,
            topic,
            out,
            notes=notes,
            page=page,
            fmt=fmt,
            prepared_by=settings.prepared_by if prepared_by is None else prepared_by,
            prepared_for=settings.prepared_for if prepared_for is None else prepared_for,
            show_changes=settings.show_changes if show_changes is None else show_changes,
            stale_after_days=settings.stale_after_days,
        )
    spec = draft.plan.spec if fmt == "pdf" else draft.spec
    more = spec.policy_more + spec.considerations_more
    extra = [f"{more:,} more items in the app"] if more and fmt == "pdf" else []
    if fmt == "pdf" and draft.plan.pages > 1:
        extra.append("sources on page 2")
    if draft.spec.changes:
        extra.append(f"{len(draft.spec.changes)} figure(s) changed since your last brief")
    if not draft.logged:
        extra.append("not recorded for the next brief's changes: the home cannot be written")
    click.echo(f"wrote {out}" + (f" ({'; '.join(extra)})" if extra else ""))


@export.command(cls=_ChartHelpCommand)
@home_option
@click.option("--chart", "name", required=True, help="Chart name (listed above).")
@click.option("--format", "fmt", type=click.Choice(["png", "svg"]), required=True, help="Image format.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), required=True, help="File to write.")
def chart(home_dir: str | None, name: str, fmt: str, out: str) -> None:
    """Write a chart as a PNG (2x) or SVG with its title, axis labels, source line and as-of date.

    Example: briefing export chart --chart adoption-by-country --format svg --out adoption.svg
    """
    home = open_home(home_dir)
    check_out(out)
    _qt_app()
    from briefing.render.chart_export import export_chart
    from briefing.render.charts import build_chart

    with home.store() as store:
        widget = build_chart(store, name)
        path = export_chart(widget, fmt, out)
    click.echo(f"wrote {path}")


@export.command()
@home_option
@click.option("--kind", type=click.Choice(TABLE_KINDS), required=True, help="Which table.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), required=True, help="File format.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), required=True, help="File to write.")
def table(home_dir: str | None, kind: str, fmt: str, out: str) -> None:
    """Write a data table with a sources column as CSV, XLSX or JSON.

    CSV: UTF-8 with a byte-order mark (Excel reads non-English text right), RFC 4180, the feed's
    field names. XLSX: headers in words, dates as dates, amounts as formatted numbers, column
    widths and a header filter. Text cells starting with = + - @ or a tab/CR are prefixed with '
    so spreadsheets do not run them.

    Example: briefing export table --kind investments --format xlsx --out investments.xlsx
    """
    from briefing.core.table_export import export_table

    home = open_home(home_dir)
    check_out(out)
    with home.store() as store:
        n = export_table(store, kind, fmt, out)
    click.echo(f"wrote {n:,} rows to {out}")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `briefing` script and `python -m briefing`."""
    cli.main(args=argv, prog_name="briefing", standalone_mode=True)


def gui_main() -> None:
    """Entry point of `briefing-gui` (a windowed program on Windows: no console): `briefing gui`."""
    main(["gui", *sys.argv[1:]])

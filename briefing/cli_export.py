"""CLI commands for exports: `briefing export onepager|chart|table`.

Registered on the main group by briefing/cli.py. Qt is imported only inside the commands that draw
(one-pager, chart), with an offscreen QApplication when there is no display; `export table` and
`--help` never load Qt (the chart list in `export chart --help` is read from the registry lazily).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

TOPICS = ("overview", "adoption", "investment", "policy")
TABLE_KINDS = ("models", "adoption", "investments", "policy-actions", "sources")


def headless_app() -> Any:
    """The process's QApplication, created offscreen when no display is available."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(sys.argv[:1])


class _ChartHelpCommand(click.Command):
    """Appends the chart registry's names to --help (imports the charts only when help is shown)."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help_text(ctx, formatter)
        try:
            headless_app()
            from briefing.render.charts import CHARTS

            names = list(CHARTS)
        except Exception as exc:  # help must render even if the chart code cannot load
            names = [f"(unavailable: {exc})"]
        with formatter.section("Charts"):
            for name in names:
                formatter.write_text(name)


def add_export_commands(cli: click.Group) -> None:
    """Register the `export` group on the `briefing` group."""
    from briefing.cli import home_option, open_home

    @cli.group()
    def export() -> None:
        """Export a one-page PDF brief, a chart image or a data table.

        Example: briefing export onepager --topic overview --out brief.pdf
        """

    @export.command()
    @home_option
    @click.option("--topic", type=click.Choice(TOPICS), required=True, help="Which brief.")
    @click.option("--out", type=click.Path(dir_okay=False, writable=True), required=True, help="PDF file to write.")
    @click.option("--page", type=click.Choice(["letter", "a4"]), default="letter", show_default=True, help="Paper size.")
    def onepager(home_dir: str | None, topic: str, out: str, page: str) -> None:
        """Write a topic's one-page brief as a PDF: masthead, bottom line, key figures with sources,
        a vector chart, recent policy actions, considerations and numbered source notes.

        Uses your edited bottom line and considerations, if any (kept with your notes).

        Example: briefing export onepager --topic adoption --out adoption.pdf --page a4
        """
        home = open_home(home_dir)
        headless_app()
        from briefing.render.pdf import export_onepager

        with home.store() as store, home.notes() as notes:
            plan = export_onepager(store, topic, out, notes=notes, page=page)
        more = plan.spec.policy_more + plan.spec.considerations_more if plan.spec else 0
        click.echo(f"wrote {out}" + (f" ({more:,} more items in the app)" if more else ""))

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
        headless_app()
        from briefing.render.chart_export import build_chart, export_chart

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
        """Write a data table with a sources column as CSV (UTF-8, RFC 4180), XLSX or JSON.

        Text cells starting with = + - @ or a tab/CR are prefixed with ' so spreadsheets do not run them.

        Example: briefing export table --kind investments --format xlsx --out investments.xlsx
        """
        from briefing.core.tables import export_table

        with open_home(home_dir).store() as store:
            n = export_table(store, kind, fmt, out)
        click.echo(f"wrote {n:,} rows to {out}")

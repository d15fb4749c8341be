"""`briefing screenshot`: render main-window views offscreen to PNG files (registered by cli.py).

Qt is imported only inside the command, which makes its own offscreen QApplication; the window's
QSettings go to a temporary folder, so a screenshot never reads or changes the user's window state.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

VIEWS = ("overview", "adoption", "investment", "policy", "sources")


def add_screenshot_command(cli: click.Group) -> None:
    """Register `screenshot` on the `briefing` group."""
    from briefing.cli import fail, home_option, open_home

    @cli.command()
    @home_option
    @click.option("--view", type=click.Choice(VIEWS), help="The view to render.")
    @click.option("--all", "all_views", is_flag=True, help="Render every view (use with --out-dir).")
    @click.option("--out", type=click.Path(dir_okay=False), help="PNG file to write (with --view).")
    @click.option("--out-dir", type=click.Path(file_okay=False), help="Folder for <view>.png files (with --all).")
    @click.option("--size", default="1400x900", show_default=True, help="Window size in pixels, WIDTHxHEIGHT.")
    def screenshot(home_dir: str | None, view: str | None, all_views: bool, out: str | None,
                   out_dir: str | None, size: str) -> None:
        """Render a view of the app offscreen to a PNG of the given size (for docs and checks).

        Either --view NAME --out FILE.png, or --all --out-dir DIR (writes DIR/<view>.png for each).

        Example: briefing screenshot --view overview --out overview.png --size 1400x900
        """
        if all_views == bool(view):
            fail("give either --view (with --out) or --all (with --out-dir)")
        if view and not out:
            fail("--view needs --out FILE.png")
        if all_views and not out_dir:
            fail("--all needs --out-dir DIR")
        names = list(VIEWS) if all_views else [view]
        home = open_home(home_dir)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # always offscreen: same pixels with or without a display
        from briefing.ui import app as app_module
        from briefing.ui.screenshot import parse_size, render_views, save_png

        width_height = parse_size(size)
        with tempfile.TemporaryDirectory(prefix="briefing-qsettings-") as settings_dir:
            app_module.configure_settings(settings_dir)
            try:
                app_module.ensure_app()
                images = render_views(home, names, width_height)
            finally:
                app_module.configure_settings(None)
        for name, image in images.items():
            path = Path(out) if view else Path(out_dir) / f"{name}.png"
            save_png(image, path)
            click.echo(f"wrote {path} ({image.width()}x{image.height()})")

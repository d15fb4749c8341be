"""`briefing screenshot` writes a non-blank PNG of the asked size for each view."""

from __future__ import annotations

from click.testing import CliRunner
from PySide6.QtGui import QImage

from briefing.cli import VIEWS, cli
from briefing.ui.main_window import VIEW_NAMES


def _distinct_colours(image: QImage, step: int = 23) -> int:
    colours = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colours.add(image.pixel(x, y))
    return len(colours)


def test_all_views_written_at_size(qtbot, home, tmp_path):
    assert VIEWS == VIEW_NAMES
    out = tmp_path / "shots"
    result = CliRunner().invoke(
        cli,
        ["screenshot", "--all", "--out-dir", str(out), "--size", "900x640", "--home", str(home.dir)],
    )
    assert result.exit_code == 0, result.output
    for name in VIEWS:
        image = QImage(str(out / f"{name}.png"))
        assert not image.isNull(), name
        assert (image.width(), image.height()) == (900, 640), name
        assert _distinct_colours(image) > 10, f"{name} looks blank"


def test_single_view_and_errors(qtbot, home, tmp_path):
    png = tmp_path / "overview.png"
    result = CliRunner().invoke(
        cli,
        ["screenshot", "--view", "overview", "--out", str(png), "--size", "640x480", "--home", str(home.dir)],
    )
    assert result.exit_code == 0, result.output
    assert (QImage(str(png)).width(), QImage(str(png)).height()) == (640, 480)
    bad = CliRunner().invoke(cli, ["screenshot", "--view", "overview", "--out", str(png), "--size", "huge"])
    assert bad.exit_code == 1 and "error: size must look like 1400x900" in bad.output
    neither = CliRunner().invoke(cli, ["screenshot", "--out", str(png)])
    assert neither.exit_code == 1 and "error:" in neither.output

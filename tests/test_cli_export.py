"""`briefing export onepager|chart|table` through click's CliRunner and a real process."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefing.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("page", ["letter", "a4"])
def test_export_onepager(qapp, home, tmp_path, page):
    out = tmp_path / "brief.pdf"
    result = run("export", "onepager", "--topic", "policy", "--out", str(out), "--page", page, "--home", str(home.dir))
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    assert len(PdfReader(str(out)).pages) == 1


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_export_chart(qapp, home, tmp_path, fmt):
    out = tmp_path / f"c.{fmt}"
    result = run(
        "export",
        "chart",
        "--chart",
        "investment-by-country",
        "--format",
        fmt,
        "--out",
        str(out),
        "--home",
        str(home.dir),
    )
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "png":
        from PySide6.QtGui import QImage

        image = QImage(str(out))
        assert (image.width(), image.height()) == (2200, 1240)  # 2x
    else:
        text = data.decode("utf-8")
        assert "<svg" in text and "<image" not in text
        assert "AI investment commitments" in text and "Source:" in text and "Data as of" in text


def test_chart_help_lists_names(qapp):
    result = run("export", "chart", "--help")
    assert result.exit_code == 0
    assert "adoption-by-country" in result.output and "policy-timeline" in result.output


def test_unknown_chart_is_one_error_line(qapp, home, tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "chart",
            "--chart",
            "nope",
            "--format",
            "png",
            "--out",
            str(tmp_path / "x.png"),
            "--home",
            str(home.dir),
        ],
    )
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: unknown chart 'nope'")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_table(home, tmp_path, fmt):
    out = tmp_path / f"t.{fmt}"
    result = run("export", "table", "--kind", "models", "--format", fmt, "--out", str(out), "--home", str(home.dir))
    assert result.exit_code == 0, result.output
    assert "wrote 3 rows" in result.output
    if fmt == "csv":
        rows = list(csv.reader(out.open(encoding="utf-8-sig", newline="")))
        assert rows[0][-2:] == ["sources", "source_urls"] and len(rows) == 4
    elif fmt == "json":
        assert len(json.loads(out.read_text(encoding="utf-8"))["rows"]) == 3


def test_table_export_never_loads_qt(home, tmp_path):
    code = (
        "import sys; from briefing.cli import main\n"
        "try:\n    main(['export', 'table', '--kind', 'sources', '--format', 'csv', '--out', sys.argv[1], '--home', sys.argv[2]])\n"
        "except SystemExit as e:\n    assert not e.code, e.code\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]\n"
        "assert not bad, bad\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "s.csv"), str(home.dir)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "s.csv").exists()


def test_onepager_in_a_fresh_process_without_display(home, tmp_path):
    env = {
        k: v for k, v in __import__("os").environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    out = tmp_path / "p.pdf"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing",
            "export",
            "onepager",
            "--topic",
            "overview",
            "--out",
            str(out),
            "--home",
            str(home.dir),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(PdfReader(str(out)).pages) == 1

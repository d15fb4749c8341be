"""Packaging: the wheel's contents, the bundle's X11 check and font registration, the metadata."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from briefing import cli, paths

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_wheel_carries_the_bundled_files(tmp_path):
    """What `make check-wheel` then installs and runs: the snapshot, keys, icon and licences inside the package."""
    uv = Path(sys.executable).with_name("uv")
    if not uv.exists():
        pytest.skip("uv is not in this venv (make setup installs it)")
    run = subprocess.run(
        [str(uv), "build", "-q", "--wheel", "--out-dir", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    wheel = next(tmp_path.glob("open_model_briefing-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "briefing/_bundled/data/snapshot.sqlite",
        "briefing/_bundled/resources/keys/briefing.pub",
        "briefing/_bundled/resources/icons/app.svg",
        "briefing/_bundled/licenses/LICENSE",
        "briefing/cli.py",
    ):
        assert name in names, name
    assert any(n.startswith("briefing/_bundled/licenses/data/") and "CC-BY-4.0" in n for n in names)
    assert not any(n.startswith(("tests/", "data/", "resources/")) for n in names)
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in meta and "Classifier: Environment :: X11 Applications :: Qt" in meta
    assert "Requires-Dist: urllib3>=2.6.3" in meta


def test_a_checkout_reads_the_bundled_files_where_the_project_keeps_them():
    assert not paths.INSTALLED
    assert paths.bundled_snapshot() == ROOT / "data" / "snapshot.sqlite"
    assert paths.RESOURCES_DIR == ROOT / "resources"


def test_the_x11_check_trusts_a_bundle_that_carries_libxcb_cursor(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr("ctypes.util.find_library", lambda name: None)  # the system lacks it
    assert cli.missing_x11_library() == "libxcb-cursor0"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert cli.missing_x11_library() == "libxcb-cursor0"  # a bundle without it: still refused in one line
    (tmp_path / "libxcb-cursor.so.0").write_bytes(b"")
    assert cli.missing_x11_library() is None


def test_bundled_fonts_are_registered(qapp, tmp_path):
    from briefing.ui.app import register_fonts

    assert register_fonts(tmp_path / "none") == []
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "DejaVuSansCondensed.ttf").write_bytes(
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf").read_bytes()
    )
    (fonts / "broken.ttf").write_bytes(b"not a font")
    assert "DejaVu Sans Condensed" in register_fonts(fonts)


def test_version_has_one_source():
    import tomllib

    from briefing import __version__

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and project["dynamic"] == ["version"]
    assert __version__.count(".") == 2


def test_the_publish_workflow_deploys_where_the_default_feed_url_points():
    import tomllib

    from briefing.core.settings import DEFAULT_FEED_URL

    flow = (ROOT / ".github" / "workflows" / "publish.yml").read_text()
    assert "briefing publish --home" in flow and "--records data/records" in flow
    assert "secrets.BRIEFING_FEED_SECRET_KEY" in flow and "actions/deploy-pages" in flow and "schedule:" in flow
    # Pages of github.com/<owner>/<repo> is https://<owner>.github.io/<repo>/: the project's own repository.
    source = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Source"]
    owner, repo = source.removeprefix("https://github.com/").split("/")
    pages = f"https://{owner}.github.io/{repo}/feed.json"
    assert pages == DEFAULT_FEED_URL
    assert "https://${{ github.repository_owner }}.github.io/${{ github.event.repository.name }}" in flow

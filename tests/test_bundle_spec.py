"""The standalone bundle's PyInstaller spec finds every module the app imports by name."""

from __future__ import annotations

import re
from pathlib import Path

from briefing.ui.main_window import VIEWS

SPEC = Path(__file__).resolve().parents[1] / "resources" / "bundle" / "briefing.spec"


def test_every_view_imported_by_name_is_in_the_bundle():
    # the window imports its views with importlib (after the first paint), which PyInstaller's
    # analysis cannot see: the spec collects the views package, so every view must live in it
    collected = re.findall(r'collect_submodules\("([\w.]+)"\)', SPEC.read_text(encoding="utf-8"))
    for spec in VIEWS:
        module = spec.path.partition(":")[0]
        assert any(module.startswith(pkg + ".") for pkg in collected), (module, collected)

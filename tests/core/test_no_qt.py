"""The core imports and runs without Qt."""

import subprocess
import sys


def test_core_imports_without_qt():
    code = (
        "import sys, briefing.core.store, briefing.core.snapshot, briefing.core.home, briefing.cli;"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'briefing.ui', 'briefing.render'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0

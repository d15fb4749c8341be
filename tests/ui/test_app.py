"""The QApplication the app makes: garbage is collected on the GUI thread only, as in the UI tests."""

from __future__ import annotations

import os
import subprocess
import sys


def test_the_app_collects_garbage_on_a_gui_thread_timer():
    code = (
        "import gc\n"
        "from briefing.ui import app as module\n"
        "assert gc.isenabled()\n"
        "app = module.ensure_app()\n"
        "assert not gc.isenabled(), 'automatic collection would run on worker threads'\n"
        "assert module._collector.timer.isActive()\n"
        "assert module._collector.timer.thread() is app.thread()\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr

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


_PAINT_BIG = (
    "import glob, os\n"
    "from briefing.ui import app as module\n"
    "app = module.ensure_app()\n"
    "from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter\n"
    "image = QImage(1400, 900, QImage.Format.Format_ARGB32_Premultiplied)\n"
    "painter = QPainter(image)\n"
    "gradient = QLinearGradient(0, 0, 1400, 900)\n"
    "gradient.setColorAt(0, QColor('red'))\n"
    "gradient.setColorAt(1, QColor('blue'))\n"
    "painter.fillRect(0, 0, 1400, 900, gradient)\n"
    "painter.end()\n"
    "image.convertToFormat(QImage.Format.Format_RGB888)\n"
    "pooled = [f for f in glob.glob('/proc/self/task/*/comm') if open(f).read().strip() == 'Thread (pooled)']\n"
    "print(os.environ.get('QT_NO_GUI_THREADPOOL'), len(pooled))\n"
)


def test_the_app_paints_on_the_gui_thread_alone():
    # Qt hands a big fill or conversion to its GUI thread pool (two 'Thread (pooled)' threads here
    # without the switch); on 2 cores that made a view switch about three times slower.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("QT_NO_GUI_THREADPOOL", None)
    proc = subprocess.run([sys.executable, "-c", _PAINT_BIG], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    value, pooled = proc.stdout.split()
    assert value == "1"
    if sys.platform.startswith("linux"):
        assert pooled == "0"


def test_a_users_own_thread_pool_setting_is_kept():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_NO_GUI_THREADPOOL="yes")
    proc = subprocess.run([sys.executable, "-c", _PAINT_BIG], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[0] == "yes"

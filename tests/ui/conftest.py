"""UI fixtures: a throwaway QSettings location, hostile records, a main window on the fixture home."""

from __future__ import annotations

import pytest

HOSTILE = "<img src=file:///etc/passwd>"


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path, monkeypatch):
    """Never read or write the user's QSettings: point every scope at a temp folder (INI format)."""
    from briefing.ui import app as app_module

    monkeypatch.setenv("BRIEFING_SETTINGS_DIR", str(tmp_path / "qsettings"))
    app_module.configure_settings(tmp_path / "qsettings")
    yield


@pytest.fixture
def hostile_home(home):
    """The fixture home plus a source whose title and publisher are markup, cited by a model."""
    from briefing.core.records import validate

    src = validate(
        "source",
        {
            "id": "hostile-src",
            "url": "https://example.org/x",
            "title": HOSTILE,
            "publisher": HOSTILE,
            "retrieved_on": "2025-01-01",
            "reliability": "secondary",
            "license": "CC BY 4.0",
        },
    )
    with home.store(readonly=False) as store:
        store.put_records("source", [src], origin="local")
        model = store.record("model", "deepseek-r1")
        model = {k: v for k, v in model.items() if k != "origin"}
        model["sources"] = model["sources"] + ["hostile-src"]
        model["name"] = HOSTILE
        store.put_records("model", [validate("model", model)], origin="local")
    return home


@pytest.fixture(autouse=True)
def _gc_on_gui_thread():
    """Collect garbage only on the GUI thread: a collection that runs on a task-runner thread and
    frees Qt wrappers (pyqtgraph items are full of reference cycles) segfaults. The app does the same
    with pyqtgraph's GarbageCollector (`ui.app.ensure_app`)."""
    import gc

    gc.collect()
    gc.disable()
    yield
    gc.collect()
    gc.enable()

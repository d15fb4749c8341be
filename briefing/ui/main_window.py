"""The main window: a sidebar of five views, every menu, the status bar, search and remembered state.

The window owns its whole surface: it builds all the menus (File: Export one-pager…, Quit; View:
the five views, Search; Data: Sync now, What changed…, Verify, Open data folder; Help: Open log folder, About) and
connects its children's signals. The children never reach for it: a view asks for a record or
another view and hands over its export tasks through signals (`views.View`); the sync controller
reports through signals (`sync_panel.SyncController`).

Views are registered in `VIEWS` and built the first time they are shown (so start-up only pays for
the first one); see `views.View` for their contract. GUI thread only.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QListWidget, QListWidgetItem, QMainWindow, QMenu, QMessageBox, QScrollArea, QStackedWidget,
    QWidget,
)

from briefing import paths
from briefing.core.home import Home
from briefing.core.store import Store
from briefing.ui import tasks
from briefing.core.settings import Settings
from briefing.ui.about import AboutDialog
from briefing.ui.methods import MethodsDialog
from briefing.ui.app import APP_NAME, app_icon, gui_settings
from briefing.ui.status import BriefingStatusBar
from briefing.ui.sync_panel import SyncController, WhatChangedDialog
from briefing.ui.views import View

if TYPE_CHECKING:
    from briefing.ui.onepager_dialog import OnePagerDialog

ViewFactory = Callable[..., View]


@dataclass(frozen=True)
class ViewSpec:
    name: str
    title: str
    #: "module:Class" of the view, imported when the view is first built: the window paints
    #: before the charts' libraries (pyqtgraph, numpy, pandas) are imported.
    path: str
    description: str

    @property
    def factory(self) -> ViewFactory:
        module, _, cls = self.path.partition(":")
        return getattr(importlib.import_module(module), cls)


VIEWS: list[ViewSpec] = [
    ViewSpec("overview", "Overview", "briefing.ui.views.overview:OverviewView", "Headline figures and what changed"),
    ViewSpec("adoption", "Adoption", "briefing.ui.views.adoption:AdoptionView", "Downloads and derivatives of open models over time"),
    ViewSpec("investment", "Investment", "briefing.ui.views.investment:InvestmentView",
             "National AI investment commitments by country (public and private)"),
    ViewSpec("policy", "Policy", "briefing.ui.views.policy:PolicyView", "Policy actions on a timeline by jurisdiction"),
    ViewSpec("sources", "Sources", "briefing.ui.views.sources:SourcesView", "Every source and the records that cite it"),
]
VIEW_NAMES = tuple(v.name for v in VIEWS)
#: The view that shows each kind of record.
KIND_VIEW = {
    "model": "adoption", "organization": "adoption", "adoption": "adoption", "investment": "investment",
    "policy_action": "policy", "source": "sources", "consideration": "overview",
}


def verify_database(data_path: str) -> list[str]:
    """Worker: run Store.verify on its own read-only connection."""
    with Store(data_path, readonly=True) as store:
        return store.verify()


class _ViewFrame(QWidget):
    """Holds one view inside its scroll area, sized by minimum size alone.

    Word-wrapped labels give a layout height-for-width, and QScrollArea then sizes the content by
    the children's preferred heights (a chart prefers 480 px), showing a needless scroll bar.
    """

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return False

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override (QScrollArea asks the layout)
        return -1


class MainWindow(QMainWindow):
    """The app's one window on a home. `auto_sync=False` leaves the sync schedule off (screenshots)."""

    def __init__(self, home: Home, parent: QWidget | None = None, *, auto_sync: bool = True) -> None:
        super().__init__(parent)
        self.home = home
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.setAccessibleName("Open Model Briefing main window")
        self.views: dict[str, View] = {}
        self._dirty: set[str] = set()

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setAccessibleName("Views")
        self.nav.setIconSize(QSize(16, 16))
        self.nav.setFixedWidth(150)
        self.nav.setStyleSheet("QListWidget { border: none; } QListWidget::item { padding: 7px 12px; }")
        self.stack = QStackedWidget()
        self.stack.setAccessibleName("Current view")
        for spec in VIEWS:
            item = QListWidgetItem(spec.title)
            item.setToolTip(f"{spec.description} ({self._shortcut_text(spec)})")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spec.title)
            self.nav.addItem(item)
            # A scroll area per view: the window stays usable on small screens (its minimum size
            # no longer depends on the widest view), and views fill it when there is room.
            holder = QScrollArea()
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            holder.setAccessibleName(f"{spec.title} view area")
            self.stack.addWidget(holder)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status = BriefingStatusBar(self)
        self.setStatusBar(self.status)
        self.sync_controller = SyncController(home, self)
        self.sync_controller.task_started.connect(
            lambda task: self.track_task(task, "Syncing", error_title="Sync failed"))
        self.sync_controller.message.connect(self.status.showMessage)
        self.sync_controller.synced.connect(lambda _result: self.refresh_all())
        self.sync_controller.sync_failed.connect(lambda _message: self.refresh_status())
        self._build_menus()
        self.nav.currentRowChanged.connect(self._on_nav)
        self.refresh_status()
        self._restore_state()
        if auto_sync:
            self.sync_controller.start_schedule()
        #: True once every view's module is imported (after the first paint, one per event-loop turn).
        self.warmed_up = False
        self._warm_queue: list[str] | None = None

    # -- menus -------------------------------------------------------------------------------------
    def _action(self, text: str, slot: Callable[[], object], shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)  # shortcuts work even when the menu bar is hidden
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.setAccessibleName("Menu bar")
        self.file_menu: QMenu = bar.addMenu("&File")
        self.file_menu.setAccessibleName("File menu")
        self.onepager_action = self._action("Export &one-pager…", self.open_onepager, "Ctrl+Shift+E")
        self.file_menu.addAction(self.onepager_action)
        self.file_menu.addSeparator()
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.file_menu.addAction(self.quit_action)

        view_menu = bar.addMenu("&View")
        view_menu.setAccessibleName("View menu")
        self.view_actions: dict[str, QAction] = {}
        for i, spec in enumerate(VIEWS, start=1):
            action = self._action(f"&{i} {spec.title}", lambda n=spec.name: self.switch_to(n), f"Ctrl+{i}")
            view_menu.addAction(action)
            self.view_actions[spec.name] = action
        view_menu.addSeparator()
        self.search_action = self._action("&Search records and notes…", self.open_search, "Ctrl+K")
        view_menu.addAction(self.search_action)

        self.data_menu: QMenu = bar.addMenu("&Data")
        self.data_menu.setAccessibleName("Data menu")
        self.sync_action = self._action("Sync now", self.sync_controller.sync_now, "Ctrl+Shift+S")
        self.changes_action = self._action("What changed…", self.show_changes)
        self.data_menu.addAction(self.sync_action)
        self.data_menu.addAction(self.changes_action)
        self.verify_action = self._action("&Verify database", self.verify)
        self.open_folder_action = self._action("&Open data folder", self.open_data_folder)
        self.data_menu.addAction(self.verify_action)
        self.data_menu.addAction(self.open_folder_action)

        help_menu = bar.addMenu("&Help")
        help_menu.setAccessibleName("Help menu")
        self.methods_action = self._action("&Methods and definitions", self.show_methods)
        help_menu.addAction(self.methods_action)
        self.open_log_action = self._action("Open &log folder", self.open_log_folder)
        help_menu.addAction(self.open_log_action)
        self.about_action = self._action("&About Open Model Briefing", self.show_about)
        help_menu.addAction(self.about_action)

    @staticmethod
    def _shortcut_text(spec: ViewSpec) -> str:
        return f"Ctrl+{VIEW_NAMES.index(spec.name) + 1}"

    # -- views ---------------------------------------------------------------------------------------
    def view(self, name: str) -> View:
        """The view called `name`, built (and its signals connected) on first use."""
        if name not in self.views:
            spec = VIEWS[VIEW_NAMES.index(name)]
            holder = self.stack.widget(VIEW_NAMES.index(name))
            frame = _ViewFrame()
            widget = spec.factory(self.home, frame)
            widget.record_requested.connect(self.show_record)
            widget.view_requested.connect(self.switch_to)
            widget.task_started.connect(lambda task, label, title: self.track_task(task, label, error_title=title))
            widget.setAccessibleName(widget.accessibleName() or f"{spec.title} view")
            frame.layout().addWidget(widget)
            holder.setWidget(frame)
            self.views[name] = widget
            self._dirty.discard(name)
        return self.views[name]

    def current_view_name(self) -> str:
        return VIEW_NAMES[max(0, self.stack.currentIndex())]

    def switch_to(self, name: str) -> View:
        """Show a view (Ctrl+1..Ctrl+5); returns it."""
        index = VIEW_NAMES.index(name)
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)  # -> _on_nav
        else:
            self._on_nav(index)
        return self.views[name]

    def _on_nav(self, row: int) -> None:
        if row < 0:
            return
        name = VIEW_NAMES[row]
        fresh = name not in self.views
        widget = self.view(name)
        self.stack.setCurrentIndex(row)
        if fresh or name in self._dirty:  # views load nothing until first shown
            self._dirty.discard(name)
            widget.refresh()
        self.setWindowTitle(f"{VIEWS[row].title} — {APP_NAME}")

    def show_record(self, kind: str, record_id: str) -> None:
        """Switch to the view for this kind of record and show it there."""
        view = self.switch_to(KIND_VIEW.get(kind, "overview"))
        view.show_record(kind, record_id)

    def refresh_all(self) -> None:
        """Reload after the data changed: status bar now, the current view now, the others when shown."""
        self.refresh_status()
        current = self.current_view_name()
        self._dirty = {n for n in self.views if n != current}
        if current in self.views:
            self.views[current].refresh()

    def refresh_status(self) -> None:
        with self.home.store() as store:
            self.status.set_meta(store.meta(), stale_after_days=Settings.load(self.home.settings_path).stale_after_days)

    # -- actions -------------------------------------------------------------------------------------
    def track_task(self, task: tasks.Task, label: str, *, error_title: str | None = None) -> tasks.Task:
        """Show a background task in the status bar (progress, Cancel, errors as a message box)."""
        return self.status.track(task, label, error_title=error_title)

    def open_search(self) -> None:
        from briefing.ui.search import SearchDialog  # built on first use: keeps start-up short

        dialog = SearchDialog(self.home, self)
        dialog.record_chosen.connect(self.show_record)
        dialog.open()
        self._search = dialog

    def verify(self) -> tasks.Task:
        task = tasks.run_task(verify_database, str(self.home.data_path), task_name="verify")
        task.done.connect(self._on_verified)
        return self.track_task(task, "Verifying database", error_title="Verify failed")

    def _on_verified(self, problems: list[str]) -> None:
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle("Verify database")
        box.setAccessibleName("Verify result")
        if problems:
            box.setIcon(QMessageBox.Icon.Warning)
            box.setText(f"{len(problems)} problem(s) found in {self.home.data_path.name}.")
            box.setDetailedText("\n".join(problems))
        else:
            box.setIcon(QMessageBox.Icon.Information)
            box.setText("No problems: integrity, foreign keys, sources and references all check out.")
        box.open()
        self.last_verify = (problems, box)

    def open_onepager(self) -> OnePagerDialog:
        """File > Export one-pager…, on the current view's topic (window-modal, no nested event loop)."""
        from briefing.core.report import TOPICS  # with the readings (pandas): not before the first paint
        from briefing.ui.onepager_dialog import OnePagerDialog  # imported on first use: keeps start-up short

        view = self.current_view_name()
        dialog = OnePagerDialog(self.home, self, topic=view if view in TOPICS else "overview")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_changes(self) -> WhatChangedDialog:
        """Data > What changed…: the latest applied sync, field by field."""
        dialog = WhatChangedDialog(self.home, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_data_folder(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.home.dir)))

    def open_log_folder(self) -> bool:
        """Open the folder of briefing.log and crash.log (created if absent) in the file manager."""
        folder = paths.log_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # the file manager says the folder is missing; nothing else to do here
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def show_methods(self) -> MethodsDialog:
        dialog = MethodsDialog(self)
        dialog.open()
        return dialog

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self.home, self)
        dialog.open()
        return dialog

    # -- start-up ---------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self._warm_queue is None:  # the first paint: now import what the other views need
            self._warm_queue = [spec.path for spec in VIEWS]
            QTimer.singleShot(0, self, self._warm_up)

    def _warm_up(self) -> None:
        """Import one view's module (pandas, pyqtgraph and numpy come with the first), then yield
        to the event loop and go on: the first visit of a view then only builds its widgets."""
        if self._warm_queue:
            module = self._warm_queue.pop(0).partition(":")[0]
            importlib.import_module(module)
            QTimer.singleShot(0, self, self._warm_up)
        else:
            self.warmed_up = True

    # -- remembered state ------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        settings = gui_settings()
        geometry = settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 820)
        last = settings.value("main_window/last_view", "overview")
        self.switch_to(last if last in VIEW_NAMES else "overview")

    def save_state(self) -> None:
        settings = gui_settings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/last_view", self.current_view_name())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        for view in self.views.values():
            view.save_pending()  # a note being typed is saved, never lost
        self.save_state()
        super().closeEvent(event)

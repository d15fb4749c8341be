"""The main window: a sidebar of five views, menus, the status bar, search and remembered state.

For the other engineers (see also the attributes' comments below):

* `window.file_menu` (QMenu): add export entries with `window.add_file_action(action)`, which
  inserts them above Quit.
* `window.data_menu` (QMenu): add "Sync now" with `window.add_data_action(action)`, which inserts
  it at the top, above Verify.
* `window.track_task(task, "Syncing")` shows a `tasks.Task` in the status bar (progress, Cancel,
  plain-text error box on failure).
* `window.refresh_all()` after the data changed (a sync): reloads the status bar and the views.
* `window.show_record(kind, id)` switches to the view that shows that kind of record and selects it.

Views are registered in `VIEWS`: each class is constructed as `View(home, parent=None)` and has
`refresh()` and `show_record(kind, id)`. A view is built the first time it is shown (so start-up
only pays for the first one) and loads nothing in its constructor: the window calls `refresh()`
right after building it, and again when it is shown after the data changed. `show_record` may
arrive before a refresh's background load has finished. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSize, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QListWidget, QListWidgetItem, QMainWindow, QMenu, QMessageBox, QScrollArea, QStackedWidget,
    QWidget,
)

from briefing.core.home import Home
from briefing.core.store import Store
from briefing.ui import tasks
from briefing.ui.about import AboutDialog
from briefing.ui.app import APP_NAME, app_icon, gui_settings
from briefing.ui.status import BriefingStatusBar
from briefing.ui.views.adoption import AdoptionView
from briefing.ui.views.investment import InvestmentView
from briefing.ui.views.overview import OverviewView
from briefing.ui.views.policy import PolicyView
from briefing.ui.views.sources import SourcesView

ViewFactory = Callable[..., QWidget]


@dataclass(frozen=True)
class ViewSpec:
    name: str
    title: str
    factory: ViewFactory
    description: str


VIEWS: list[ViewSpec] = [
    ViewSpec("overview", "Overview", OverviewView, "Headline figures and what changed"),
    ViewSpec("adoption", "Adoption", AdoptionView, "Downloads and derivatives of open models over time"),
    ViewSpec("investment", "Investment", InvestmentView, "National AI investment commitments by country (public and private)"),
    ViewSpec("policy", "Policy", PolicyView, "Policy actions on a timeline by jurisdiction"),
    ViewSpec("sources", "Sources", SourcesView, "Every source and the records that cite it"),
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
    """See the module docstring for the hooks other parts use."""

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.setAccessibleName("Open Model Briefing main window")
        self.views: dict[str, QWidget] = {}
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
        self._build_menus()
        self.nav.currentRowChanged.connect(self._on_nav)
        self.refresh_status()
        self._restore_state()

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
        #: File menu; the export engineer adds entries through `add_file_action` (above Quit).
        self.file_menu: QMenu = bar.addMenu("&File")
        self.file_menu.setAccessibleName("File menu")
        self._file_end = self.file_menu.addSeparator()
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

        #: Data menu; the sync engineer adds "Sync now" through `add_data_action` (at the top).
        self.data_menu: QMenu = bar.addMenu("&Data")
        self.data_menu.setAccessibleName("Data menu")
        self.verify_action = self._action("&Verify database", self.verify)
        self.open_folder_action = self._action("&Open data folder", self.open_data_folder)
        self.data_menu.addAction(self.verify_action)
        self.data_menu.addAction(self.open_folder_action)

        help_menu = bar.addMenu("&Help")
        help_menu.setAccessibleName("Help menu")
        self.about_action = self._action("&About Open Model Briefing", self.show_about)
        help_menu.addAction(self.about_action)

    def add_file_action(self, action: QAction) -> None:
        """Add an entry to File, above the separator before Quit."""
        self.file_menu.insertAction(self._file_end, action)
        self.addAction(action)

    def add_data_action(self, action: QAction) -> None:
        """Add an entry to Data, at the top (above Verify)."""
        self.data_menu.insertAction(self.verify_action, action)
        self.addAction(action)

    @staticmethod
    def _shortcut_text(spec: ViewSpec) -> str:
        return f"Ctrl+{VIEW_NAMES.index(spec.name) + 1}"

    # -- views ---------------------------------------------------------------------------------------
    def view(self, name: str) -> QWidget:
        """The view called `name`, built on first use."""
        if name not in self.views:
            spec = VIEWS[VIEW_NAMES.index(name)]
            holder = self.stack.widget(VIEW_NAMES.index(name))
            frame = _ViewFrame()
            widget = spec.factory(self.home, frame)
            widget.setAccessibleName(widget.accessibleName() or f"{spec.title} view")
            frame.layout().addWidget(widget)
            holder.setWidget(frame)
            self.views[name] = widget
            self._dirty.discard(name)
        return self.views[name]

    def current_view_name(self) -> str:
        return VIEW_NAMES[max(0, self.stack.currentIndex())]

    def switch_to(self, name: str) -> QWidget:
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
            self.status.set_meta(store.meta())

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

    def open_data_folder(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.home.dir)))

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self.home, self)
        dialog.open()
        return dialog

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
            detail = getattr(view, "detail", None)
            if detail is not None and hasattr(detail, "clear"):
                detail.clear()  # saves a pending note edit
        self.save_state()
        super().closeEvent(event)

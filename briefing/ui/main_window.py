"""The main window: a sidebar of five views, every menu, the status bar, search and remembered state.

The window owns its whole surface: it builds all the menus (File: Export one-pager…, Quit; View:
the five views, Search, Saved views (save, reopen, copy a link, open a link), Theme (system, light,
dark); Data: Sync now (every source), What changed…, Country groups…, Verify, Open data folder;
Help: Methods and definitions, Open log folder, About) and connects its children's signals. The children never reach for it: a view asks for a record or
another view and hands over its export tasks through signals (`views.View`); the sync controller
reports through signals (`sync_panel.SyncController`).

Views are registered in `VIEWS`; start-up builds only the first one shown, the others are built
in idle turns after the first paint (or on a visit before that) and load their data the first
time they are shown; see `views.View` for their contract. GUI thread only.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QRect, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsView,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from briefing import paths
from briefing.core import names, view_links
from briefing.core.errors import BriefingError
from briefing.core.home import Home
from briefing.core.settings import Settings
from briefing.core.store import Store
from briefing.ui import app as app_module
from briefing.ui import tasks
from briefing.ui.about import AboutDialog
from briefing.ui.app import APP_NAME, app_icon, gui_settings
from briefing.ui.methods import MethodsDialog
from briefing.ui.status import BriefingStatusBar
from briefing.ui.sync_panel import SyncController, WhatChangedDialog
from briefing.ui.views import View

if TYPE_CHECKING:
    from briefing.ui.onepager_dialog import OnePagerDialog

ViewFactory = Callable[..., View]
#: The first window's size when nothing is remembered (clamped to the available screen).
DEFAULT_SIZE = (1280, 820)


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
    ViewSpec(
        "adoption",
        "Adoption",
        "briefing.ui.views.adoption:AdoptionView",
        "Downloads and derivatives of open models over time",
    ),
    ViewSpec(
        "investment",
        "Investment",
        "briefing.ui.views.investment:InvestmentView",
        "National AI investment commitments by country (public and private)",
    ),
    ViewSpec("policy", "Policy", "briefing.ui.views.policy:PolicyView", "Policy actions on a timeline by jurisdiction"),
    ViewSpec(
        "sources", "Sources", "briefing.ui.views.sources:SourcesView", "Every source and the records that cite it"
    ),
]
VIEW_NAMES = tuple(v.name for v in VIEWS)
#: The view that shows each kind of record.
KIND_VIEW = {
    "model": "adoption",
    "organization": "adoption",
    "adoption": "adoption",
    "investment": "investment",
    "policy_action": "policy",
    "source": "sources",
    "consideration": "overview",
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
        #: views built ahead (in idle turns after start-up) that were never shown: (view, frame)
        self._built: dict[str, tuple[View, _ViewFrame]] = {}
        self._dirty: set[str] = set()

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setAccessibleName("Views")
        self.nav.setIconSize(QSize(16, 16))
        self.nav.setFixedWidth(150)
        self.nav.setStyleSheet(
            "QListWidget { border: none; } QListWidget:focus { border: 2px solid palette(highlight); }"
            " QListWidget::item { padding: 7px 12px; }"
        )
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
            # Not opaque (the window's background shows through, the same colour): Qt paints an
            # opaque widget in a pass of its own and then again with the rest of a switch's
            # dirty area, so an opaque page was painted twice per switch.
            holder.viewport().setAutoFillBackground(False)
            self.stack.addWidget(holder)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status = BriefingStatusBar(self)
        self.setStatusBar(self.status)
        self.sync_controller = SyncController(home, self)
        self.sync_controller.task_started.connect(
            lambda task: self.track_task(task, "Syncing", error_title="Sync failed")
        )
        self.sync_controller.message.connect(self.status.showMessage)
        self.sync_controller.synced.connect(lambda _result: self.refresh_all())
        self.sync_controller.sync_failed.connect(lambda _message: self.refresh_status())
        self.sync_controller.reported.connect(self._on_sync_report)
        self._build_menus()
        self.nav.currentRowChanged.connect(self._on_nav)
        self.refresh_status()
        self._restore_state()
        if auto_sync:
            self.sync_controller.start_schedule()
        #: True once every view's module is imported and every view built (after the first paint,
        #: one per event-loop turn).
        self.warmed_up = False
        self._warm_queue: list[tuple[str, str]] | None = None

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
        view_menu.addSeparator()
        self.saved_menu: QMenu = view_menu.addMenu("Saved &views")
        self.saved_menu.setAccessibleName("Saved views menu")
        self.saved_menu.aboutToShow.connect(self._fill_saved_menu)
        self.save_view_action = self._action("&Save this view…", self.ask_save_view, "Ctrl+Shift+V")
        self.copy_link_action = self._action("&Copy link to this view", self.copy_view_link, "Ctrl+Shift+L")
        self.open_link_action = self._action("&Open a view link…", self.ask_open_link)
        self._fill_saved_menu()
        theme_menu = view_menu.addMenu("&Theme")
        theme_menu.setAccessibleName("Theme menu")
        self.theme_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for mode in app_module.THEMES:
            action = self._action(mode.capitalize(), lambda m=mode: self.set_theme(m))
            action.setCheckable(True)
            group.addAction(action)
            theme_menu.addAction(action)
            self.theme_actions[mode] = action

        self.data_menu: QMenu = bar.addMenu("&Data")
        self.data_menu.setAccessibleName("Data menu")
        self.sync_action = self._action("Sync now (every source)", self.sync_controller.sync_all_now, "Ctrl+Shift+S")
        self.sync_action.setToolTip(
            "The signed feed, the Hugging Face Hub and the Federal Register, as `briefing sync --source all`"
        )
        self.changes_action = self._action("What changed…", self.show_changes)
        self.data_menu.addAction(self.sync_action)
        self.data_menu.addAction(self.changes_action)
        self.groups_action = self._action("Country &groups…", self.edit_country_groups)
        self.data_menu.addAction(self.groups_action)
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
        """The view called `name`, put into its page (built, and its signals connected, unless it
        was built ahead in an idle turn) on first use."""
        if name not in self.views:
            widget, frame = self._built.pop(name, None) or self._build(name)
            holder = self.stack.widget(VIEW_NAMES.index(name))
            holder.setWidget(frame)
            frame.setAutoFillBackground(False)  # setWidget made it opaque: see the viewport's above
            self.views[name] = widget
            self._dirty.discard(name)
        return self.views[name]

    def _build(self, name: str) -> tuple[View, _ViewFrame]:
        """A view in its frame, its signals connected to the window; not yet in its page."""
        spec = VIEWS[VIEW_NAMES.index(name)]
        frame = _ViewFrame()
        widget = spec.factory(self.home, frame)
        widget.record_requested.connect(self.show_record)
        widget.view_requested.connect(self.switch_to)
        widget.task_started.connect(lambda task, label, title: self.track_task(task, label, error_title=title))
        widget.setAccessibleName(widget.accessibleName() or f"{spec.title} view")
        frame.layout().addWidget(widget)
        return widget, frame

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
        # The page first, then a fresh view into it: a hidden scroll area has not sized its
        # viewport yet, so a view put in it while hidden was laid out for a stub viewport (with a
        # scroll bar) and repainted whole a turn later, once the real size was known.
        self.stack.setCurrentIndex(row)
        widget = self.view(name)
        if fresh or name in self._dirty:  # views load nothing until first shown
            self._dirty.discard(name)
            widget.refresh()
        self._settle_shown_page()
        self.setWindowTitle(f"{VIEWS[row].title} — {APP_NAME}")

    def _settle_shown_page(self) -> None:
        """Hand the page just shown the updates Qt queued for it, so the coming paint draws it once.

        The window's paint request is already queued (the sidebar's selection) when the page is
        shown, so what the show (or a first refresh) queues behind it would repaint the page a
        turn later: layouts to redo (a label's new text), each shown widget's deferred update (the
        whole view again), and each chart scene's dirty items (a shown QGraphicsView re-activates
        its scene, which marks every item). Delivered now, they join the one paint.
        """
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.UpdateLater)
        for chart in self.stack.currentWidget().findChildren(QGraphicsView):
            if chart.scene() is not None:
                QCoreApplication.sendPostedEvents(chart.scene(), QEvent.Type.MetaCall)

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
        if self._warm_queue is None:  # the first paint: now import and build what the other views need
            self._warm_queue = [("import", spec.path) for spec in VIEWS] + [("build", n) for n in VIEW_NAMES]
            QTimer.singleShot(0, self, self._warm_up)

    def _warm_up(self) -> None:
        """One step per event-loop turn: import a view's module (pandas, pyqtgraph and numpy come
        with the first), then build each view not built yet (its widgets only: a view loads its
        data when first shown). A first visit then only puts the view in its page, lays it out,
        paints it and starts its load; a visit before this is done builds the view itself."""
        if self._warm_queue:
            step, what = self._warm_queue.pop(0)
            if step == "import":
                importlib.import_module(what.partition(":")[0])
            elif what not in self.views and what not in self._built and self.isVisible():
                self._built[what] = self._build(what)
            QTimer.singleShot(0, self, self._warm_up)
        else:
            app_module.GarbageCollector.freeze_long_lived()
            self.warmed_up = True

    # -- remembered state ------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        settings = gui_settings()
        theme = settings.value("view/theme", "system")
        self.set_theme(theme if theme in app_module.THEMES else "system", save=False)
        geometry = settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(*DEFAULT_SIZE)
        self.fit_to_screen()
        last = settings.value("main_window/last_view", "overview")
        self.switch_to(last if last in VIEW_NAMES else "overview")

    def fit_to_screen(self, available: QRect | None = None) -> None:
        """Keep the window inside the available screen (any scale factor: sizes are logical
        pixels), moving and shrinking it if needed."""
        if available is None:
            screen = self.screen() or QGuiApplication.primaryScreen()
            if screen is None:
                return
            available = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w, extra_h = frame.width() - self.width(), frame.height() - self.height()
        w = min(self.width(), available.width() - extra_w)
        h = min(self.height(), available.height() - extra_h)
        if (w, h) != (self.width(), self.height()):
            self.resize(max(w, 200), max(h, 200))
        x = min(max(frame.x(), available.x()), available.right() - self.frameGeometry().width() + 1)
        y = min(max(frame.y(), available.y()), available.bottom() - self.frameGeometry().height() + 1)
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    # -- theme --------------------------------------------------------------------------------------
    def set_theme(self, mode: str, *, save: bool = True) -> None:
        """View > Theme: system, light or dark; charts follow at once. Remembered in the GUI settings."""
        app_module.set_theme(mode)
        self.theme_actions[mode].setChecked(True)
        if save:
            settings = gui_settings()
            settings.setValue("view/theme", mode)
            settings.sync()

    # -- saved views and links -------------------------------------------------------------------------
    def current_link(self) -> str:
        """The current view's state as a view link (`core.view_links`)."""
        name = self.current_view_name()
        view = self.views.get(name)
        state = view.view_state() if view is not None else {}
        return view_links.make(name, state)

    def open_link(self, text: str) -> list[str]:
        """Show the view a link (or a saved view's name) describes; returns what the view could not
        set (also shown in the status bar). BriefingError for a text that is neither."""
        saved = Settings.load(self.home.settings_path).saved_views
        link = view_links.resolve(text, VIEW_NAMES, saved)
        view = self.switch_to(link.view)
        unknown = view.apply_view_state(link.state)
        if unknown:
            self.status.showMessage(f"This app could not set part of the link: {', '.join(unknown)[:200]}", 10000)
        return unknown

    def save_view(self, name: str) -> str:
        """Save the current view under `name` (replacing one of that name); returns its link."""
        name = name.strip()
        if not name:
            raise BriefingError("a saved view needs a name")
        settings = Settings.load(self.home.settings_path)
        link = self.current_link()
        settings.saved_views[name[:80]] = link
        settings.save(self.home.settings_path)
        self._fill_saved_menu()
        self.status.showMessage(f"Saved view {name[:80]!r}: {link[:120]}", 8000)
        return link

    def delete_saved_view(self, name: str) -> None:
        settings = Settings.load(self.home.settings_path)
        if settings.saved_views.pop(name, None) is not None:
            settings.save(self.home.settings_path)
        self._fill_saved_menu()

    def copy_view_link(self) -> str:
        link = self.current_link()
        QGuiApplication.clipboard().setText(link)
        self.status.showMessage(f"Link copied: {link[:160]} (open it with briefing gui --view '<link>')", 10000)
        return link

    def ask_save_view(self) -> QInputDialog:
        return self._ask_text(
            "Save this view",
            "Name of the saved view (filters, grouping, metric, range and scale are kept):",
            self.save_view,
        )

    def ask_open_link(self) -> QInputDialog:
        return self._ask_text(
            "Open a view link", "A view link (e.g. policy?jurisdiction=US,CN) or a saved view's name:", self.open_link
        )

    def _ask_text(self, title: str, label: str, then: Callable[[str], object]) -> QInputDialog:
        """A window-modal text prompt (no nested event loop); `then(text)` runs on OK, its errors shown."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setAccessibleName(title)
        dialog.textValueSelected.connect(lambda text: self._try(lambda: then(text)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _try(self, fn: Callable[[], object]) -> None:
        try:
            fn()
        except BriefingError as exc:
            from briefing.ui.status import show_error

            show_error(self, "View link", exc)

    def _fill_saved_menu(self) -> None:
        menu = self.saved_menu
        menu.clear()
        saved = Settings.load(self.home.settings_path).saved_views
        for name in sorted(saved, key=str.casefold):
            action = menu.addAction(name.replace("&", "&&"))
            action.setToolTip(saved[name])
            action.setData(name)
            action.triggered.connect(lambda _=False, n=name: self._try(lambda: self.open_link(saved[n])))
        if not saved:
            menu.addAction("(no saved views yet)").setEnabled(False)
        menu.addSeparator()
        menu.addAction(self.save_view_action)
        menu.addAction(self.copy_link_action)
        menu.addAction(self.open_link_action)
        if saved:
            delete = menu.addMenu("Delete a saved view")
            for name in sorted(saved, key=str.casefold):
                delete.addAction(name.replace("&", "&&"), lambda n=name: self.delete_saved_view(n))

    # -- country groups --------------------------------------------------------------------------------
    def edit_country_groups(self) -> QWidget:
        """Data > Country groups…: the builtin groups and the user's own (saved in settings.json)."""
        from briefing.ui.groups_dialog import CountryGroupsDialog  # on first use: keeps start-up short

        dialog = CountryGroupsDialog(self.home, self)
        dialog.groups_changed.connect(self.apply_country_groups)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def apply_country_groups(self) -> None:
        """Give every built view's country filters the groups as saved now."""
        groups = names.country_groups(Settings.load(self.home.settings_path).country_groups)
        for view in [*self.views.values(), *(built for built, _frame in self._built.values())]:
            view.set_country_groups(groups)

    def _on_sync_report(self, text: str, failed: bool) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning if failed else QMessageBox.Icon.Information,
            "Sync",
            "",
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        box.setAccessibleName("Sync result")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_sync_box = box

    def save_state(self) -> None:
        settings = gui_settings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/last_view", self.current_view_name())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        for view in self.views.values():
            view.save_pending()  # a note being typed is saved, never lost
        for _view, frame in self._built.values():  # built ahead, never shown: nothing to save
            frame.deleteLater()  # parentless: Qt frees it now, not the cycle collector some day
        self._built.clear()
        self.save_state()
        super().closeEvent(event)

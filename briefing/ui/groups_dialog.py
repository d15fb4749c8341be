"""Data > Country groups…: the builtin groups (EU-27, G7, Gulf states: read-only) and the user's own,
made by ticking countries by name; saved in the home's settings.json (`Settings.country_groups`)
and offered by every country and jurisdiction filter. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefing.core import names
from briefing.core.home import Home
from briefing.core.settings import Settings
from briefing.ui import plain


class CountryGroupsDialog(QDialog):
    """Pick a group on the left; a user's group can be renamed, re-ticked, saved or deleted."""

    groups_changed = Signal()

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.setWindowTitle("Country groups")
        self.setAccessibleName("Country groups")
        self.resize(640, 480)
        self.group_list = QListWidget()
        self.group_list.setAccessibleName("Country groups")
        self.group_list.currentItemChanged.connect(lambda *_: self._show_current())
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Group name")
        self.name_edit.setPlaceholderText("Name of a new group, e.g. Quad or AI Safety Summit hosts")
        self.name_edit.setMaxLength(names.MAX_GROUP_NAME)
        self.countries = QListWidget()
        self.countries.setAccessibleName("Countries in the group")
        for code, name in sorted(names.COUNTRIES.items(), key=lambda kv: kv[1]):
            item = QListWidgetItem(f"{name} ({code})")
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.countries.addItem(item)
        self.note = plain.label("", name="Group note", wrap=True)
        self.new_button = QPushButton("New group")
        self.save_button = QPushButton("Save group")
        self.delete_button = QPushButton("Delete group")
        self.new_button.clicked.connect(self.new_group)
        self.save_button.clicked.connect(lambda: self.save_group())
        self.delete_button.clicked.connect(lambda: self.delete_group())
        right = QVBoxLayout()
        right.addWidget(self.name_edit)
        right.addWidget(self.countries, 1)
        right.addWidget(self.note)
        row = QHBoxLayout()
        for b in (self.new_button, self.save_button, self.delete_button):
            row.addWidget(b)
        right.addLayout(row)
        body = QHBoxLayout()
        body.addWidget(self.group_list, 1)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill()

    def groups(self) -> list[names.CountryGroup]:
        return names.country_groups(Settings.load(self.home.settings_path).country_groups)

    def _fill(self, select: str | None = None) -> None:
        self.group_list.clear()
        for g in self.groups():
            item = QListWidgetItem(g.label() + (" (builtin)" if g.builtin else ""))
            item.setData(Qt.ItemDataRole.UserRole, g.name)
            item.setToolTip(plain.tooltip(g.description))
            self.group_list.addItem(item)
            if g.name == select:
                self.group_list.setCurrentItem(item)
        if self.group_list.currentItem() is None and self.group_list.count():
            self.group_list.setCurrentRow(0)

    def _current(self) -> names.CountryGroup | None:
        item = self.group_list.currentItem()
        return names.group_named(item.data(Qt.ItemDataRole.UserRole), self.groups()) if item else None

    def _show_current(self) -> None:
        g = self._current()
        members = g.members if g else frozenset()
        self.name_edit.setText(g.name if g else "")
        builtin = bool(g and g.builtin)
        self.name_edit.setReadOnly(builtin)
        for i in range(self.countries.count()):
            item = self.countries.item(i)
            item.setCheckState(
                Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in members else Qt.CheckState.Unchecked
            )
            flags = item.flags()
            item.setFlags(
                flags & ~Qt.ItemFlag.ItemIsUserCheckable if builtin else flags | Qt.ItemFlag.ItemIsUserCheckable
            )
        self.save_button.setEnabled(not builtin)
        self.delete_button.setEnabled(bool(g) and not builtin)
        self.note.setText(
            f"{g.description}. Builtin groups cannot be changed: make a new one."
            if builtin
            else "Tick the countries of your group, then Save group."
        )

    def new_group(self) -> None:
        self.group_list.clearSelection()
        self.group_list.setCurrentItem(None)
        self.name_edit.setReadOnly(False)
        self.name_edit.clear()
        for i in range(self.countries.count()):
            item = self.countries.item(i)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.save_button.setEnabled(True)
        self.delete_button.setEnabled(False)
        self.note.setText("Name the group, tick its countries, then Save group.")
        self.name_edit.setFocus()

    def ticked(self) -> list[str]:
        return [
            self.countries.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.countries.count())
            if self.countries.item(i).checkState() == Qt.CheckState.Checked
        ]

    def save_group(self, name: str | None = None, codes: list[str] | None = None) -> bool:
        """Save the named group with the ticked countries (or the ones given); False with a note
        when the name is empty, a builtin group's, or no country is ticked."""
        name = (name if name is not None else self.name_edit.text()).strip()
        codes = codes if codes is not None else self.ticked()
        current = self._current()
        if not name or not codes:
            self.note.setText("A group needs a name and at least one country.")
            return False
        if any(g.builtin and g.name.casefold() == name.casefold() for g in names.BUILTIN_GROUPS):
            self.note.setText(f"{name} is a builtin group: choose another name.")
            return False
        settings = Settings.load(self.home.settings_path)
        if current is not None and not current.builtin and current.name != name:
            settings.country_groups.pop(current.name, None)  # renamed
        settings.country_groups[name] = sorted(set(codes))
        settings.save(self.home.settings_path)
        self._fill(select=name)
        self.note.setText(f"Saved {name}: every country filter offers it now.")
        self.groups_changed.emit()
        return True

    def delete_group(self, name: str | None = None) -> bool:
        g = self._current() if name is None else names.group_named(name, self.groups())
        if g is None or g.builtin:
            return False
        settings = Settings.load(self.home.settings_path)
        settings.country_groups.pop(g.name, None)
        settings.save(self.home.settings_path)
        self._fill()
        self.groups_changed.emit()
        return True

"""The five views of the main window; each is `View(home, parent=None)` with refresh() and show_record(kind, id)."""

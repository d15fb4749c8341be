"""Widgets. All threads live in `tasks.py`; widgets read data only through the core."""

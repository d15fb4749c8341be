"""The headless core: records, the store, snapshot, feed, sync, frames and report content.

Nothing here imports Qt (an import-linter contract enforces it).
"""

"""Open Model Briefing: offline briefings on the open-weight AI race."""

__version__ = "0.1.0"

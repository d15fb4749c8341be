"""The bundle's `briefing-gui` program (windowed: no console on Windows): `briefing gui`."""

from briefing.__main__ import run_gui

if __name__ == "__main__":
    run_gui()

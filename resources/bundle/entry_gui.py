"""The bundle's `briefing-gui` program (windowed: no console on Windows): `briefing gui`."""

from briefing.cli import gui_main

if __name__ == "__main__":
    gui_main()

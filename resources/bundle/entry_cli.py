"""The bundle's `briefing` program (console): the same command line as the installed package."""

from briefing.__main__ import run

if __name__ == "__main__":
    run()

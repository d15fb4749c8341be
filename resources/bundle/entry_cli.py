"""The bundle's `briefing` program (console): the same command line as the installed package."""

from briefing.cli import main

if __name__ == "__main__":
    main()

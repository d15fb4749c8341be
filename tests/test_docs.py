"""Every command has help with an example and appears in the README."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from briefing.cli import cli

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "briefing"):
    for name, command in sorted(group.commands.items()):
        full = f"{prefix} {name}"
        yield full, command
        if isinstance(command, click.Group):
            yield from _commands(command, full)


COMMANDS = list(_commands(cli))


@pytest.mark.parametrize("name,command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_with_example(name, command):
    assert command.help, f"{name} has no help"
    assert "Example:" in command.help, f"{name}'s help has no example"


@pytest.mark.parametrize("name,command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_is_in_readme(name, command):
    assert re.search(rf"`{re.escape(name)}\b", README), f"README does not mention `{name}`"


def test_readme_leads_with_the_two_commands():
    blocks = re.findall(r"```(?:sh|bash|shell)?\n(.*?)```", README, flags=re.S)
    assert blocks, "README has no command block"
    assert blocks[0].split() == ["make", "run"] or blocks[0].strip().splitlines()[:2] == ["make run", "make test"]


def test_the_architecture_note_names_only_modules_that_exist():
    note = (Path(__file__).parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = Path(__file__).parents[1] / "briefing"
    named = set(re.findall(r"(?<![\w/])((?:core|render|ui)/[\w/<>]+\.py|cli\.py)", note))
    missing = [m for m in sorted(named) if "<" not in m and not (package / m).is_file()]
    assert named and missing == []


METHODS = (Path(__file__).parents[1] / "docs" / "methods.md").read_text(encoding="utf-8")


def test_methods_defines_every_coded_value_in_the_apps_own_words():
    from briefing.core import definitions
    from briefing.core.records import ENUMS

    for field, vocabulary in definitions.ALL.items():
        for value, text in vocabulary.items():
            assert f"| `{value}` | {text} |" in METHODS, (field, value)
    # and nothing the schema allows goes undefined
    for enum, field in (
        ("stance", "stance_on_open_models"),
        ("status", "status"),
        ("relevance", "relevance"),
        ("stage", "stage"),
        ("scope", "scope"),
        ("confirmation", "confirmation"),
        ("investment_kind", "kind"),
        ("grade", "grade"),
        ("policy_topic", "topics"),
        ("as_of_precision", "as_of_precision"),
    ):
        assert set(ENUMS[enum]) == set(definitions.ALL[field]), enum


def test_readme_links_methods_and_the_figures_contract():
    assert "(docs/methods.md)" in README and "(docs/figures.md)" in README


def test_methods_carries_the_briefs_definitions_verbatim():
    from briefing.core import definitions

    for term, text in definitions.TERMS.items():
        assert f"| `{term}` | {text} |" in METHODS, term
    assert set(definitions.TERM_NAMES) == set(definitions.TERMS)

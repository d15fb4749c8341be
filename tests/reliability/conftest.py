"""Helpers for the reliability tests: the CLI in-process and in a child process, real tmpfs mounts."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]


def cli(*args, env=None):
    """`briefing ARGS` in-process; returns click's Result (exit code, stdout and stderr apart)."""
    from briefing.cli import cli as group

    try:
        runner = CliRunner(mix_stderr=False)  # click < 8.2 (test-lowest) mixes stderr into stdout by default
    except TypeError:
        runner = CliRunner()  # click >= 8.2 always keeps stderr apart
    return runner.invoke(group, [str(a) for a in args], env=env)


def cli_child(*args, env=None, timeout=120, preexec_fn=None):
    """`python -m briefing ARGS` in a child process (for what a real process shows: stderr, limits)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "briefing", *map(str, args)],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=ROOT,
        preexec_fn=preexec_fn,
    )


def error_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip()]


@contextlib.contextmanager
def tmpfs(size: str):
    """A real tmpfs of `size` (root only: skips where it cannot be mounted); yields its folder."""
    folder = Path(tempfile.mkdtemp(prefix="briefing-tmpfs-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        folder.rmdir()
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        with contextlib.suppress(OSError):
            folder.rmdir()


def remount_readonly(folder: Path) -> None:
    done = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot remount read-only here")

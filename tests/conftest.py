"""Shared fixtures: every test gets its own home; stores are real SQLite files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import HealthCheck, settings  # noqa: E402

# A bounded budget for CI (no example database written into the tree), a long one for `make fuzz`.
settings.register_profile(
    "ci",
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "fuzz",
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_RECORDS = FIXTURES / "records"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """No test ever reads or writes the developer's own home (nor its log folder)."""
    monkeypatch.setenv("BRIEFING_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BRIEFING_LOG_DIR", str(tmp_path / "logs"))


@pytest.fixture(scope="session")
def fixture_snapshot(tmp_path_factory) -> Path:
    """A snapshot built once from the small fixture records."""
    from briefing.core import snapshot

    out = tmp_path_factory.mktemp("fixture-snapshot") / "snapshot.sqlite"
    snapshot.build(FIXTURE_RECORDS, out)
    return out


@pytest.fixture
def home(tmp_path, fixture_snapshot):
    """A home seeded from the fixture snapshot."""
    from briefing.core.home import Home

    return Home.open(tmp_path / "fixture-home", bundled=fixture_snapshot)


@pytest.fixture
def older_home_dir(tmp_path, fixture_snapshot):
    """A home folder as the release before m003 left it: the fixture data without investment.part_of
    (its column, its index and its migration record), not yet opened by this release."""
    import shutil
    import sqlite3

    folder = tmp_path / "older-home"
    folder.mkdir()
    shutil.copyfile(fixture_snapshot, folder / "briefing.sqlite")
    conn = sqlite3.connect(folder / "briefing.sqlite")
    conn.executescript(
        "DROP INDEX investment_part_of; ALTER TABLE investment DROP COLUMN part_of;"
        " DELETE FROM _sqlite_migrations WHERE name = 'm003_investment_part_of';"
    )
    conn.close()
    return folder


@pytest.fixture
def store(home):
    s = home.store(readonly=False)
    yield s
    s.close()


@pytest.fixture
def bundled_home(tmp_path):
    """A home seeded from the real bundled snapshot in data/."""
    from briefing.core.home import Home

    return Home.open(tmp_path / "bundled-home")


def copy_db(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    return dst

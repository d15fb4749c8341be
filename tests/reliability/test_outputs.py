"""Outputs never touch the home's own files; regular files only; a write error is exit 1; restore
can replace a damaged data file (red-team H1: C49, C49b, C60-C65, C68; M1: C24; M4: D10-D16; M5:
D03; M10: D02). Real files, real links, real FIFOs, real kernel write errors."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3

import pytest

from briefing.core import staging
from briefing.core.home import Home
from tests.feedkit import file_hash, fingerprint
from tests.reliability.conftest import cli, cli_child, error_lines, remount_readonly, tmpfs

WRITERS = {
    "csv": ["export", "table", "--kind", "sources", "--format", "csv", "--out"],
    "json": ["export", "table", "--kind", "sources", "--format", "json", "--out"],
    "xlsx": ["export", "table", "--kind", "sources", "--format", "xlsx", "--out"],
    "onepager": ["export", "onepager", "--topic", "overview", "--out"],
    "chart": ["export", "chart", "--chart", "policy-timeline", "--format", "svg", "--out"],
    "screenshot": ["screenshot", "--view", "overview", "--out"],
}
HOME_FILES = [
    "briefing.sqlite",
    "notes.sqlite",
    "sync-log.sqlite",
    "settings.json",
    "sync.lock",
    "briefing.sqlite-wal",
    "briefing.sqlite.staged",
    "backups/briefing-x-feed-v1.sqlite",
    "backups/new.csv",
]


def _prepare(home: Home) -> None:
    with home.notes() as notes:
        notes.set("model", "qwen2.5-7b", "my note")
    for name in HOME_FILES[2:]:
        path = home.dir / name
        path.parent.mkdir(exist_ok=True)
        if not path.exists() and name not in ("backups/new.csv", "briefing.sqlite-wal", "briefing.sqlite.staged"):
            path.write_bytes(b"own file " + name.encode())


def _snapshot(home: Home) -> dict[str, str]:
    return {p.name: file_hash(p) for p in sorted(home.dir.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("target", HOME_FILES)
def test_no_export_writes_a_file_of_the_home(home, writer, target):
    _prepare(home)
    before = _snapshot(home)
    r = cli(*WRITERS[writer], home.dir / target, "--home", home.dir)
    assert r.exit_code == 1 and error_lines(r.stderr) == [r.stderr.strip()]
    assert r.stderr.startswith(f"error: refusing to write {home.dir / target}")
    assert "wrote" not in r.stdout
    assert _snapshot(home) == before


@pytest.mark.parametrize("link", ["symlink", "hardlink", "dotdot"])
@pytest.mark.parametrize("own", ["briefing.sqlite", "notes.sqlite"])
def test_a_link_to_a_home_file_is_refused_too(home, tmp_path, link, own):
    _prepare(home)
    before = _snapshot(home)
    out = tmp_path / "elsewhere" / "brief.csv"
    out.parent.mkdir()
    if link == "symlink":
        out.symlink_to(home.dir / own)
    elif link == "hardlink":
        os.link(home.dir / own, out)
    else:
        out = home.dir / "backups" / ".." / own
    r = cli(*WRITERS["csv"], out, "--home", home.dir)
    assert r.exit_code == 1 and "refusing to write" in r.stderr
    assert _snapshot(home) == before


def test_another_homes_database_is_never_replaced(home, tmp_path, fixture_snapshot):
    other = Home.open(tmp_path / "other", bundled=fixture_snapshot)
    with other.notes() as notes:
        notes.set("model", "m", "theirs")
    before = file_hash(other.notes_path)
    r = cli_child(*WRITERS["json"], other.notes_path, "--home", home.dir)  # a fresh process: `other` never opened
    assert r.returncode == 1 and "is an SQLite database" in r.stderr
    assert file_hash(other.notes_path) == before


@pytest.mark.parametrize("special", ["fifo", "/dev/full", "/dev/null", "chardev"])
def test_only_regular_files_are_written_special_files_never_replaced(home, tmp_path, special):  # C49, C49b
    if special == "fifo":
        target = tmp_path / "my-fifo"
        os.mkfifo(target)
    elif special == "chardev":
        target = tmp_path / "my-dev-full"
        try:
            os.mknod(target, 0o666 | 0o020000, os.makedev(1, 7))
        except PermissionError:
            pytest.skip("mknod needs root")
    else:
        target = special
    kind = os.stat(target).st_mode
    r = cli(*WRITERS["csv"], target, "--home", home.dir)
    assert r.exit_code == 1 and "not a regular file" in r.stderr and "wrote" not in r.stdout
    assert os.stat(target).st_mode == kind  # still the special file


def _fsize_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so write() fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize("writer", ["csv", "json", "onepager"])
def test_a_write_error_is_exit_1_never_wrote(home, tmp_path, writer):
    """A real kernel write error (EFBIG from RLIMIT_FSIZE, unprivileged) at the export's own write
    call: one line, exit 1, no output file, no temp file left."""
    out = tmp_path / "out" / f"x.{writer}"
    out.parent.mkdir()
    r = cli_child(*WRITERS[writer], out, "--home", home.dir, preexec_fn=_fsize_limit(300))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "wrote" not in r.stdout and "Traceback" not in r.stderr
    assert [ln for ln in error_lines(r.stderr) if ln.startswith("error:")] == error_lines(r.stderr)[-1:]
    assert list(out.parent.iterdir()) == []


def test_a_full_disk_is_exit_1_and_leaves_nothing(bundled_home):  # D02, on a real tmpfs (root only)
    home = bundled_home
    with tmpfs("16k") as disk:
        for writer in ("csv", "xlsx", "onepager"):
            out = disk / f"brief.{writer}"
            r = cli_child(*WRITERS[writer], out, "--home", home.dir)
            assert r.returncode == 1 and "Traceback" not in r.stderr and "wrote" not in r.stdout, r.stderr
            assert list(disk.iterdir()) == []


@pytest.mark.parametrize("free", [0, 65_536])
def test_a_home_on_a_full_disk(
    tmp_path, fixture_snapshot, free
):  # D02-0k, D02-64k (D02-8k and -512k fail the same ways)
    with tmpfs("4m") as disk:
        home = Home.open(disk / "home", bundled=fixture_snapshot)
        with home.notes() as notes:
            notes.set("model", "qwen2.5-7b", "mine")
        data, notes_before = fingerprint(home.data_path), file_hash(home.notes_path)
        filler = disk / "filler"
        with open(filler, "wb") as fh:  # fill the disk, then give back `free` bytes
            try:
                while True:
                    fh.write(b"\0" * 65_536)
            except OSError:
                pass
        with open(filler, "r+b") as fh:
            fh.truncate(max(0, filler.stat().st_size - free))
        for args in (
            ["info"],
            WRITERS["onepager"] + [disk / "b.pdf"],
            WRITERS["csv"] + [disk / "t.csv"],
            WRITERS["xlsx"] + [disk / "t.xlsx"],
        ):
            r = cli_child(*args, "--home", home.dir)
            lines = error_lines(r.stderr)
            assert "Traceback" not in r.stderr and (r.returncode == 0 or (r.returncode == 1 and len(lines) == 1)), (
                args,
                r.stderr,
            )
        assert fingerprint(home.data_path) == data and file_hash(home.notes_path) == notes_before
        assert not list(disk.glob(".*.part"))


def test_a_read_only_home_still_reads(tmp_path, fixture_snapshot):  # D03, on a real read-only mount
    with tmpfs("50m") as disk:
        home = Home.open(disk / "home", bundled=fixture_snapshot)
        conn = sqlite3.connect(home.data_path)  # as a sync leaves it: WAL mode
        conn.execute("PRAGMA journal_mode = WAL")
        conn.close()
        remount_readonly(disk)
        for args in (
            ["info"],
            ["verify"],
            ["restore", "--list"],
            WRITERS["csv"] + [tmp_path / "t.csv"],
            WRITERS["onepager"] + [tmp_path / "b.pdf"],
        ):
            r = cli_child(*args, "--home", home.dir)
            assert r.returncode == 0 and "Traceback" not in r.stderr, (args, r.stderr)
        r = cli_child("sync", "--source", "huggingface", "--endpoint", "http://127.0.0.1:9", "--home", home.dir)
        assert r.returncode == 1 and "Read-only file system" in error_lines(r.stderr)[-1]


def _backup(home: Home) -> str:
    staging.backup_generation(home, "feed-v2")
    return fingerprint(home.data_path)


@pytest.mark.parametrize("damage", ["garbage", "half", "zeroed-pages", "csv-export", "symlink-elsewhere", "absent"])
def test_restore_replaces_a_damaged_data_file(home, tmp_path, damage):  # C68, D10-D16
    good = _backup(home)
    with home.notes() as notes:
        notes.set("model", "qwen2.5-7b", "mine")
    notes_before = file_hash(home.notes_path)
    data = home.data_path
    victim = tmp_path / "passwd-copy"
    victim.write_text("root:x:0:0:root:/root:/bin/bash\n")
    if damage == "garbage":
        data.write_bytes(os.urandom(50_000))
    elif damage == "half":
        with open(data, "r+b") as fh:
            fh.truncate(data.stat().st_size // 2)
    elif damage == "zeroed-pages":
        with open(data, "r+b") as fh:
            fh.seek(4096 * 2)
            fh.write(b"\0" * 4096 * 3)
    elif damage == "csv-export":
        data.write_text("id,url,title\n")
    elif damage == "symlink-elsewhere":
        data.unlink()
        data.symlink_to(victim)
    else:
        data.unlink()
    r = cli("info", "--home", home.dir)
    if damage != "absent":
        assert r.exit_code == 1 and error_lines(r.stderr) == [r.stderr.strip()] and "briefing restore" in r.stderr
    r = cli("restore", "--list", "--home", home.dir)
    assert r.exit_code == 0 and r.stdout.startswith("1  briefing-")
    r = cli("restore", "--home", home.dir)
    assert r.exit_code == 0, r.stderr
    assert fingerprint(home.data_path) == good
    assert cli("verify", "--home", home.dir).exit_code == 0
    assert file_hash(home.notes_path) == notes_before
    assert victim.read_text().startswith("root:x:0:0")  # a link's target is never written
    assert not data.is_symlink() and not (tmp_path / "passwd-copy-wal").exists()


def test_restore_list_and_restore_with_junk_in_backups(home):  # C24
    _backup(home)
    (home.backups_dir / "briefing-99999999T999999999999Z-junk.sqlite").write_bytes(b"not a database at all")
    r = cli("restore", "--list", "--home", home.dir)
    assert r.exit_code == 0 and "unreadable" in r.stdout.splitlines()[0] and "feed v" in r.stdout.splitlines()[1]
    r = cli("restore", "--generation", "1", "--home", home.dir)
    assert r.exit_code == 1 and error_lines(r.stderr) == [r.stderr.strip()] and "is damaged" in r.stderr
    assert cli("restore", "--generation", "2", "--home", home.dir).exit_code == 0
    r = cli("restore", "--generation", str(10**30), "--home", home.dir)
    assert r.exit_code == 1 and "no backup generation" in r.stderr


def test_export_into_the_live_database_then_restore(home, tmp_path):  # C68, the whole story
    shutil.copy(home.data_path, tmp_path / "before.sqlite")
    _backup(home)
    r = cli(*WRITERS["csv"], home.data_path, "--home", home.dir)
    assert r.exit_code == 1 and "refusing" in r.stderr
    assert file_hash(home.data_path) == file_hash(tmp_path / "before.sqlite")


@pytest.mark.parametrize("command", [("info",), ("export", "onepager", "--topic", "overview")])
def test_a_damaged_notes_file_is_named_and_never_sent_to_restore(home, tmp_path, command):  # D06-D09
    home.notes_path.write_bytes(b"garbage " * 500)
    args = [*command, "--out", str(tmp_path / "brief.pdf")] if command[0] == "export" else list(command)
    r = cli(*args, "--home", home.dir)
    lines = error_lines(r.stderr)
    assert r.exit_code == 1 and len(lines) == 1 and "Traceback" not in r.output, r.output
    assert "notes file" in lines[0] and "no backup" in lines[0] and "brings back" not in lines[0], lines[0]
    assert home.notes_path.read_bytes() == b"garbage " * 500  # left as it was, for the user to move aside

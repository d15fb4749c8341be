"""The one atomic file writer: a temp file beside the target, fsync, rename, fsync the folder.

Every file the app writes whole (exports, screenshots, the feed and its keys, settings, backups,
the seeded data file) goes through `atomic_output` / `write_bytes`; a kill or an error at any
moment leaves the old file or the new one, never half of either, and no temp file behind.

Two refusals, each one line (`BriefingError`), before anything is written:
- only regular files are written: a target that exists and is not one (a device such as /dev/full,
  a FIFO, a socket) is refused, never replaced by a regular file;
- an export never touches a home's own files: every home this process opened (`protect`) has its
  data file, notes, sync log, settings, lock, staging and backups refused as targets, whether named
  directly, through a symbolic link or through a hard link; and no export replaces an existing
  SQLite database anywhere (another home's data or notes). The home's own code writes its files
  with `own=True`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from briefing import paths
from briefing.core.errors import BriefingError

_PROTECTED: set[Path] = set()


def protect(home_dir: str | os.PathLike[str]) -> None:
    """Mark a home folder's own files as never to be written by an export (Home.open calls this)."""
    with contextlib.suppress(OSError):
        _PROTECTED.add(Path(home_dir).resolve())


def _home_name(name: str) -> bool:
    # The file itself or one of SQLite's or our side files of it (-wal, -shm, -journal, .staged, ...).
    return any(name == own or name.startswith((own + "-", own + ".")) for own in paths.HOME_FILES)


def home_file_of(target: str | os.PathLike[str]) -> tuple[Path, Path] | None:
    """(home, file) when `target` is, or links to, one of a protected home's own files; else None."""
    if not _PROTECTED:
        return None
    target = Path(target)
    try:
        real = target.resolve()
    except (OSError, RuntimeError):
        return None
    for home in _PROTECTED:
        if real.parent == home and _home_name(real.name):
            return home, real
        if real.is_relative_to(home / paths.BACKUPS_DIR):
            return home, Path(paths.BACKUPS_DIR)
    try:
        st = os.stat(target)
    except OSError:
        return None
    if st.st_nlink > 1:  # a hard link to a home file has another name but the same inode
        for home in _PROTECTED:
            for name in paths.HOME_FILES:
                with contextlib.suppress(OSError):
                    own = os.stat(home / name)
                    if (own.st_dev, own.st_ino) == (st.st_dev, st.st_ino):
                        return home, home / name
    return None


def check_target(out: str | os.PathLike[str], *, own: bool = False) -> Path:
    """Refuse (BriefingError, one line) a target that is not a regular file or is a home's own file."""
    out = Path(out)
    if not str(out):
        raise BriefingError("no output file given")
    try:
        st = os.stat(out)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise BriefingError(f"cannot write {out}: {exc.strerror or exc}") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        what = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        raise BriefingError(f"refusing to write {out}: it is {what}")
    if not own:
        hit = home_file_of(out)
        if hit is not None:
            what = "in the backups folder" if hit[1] == Path(paths.BACKUPS_DIR) else f"{hit[1].name}"
            raise BriefingError(f"refusing to write {out}: it is {what} of the home {hit[0]}; choose another file")
        if st is not None and _is_sqlite(out):  # some other home's data or notes: no export is a database
            raise BriefingError(f"refusing to write {out}: it is an SQLite database (an export never replaces one)")
    return out


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _fsync(path: Path, *, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    except OSError:
        if not directory:  # some file systems cannot fsync a folder; a file's fsync must work
            raise
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_output(out: str | os.PathLike[str], *, own: bool = False, mode: int | None = None) -> Iterator[Path]:
    """Yield a temp path in `out`'s folder; on success it is fsynced and renamed over `out`, on any
    error (or Cancelled) it is removed and `out` is left as it was.

    The file gets `mode`, else the usual permissions (0666 minus the umask), not mkstemp's 0600.
    `own=True`: the home writing one of its own files (skips the home-file refusal)."""
    out = check_target(out, own=own)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{out.name[:120]}.", suffix=".part", dir=out.parent)
    except OSError as exc:
        raise BriefingError(f"cannot write {out}: {exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(name)
    try:
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        yield tmp
        _fsync(tmp)  # the bytes are on disk before the name points at them
        os.replace(tmp, out)
        _fsync(out.parent, directory=True)  # and the rename itself survives a power cut
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(out: str | os.PathLike[str], data: bytes, *, own: bool = False, mode: int | None = None) -> Path:
    """Write `data` to `out` all or nothing (see `atomic_output`)."""
    with atomic_output(out, own=own, mode=mode) as tmp, tmp.open("wb") as fh:
        fh.write(data)
    return Path(out)

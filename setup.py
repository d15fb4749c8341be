"""Puts the bundled files into the wheel, where `briefing.paths` looks for them.

The snapshot (`data/snapshot.sqlite`), the pinned feed keys and icons (`resources/`) and the licence
texts stay where the project keeps them; `build_py` copies them into the built package as `briefing/_bundled/{data,resources,licenses,docs}`.
An editable install skips the copy: `briefing.paths` then reads them from the checkout itself.
Everything else is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: (source in the checkout, destination under briefing/_bundled)
BUNDLED = (
    ("data/snapshot.sqlite", "data/snapshot.sqlite"),
    ("resources/keys", "resources/keys"),
    ("resources/icons", "resources/icons"),
    ("docs/methods.md", "docs/methods.md"),  # Help > Methods and definitions
    ("LICENSE", "licenses/LICENSE"),
    ("data/raw/licenses", "licenses/data"),
)


def copy_bundled(package_dir: Path) -> list[str]:
    """Copy the bundled files under package_dir/_bundled; returns the files written."""
    written = []
    for src, dst in BUNDLED:
        source, target = ROOT / src, package_dir / "_bundled" / dst
        if not source.exists():
            raise SystemExit(f"error: {src} is missing; it must be in the sdist/checkout to build the wheel")
        files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
        for path in files:
            out = target if source.is_file() else target / path.relative_to(source)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, out)
            written.append(str(out))
    return written


class BuildPyWithBundled(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            self._bundled = copy_bundled(Path(self.build_lib) / "briefing")

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return super().get_outputs(include_bytecode) + getattr(self, "_bundled", [])


setup(cmdclass={"build_py": BuildPyWithBundled})

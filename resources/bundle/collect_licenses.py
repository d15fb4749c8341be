"""Gather every notice the standalone bundle must carry into OUT (the bundle's `licenses/` folder).

Usage: python collect_licenses.py OUT PROJECT_DIR  (run with the bundle's build venv, so the installed
distributions are exactly the bundled ones)

- `LICENSE`: the app's own (MIT); `data/`: the licences of the datasets the snapshot is built from;
- `python-packages/<name>/`: each installed distribution's licence files, and `THIRD-PARTY.txt` listing
  name, version and declared licence of every one (the Python runtime's own licence included);
- `Qt-PySide6-NOTICE.txt` + `LGPL-3.0.txt` + `GPL-3.0.txt`: Qt and PySide6 are used under the LGPLv3;
  the bundle keeps them as separate shared libraries (`_internal/PySide6/`), which can be replaced;
- `fonts/`: the copyright files of the bundled DejaVu and WenQuanYi Micro Hei fonts.
"""

import importlib.metadata as md
import re
import shutil
import sys
import sysconfig
from pathlib import Path

LICENSE_NAMES = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS|COPYRIGHT)", re.IGNORECASE)
COMMON = Path("/usr/share/common-licenses")
FONT_COPYRIGHTS = {
    "DejaVu.txt": Path("/usr/share/doc/fonts-dejavu-core/copyright"),
    "WenQuanYi-Micro-Hei.txt": Path("/usr/share/doc/fonts-wqy-microhei/copyright"),
}


def declared(dist: md.Distribution) -> str:
    meta = dist.metadata
    expr = meta.get("License-Expression")
    if expr:
        return expr
    lic = (meta.get("License") or "").strip()
    if lic and len(lic) < 120 and "\n" not in lic:
        return lic
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return ", ".join(classifiers) or "see the licence files"


def main(out: str, project: str) -> None:
    out_dir, project_dir = Path(out), Path(project)
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(project_dir / "LICENSE", out_dir / "LICENSE")
    shutil.copytree(project_dir / "data" / "raw" / "licenses", out_dir / "data", dirs_exist_ok=True)
    lines = ["Third-party software in this bundle (name, version, declared licence).", ""]
    python_licence = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    if python_licence.exists():
        shutil.copyfile(python_licence, out_dir / "Python-LICENSE.txt")
    lines.append(f"Python {sys.version.split()[0]}: PSF-2.0 (Python-LICENSE.txt)")
    for dist in sorted(md.distributions(), key=lambda d: d.metadata["Name"].lower()):
        name = dist.metadata["Name"]
        if name.lower() in (
            "open-model-briefing",
            "pyinstaller",
            "pyinstaller-hooks-contrib",
            "pip",
            "setuptools",
            "altgraph",
        ):
            continue  # the app itself, and build tools that are not in the bundle
        target = out_dir / "python-packages" / name
        for file in dist.files or []:
            if LICENSE_NAMES.search(file.name) and ".dist-info" in str(file):
                src = Path(dist.locate_file(file))
                if src.is_file():
                    target.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, target / file.name)
        lines.append(f"{name} {dist.version}: {declared(dist)}")
    (out_dir / "THIRD-PARTY.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    qt_version = md.version("PySide6-Essentials")
    (out_dir / "Qt-PySide6-NOTICE.txt").write_text(
        f"This bundle includes Qt 6 and PySide6 / Shiboken6 {qt_version} (Qt for Python), (c) The Qt Company Ltd.\n"
        "They are used under the GNU Lesser General Public License version 3 (LGPL-3.0.txt, which adds\n"
        "permissions to the GNU General Public License version 3, GPL-3.0.txt).\n\n"
        "Qt and PySide6 are kept unmodified as separate shared libraries in _internal/PySide6/ and\n"
        "_internal/shiboken6/; you may replace them with other builds of the same version.\n"
        "Their source code: https://download.qt.io/official_releases/QtForPython/ and\n"
        "https://code.qt.io/cgit/pyside/pyside-setup.git/ (tag v" + qt_version + "), and\n"
        "https://download.qt.io/official_releases/qt/ for Qt itself.\n",
        encoding="utf-8",
    )
    for name, text in (("LGPL-3.0.txt", "LGPL-3"), ("GPL-3.0.txt", "GPL-3")):
        shutil.copyfile(COMMON / text, out_dir / name)
    (out_dir / "fonts").mkdir(exist_ok=True)
    for name, src in FONT_COPYRIGHTS.items():
        shutil.copyfile(src, out_dir / "fonts" / name)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

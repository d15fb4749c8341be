# `make run` and `make test` set themselves up: a .venv with the package and its test extras,
# and the Debian packages the app and the tests need. Every step is idempotent.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed
# Scratch space for the packaging checks (fresh venvs, built wheels); ignored by git.
SCRATCH := build/ci
# Qt's runtime libraries: offscreen (EGL/GL, fontconfig, dbus) and, for a real window, the X11 (xcb)
# plugin's libraries (since Qt 6.5 it will not load without libxcb-cursor0); fonts, with
# fonts-wqy-microhei for the CJK glyphs in Chinese titles; minisign for the signature interop tests;
# poppler-utils (pdftoppm) for the README's page images.
QT_PACKAGES := libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libxkbcommon-x11-0 \
	libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 \
	libxcb-render-util0 libxcb-image0 fonts-dejavu-core fonts-wqy-microhei
# The standalone bundle: the condensed/italic DejaVu faces the briefs use, binutils for PyInstaller.
DIST_PACKAGES := fonts-dejavu-extra binutils
APT_PACKAGES := $(QT_PACKAGES) $(DIST_PACKAGES) minisign poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test fuzz setup sysdeps lint-imports snapshot records bench screenshots onepagers clean \
	ci-extra check-wheel test-lowest publish dist dist-smoke

run: setup
	$(PY) -m briefing gui

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

# The property and stateful tests on the long hypothesis profile (40x the CI budget; minutes).
fuzz: setup
	QT_QPA_PLATFORM=offscreen HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q -p no:logging tests/fuzz

setup: sysdeps $(STAMP)

# uv installs (fast, and its cache makes the fresh venvs of check-wheel, test-lowest and dist cheap).
$(STAMP): pyproject.toml setup.py
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q 'uv>=0.5'
	$(UV) pip install -q --python $(PY) -e '.[test]'
	@touch $@

sysdeps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null; then \
	    echo "installing Debian packages:$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	  else echo "warning: please install:$$missing" >&2; fi; \
	fi

lint-imports: setup
	$(VENV)/bin/lint-imports

# Rebuild data/records/*.jsonl from data/raw and data/hand, then the bundled snapshot from them.
records: setup
	$(PY) data/build/build_records.py

snapshot: setup
	$(PY) -m briefing.core.snapshot data/records data/snapshot.sqlite

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run.py

# Every view (light, 1400x900), then the dark theme and a small screen (1024x700).
screenshots: setup
	h="$$(mktemp -d)"; export QT_QPA_PLATFORM=offscreen; \
	$(PY) -m briefing screenshot --all --out-dir docs/screenshots --home "$$h" && \
	for v in overview policy adoption; do \
	  $(PY) -m briefing screenshot --view $$v --theme dark --out docs/screenshots/$$v-dark.png --home "$$h" && \
	  $(PY) -m briefing screenshot --view $$v --size 1024x700 --out docs/screenshots/$$v-1024x700.png --home "$$h" || exit 1; \
	done

onepagers: setup
	mkdir -p docs/onepagers; d=$$(mktemp -d); for t in overview adoption investment policy; do \
	  QT_QPA_PLATFORM=offscreen $(PY) -m briefing export onepager --topic $$t --out $$d/$$t.pdf --home $$d/home && \
	  pdftoppm -png -r 100 -singlefile $$d/$$t.pdf docs/onepagers/$$t || exit 1; done; rm -rf $$d

# What CI runs after `make test`: the packaging checks and the standalone bundle's smoke test.
ci-extra: check-wheel test-lowest dist dist-smoke

# The sdist and the wheel built from it; the wheel installed in a fresh venv runs on a fresh home,
# from outside the checkout (so nothing is read from data/ or resources/ here).
check-wheel: setup
	rm -rf $(SCRATCH)/wheel $(SCRATCH)/wheel-venv $(SCRATCH)/wheel-home
	$(UV) build -q --out-dir $(SCRATCH)/wheel .
	$(UV) venv -q --python $$(command -v python3) $(SCRATCH)/wheel-venv
	$(UV) pip install -q --python $(SCRATCH)/wheel-venv/bin/python $(SCRATCH)/wheel/*.whl
	cd / && env -u BRIEFING_HOME HOME=$(CURDIR)/$(SCRATCH)/wheel-home $(CURDIR)/$(SCRATCH)/wheel-venv/bin/briefing info
	cd / && env -u BRIEFING_HOME HOME=$(CURDIR)/$(SCRATCH)/wheel-home $(CURDIR)/$(SCRATCH)/wheel-venv/bin/briefing verify
	cd / && env -u BRIEFING_HOME HOME=$(CURDIR)/$(SCRATCH)/wheel-home $(CURDIR)/$(SCRATCH)/wheel-venv/bin/briefing figures --id investment-total
	cd / && $(CURDIR)/$(SCRATCH)/wheel-venv/bin/python -c "from briefing import paths; from briefing.core.sync import pinned_keys; \
	  assert paths.INSTALLED and pinned_keys() and (paths.RESOURCES_DIR / 'icons' / 'app.svg').is_file(), 'wheel lacks bundled files'; \
	  assert paths.METHODS_FILE.is_file(), 'wheel lacks docs/methods.md (Help > Methods and definitions)'; \
	  print('wheel ok:', paths.BUNDLED_DIR)"
	@ls -l $(SCRATCH)/wheel

# The suite on the lowest versions pyproject.toml allows (its floors are claims: this checks them).
test-lowest: sysdeps setup
	rm -rf $(SCRATCH)/lowest-venv
	$(UV) venv -q --python $$(command -v python3) $(SCRATCH)/lowest-venv
	$(UV) pip install -q --python $(SCRATCH)/lowest-venv/bin/python --resolution lowest-direct -e '.[test]'
	$(UV) pip list --python $(SCRATCH)/lowest-venv/bin/python | grep -iE '^(pyside6-essentials|pyqtgraph|pandas|numpy|urllib3|requests|filelock|cryptography|pypdf|sqlite-utils|click|pytest) '
	QT_QPA_PLATFORM=offscreen $(SCRATCH)/lowest-venv/bin/python -m pytest -q

# The standalone bundle (README, "Installing"): dist/open-model-briefing/ and its .tar.gz, built by
# PyInstaller (resources/bundle/briefing.spec) in a fresh venv holding the wheel, so exactly what a
# wheel ships is bundled; then the fonts' and packages' notices, the icons and the .desktop file.
VERSION = $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' briefing/__init__.py)
BUNDLE_NAME := open-model-briefing
BUNDLE := dist/$(BUNDLE_NAME)
ARCHIVE = dist/$(BUNDLE_NAME)-$(VERSION)-linux-$(shell uname -m).tar.gz
FONT_FILES := DejaVuSans.ttf DejaVuSans-Bold.ttf DejaVuSans-Oblique.ttf DejaVuSans-BoldOblique.ttf \
	DejaVuSerif.ttf DejaVuSerif-Bold.ttf DejaVuSerif-Italic.ttf DejaVuSerif-BoldItalic.ttf \
	DejaVuSansCondensed.ttf DejaVuSansCondensed-Bold.ttf DejaVuSansCondensed-Oblique.ttf \
	DejaVuSansCondensed-BoldOblique.ttf DejaVuSerifCondensed.ttf DejaVuSerifCondensed-Bold.ttf \
	DejaVuSerifCondensed-Italic.ttf DejaVuSerifCondensed-BoldItalic.ttf DejaVuSansMono.ttf

dist: sysdeps setup
	rm -rf $(SCRATCH)/dist-wheel $(SCRATCH)/dist-venv $(SCRATCH)/fonts $(SCRATCH)/pyinstaller $(BUNDLE) $(ARCHIVE)
	$(UV) build -q --wheel --out-dir $(SCRATCH)/dist-wheel .
	$(UV) venv -q --python $$(command -v python3) $(SCRATCH)/dist-venv
	$(UV) pip install -q --python $(SCRATCH)/dist-venv/bin/python "$$(ls $(SCRATCH)/dist-wheel/*.whl)[dist]"
	mkdir -p $(SCRATCH)/fonts
	for f in $(FONT_FILES); do cp /usr/share/fonts/truetype/dejavu/$$f $(SCRATCH)/fonts/ || exit 1; done
	cp /usr/share/fonts/truetype/wqy/wqy-microhei.ttc $(SCRATCH)/fonts/
	BRIEFING_BUNDLE_FONTS=$(CURDIR)/$(SCRATCH)/fonts $(SCRATCH)/dist-venv/bin/pyinstaller --noconfirm --log-level WARN \
	  --distpath dist --workpath $(SCRATCH)/pyinstaller resources/bundle/briefing.spec
	$(SCRATCH)/dist-venv/bin/python resources/bundle/collect_licenses.py $(BUNDLE)/licenses .
	$(SCRATCH)/dist-venv/bin/python resources/bundle/make_icons.py resources/icons/app.svg $(BUNDLE)/share/icons
	mkdir -p $(BUNDLE)/share/applications
	cp resources/bundle/open-model-briefing.desktop $(BUNDLE)/share/applications/
	cp resources/bundle/install-desktop-entry.sh $(BUNDLE)/
	tar -C dist -czf $(ARCHIVE) $(BUNDLE_NAME)
	@du -sh $(BUNDLE) $(ARCHIVE)

# The built bundle on a fresh home, with no system fonts and nothing from the checkout (.ci/smoke-bundle.sh).
dist-smoke:
	bash .ci/smoke-bundle.sh $(BUNDLE)

# The publisher's run (docs/sync.md): make publish PUBLISHER_HOME=DIR SITE=DIR KEY=FILE [PUBLISH_ARGS=--offline]
publish: setup
	@test -n "$(PUBLISHER_HOME)" -a -n "$(SITE)" -a -n "$(KEY)" || { echo "usage: make publish PUBLISHER_HOME=DIR SITE=DIR KEY=FILE" >&2; exit 2; }
	$(PY) -m briefing publish --home "$(PUBLISHER_HOME)" --out "$(SITE)" --secret-key "$(KEY)" $(PUBLISH_ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info

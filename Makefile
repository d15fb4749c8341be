# `make run` and `make test` set themselves up: a .venv with the package and its test extras,
# and the Debian packages the app and the tests need. Every step is idempotent.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Qt's runtime libraries: offscreen (EGL/GL, fontconfig, dbus) and, for a real window, the X11 (xcb)
# plugin's libraries (since Qt 6.5 it will not load without libxcb-cursor0); fonts, with
# fonts-wqy-microhei for the CJK glyphs in Chinese titles; minisign for the signature interop tests;
# poppler-utils (pdftoppm) for the README's page images.
QT_PACKAGES := libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libxkbcommon-x11-0 \
	libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 \
	libxcb-render-util0 libxcb-image0 fonts-dejavu-core fonts-wqy-microhei
APT_PACKAGES := $(QT_PACKAGES) minisign poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test setup sysdeps lint-imports snapshot records bench screenshots onepagers clean

run: setup
	$(PY) -m briefing gui

test: setup
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

setup: sysdeps $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
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

screenshots: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m briefing screenshot --all --out-dir docs/screenshots --home "$$(mktemp -d)"

onepagers: setup
	mkdir -p docs/onepagers; d=$$(mktemp -d); for t in overview adoption investment policy; do \
	  QT_QPA_PLATFORM=offscreen $(PY) -m briefing export onepager --topic $$t --out $$d/$$t.pdf --home $$d/home && \
	  pdftoppm -png -r 100 -singlefile $$d/$$t.pdf docs/onepagers/$$t || exit 1; done; rm -rf $$d

clean:
	rm -rf $(VENV) build *.egg-info

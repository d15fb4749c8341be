#!/usr/bin/env bash
# Smoke test of the built standalone bundle (`make dist-smoke`): its programs on a fresh home, from an
# empty folder (nothing of the checkout on hand), with fontconfig showing no system fonts (so the briefs
# must use the bundle's own), offscreen. info, verify, export onepager, screenshot, the GUI program's
# help, a feed built by the bundle and served on 127.0.0.1, synced twice; the log written; the X11
# library the bundle carries found; the notices present.
set -euo pipefail
bundle=$(cd "${1:?usage: smoke-bundle.sh BUNDLE_DIR}" && pwd)
b="$bundle/briefing"
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }

export HOME="$work/home"
mkdir -p "$HOME"
unset BRIEFING_HOME BRIEFING_LOG_DIR XDG_DATA_HOME XDG_STATE_HOME XDG_CONFIG_HOME XDG_CACHE_HOME PYTHONPATH DISPLAY WAYLAND_DISPLAY
export QT_QPA_PLATFORM=offscreen
cat > "$work/fonts.conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>$work/fontconfig-cache</cachedir></fontconfig>
CONF
export FONTCONFIG_FILE="$work/fonts.conf"
cd "$work"

step "version and help"
"$b" --version
"$bundle/briefing-gui" --help > "$work/gui-help.txt"
grep -q "Open the desktop app" "$work/gui-help.txt"

step "info and verify on a fresh home"
"$b" info | tee "$work/info.txt"
grep -q "^home .*$HOME/.local/share/open-model-briefing" "$work/info.txt"
"$b" verify

step "one-page brief: tagged PDF with the bundled fonts embedded, Word and slides"
"$b" export onepager --topic overview --out "$work/overview.pdf"
pdffonts "$work/overview.pdf" | tee "$work/fonts.txt"
grep -q "DejaVuSerif" "$work/fonts.txt" && grep -q "DejaVuSans" "$work/fonts.txt"
pdfinfo "$work/overview.pdf" | tee "$work/pdfinfo.txt"
grep -q "^Tagged: *yes" "$work/pdfinfo.txt"
pdftotext "$work/overview.pdf" "$work/overview.txt"
grep -q "OPEN MODEL BRIEFING" "$work/overview.txt" && grep -qi "considerations for congress" "$work/overview.txt"
"$b" export onepager --topic policy --out "$work/policy.docx"
"$b" export onepager --topic policy --out "$work/policy.pptx"
python3 - "$work/policy.docx" "$work/policy.pptx" <<'PY'
import sys, zipfile
docx, pptx = (zipfile.ZipFile(p) for p in sys.argv[1:])
assert docx.testzip() is None and pptx.testzip() is None
assert b"Considerations for Congress" in docx.read("word/document.xml"), "docx lacks its headings"
assert b"descr=" in docx.read("word/document.xml") and b"descr=" in pptx.read("ppt/slides/slide2.xml"), "no alt text"
PY

step "screenshot"
"$b" screenshot --view policy --out "$work/policy.png" --size 1200x800
python3 -c "import sys; d=open(sys.argv[1],'rb').read(24); assert d[:8]==b'\x89PNG\r\n\x1a\n' and int.from_bytes(d[16:20],'big')==1200" "$work/policy.png"

step "a feed built by the bundle, served on 127.0.0.1, synced twice"
"$b" feed keygen --out "$work/keys"
"$b" feed build --out "$work/site" --secret-key "$work/keys/briefing.key" --version 7 --home "$work/publisher"
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
python3 -m http.server --bind 127.0.0.1 --directory "$work/site" "$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" "$port" 2>/dev/null && break; sleep 0.1; done
"$b" sync --feed "http://127.0.0.1:$port/feed.json" --trust-key "$work/keys/briefing.pub" 2>/dev/null | tee "$work/sync1.txt"
grep -q "feed v7 applied" "$work/sync1.txt"
"$b" sync --feed "http://127.0.0.1:$port/feed.json" --trust-key "$work/keys/briefing.pub" 2>/dev/null | tee "$work/sync2.txt"
grep -q "feed v7 unchanged" "$work/sync2.txt"
"$b" info --json | python3 -c "import json,sys; d=json.load(sys.stdin); assert d['feed_version'] == 7, d"

step "the log, the X11 library, the notices"
log="$HOME/.local/state/open-model-briefing/log/briefing.log"
grep -q "sync: feed v7 applied" "$log"
ls "$bundle/_internal"/libxcb-cursor.so* >/dev/null
for f in LICENSE LGPL-3.0.txt GPL-3.0.txt Qt-PySide6-NOTICE.txt THIRD-PARTY.txt fonts/DejaVu.txt fonts/WenQuanYi-Micro-Hei.txt; do
  test -s "$bundle/licenses/$f"
done
ls "$bundle/licenses/data/"*CC-BY-4.0* >/dev/null
for size in 16 32 48 64 128 256 512; do test -s "$bundle/share/icons/hicolor/${size}x${size}/apps/open-model-briefing.png"; done
test -s "$bundle/share/icons/hicolor/scalable/apps/open-model-briefing.svg"
grep -q "^Exec=briefing-gui" "$bundle/share/applications/open-model-briefing.desktop"

printf '\nbundle smoke test passed: %s (%s)\n' "$bundle" "$(du -sh "$bundle" | cut -f1)"

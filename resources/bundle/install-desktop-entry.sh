#!/bin/sh
# Adds Open Model Briefing to the desktop's application menu for this user (no root needed):
# the .desktop file, pointing at this folder's briefing-gui, and the icons.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$data/applications"
sed -e "s|^Exec=briefing-gui|Exec=\"$here/briefing-gui\"|" -e "s|^TryExec=briefing-gui|TryExec=$here/briefing-gui|" \
  "$here/share/applications/open-model-briefing.desktop" > "$data/applications/open-model-briefing.desktop"
for dir in "$here"/share/icons/hicolor/*/apps; do
  size=$(basename "$(dirname "$dir")")
  mkdir -p "$data/icons/hicolor/$size/apps"
  cp "$dir"/open-model-briefing.* "$data/icons/hicolor/$size/apps/"
done
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
echo "added: $data/applications/open-model-briefing.desktop"

#!/usr/bin/env bash
# Copies the front-end files the chat page serves from node_modules/ (installed by
# `npm ci` from package-lock.json) into bot/web/static/vendor/, which git ignores. Nothing is
# loaded from a CDN: the page works with no network beyond localhost.
set -euo pipefail
cd "$(dirname "$0")/.."

dsfr=node_modules/@gouvfr/dsfr/dist
sio=node_modules/socket.io-client/dist
dest=bot/web/static/vendor
tmp=$(mktemp -d bot/web/static/.vendor.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

for f in "$dsfr/dsfr.min.css" "$sio/socket.io.min.js"; do
  [ -f "$f" ] || { echo "$f is missing: run \`make assets\` (npm ci)" >&2; exit 1; }
done

mkdir -p "$tmp/dsfr" "$tmp/socket.io"
# DSFR: the stylesheet with the fonts, icons and favicons it points to, and the three
# icon families the widget uses (their stylesheets point to ../../../icons).
(cd "$dsfr" && cp -R --parents \
  dsfr.min.css fonts icons favicon \
  utility/icons/icons-communication/icons-communication.min.css \
  utility/icons/icons-business/icons-business.min.css \
  utility/icons/icons-system/icons-system.min.css \
  "$OLDPWD/$tmp/dsfr/")
cp node_modules/@gouvfr/dsfr/LICENSE.md "$tmp/dsfr/"
cp "$sio/socket.io.min.js" "$tmp/socket.io/"
cp node_modules/socket.io-client/LICENSE "$tmp/socket.io/"

rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
touch "$dest/.copied"
echo "front-end assets copied to $dest"

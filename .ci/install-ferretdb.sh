#!/usr/bin/env bash
# Builds FerretDB (a MongoDB-protocol server on SQLite) from the Go module proxy into .ci/bin/ferretdb.
# `go install` alone yields a binary that panics on start (its version.txt is generated at release time),
# so the module source is copied and built with the version file written in.
set -euo pipefail
VERSION=v1.24.2
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/.ci/bin/ferretdb"
if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then exit 0; fi
command -v go >/dev/null || { echo "Go is required to build FerretDB" >&2; exit 1; }
SRC_DIR="$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",\?$/\1/p')"
[ -d "$SRC_DIR" ] || { echo "could not download FerretDB $VERSION" >&2; exit 1; }
WORK="$(mktemp -d)"
cp -r "$SRC_DIR/." "$WORK/"
chmod -R u+w "$WORK"
echo "$VERSION" > "$WORK/build/version/version.txt"
mkdir -p "$(dirname "$BIN")"
(cd "$WORK" && CGO_ENABLED=0 go build -trimpath -o "$BIN" ./cmd/ferretdb)
rm -rf "$WORK"
# sed reads to the end: `head -1` could close the pipe early and fail the script with SIGPIPE under pipefail
"$BIN" --version | sed -n 1p

#!/usr/bin/env bash
# Makes pgvector available to the machine's PostgreSQL 15. Debian bookworm ships no
# postgresql-15-pgvector binary, so we build Debian's own source package (trixie) against
# postgresql-server-dev-15. Idempotent: does nothing when the extension is already there.
set -euo pipefail
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
sharedir=$("$PG_CONFIG" --sharedir)
if [ -f "$sharedir/extension/vector.control" ]; then
  echo "pgvector: already installed in $sharedir"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! grep -rqs 'deb-src .* trixie' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo 'deb-src http://deb.debian.org/debian trixie main' > /etc/apt/sources.list.d/sanad-trixie-src.list
fi
apt-get update -qq
apt-get install -y -qq postgresql-server-dev-15 dpkg-dev make gcc >/dev/null
work=$(mktemp -d)
cd "$work"
apt-get source -qq pgvector >/dev/null 2>&1 || apt-get source pgvector
cd pgvector-*/
make -s PG_CONFIG="$PG_CONFIG" >/dev/null
make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
echo "pgvector: built $(grep default_version vector.control) for $("$PG_CONFIG" --version)"

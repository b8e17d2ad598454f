#!/bin/sh
# The nightly backup: deploy/backup.sh DIRECTORY DATABASE  (run as a user who may read it, e.g. postgres)
# Writes DIRECTORY/DATABASE-YYYY-MM-DDTHHMM.dump (pg_dump's custom format, compressed) and
# deletes dumps older than 14 days. DATABASE may be a name or a postgresql:// URL.
# Restore one with deploy/restore.sh.
set -eu
directory=$1
database=$2
name=$(basename "${database%%\?*}")
mkdir -p "$directory"
file="$directory/$name-$(date -u +%Y-%m-%dT%H%M).dump"
pg_dump --format=custom --no-owner --file="$file.partial" "$database"
mv "$file.partial" "$file"
find "$directory" -name "$name-*.dump" -mtime +14 -delete
echo "$file"

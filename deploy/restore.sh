#!/bin/sh
# Restore a backup into an EMPTY database: deploy/restore.sh FILE.dump DATABASE
# (create it first: createdb -O forum forum_restored). The forum's triggers (the audit log's
# append-only rule, search) come back with the tables. Point DATABASE_URL at it and restart.
set -eu
file=$1
database=$2
pg_restore --no-owner --exit-on-error --single-transaction --dbname="$database" "$file"

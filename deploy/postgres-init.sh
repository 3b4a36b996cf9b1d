#!/bin/sh
# Creates one role per Wharf service, owning its own schema and granted nothing else, and the two roles
# of the compose stack's example backup target (deploy/compose/backup-service.yml).
# Passwords come from the container's environment (see docker-compose.yml), never from this file.
set -eu
for service in checker loader backup deploy scheduler; do
  var="WHARF_DB_PASSWORD_$(echo "$service" | tr a-z A-Z)"
  password=$(printenv "$var")
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
       -v role="$service" -v password="$password" <<'SQL'
create role :"role" login password :'password';
create schema :"role" authorization :"role";
alter role :"role" set search_path = :"role";
SQL
done
# The example target: platform_backup reads every schema (pg_dump), platform_restore may only create
# databases (restores and verifications go into new ones).
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v backup_password="$WHARF_DB_PASSWORD_PLATFORM_BACKUP" -v restore_password="$WHARF_DB_PASSWORD_PLATFORM_RESTORE" <<'SQL'
create role platform_backup login password :'backup_password';
grant pg_read_all_data to platform_backup;
create role platform_restore login createdb password :'restore_password';
SQL

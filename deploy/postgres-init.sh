#!/bin/sh
# Creates one role per Wharf service, owning its own schema and granted nothing else.
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

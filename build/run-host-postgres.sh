#!/usr/bin/env bash
# Runs the Host on the sandbox with PostgreSQL storage: starts a throwaway PostgreSQL server (build/postgres.sh, data in
# a temporary folder, stopped and deleted on exit) and the Host with Integration__Storage=PostgreSql. Extra arguments
# go to the Host, e.g. ./build/run-host-postgres.sh --urls http://127.0.0.1:5080
set -euo pipefail
cd "$(dirname "$0")/.."
source build/postgres.sh
trap postgres_stop EXIT
postgres_start

# An empty KeysPath overrides appsettings.Development.json's .keys folder: the key ring lives in the database.
Integration__Storage=PostgreSql \
DataProtection__KeysPath= \
ConnectionStrings__Integration="$GORGIAS_TEST_POSTGRES" \
  dotnet run --project src/Gorgias.Integration.Host -- "$@"

#!/usr/bin/env bash
# Restores, builds, checks formatting, starts a throwaway PostgreSQL server and runs every test project; ends with one
# line "N passed, N failed". Set GORGIAS_TEST_POSTGRES to a connection string to use a server of your own instead.
# Usage: build/build.sh [--no-format]
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The browser tests drive Debian's Chromium (/usr/bin/chromium); Playwright never downloads a browser.
if ! command -v chromium >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then as_root=(); elif command -v sudo >/dev/null; then as_root=(sudo); else as_root=(false); fi
  echo "Installing Chromium for the browser tests (apt-get install chromium)..."
  "${as_root[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq chromium >/dev/null \
    || echo "Could not install Chromium: the browser tests will fail. Run: sudo apt-get update && sudo apt-get install -y chromium" >&2
fi

dotnet restore Gorgias.Integration.sln
dotnet build Gorgias.Integration.sln --no-restore -c Release

if [[ "${1:-}" != "--no-format" ]]; then
  dotnet format Gorgias.Integration.sln --no-restore --verify-no-changes
fi

# The PostgreSQL storage tests need a server; they fail, never skip, without one.
source build/postgres.sh
if [[ -z "${GORGIAS_TEST_POSTGRES:-}" ]]; then
  postgres_start || echo "No PostgreSQL server for the tests: the PostgreSQL tests will fail." >&2
  trap postgres_stop EXIT
fi

log=$(mktemp)
status=0
dotnet test Gorgias.Integration.sln --no-build -c Release 2>&1 | tee "$log" || status=$?

# Sum the per-project summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12 ...").
read -r passed failed < <(grep -E '^\s*(Passed|Failed)!' "$log" \
  | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+).*/\2 \1/' \
  | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
projects=$(grep -cE '^\s*(Passed|Failed)!' "$log" || true)
# Only folders named *.Tests hold tests; tests/Gorgias.Integration.Testing is shared support code.
expected=$(ls -d tests/*.Tests/ | wc -l)
rm -f "$log"
if [[ "$projects" -ne "$expected" ]]; then
  echo "only $projects of $expected test projects reported results" >&2
  status=1
  failed=$((failed + expected - projects))
fi
echo "$passed passed, $failed failed"
exit "$status"

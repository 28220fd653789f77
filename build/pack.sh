#!/usr/bin/env bash
# Writes the versioned .nupkg and .snupkg of every shipped project (src/ less the Host; the Cli as a .NET tool) to artifacts/packages/.
# The version is VersionPrefix in build/Packaging.props. Extra arguments go to dotnet pack, e.g.
#   build/pack.sh -p:VersionSuffix=preview.1     # 0.1.0-preview.1
#   build/pack.sh --no-build                     # from an existing Release build (build/build.sh)
# Set CI=true for a deterministic build with SourceLink pinned to its central version.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
rm -rf artifacts/packages
dotnet pack Gorgias.Integration.sln -c Release "$@"
ls -1 artifacts/packages

#!/usr/bin/env bash
# Packs the omnibridge tool (docs/cli.md, "Installing it") into a folder that `dotnet tool install
# --add-source` reads: the package users install by name, which points to one package per platform;
# the framework-dependent package any machine with the .NET 10 runtime can run; and, on Linux x64,
# the native (ahead-of-time compiled) package that machine gets instead.
#   scripts/pack-cli.sh [folder]     (default ./nupkg)
set -euo pipefail
out=${1:-nupkg}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")/.."
# Packages left from an earlier pack (another branch's may carry a higher version) would win the install.
rm -f "$out"/omnibridge*.nupkg
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The version's last part counts the commits, so that `dotnet tool update` takes a package made after a pull (a
# shallow clone counts only what it has; after local edits, `dotnet tool uninstall` first, or commit).
build=$(git rev-list --count HEAD 2>/dev/null || echo 0)
pack() {
  dotnet pack Cli -c Release -o "$out" -nodeReuse:false -p:ToolBuildNumber="$build" "$@" >"$log" 2>&1 \
    || { echo "pack-cli.sh: dotnet pack $* failed:" >&2; grep -E "error" "$log" >&2 || cat "$log" >&2; exit 1; }
}
pack
pack -r any
# A native package for this machine's platform when Cli.csproj lists it among its tool platforms.
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
platforms=$(dotnet msbuild Cli/Cli.csproj -getProperty:ToolPackageRuntimeIdentifiers)
case ";$platforms;" in
  *";$rid;"*)
    command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 \
      || { echo "pack-cli.sh: the native package needs a C linker: apt-get install gcc (or clang)" >&2; exit 1; }
    pack -r "$rid" ;;
  *) echo "pack-cli.sh: no native package for $rid; the tool installs framework-dependent here" >&2 ;;
esac
ls "$out"/omnibridge*.nupkg

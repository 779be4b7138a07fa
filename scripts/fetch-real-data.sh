#!/usr/bin/env bash
# Fetches the real labelled volumes of the evaluation suite (`macl eval-suite`,
# docs/eval-protocol.md) and unpacks them into a cache folder. Nothing is
# installed: `apt-get download` fetches each Debian package into a temporary
# folder and `dpkg -x` unpacks its files under the cache.
#
#   scripts/fetch-real-data.sh [itk] [mricron]     (default: both)
#
# Cache: $MACL_REAL_DATA, else test-output/real-data in the repository. Each
# package lands in <cache>/<package>/ (its file tree, e.g. usr/share/...), with
# <cache>/<package>.version naming the version unpacked. A package already
# unpacked is skipped, so running it again costs nothing.
#
#   itk      Debian insighttoolkit5-examples (1.7 MB): a real T1 brain MR and its
#            skull-stripped tissue map (Apache-2.0, the Insight Toolkit's examples)
#   mricron  Debian mricron-data (16 MB): the Colin27 T1 (ch2), its brain extraction
#            (ch2bet), the AAL atlas on the same grid, and the INIA19 macaque template
#            with its NeuroMaps atlas (BSD-3-clause, see the package's copyright file)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${MACL_REAL_DATA:-$root/test-output/real-data}

# package name, then one file of it whose presence means "already unpacked"
declare -A packages=(
  [itk]="insighttoolkit5-examples usr/share/doc/insighttoolkit5-examples/examples/Data/KmeansTest_T1RawSkullStrip.nii.gz"
  [mricron]="mricron-data usr/share/mricron/templates/aal.nii.gz"
)

wanted=("$@")
[ "${#wanted[@]}" -eq 0 ] && wanted=(itk mricron)
for key in "${wanted[@]}"; do
  if [ -z "${packages[$key]+x}" ]; then
    echo "fetch-real-data: unknown data set \"$key\" (choose from: ${!packages[*]})" >&2
    exit 2
  fi
done

for tool in apt-get dpkg; do
  if ! command -v "$tool" >/dev/null; then
    echo "fetch-real-data: \`$tool\` is not on PATH; this script needs a Debian-based system (apt-get download + dpkg -x)." >&2
    exit 1
  fi
done

mkdir -p "$cache"
for key in "${wanted[@]}"; do
  read -r package marker <<<"${packages[$key]}"
  target="$cache/$package"
  if [ -f "$target/$marker" ]; then
    echo "fetch-real-data: $package already unpacked in $target ($(cat "$target.version" 2>/dev/null || echo 'version unknown'))"
    continue
  fi
  work=$(mktemp -d "$cache/.fetch-$package.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "fetch-real-data: downloading $package with apt-get download ..."
  if ! (cd "$work" && apt-get download "$package" >"$work/apt.log" 2>&1); then
    echo "fetch-real-data: apt could not fetch $package:" >&2
    sed 's/^/  /' "$work/apt.log" >&2
    echo "  Is a Debian mirror reachable from this machine, and are the package lists current" >&2
    echo "  (\`apt-get update\` as root)? The data goes to $cache (set MACL_REAL_DATA to change it)." >&2
    exit 1
  fi
  deb=$(ls "$work"/*.deb)
  # Unpack beside the target, then move it into place, so an interrupted run leaves no half tree.
  dpkg -x "$deb" "$work/tree"
  if [ ! -f "$work/tree/$marker" ]; then
    echo "fetch-real-data: $deb does not hold $marker; the package's layout changed, so the suite's cases (src-main/eval/suiteCases.ts) need updating." >&2
    exit 1
  fi
  rm -rf "$target"
  mv "$work/tree" "$target"
  dpkg-deb -f "$deb" Version >"$target.version"
  rm -rf "$work"
  trap - EXIT
  echo "fetch-real-data: $package $(cat "$target.version") unpacked in $target"
done

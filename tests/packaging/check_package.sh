#!/usr/bin/env bash
# The Debian package, judged by Debian's own tools: both desktop files pass desktop-file-validate,
# the AppStream metainfo passes appstreamcli, `cpack -G DEB` makes a .deb that holds the three
# programs and their desktop integration, and lintian reports no error on it.
# Usage: check_package.sh BUILD_DIR SOURCE_DIR [CPACK]
set -euo pipefail

build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
cpack=${3:-cpack}
packaging=$source/assets/packaging
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

for tool in desktop-file-validate appstreamcli dpkg-deb dpkg-shlibdeps lintian "$cpack"; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (scripts/setup.sh)" >&2; exit 1; }
done

# desktop-file-validate exits 0 on warnings: count them as failures too (hints are fine).
desktop_files=(io.github.aftercare.Desktop.desktop io.github.aftercare.Phone.desktop)
for desktop in "${desktop_files[@]}"; do
  if ! output=$(desktop-file-validate "$packaging/$desktop" 2>&1); then
    fail "desktop-file-validate $desktop"
  elif grep -E ': (error|warning): ' <<<"$output" >/dev/null; then
    fail "desktop-file-validate $desktop warns"
  fi
  [ -z "$output" ] || echo "$output"
done

# appstreamcli: errors fail its exit code; warnings are failures here too (infos are reported).
metainfo=io.github.aftercare.Desktop.metainfo.xml
if ! output=$(appstreamcli validate --no-net "$packaging/$metainfo" 2>&1); then
  fail "appstreamcli validate $metainfo"
elif grep -E '^[EW]: ' <<<"$output" >/dev/null; then
  fail "appstreamcli validate $metainfo warns"
fi
echo "$output"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! (cd "$build" && "$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work") \
  >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log" >&2
  echo "FAIL: cpack -G DEB" >&2
  exit 1
fi
debs=("$work"/*.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
  echo "FAIL: cpack made ${debs[*]}" >&2
  exit 1
fi
deb=${debs[0]}
echo "package: ${deb##*/}"

# The contents: path -> expected mode.
listing=$(dpkg-deb -c "$deb")
declare -A expected=(
  [./usr/bin/aftercare]=-rwxr-xr-x
  [./usr/bin/aftercare-phone]=-rwxr-xr-x
  [./usr/bin/aftercare-desktop]=-rwxr-xr-x
  [./usr/share/applications/io.github.aftercare.Desktop.desktop]=-rw-r--r--
  [./usr/share/applications/io.github.aftercare.Phone.desktop]=-rw-r--r--
  [./usr/share/metainfo/$metainfo]=-rw-r--r--
  [./usr/share/icons/hicolor/scalable/apps/aftercare.svg]=-rw-r--r--
  [./usr/share/aftercare/protocols/microneedling.json]=-rw-r--r--
  [./usr/share/doc/aftercare/copyright]=-rw-r--r--
  [./usr/share/doc/aftercare/changelog.Debian.gz]=-rw-r--r--
  [./usr/share/man/man1/aftercare.1.gz]=-rw-r--r--
  [./usr/share/man/man1/aftercare-phone.1.gz]=-rw-r--r--
  [./usr/share/man/man1/aftercare-desktop.1.gz]=-rw-r--r--
)
for path in "${!expected[@]}"; do
  mode=$(awk -v path="$path" '$6 == path { print $1 }' <<<"$listing")
  if [ -z "$mode" ]; then
    fail "$path is not in the package"
  elif [ "$mode" != "${expected[$path]}" ]; then
    fail "$path has mode $mode, not ${expected[$path]}"
  fi
done
awk '$1 ~ /^d/ && $1 != "drwxr-xr-x" { print "FAIL: directory " $6 " has mode " $1 }' \
  <<<"$listing" | grep . >&2 && failures=$((failures + 1))

# The control fields: the run-time needs beside the shared libraries, and the changelog's version.
version=$(dpkg-deb -f "$deb" Version)
depends=$(dpkg-deb -f "$deb" Depends)
[ "$(dpkg-deb -f "$deb" Package)" = aftercare ] || fail "the package is not named aftercare"
for needed in fonts-dejavu-core tzdata libsdl2-2.0-0 libsqlite3-0 libc6; do
  grep -E "(^|, )$needed( |,|$)" <<<"$depends" >/dev/null || fail "Depends lacks $needed: $depends"
done
changelog_version=$(sed -n '1s/^aftercare (\([^)]*\)).*/\1/p' "$packaging/changelog.Debian")
[ "$changelog_version" = "$version" ] ||
  fail "changelog.Debian starts at $changelog_version, the package is $version"

# lintian: any E: line fails; warnings and infos are shown.
# Its exit code is 2 when it found errors (--fail-on), 1 when it could not check at all.
lintian_status=0
lintian_output=$(lintian --fail-on error --display-info --tag-display-limit 0 "$deb" 2>&1) ||
  lintian_status=$?
echo "$lintian_output"
[ "$lintian_status" -eq 0 ] || [ "$lintian_status" -eq 2 ] ||
  fail "lintian did not run (exit code $lintian_status)"
if [ "$lintian_status" -eq 2 ] || grep -E '^E: ' <<<"$lintian_output" >/dev/null; then
  fail "lintian reports errors"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "package ${deb##*/} ($version): desktop files, metainfo and lintian clean"

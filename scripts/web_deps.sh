#!/usr/bin/env bash
# Builds the libraries the web app links, for WebAssembly, from Debian's own source packages (the
# versions the native build uses), into a prefix outside the checkout keyed by those versions,
# the emscripten version and the recipe below. Prints the prefix. A prefix already built is
# reused at once, a library already built in it is not built again (an interrupted run resumes),
# and the sources come only from the machine's Debian archive (its deb.debian.org entries).
#
#   scripts/web_deps.sh            build if needed, print the prefix
#   AFTERCARE_WEB_CACHE=DIR        where prefixes live (default: $XDG_CACHE_HOME/aftercare-web)
set -euo pipefail
cd "$(dirname "$0")/.."

# Each source package, with the binary package whose installed version it must match.
declare -A matching=(
  [libsdl2]=libsdl2-dev [libsodium]=libsodium-dev [sqlite3]=libsqlite3-dev
  [imgui]=libimgui-dev [simdjson]=libsimdjson-dev [howardhinnant-date]=libhowardhinnant-date-dev
)
# Raise it whenever a library below is built differently: the prefix is then built anew.
recipe=2
export NODE_PATH=/usr/share/nodejs NODE_OPTIONS=--no-experimental-fetch

key=$(
  {
    emcc --version | head -1
    for source in "${!matching[@]}"; do
      echo "$source $(dpkg-query -W -f='${source:Version}' "${matching[$source]}")"
    done | sort
    echo "recipe $recipe"
  } | sha256sum | cut -c1-16
)
cache=${AFTERCARE_WEB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aftercare-web}
root=$cache/$key
prefix=$root/prefix
if [[ -f $prefix/.complete ]]; then
  echo "$prefix"
  exit 0
fi
echo "web_deps: building the WebAssembly libraries into $root (once per version)" >&2
mkdir -p "$root/apt/lists/partial" "$root/apt/cache/archives/partial" "$root/apt/sources" \
  "$root/src" "$root/build" "$prefix/include" "$prefix/lib"

# A private source list, the machine's own Debian archive with Types: deb-src, so that nothing in
# /etc changes. Other repositories (which may have no sources) are left out.
for file in /etc/apt/sources.list.d/*.sources; do
  if [[ -f $file ]] && grep -q '^URIs:.*debian\.org' "$file"; then
    sed -E 's/^Types:.*/Types: deb-src/' "$file" >"$root/apt/sources/$(basename "$file")"
  fi
done
if [[ -f /etc/apt/sources.list ]]; then
  sed -nE 's/^deb (\[[^]]*\] )?(http[^ ]*debian\.org[^ ]*)(.*)/deb-src \1\2\3/p' \
    /etc/apt/sources.list >"$root/apt/sources/list.list"
fi
apt_options=(-o "Dir::Etc::sourcelist=/dev/null" -o "Dir::Etc::sourceparts=$root/apt/sources"
  -o "Dir::State::Lists=$root/apt/lists" -o "Dir::Cache=$root/apt/cache" -q)
if [[ ! -f $root/src/.complete ]]; then
  rm -rf "${root:?}/src" && mkdir -p "$root/src"
  apt-get "${apt_options[@]}" update >&2
  for source in "${!matching[@]}"; do
    version=$(dpkg-query -W -f='${source:Version}' "${matching[$source]}")
    (cd "$root/src" && apt-get "${apt_options[@]}" source --only-source "$source=$version" >&2) || {
      echo "web_deps: cannot fetch the source of $source $version (the version installed for the" \
        "native build) from the Debian archive; if the archive has moved on, upgrade" \
        "${matching[$source]} and run again" >&2
      exit 1
    }
  done
  touch "$root/src/.complete"
fi
source_dir() {
  local dir
  dir=$(find "$root/src" -maxdepth 1 -mindepth 1 -type d -name "$1-*" | head -1)
  [[ -n $dir ]] || { echo "web_deps: no source folder for $1 in $root/src" >&2; exit 1; }
  echo "$dir"
}
built() { [[ -f $prefix/.built-$1 ]]; }
jobs=$(nproc)
# -fexceptions: the app catches what date's tz.cpp and simdjson throw.
flags=(-O2 -fexceptions)

# SDL2: its CMake build knows Emscripten; video and events only, no threads.
built sdl2 || {
sdl2_source=$(source_dir libsdl2)
emcmake cmake -S "$sdl2_source" -B "$root/build/sdl2" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$prefix" -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF \
  -DSDL_THREADS=OFF -DSDL_AUDIO=OFF -DSDL_JOYSTICK=OFF -DSDL_HAPTIC=OFF -DSDL_SENSOR=OFF \
  -DSDL_HIDAPI=OFF >&2
cmake --build "$root/build/sdl2" -j "$jobs" >&2
cmake --install "$root/build/sdl2" >&2
touch "$prefix/.built-sdl2"
}

# libsodium, as its own dist-build/emscripten.sh configures it (without --enable-minimal: the
# sealed export and the device signature use the full API).
built sodium || (
  src=$(source_dir libsodium)
  cd "$src"
  [[ -x configure ]] || autoreconf -fi >&2
  emconfigure ./configure --prefix="$prefix" --disable-shared --enable-static --without-pthreads \
    --disable-ssp --disable-asm --disable-pie CFLAGS=-O2 >&2
  emmake make -j "$jobs" install >&2
  touch "$prefix/.built-sodium"
)

# SQLite: the amalgamation (generated with tclsh by a native configure), compiled alone.
built sqlite || (
  src=$(source_dir sqlite3)
  cd "$src"
  mkdir -p amalgamation && cd amalgamation
  ../configure --disable-tcl >/dev/null
  make -j "$jobs" sqlite3.c sqlite3.h >&2
  emcc -O2 -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_DEFAULT_FOREIGN_KEYS=0 \
    -c sqlite3.c -o "$root/build/sqlite3.o"
  emar rcs "$prefix/lib/libsqlite3.a" "$root/build/sqlite3.o"
  cp sqlite3.h "$prefix/include/"
  touch "$prefix/.built-sqlite"
)

# Dear ImGui 1.86 with its SDL2 and SDL_Renderer backends and imgui_stdlib, headers laid out as
# Debian's (include/imgui, include/imgui/backends). Debian's +ds source keeps imstb_*.
built imgui || (
  src=$(source_dir imgui)
  mkdir -p "$prefix/include/imgui/backends" "$root/build/imgui"
  cp "$src"/*.h "$src/misc/cpp/imgui_stdlib.h" "$prefix/include/imgui/"
  cp "$src"/backends/imgui_impl_sdl.h "$src"/backends/imgui_impl_sdlrenderer.h "$prefix/include/imgui/backends/"
  objects=()
  for file in imgui.cpp imgui_draw.cpp imgui_tables.cpp imgui_widgets.cpp misc/cpp/imgui_stdlib.cpp \
    backends/imgui_impl_sdl.cpp backends/imgui_impl_sdlrenderer.cpp; do
    object=$root/build/imgui/$(basename "$file" .cpp).o
    em++ "${flags[@]}" -std=c++20 -I"$src" -I"$prefix/include/SDL2" -c "$src/$file" -o "$object"
    objects+=("$object")
  done
  emar rcs "$prefix/lib/libimgui.a" "${objects[@]}"
  touch "$prefix/.built-imgui"
)

# simdjson: its single-file amalgamation; date: tz.cpp reading the zone files from the
# virtual file system (USE_OS_TZDB, as Debian builds it).
built json-and-zones || (
  src=$(source_dir simdjson)
  cp "$src/singleheader/simdjson.h" "$prefix/include/"
  em++ "${flags[@]}" -std=c++20 -c "$src/singleheader/simdjson.cpp" -o "$root/build/simdjson.o"
  emar rcs "$prefix/lib/libsimdjson.a" "$root/build/simdjson.o"
  src=$(source_dir howardhinnant-date)
  cp -r "$src/include/date" "$prefix/include/"
  em++ "${flags[@]}" -std=c++20 -DUSE_OS_TZDB=1 -DHAS_REMOTE_API=0 -I"$src/include" \
    -c "$src/src/tz.cpp" -o "$root/build/tz.o"
  emar rcs "$prefix/lib/libdate-tz.a" "$root/build/tz.o"
  touch "$prefix/.built-json-and-zones"
)

touch "$prefix/.complete"
echo "$prefix"

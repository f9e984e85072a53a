# The web build's libraries, under the names the native build's find_package and pkg-config give
# them, so that core/ and platform/ui/ link the same targets in both builds.
# AFTERCARE_WEB_PREFIX: what scripts/web_deps.sh printed (SDL2, libsodium, SQLite, ImGui,
# simdjson, date's tz.cpp, each from Debian's source package). nlohmann_json and stb are
# header-only and come from the machine's Debian packages, as in the native build.
set(AFTERCARE_WEB_PREFIX "" CACHE PATH "The prefix scripts/web_deps.sh built")
if(NOT EXISTS "${AFTERCARE_WEB_PREFIX}/.complete")
  message(FATAL_ERROR "AFTERCARE_WEB_PREFIX (${AFTERCARE_WEB_PREFIX}) is not a prefix that "
                      "scripts/web_deps.sh finished; build with scripts/web_build.sh")
endif()
set(prefix ${AFTERCARE_WEB_PREFIX})
# The code catches exceptions (the UI's guard, date's locate_zone): emscripten leaves them out
# unless asked.
add_compile_options(-fexceptions)
add_link_options(-fexceptions)

function(aftercare_web_library name library)
  add_library(${name} STATIC IMPORTED GLOBAL)
  set_target_properties(${name} PROPERTIES IMPORTED_LOCATION ${prefix}/lib/${library})
  target_include_directories(${name} SYSTEM INTERFACE ${ARGN})
endfunction()

aftercare_web_library(SQLite::SQLite3 libsqlite3.a ${prefix}/include)
aftercare_web_library(PkgConfig::SODIUM libsodium.a ${prefix}/include)
aftercare_web_library(simdjson::simdjson libsimdjson.a ${prefix}/include)
aftercare_web_library(date::date-tz libdate-tz.a ${prefix}/include)
target_compile_definitions(date::date-tz INTERFACE USE_OS_TZDB=1 HAS_REMOTE_API=0)
aftercare_web_library(SDL2::SDL2 libSDL2.a ${prefix}/include/SDL2)
aftercare_web_library(PkgConfig::IMGUI libimgui.a ${prefix}/include/imgui)
target_link_libraries(PkgConfig::IMGUI INTERFACE SDL2::SDL2)

# Header-only, from Debian's packages (arch-independent headers), through links of their own:
# /usr/include itself would put glibc's headers before emscripten's.
set(headers ${CMAKE_BINARY_DIR}/debian-headers)
file(MAKE_DIRECTORY ${headers})
file(CREATE_LINK /usr/include/nlohmann ${headers}/nlohmann SYMBOLIC)
file(CREATE_LINK /usr/include/stb ${headers}/stb SYMBOLIC)
add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED GLOBAL)
target_include_directories(nlohmann_json::nlohmann_json SYSTEM INTERFACE ${headers})
add_library(PkgConfig::STB INTERFACE IMPORTED GLOBAL)
target_include_directories(PkgConfig::STB SYSTEM INTERFACE ${headers} ${headers}/stb)

# Install rules and the Debian package, included from the top-level CMakeLists.txt after the
# targets exist.
#   cmake --install BUILD --prefix /usr/local     # install
#   cd BUILD && cpack -G DEB                      # aftercare_VERSION-1_ARCH.deb
# tests/packaging/check_package.sh validates the metadata, builds the .deb and runs lintian on it.
include(GNUInstallDirs)

set(AFTERCARE_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})
set(AFTERCARE_PACKAGING_BINARY_DIR ${PROJECT_BINARY_DIR}/packaging)
set(AFTERCARE_DEB_RELEASE 1)
set(AFTERCARE_PACKAGE_MAINTAINER
  "The aftercare maintainers <maintainers@users.noreply.h-seed-fb335923.example>"
  CACHE STRING "Maintainer of the Debian package: Name <address>")

# Directories the install creates are 0755 whatever the umask (lintian checks them).
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(AFTERCARE_PROGRAMS aftercare aftercare-phone aftercare-desktop)
install(TARGETS ${AFTERCARE_PROGRAMS} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# A stripping install (CPACK_STRIP_FILES, `cmake --install --strip`) keeps the compiler's .comment
# section: take it out too, as dh_strip does.
if(CMAKE_STRIP)
  install(CODE "
    if(CMAKE_INSTALL_DO_STRIP)
      foreach(program ${AFTERCARE_PROGRAMS})
        execute_process(COMMAND \"${CMAKE_STRIP}\" --remove-section=.comment
          \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/\${program}\"
          COMMAND_ERROR_IS_FATAL ANY)
      endforeach()
    endif()")
endif()
install(FILES
    ${AFTERCARE_PACKAGING_DIR}/io.github.aftercare.Desktop.desktop
    ${AFTERCARE_PACKAGING_DIR}/io.github.aftercare.Phone.desktop
  DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${AFTERCARE_PACKAGING_DIR}/io.github.aftercare.Desktop.metainfo.xml
  DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${AFTERCARE_PACKAGING_DIR}/aftercare.svg
  DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${PROJECT_SOURCE_DIR}/assets/protocols/microneedling.json
  DESTINATION ${CMAKE_INSTALL_DATADIR}/aftercare/protocols)

# Manual pages and the Debian changelog go in gzip -9n (no name or time stamp: reproducible).
# They are made at configure time, so that installing needs no build step of its own.
find_program(AFTERCARE_GZIP gzip REQUIRED)
# MODE: @ONLY (fills in @PROJECT_VERSION@) or COPYONLY.
function(aftercare_install_gzipped source destination mode)
  get_filename_component(name ${source} NAME)
  configure_file(${source} ${AFTERCARE_PACKAGING_BINARY_DIR}/${name} ${mode})
  execute_process(
    COMMAND ${AFTERCARE_GZIP} -9 -n -c ${AFTERCARE_PACKAGING_BINARY_DIR}/${name}
    OUTPUT_FILE ${AFTERCARE_PACKAGING_BINARY_DIR}/${name}.gz
    COMMAND_ERROR_IS_FATAL ANY)
  install(FILES ${AFTERCARE_PACKAGING_BINARY_DIR}/${name}.gz DESTINATION ${destination})
endfunction()
foreach(program ${AFTERCARE_PROGRAMS})
  aftercare_install_gzipped(${AFTERCARE_PACKAGING_DIR}/${program}.1 ${CMAKE_INSTALL_MANDIR}/man1
    @ONLY)
endforeach()
aftercare_install_gzipped(${AFTERCARE_PACKAGING_DIR}/changelog.Debian ${CMAKE_INSTALL_DOCDIR}
  COPYONLY)
install(FILES ${AFTERCARE_PACKAGING_DIR}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${AFTERCARE_PACKAGING_DIR}/lintian-overrides
  DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME aftercare)

# The Debian package.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME aftercare)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The aftercare maintainers")
set(CPACK_PACKAGE_CONTACT ${AFTERCARE_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "microneedling aftercare, day by day")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${AFTERCARE_DEB_RELEASE})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${AFTERCARE_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# dpkg-shlibdeps adds the shared libraries; the apps also open these at run time.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-dejavu-core, tzdata")
# The synopsis is the summary above; CPack indents this and turns empty lines into " .".
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "A companion for the days and weeks after a microneedling treatment: what
to do now, what not to do yet and exactly until when. It logs symptoms and
judges them against the expected course of healing, says when to contact the
clinic, fires reminders that respect quiet hours, and exports the log for the
clinic (CSV, JSON, FHIR R4, PDF, iCalendar). Everything stays on the device,
in a local SQLite database with a tamper-evident log.

The package holds the desktop app (aftercare-desktop, which also reviews many
patients' exports for a clinic), a phone layout of the same screens
(aftercare-phone) and the command line (aftercare).")
include(CPack)

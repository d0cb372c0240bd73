# The Debian packages (CPack DEB, one package per install component):
#   iota-streams      the streams and streams-node programs, shared libraries when BUILD_SHARED_LIBS,
#                     the streams-node systemd unit, its user (sysusers.d) and /var/lib/streams-node
#                     (tmpfiles.d), made by the postinst (packaging/debian/)
#   iota-streams-dev  headers, static libraries, the CMake package and the pkg-config files
# Built by scripts/package.sh (cpack in build-package/, Release); tested by tests/package.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/streams-node.service DESTINATION lib/systemd/system
  COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/streams-node.sysusers DESTINATION lib/sysusers.d
  RENAME streams-node.conf COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/streams-node.tmpfiles DESTINATION lib/tmpfiles.d
  RENAME streams-node.conf COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/iota-streams
  COMPONENT runtime)  # the unit names it (Documentation=)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME iota-streams)
set(CPACK_PACKAGE_VENDOR "iota-streams-cpp")
set(CPACK_PACKAGE_CONTACT "iota-streams-cpp developers <iota-streams-cpp@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "IOTA Streams 1.2 Channels protocol in C++20")
set(CPACK_PACKAGE_DESCRIPTION "A C++ implementation of the IOTA Streams 1.2 Channels protocol for
microcontrollers and servers: the streams command line tool, the streams-node server and the library.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME iota-streams)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION net)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)  # dpkg-shlibdeps: libcurl, libsqlite3, libstdc++ ...
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "adduser | systemd")  # the postinst's user
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
  ${PROJECT_SOURCE_DIR}/packaging/debian/postinst ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
  ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_DEV_PACKAGE_NAME iota-streams-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# Users of the static libraries link libsodium (its static archive), libcurl and SQLite themselves.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
  "iota-streams (= ${PROJECT_VERSION}-1), libsodium-dev, libcurl4-openssl-dev | libcurl-dev, libsqlite3-dev, pkg-config | pkgconf")
include(CPack)

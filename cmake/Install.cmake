# Install rules: `cmake --install` puts the libraries, the public headers, the streams and streams-node
# programs, the CMake package (find_package(IotaStreams CONFIG), targets IotaStreams::<layer>) and the
# pkg-config files iota-streams.pc and iota-streams-c.pc in place. Components: `runtime` (programs,
# shared libraries, the systemd unit) and `dev` (headers, static libraries, CMake and pkg-config files),
# the two parts of the Debian package (cmake/Packaging.cmake).
include(CMakePackageConfigHelpers)

set(STREAMS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/IotaStreams)
# The libraries users link, lowest layer first. Listed here rather than taken from every streams_layer:
# a layer only a program needs (a storage backend of streams-node) is not part of the installed API, and
# its dependencies need not be found by users.
set(STREAMS_LIBRARY_TARGETS "")
foreach(name base sponge crypto ddml message channels transport_bucket transport_chrysalis transport_curl
        transport_store c c_client)
  list(APPEND STREAMS_LIBRARY_TARGETS streams_${name})
endforeach()
set_target_properties(iota_streams PROPERTIES EXPORT_NAME iota_streams)
foreach(target ${STREAMS_LIBRARY_TARGETS} iota_streams)
  target_include_directories(${target} INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
endforeach()

install(TARGETS ${STREAMS_LIBRARY_TARGETS} iota_streams EXPORT IotaStreamsTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(TARGETS streams streams-node RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
# A shared build's other layers: the installed programs load them too.
if(BUILD_SHARED_LIBS)
  get_property(all_layers GLOBAL PROPERTY STREAMS_LAYERS)
  list(REMOVE_ITEM all_layers ${STREAMS_LIBRARY_TARGETS})
  if(all_layers)
    install(TARGETS ${all_layers} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_SKIP)
  endif()
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/iota_streams DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  COMPONENT dev)

# The CMake package.
install(EXPORT IotaStreamsTargets NAMESPACE IotaStreams:: DESTINATION ${STREAMS_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/IotaStreamsConfig.cmake.in
  ${PROJECT_BINARY_DIR}/IotaStreamsConfig.cmake INSTALL_DESTINATION ${STREAMS_CMAKE_DIR})
# 0.x: a new minor version may change the API, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/IotaStreamsConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/IotaStreamsConfig.cmake ${PROJECT_BINARY_DIR}/IotaStreamsConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/FindSodium.cmake DESTINATION ${STREAMS_CMAKE_DIR} COMPONENT dev)

# pkg-config. Libraries highest layer first, as a static link needs them.
# The prefix is found from where the .pc file lies, so an installed tree can be moved (or installed with
# `cmake --install --prefix`) and still be found.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(STREAMS_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH up "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
  string(REGEX REPLACE "/$" "" up "${up}")
  set(STREAMS_PC_PREFIX "\${pcfiledir}/${up}")
endif()
cmake_path(APPEND STREAMS_PC_LIBDIR "\${prefix}" ${CMAKE_INSTALL_LIBDIR})
cmake_path(APPEND STREAMS_PC_INCLUDEDIR "\${prefix}" ${CMAKE_INSTALL_INCLUDEDIR})
set(STREAMS_PC_LIBS "")
foreach(name transport_store transport_curl transport_chrysalis transport_bucket channels message ddml crypto
        sponge base)
  string(APPEND STREAMS_PC_LIBS " -liota_streams_${name}")
endforeach()
string(STRIP "${STREAMS_PC_LIBS}" STREAMS_PC_LIBS)
if(BUILD_SHARED_LIBS)
  set(STREAMS_PC_REQUIRES "Requires.private")  # the shared libraries carry libsodium inside
else()
  # A static library's users link what it needs: libsodium (the archive itself when the library uses
  # its internals, see the top CMakeLists.txt), libcurl, SQLite, and (C programs) the C++ runtime and libm.
  set(STREAMS_PC_REQUIRES "Requires")
  # After the archives that need them (a linker with --as-needed drops libraries named earlier).
  if(STREAMS_SODIUM_INTERNALS)
    string(APPEND STREAMS_PC_LIBS " ${Sodium_LIBRARY} -lstdc++ -lm")
  else()
    string(APPEND STREAMS_PC_LIBS " -lsodium -lstdc++ -lm")
  endif()
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/iota-streams.pc.in ${PROJECT_BINARY_DIR}/iota-streams.pc @ONLY)
configure_file(${PROJECT_SOURCE_DIR}/cmake/iota-streams-c.pc.in ${PROJECT_BINARY_DIR}/iota-streams-c.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/iota-streams.pc ${PROJECT_BINARY_DIR}/iota-streams-c.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

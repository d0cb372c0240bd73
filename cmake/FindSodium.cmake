# FindSodium: libsodium (it ships no CMake package), as the imported target Sodium::sodium.
#   Sodium_USE_STATIC_LIBS  ON: the static archive libsodium.a (required when the library was built
#                           against libsodium's internals, which the shared libsodium does not export).
# Defines Sodium_FOUND, Sodium_INCLUDE_DIRS, Sodium_LIBRARY, Sodium_IS_STATIC, and Sodium::sodium.
# Installed with the IotaStreams CMake package, which finds its libsodium through it.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PC_SODIUM QUIET libsodium)
endif()
find_path(Sodium_INCLUDE_DIR sodium.h HINTS ${PC_SODIUM_INCLUDEDIR} ${PC_SODIUM_INCLUDE_DIRS})
if(Sodium_USE_STATIC_LIBS)
  find_library(Sodium_LIBRARY NAMES libsodium.a HINTS ${PC_SODIUM_LIBDIR} ${PC_SODIUM_LIBRARY_DIRS})
else()
  find_library(Sodium_LIBRARY NAMES sodium libsodium HINTS ${PC_SODIUM_LIBDIR} ${PC_SODIUM_LIBRARY_DIRS})
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Sodium REQUIRED_VARS Sodium_LIBRARY Sodium_INCLUDE_DIR
  VERSION_VAR PC_SODIUM_VERSION)

if(Sodium_FOUND)
  set(Sodium_INCLUDE_DIRS ${Sodium_INCLUDE_DIR})
  set(Sodium_IS_STATIC OFF)
  if(Sodium_LIBRARY MATCHES "\\.a$")
    set(Sodium_IS_STATIC ON)
  endif()
  if(NOT TARGET Sodium::sodium)
    if(Sodium_IS_STATIC)
      add_library(Sodium::sodium STATIC IMPORTED)
    else()
      add_library(Sodium::sodium UNKNOWN IMPORTED)
    endif()
    set_target_properties(Sodium::sodium PROPERTIES IMPORTED_LOCATION "${Sodium_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${Sodium_INCLUDE_DIR}")
  endif()
endif()
mark_as_advanced(Sodium_INCLUDE_DIR Sodium_LIBRARY)

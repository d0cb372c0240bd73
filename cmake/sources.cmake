# The library's sources, one list a layer: the one place they are named. Read by the CMake build
# (src/CMakeLists.txt, src/transports/*/CMakeLists.txt) and by the ESP-IDF component
# (esp-idf/components/iota_streams/CMakeLists.txt), so a device build compiles exactly what the
# host build does. Absolute paths, whoever includes this file. Host-only parts (the apps, the SQLite
# and PostgreSQL stores, libcurl's client and its C API) are listed beside their own CMakeLists.txt.
# A new file goes here, in its layer; scripts/check-esp-idf-sources.sh checks that every library
# source the host build compiles is listed.
get_filename_component(_streams_src ${CMAKE_CURRENT_LIST_DIR}/../src ABSOLUTE)

set(STREAMS_BASE_SOURCES
  ${_streams_src}/base/error.cpp ${_streams_src}/base/text.cpp ${_streams_src}/base/secret.cpp
  ${_streams_src}/base/platform.cpp)
set(STREAMS_SPONGE_SOURCES
  ${_streams_src}/sponge/keccak.cpp ${_streams_src}/sponge/spongos.cpp
  ${_streams_src}/sponge/prng.cpp)
set(STREAMS_CRYPTO_SOURCES
  ${_streams_src}/crypto/sodium_init.cpp ${_streams_src}/crypto/ed25519.cpp
  ${_streams_src}/crypto/field25519.cpp ${_streams_src}/crypto/x25519.cpp
  ${_streams_src}/crypto/blake2b.cpp ${_streams_src}/crypto/keys.cpp ${_streams_src}/crypto/psk.cpp
  ${_streams_src}/crypto/password.cpp)
set(STREAMS_DDML_SOURCES
  ${_streams_src}/ddml/status.cpp ${_streams_src}/ddml/wrap_context.cpp
  ${_streams_src}/ddml/unwrap_context.cpp)
set(STREAMS_MESSAGE_SOURCES ${_streams_src}/message/address.cpp ${_streams_src}/message/message.cpp)
set(STREAMS_CHANNELS_SOURCES
  ${_streams_src}/channels/transport.cpp ${_streams_src}/channels/link_store.cpp
  ${_streams_src}/channels/key_store.cpp ${_streams_src}/channels/user.cpp
  ${_streams_src}/channels/user_send.cpp ${_streams_src}/channels/user_receive.cpp
  ${_streams_src}/channels/user_fetch.cpp ${_streams_src}/channels/state.cpp
  ${_streams_src}/channels/author.cpp ${_streams_src}/channels/subscriber.cpp
  ${_streams_src}/channels/device_state.cpp)
set(STREAMS_TRANSPORT_BUCKET_SOURCES ${_streams_src}/transports/bucket/bucket.cpp)
set(STREAMS_TRANSPORT_CHRYSALIS_SOURCES
  ${_streams_src}/transports/chrysalis/chrysalis.cpp ${_streams_src}/transports/chrysalis/pow.cpp
  ${_streams_src}/transports/chrysalis/json_scan.cpp
  ${_streams_src}/transports/chrysalis/node_transport.cpp)
set(STREAMS_C_SOURCES ${_streams_src}/bindings/channels.cpp ${_streams_src}/bindings/device_state.cpp
  ${_streams_src}/bindings/heap_headroom.cpp)

# Everything a device compiles, lowest layer first.
set(STREAMS_DEVICE_SOURCES
  ${STREAMS_BASE_SOURCES} ${STREAMS_SPONGE_SOURCES} ${STREAMS_CRYPTO_SOURCES}
  ${STREAMS_DDML_SOURCES} ${STREAMS_MESSAGE_SOURCES} ${STREAMS_CHANNELS_SOURCES}
  ${STREAMS_TRANSPORT_BUCKET_SOURCES} ${STREAMS_TRANSPORT_CHRYSALIS_SOURCES} ${STREAMS_C_SOURCES})
unset(_streams_src)

#!/usr/bin/env bash
# Installs the Python package the way a user does, offline from the source tree: a fresh virtual
# environment (with the system's site packages, for Debian's setuptools, pybind11 and pytest), then
# pip install --no-build-isolation --no-index. The CMake build directory the module is built in is
# kept between runs (setup.py's IOTA_STREAMS_CMAKE_BUILD_DIR), so a rerun compiles only what changed.
#   tests/python/pip_install.sh PYTHON SOURCE_DIR VENV_DIR CMAKE_BUILD_DIR
set -euo pipefail
python=${1:?usage: $0 PYTHON SOURCE_DIR VENV_DIR CMAKE_BUILD_DIR}
source_dir=${2:?} venv=${3:?} cmake_build=${4:?}
rm -rf "$venv"
"$python" -m venv --system-site-packages "$venv"
# A copy of the package sources, so that setuptools' own build files stay out of the source tree.
work=$(dirname "$venv")/python-src
rm -rf "$work" && cp -r "$source_dir" "$work"
rm -rf "$work/build" "$work"/*.egg-info
IOTA_STREAMS_SOURCE_DIR=$(cd "$source_dir/.." && pwd) IOTA_STREAMS_CMAKE_BUILD_DIR=$cmake_build \
  "$venv/bin/pip" install --no-build-isolation --no-index --no-cache-dir "$work"
cd "$venv" && "$venv/bin/python" -c 'import iota_streams; print("iota_streams", iota_streams.__version__, "installed")'

"""Builds the iota_streams extension module by driving CMake on the repository (one level up).

Environment:
  IOTA_STREAMS_CMAKE_BUILD_DIR  a CMake build directory to configure and build in, kept between
                                builds so that a rebuild compiles only what changed (the tests use one)
  IOTA_STREAMS_SOURCE_DIR       the repository (default: the parent of this directory)
  CMAKE_BUILD_PARALLEL_LEVEL    parallel compile jobs (default 2)
ccache is used when it is installed. No Python package index is needed: setuptools and pybind11 come
from the system (Debian: python3-setuptools, pybind11-dev).
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
SOURCE = Path(os.environ.get("IOTA_STREAMS_SOURCE_DIR", HERE.parent)).resolve()


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = Path(os.environ.get("IOTA_STREAMS_CMAKE_BUILD_DIR") or Path(self.build_temp) / "cmake").resolve()
        configure = [
            "cmake", "-S", str(SOURCE), "-B", str(build_dir),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DSTREAMS_PYTHON=ON",
            "-DSTREAMS_BUILD_TESTS=OFF",
            "-DSTREAMS_BUILD_BENCHMARKS=OFF",
            "-DSTREAMS_INSTALL=OFF",
            f"-DPython_EXECUTABLE={sys.executable}",
        ]
        if shutil.which("ccache"):
            configure += ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache", "-DCMAKE_C_COMPILER_LAUNCHER=ccache"]
        subprocess.run(configure, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_iota_streams", "-j", jobs], check=True)

        suffix = Path(self.get_ext_filename("_iota_streams")).suffix
        built = sorted(build_dir.rglob("_iota_streams*" + suffix), key=lambda p: p.stat().st_mtime)
        if not built:
            raise RuntimeError(f"CMake built no _iota_streams module in {build_dir}")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[-1], target)


setup(ext_modules=[CMakeExtension("iota_streams._iota_streams")], cmdclass={"build_ext": CMakeBuild})

# Cross build for a Cortex-M4 (thumb, soft float) with arm-none-eabi GCC and picolibc (Debian packages
# gcc-arm-none-eabi, picolibc-arm-none-eabi, libstdc++-arm-none-eabi-picolibc).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(STREAMS_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft -ffunction-sections -fdata-sections")
set(CMAKE_C_FLAGS_INIT "${STREAMS_CPU_FLAGS} --specs=picolibc.specs")
# -Wno-psabi: GCC notes that passing some iterators changed ABI in GCC 7.1; the whole image is built
# by one compiler, so the notes only bury real warnings.
set(CMAKE_CXX_FLAGS_INIT "${STREAMS_CPU_FLAGS} -Wno-psabi --specs=picolibcpp.specs")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,--gc-sections")  # the specs come with CMAKE_CXX_FLAGS
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

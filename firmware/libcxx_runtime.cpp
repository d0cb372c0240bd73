// The out-of-line parts of the C++ runtime that libc++'s headers leave to libc++.a / libc++abi,
// which Debian does not ship for bare-metal targets (clang builds: riscv32). Only what the firmware
// uses: no exceptions, no RTTI, no threads. Allocation failure ends the run (the library is built
// without exceptions, so operator new cannot report it).
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>

// ---- libc++: assertion and "throw" paths end here (-fno-exceptions) ----
namespace std {
inline namespace __1 {

[[noreturn]] void __libcpp_verbose_abort(const char* format, ...) noexcept {
  std::printf("libc++ abort: %s\n", format);
  std::abort();
}

// std::string's members are declared extern templates in <string>; this is their one instantiation.
template class basic_string<char>;
template string operator+<char, char_traits<char>, allocator<char>>(const char*, const string&);

string to_string(int value) {
  char text[16];
  std::snprintf(text, sizeof text, "%d", value);
  return string(text);
}
string to_string(unsigned value) {
  char text[16];
  std::snprintf(text, sizeof text, "%u", value);
  return string(text);
}
string to_string(long value) {
  char text[24];
  std::snprintf(text, sizeof text, "%ld", value);
  return string(text);
}
string to_string(unsigned long value) {
  char text[24];
  std::snprintf(text, sizeof text, "%lu", value);
  return string(text);
}
string to_string(long long value) {
  char text[24];
  std::snprintf(text, sizeof text, "%lld", value);
  return string(text);
}
string to_string(unsigned long long value) {
  char text[24];
  std::snprintf(text, sizeof text, "%llu", value);
  return string(text);
}

}  // namespace __1
}  // namespace std

// ---- operator new / delete over malloc ----
void* operator new(std::size_t size) {
  void* p = std::malloc(size ? size : 1);
  if (!p) {
    std::printf("out of memory (operator new of %u bytes)\n", static_cast<unsigned>(size));
    std::abort();
  }
  return p;
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return std::malloc(size ? size : 1);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return std::malloc(size ? size : 1);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

// ---- libc++abi: static locals (one thread: no locking) and pure virtual calls ----
extern "C" {
int __cxa_guard_acquire(uint64_t* guard) { return *reinterpret_cast<uint8_t*>(guard) == 0; }
void __cxa_guard_release(uint64_t* guard) { *reinterpret_cast<uint8_t*>(guard) = 1; }
void __cxa_guard_abort(uint64_t*) {}
[[noreturn]] void __cxa_pure_virtual() {
  std::printf("pure virtual call\n");
  std::abort();
}
}

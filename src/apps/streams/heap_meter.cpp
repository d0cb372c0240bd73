#include "heap_meter.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace iota_streams::apps::heap_meter {
namespace {

std::atomic<size_t> g_in_use{0};
std::atomic<size_t> g_peak{0};
constexpr size_t kHeader = alignof(std::max_align_t);  // keeps the block aligned

void* allocate(size_t size) {
  auto* block = static_cast<unsigned char*>(std::malloc(size + kHeader));
  if (block == nullptr) throw std::bad_alloc();
  *reinterpret_cast<size_t*>(block) = size;
  const size_t now = g_in_use.fetch_add(size) + size;
  size_t peak = g_peak.load();
  while (now > peak && !g_peak.compare_exchange_weak(peak, now)) {}
  return block + kHeader;
}

void release(void* p) {
  if (p == nullptr) return;
  auto* block = static_cast<unsigned char*>(p) - kHeader;
  g_in_use.fetch_sub(*reinterpret_cast<size_t*>(block));
  std::free(block);
}

}  // namespace

size_t in_use() { return g_in_use.load(); }
size_t peak() { return g_peak.load(); }
void reset_peak() { g_peak.store(g_in_use.load()); }

}  // namespace iota_streams::apps::heap_meter

void* operator new(size_t size) { return iota_streams::apps::heap_meter::allocate(size); }
void* operator new[](size_t size) { return iota_streams::apps::heap_meter::allocate(size); }
void operator delete(void* p) noexcept { iota_streams::apps::heap_meter::release(p); }
void operator delete[](void* p) noexcept { iota_streams::apps::heap_meter::release(p); }
void operator delete(void* p, size_t) noexcept { iota_streams::apps::heap_meter::release(p); }
void operator delete[](void* p, size_t) noexcept { iota_streams::apps::heap_meter::release(p); }

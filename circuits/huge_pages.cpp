#include "circuits/huge_pages.hpp"

#include <sys/mman.h>

#include <cstdlib>
#include <new>

namespace tcx {

namespace {
constexpr std::size_t huge = std::size_t(2) << 20;
}

void* huge_pages_allocate(std::size_t bytes) {
  if (bytes < HugePageAllocator<char>::huge_pages_threshold) return nullptr;
  void* p = std::aligned_alloc(huge, (bytes + huge - 1) / huge * huge);
  if (!p) throw std::bad_alloc();
  madvise(p, bytes, MADV_HUGEPAGE);  // a hint: without it the array still works
  return p;
}

void huge_pages_deallocate(void* p, std::size_t) { std::free(p); }

}  // namespace tcx

#pragma once
// Large arrays on 2 MiB pages where the kernel allows (transparent huge pages on request).
// Two costs of a large array fall with the page count: the first touch of each 4 KiB page is a
// fault (about 3 us in a VM: a quarter of a first 2^20-gate compile went there), and random
// probes of a large hash table miss the TLB on nearly every access. Blocks under 4 MiB come from
// the ordinary allocator.
#include <cstddef>
#include <memory>
#include <vector>

namespace tcx {

void* huge_pages_allocate(std::size_t bytes);          // nullptr when this size is not worth it
void huge_pages_deallocate(void* p, std::size_t bytes);  // p from huge_pages_allocate(bytes)

template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(std::size_t n) {
    if (void* p = huge_pages_allocate(n * sizeof(T))) return static_cast<T*>(p);
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n) {
    if (n * sizeof(T) >= huge_pages_threshold) huge_pages_deallocate(p, n * sizeof(T));
    else std::allocator<T>().deallocate(p, n);
  }
  friend bool operator==(const HugePageAllocator&, const HugePageAllocator&) { return true; }
  static constexpr std::size_t huge_pages_threshold = std::size_t(4) << 20;
};

template <class T>
using huge_vector = std::vector<T, HugePageAllocator<T>>;

}  // namespace tcx

#include "provers/threshold_classes.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_set>

namespace tcx {

namespace {

// The largest weight any threshold function of k variables needs in its smallest integer
// realization (k = 0..6): sorted weights up to this bound meet every positive function.
constexpr std::uint32_t max_weight_needed[] = {0, 1, 1, 2, 3, 5, 9};

// Every nonincreasing weight vector w[0] >= ... >= w[k-1] in 0..bound, and every threshold.
void enumerate(std::uint32_t k, std::uint32_t i, std::uint32_t bound, std::vector<std::uint32_t>& w, std::unordered_set<std::uint64_t>& out) {
  if (i == k) {
    const std::uint32_t codes = 1u << k;
    std::vector<std::uint32_t> sum(codes, 0);
    std::uint32_t total = 0;
    for (std::uint32_t c = 0; c < codes; ++c)
      for (std::uint32_t v = 0; v < k; ++v)
        if ((c >> v) & 1u) sum[c] += w[v];
    for (std::uint32_t v = 0; v < k; ++v) total += w[v];
    for (std::uint32_t t = 0; t <= total + 1; ++t) {
      std::uint64_t table = 0;
      for (std::uint32_t c = 0; c < codes; ++c)
        if (sum[c] >= t) table |= std::uint64_t(1) << c;
      out.insert(table);
    }
    return;
  }
  for (std::uint32_t x = 0; x <= bound; ++x) {
    w[i] = x;
    enumerate(k, i + 1, x, w, out);
  }
}

}  // namespace

std::vector<std::uint64_t> positive_threshold_classes(std::uint32_t k) {
  if (k > max_threshold_class_vars)
    throw std::invalid_argument("threshold classes of " + std::to_string(k) + " variables: at most " +
                                std::to_string(max_threshold_class_vars) + " are served");
  std::unordered_set<std::uint64_t> found;
  std::vector<std::uint32_t> w(k, 0);
  enumerate(k, 0, max_weight_needed[k], w, found);
  std::vector<std::uint64_t> out(found.begin(), found.end());
  std::sort(out.begin(), out.end());
  return out;
}

bool symmetric_in(std::uint64_t table, std::uint32_t k, std::uint32_t i, std::uint32_t j) {
  for (std::uint32_t c = 0; c < (1u << k); ++c) {
    const std::uint32_t swapped = ((c >> i) & 1u) == ((c >> j) & 1u) ? c : c ^ (1u << i) ^ (1u << j);
    if (((table >> c) & 1u) != ((table >> swapped) & 1u)) return false;
  }
  return true;
}

std::uint64_t dual_of(std::uint64_t table, std::uint32_t k) {
  const std::uint32_t all = (1u << k) - 1;
  std::uint64_t dual = 0;
  for (std::uint32_t c = 0; c <= all; ++c)
    if (!((table >> (all ^ c)) & 1u)) dual |= std::uint64_t(1) << c;
  return dual;
}

}  // namespace tcx

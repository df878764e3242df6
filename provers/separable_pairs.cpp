#include "provers/separable_pairs.hpp"

#include <algorithm>
#include <vector>

namespace tcx {

std::optional<separability_result> two_point_pair_certificate(std::span<const std::uint8_t> points, std::uint32_t dims,
                                                              std::span<const std::uint8_t> labels, std::uint64_t max_pairs) {
  if (dims > 64) return std::nullopt;
  const std::size_t K = labels.size();
  std::vector<std::uint64_t> mask(K, 0);
  std::vector<std::uint32_t> T, F;
  for (std::size_t k = 0; k < K; ++k) {
    for (std::uint32_t d = 0; d < dims; ++d)
      if (points[k * dims + d]) mask[k] |= std::uint64_t(1) << d;
    (labels[k] ? T : F).push_back(static_cast<std::uint32_t>(k));
  }
  if (T.empty() || F.empty() || std::uint64_t(T.size()) * F.size() > max_pairs) return std::nullopt;
  auto result = [](std::vector<std::uint32_t> idx) {
    // idx: true, true, false, false (or true, false); equal indices merge into multiplicities.
    separability_result r;
    std::sort(idx.begin(), idx.end());
    for (std::uint32_t k : idx) {
      if (!r.certificate.empty() && r.certificate.back() == k) {
        r.multiplicity.back() += 1;
        continue;
      }
      r.certificate.push_back(k);
      r.multiplicity.emplace_back(1);
    }
    return r;
  };
  // A point with both labels: two points.
  {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> t;
    for (std::uint32_t k : T) t.emplace_back(mask[k], k);
    std::sort(t.begin(), t.end());
    for (std::uint32_t f : F) {
      auto it = std::lower_bound(t.begin(), t.end(), std::pair{mask[f], 0u});
      if (it != t.end() && it->first == mask[f]) return result({it->second, f});
    }
  }
  // The difference of each (false p0, true p1) pair: bits that rise, bits that fall.
  struct Diff {
    std::uint64_t up, down;
    std::uint32_t from, to;
  };
  std::vector<Diff> rising;
  rising.reserve(T.size() * F.size());
  for (std::uint32_t f : F)
    for (std::uint32_t t : T) rising.push_back({mask[t] & ~mask[f], mask[f] & ~mask[t], f, t});
  auto key_less = [](const Diff& a, const Diff& b) { return a.up != b.up ? a.up < b.up : a.down < b.down; };
  std::sort(rising.begin(), rising.end(), key_less);
  // A (true q0, false q1) pair with the same difference closes the certificate.
  for (std::uint32_t t : T)
    for (std::uint32_t f : F) {
      const Diff d{mask[f] & ~mask[t], mask[t] & ~mask[f], 0, 0};
      auto it = std::lower_bound(rising.begin(), rising.end(), d, key_less);
      if (it != rising.end() && it->up == d.up && it->down == d.down) return result({it->to, t, it->from, f});
    }
  return std::nullopt;
}

}  // namespace tcx

#pragma once
// A quick exact test before the LP of separable.hpp: two true and two false points with equal
// sums (p1 + q0 = p0 + q1, i.e. p1 - p0 = q1 - q0 with p0, q1 false and p1, q0 true) are an
// asummability certificate of four points (with a point both true and false, of two). Found by
// hashing the difference vectors of every (false, true) pair, so it costs |T| |F| and no
// rational arithmetic; a function that is 2-asummable gets the LP as before.
#include <cstdint>
#include <optional>
#include <span>

#include "provers/separable.hpp"

namespace tcx {

// points, dims, labels as check_separable takes them (dims <= 64, else nullopt). A certificate
// in check_separable's form (indices, multiplicities), or nullopt when there is none of this
// kind (the points may still be inseparable). max_pairs bounds the work (nullopt beyond).
std::optional<separability_result> two_point_pair_certificate(std::span<const std::uint8_t> points, std::uint32_t dims,
                                                              std::span<const std::uint8_t> labels,
                                                              std::uint64_t max_pairs = std::uint64_t(1) << 18);

}  // namespace tcx

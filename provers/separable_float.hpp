#pragma once
// A fast path for the exact separability check of provers/separable.hpp: the same LP solved in
// double precision proposes an answer, which is accepted only once it is checked exactly.
//   separable:  the float dual gives weights; they are scaled, rounded to integers, and the
//               integer sums of every point decide (a threshold between the two sides exists or
//               the proposal is dropped);
//   not:        the float basis names at most dims + 2 points; the exact rational LP runs on
//               those points only, and its certificate is checked on the given points.
// Whenever the float path gives no verified answer (iteration cap, a singular basis, a wrong
// guess), the exact LP runs on all points. No float number ever reaches an answer unchecked.
#include <cstdint>
#include <span>

#include "provers/separable.hpp"

namespace tcx {

struct separable_fast_stats {
  std::uint64_t float_lps = 0;           // float LPs run
  std::uint64_t float_separators = 0;    // answered "separable" by a verified rounded float dual
  std::uint64_t float_certificates = 0;  // answered "not" by the exact LP on the float support
  std::uint64_t exact_lps = 0;           // full exact LPs (the float path gave no verified answer)
  std::uint64_t float_pivots = 0;
  std::uint64_t float_unsolved = 0;      // the float simplex gave up (iteration cap, singular basis)
  std::uint64_t float_rejected = 0;      // its proposal failed the exact check
};

// Same contract as check_separable (every answer exact, its witness checked).
separability_result check_separable_fast(std::span<const std::uint8_t> points, std::uint32_t dims, std::span<const std::uint8_t> labels,
                                         separable_fast_stats* stats = nullptr);

// The float path alone: true with an exact, verified answer in `out`, false when it has none.
// Whether integer weights and threshold r separate every given point exactly (GMP sums).
bool separates_all(std::span<const std::uint8_t> points, std::uint32_t dims, std::span<const std::uint8_t> labels,
                   const separability_result& r);

bool float_separable(std::span<const std::uint8_t> points, std::uint32_t dims, std::span<const std::uint8_t> labels,
                     separability_result& out, separable_fast_stats* stats = nullptr);

// A sufficient, exact test that a valid certificate is minimal (no proper subset of its points
// is inseparable): its points, as LP columns (x, 1, 0) for true and (-x, 0, 1) for false, are
// linearly independent. The multiplicities of any certificate on a subset would then be a second
// solution of the same full-rank system. Decided by the rank modulo a prime (a rank mod p is never
// above the rank over the rationals), so "true" is exact and "false" may be a rare false negative.
// A basic solution's support, which both LPs return, always passes.
bool certificate_independent(std::span<const std::uint8_t> points, std::uint32_t dims, std::span<const std::uint8_t> labels,
                             std::span<const std::uint32_t> certificate);

}  // namespace tcx

#pragma once
// Exact linear separability of labelled 0/1 points: is there a threshold function that is 1 on
// every true point and 0 on every false one? Decided over the rationals (GMP) by a simplex on
// the convex hulls of the two sets: they intersect exactly when no separating hyperplane exists
// (Farkas' lemma). Either answer comes with its witness:
//   separable: integer weights w and threshold t, w.x >= t on true points, w.x < t on false
//              ones (checked exactly before returning);
//   not:       a certificate, nonnegative integer multiplicities on some true points and some
//              false points with equal totals and equal coordinate sums (an asummability
//              witness), so no threshold function fits those points, whatever its weights.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include <gmpxx.h>

namespace tcx {

struct separability_result {
  bool decided = true;  // false only when the caller's give_up ended the LP: then neither answer holds
  bool separable = false;
  std::vector<mpz_class> weights;  // separable: one per coordinate
  mpz_class threshold;
  // not separable: indices into the given points and their multiplicities (all > 0); the
  // true points' multiplicities and the false points' add up to the same total, and so do
  // their coordinate sums.
  std::vector<std::uint32_t> certificate;
  std::vector<mpz_class> multiplicity;
  std::uint32_t pivots = 0;
};

// points: `count` rows of `dims` 0/1 values (row-major); labels: one per row. Rows may repeat;
// the same row with both labels is a certificate of two points.
// give_up, when given, is asked before every pivot and every row operation: true ends the LP undecided (the rational
// simplex on thousands of rows can take minutes; a caller with a budget passes its clock).
separability_result check_separable(std::span<const std::uint8_t> points, std::uint32_t dims, std::span<const std::uint8_t> labels,
                                    const std::function<bool()>& give_up = {});

// Whether a certificate is valid for those points (used by the tests and as a self-check).
bool certificate_valid(std::span<const std::uint8_t> points, std::uint32_t dims, std::span<const std::uint8_t> labels,
                       const separability_result& r);

}  // namespace tcx

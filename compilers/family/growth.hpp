#pragma once
// Growth of a circuit family: from (n, depth, size) measured over a range of n, a fitted verdict
// on whether the family looks constant-depth and polynomial-size (TC^0). A finite range is
// evidence, never proof, and the verdict says so.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <string>

namespace tcx {

struct growth_point {
  std::int64_t n = 0;
  std::uint64_t depth = 0, gates = 0, wires = 0;
};

struct linear_fit {  // y ~ a * x + b by least squares, rms the root-mean-square residual
  double a = 0, b = 0, rms = 0;
};

struct growth_fit {
  std::size_t points = 0;
  // Depth: "constant" (the same value from constant_from on, over at least a doubling of n and
  // half the range on a log scale), "unclear" (not growing: a falling or wandering depth, or one
  // flat over less than a doubling), else the better of "logarithmic" (a*log2 n + b) and
  // "linear" (a*n + b).
  std::string depth_kind;
  std::uint64_t constant_depth = 0;
  std::int64_t constant_from = 0;
  linear_fit depth_log, depth_linear;
  // Size: gates ~ c * n^k (least squares on log-log), and for contrast gates ~ c * 2^(a n).
  // size_kind: "polynomial" when the log-log line fits at least as well; "exponential" when the
  // exponential fits better and the log-log slope over the range's upper half exceeds the lower
  // half's by at least 1 (an exponential's slope keeps growing, a polynomial's settles at its
  // degree); else "unclear" (the exponential fits better without that growth: small merged
  // counts, or a polynomial with a large constant term). A finite range cannot tell more.
  linear_fit size_loglog, size_exp;
  std::string size_kind;
  double slope_lower = 0, slope_upper = 0;  // log-log slopes over the range's halves
  bool size_polynomial() const { return size_kind == "polynomial"; }
  bool consistent_with_tc0 = false;
  // Neither consistent nor not: the depth's growth unclear, or constant depth and the size's
  // growth unclear (JSON
  // consistent_with_tc0 null, so that "undecided" never reads as "not TC^0").
  bool tc0_undecided() const { return depth_kind == "unclear" || (depth_kind == "constant" && size_kind == "unclear"); }
  std::string verdict;  // one paragraph for people
};

// Points in increasing n; at least 2 (fewer gives a verdict that says it cannot tell).
growth_fit fit_growth(std::span<const growth_point> points);

nlohmann::json to_json(const growth_fit& f);

}  // namespace tcx

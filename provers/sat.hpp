#pragma once
// One CryptoMiniSat call with a budget: sat (with a model), unsat, or unknown.
#include <cstdint>
#include <span>
#include <vector>

#include "provers/cnf.hpp"

namespace tcx {

struct sat_params {
  double time_limit_s = 0;      // 0: none (CPU seconds, as CryptoMiniSat counts them)
  std::uint64_t conflicts = 0;  // 0: none
  unsigned threads = 1;
};

struct sat_result {
  enum Answer { sat, unsat, unknown } answer = unknown;
  std::vector<bool> model;  // model[v] for variables 1..num_vars (index 0 unused)
  double seconds = 0;
  bool value(CnfLit l) const { return l > 0 ? model[static_cast<std::size_t>(l)] : !model[static_cast<std::size_t>(-l)]; }
};

sat_result solve_cnf(const Cnf& cnf, const sat_params& p = {}, std::span<const CnfLit> assumptions = {});

}  // namespace tcx

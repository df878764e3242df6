#pragma once
// One CryptoMiniSat call with a budget: sat (with a model), unsat, or unknown.
#include <cstdint>
#include <memory>
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

// One solver kept across calls (learned clauses stay): each solve() first adds what the CNF
// gained since the last call. The CNF may only grow.
class IncrementalSat {
public:
  IncrementalSat();
  ~IncrementalSat();
  // The budget of the next calls: CPU seconds and conflicts per call (0: none).
  void set_budget(double seconds, std::uint64_t conflicts);
  sat_result solve(const Cnf& cnf, std::span<const CnfLit> assumptions = {});

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tcx

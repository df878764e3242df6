#pragma once
// The random threshold circuits the benchmarks share: fan-ins drawn (with random negation)
// from the `window` most recent nodes, so depth grows as in real netlists; weights uniform in
// [-max_w, max_w] without 0; thresholds near the middle of the reachable range, so gates are
// rarely constant.
#include <random>
#include <string>
#include <vector>

#include "circuits/builder.hpp"

namespace tcx::bench {

struct RandomCircuitParams {
  std::uint32_t inputs = 32, gates = 20000, fanin = 8, window = 2000, outputs = 8;
  std::int64_t max_w = 3;
  std::uint64_t seed = 1;
  bool named = false;  // inputs x0.., outputs y0..
};

inline Circuit random_circuit(const RandomCircuitParams& p) {
  std::mt19937_64 rng(p.seed);
  Builder b;
  std::vector<Lit> nodes;
  for (std::uint32_t i = 0; i < p.inputs; ++i) nodes.push_back(b.add_input(p.named ? "x" + std::to_string(i) : ""));
  std::vector<Lit> f(p.fanin);
  std::vector<std::int64_t> w(p.fanin);
  while (b.num_gates() < p.gates) {
    std::int64_t lo = 0, hi = 0;
    for (std::uint32_t k = 0; k < p.fanin; ++k) {
      f[k] = nodes[nodes.size() - 1 - rng() % std::min<std::size_t>(nodes.size(), p.window)] ^ (rng() & 1);
      w[k] = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(p.max_w));
      if (rng() & 1) w[k] = -w[k];
      (w[k] < 0 ? lo : hi) += w[k];
    }
    Lit l = b.add_gate(f, w, lo + (hi - lo + 1) / 2);
    if (!l.is_constant()) nodes.push_back(l);
  }
  for (std::uint32_t o = 0; o < p.outputs; ++o)
    b.add_output(nodes[nodes.size() - 1 - o], p.named ? "y" + std::to_string(o) : "");
  return std::move(b).build_all();
}

}  // namespace tcx::bench

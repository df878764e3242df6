// The blow-up of removing large weights, side by side: one gate rewritten by the residue
// construction (one extra level) and by the adders (iterated addition and a comparator, seven
// extra levels). Each result is checked equal to the gate (exhaustively up to 20 inputs).
//
//   build/bench/bench_residues          # the table in docs/cells.md
#include <fmt/format.h>

#include <chrono>
#include <random>

#include "circuits/analysis.hpp"
#include "circuits/simulate.hpp"
#include "compilers/arith/small_weights.hpp"

using namespace tcx;

namespace {

Circuit one_gate(const std::vector<mpz_class>& w, const mpz_class& t) {
  Builder b;
  b.add_inputs(static_cast<std::uint32_t>(w.size()));
  std::vector<Lit> x;
  for (std::uint32_t i = 0; i < w.size(); ++i) x.push_back(b.input(i));
  b.add_output(b.add_gate(x, w, t));
  return std::move(b).build();
}

void row(const std::string& name, const Circuit& gate) {
  std::string cells = fmt::format("| {} | {} |", name, gate.num_inputs());
  for (reweight_method method : {reweight_method::residues, reweight_method::adders}) {
    small_weights_params p;
    p.max_bits = 1;
    p.method = method;
    p.residues.max_gates = 50'000'000;
    small_weights_stats st;
    auto start = std::chrono::steady_clock::now();
    Circuit s = to_small_weights(gate, p, &st);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    equiv_params ep;
    ep.max_exhaustive_inputs = 20;
    ep.random_patterns = 1 << 18;
    equiv_result r = equivalent_by_simulation(gate, s, ep);
    const char* check = r.verdict == equiv_result::equal ? "equal" : r.verdict == equiv_result::unknown ? "no difference (random)" : "DIFFERENT";
    cells += fmt::format(" {} | {} | {} | {} | {:.2f} s | {} |", st.depth_after, st.gates_after, st.wires_after,
                         st.max_weight_bits_after, seconds, check);
  }
  fmt::print("{}\n", cells);
  std::fflush(stdout);
}

}  // namespace

int main() {
  fmt::print("| gate | inputs | residues: depth | gates | wires | weight bits | time | check | adders: depth | gates | wires | weight bits | time | check |\n");
  fmt::print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (std::uint32_t k : {4u, 8u, 12u, 16u, 24u}) {  // x >= y on k bits: weights 2^i and -2^i
    std::vector<mpz_class> w;
    for (std::uint32_t i = 0; i < k; ++i) w.push_back(mpz_class(1) << i);
    for (std::uint32_t i = 0; i < k; ++i) w.push_back(-(mpz_class(1) << i));
    row(fmt::format("x >= y, {} bits each", k), one_gate(w, 0));
  }
  std::mt19937_64 rng(2026);
  for (auto [n, bits] : {std::pair{4u, 16u}, {6u, 64u}, {8u, 32u}, {8u, 64u}, {16u, 32u}, {16u, 64u}}) {
    std::vector<mpz_class> w;
    mpz_class total = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
      mpz_class v = 0;
      for (std::uint32_t j = 0; j < bits; ++j) v = 2 * v + (rng() & 1);
      w.push_back(v);
      total += v;
    }
    row(fmt::format("random, {}-bit weights", bits), one_gate(w, total / 2));
  }
}

// Simulation throughput: wire-pattern evaluations per second per core.
//   bench_sim [gates=20000] [seconds=1]
// Random layered circuits of 32 inputs: fan-in 8 and 32, weights |w| <= 3 and |w| < 2^40,
// and an AND-only circuit (2-input gates with random negations). One thread, exhaustive
// patterns, words per node chosen as the drivers do.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "circuits/builder.hpp"
#include "circuits/simulate.hpp"
#include "random_circuit.hpp"

using namespace tcx;
using clk = std::chrono::steady_clock;

namespace {

Circuit random_circuit(std::uint32_t gates, std::uint32_t fanin, std::int64_t max_w, std::uint64_t seed) {
  bench::RandomCircuitParams p;
  p.gates = gates;
  p.fanin = fanin;
  p.max_w = max_w;
  p.seed = seed;
  return bench::random_circuit(p);
}

void measure(const char* label, const Circuit& c, double seconds, std::uint32_t W_override) {
  BitSimulator sim(c);
  std::uint32_t W = W_override ? W_override : sim.default_words();
  std::vector<std::uint64_t> in(std::size_t(c.num_inputs()) * W), out(std::size_t(c.num_outputs()) * W), scratch;
  std::uint64_t blocks = 0;
  auto t0 = clk::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    fill_inputs(PatternSet{}, c.num_inputs(), blocks, W, in.data());
    sim.run(in.data(), out.data(), W, scratch);
    ++blocks;
    elapsed = std::chrono::duration<double>(clk::now() - t0).count();
  }
  double patterns = double(blocks) * 64 * W;
  std::printf("%-34s gates %7u wires %8llu instr %7zu W %3u : %.3g wire-patterns/s, %.3g gate-patterns/s\n", label,
              c.num_gates(), static_cast<unsigned long long>(c.num_wires()), sim.num_instructions(), W,
              patterns * double(c.num_wires()) / elapsed, patterns * c.num_gates() / elapsed);
}

}  // namespace

int main(int argc, char** argv) {
  std::uint32_t gates = argc > 1 ? std::atoi(argv[1]) : 20000;
  double seconds = argc > 2 ? std::atof(argv[2]) : 1.0;
  std::uint32_t W = argc > 3 ? std::atoi(argv[3]) : 0;
  measure("threshold fan-in 8, |w|<=3", random_circuit(gates, 8, 3, 1), seconds, W);
  measure("threshold fan-in 32, |w|<=3", random_circuit(gates, 32, 3, 2), seconds, W);
  measure("threshold fan-in 8, |w|<2^40", random_circuit(gates, 8, std::int64_t(1) << 40, 3), seconds, W);
  measure("threshold fan-in 32, |w|<2^40", random_circuit(gates, 32, std::int64_t(1) << 40, 4), seconds, W);
  measure("majority fan-in 8 (unit weights)", random_circuit(gates, 8, 1, 5), seconds, W);
  measure("AND-only (2-input, AIG)", random_circuit(gates, 2, 1, 6), seconds, W);
  return 0;
}

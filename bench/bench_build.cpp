// Builds a large random threshold circuit and reports build speed and memory.
//   bench_build [gates=1000000] [fanin=8] [seed=1]
// Fan-ins are drawn from the 4096 preceding nodes (locality like real netlists),
// weights uniformly from [-3, 3] without 0, thresholds near the middle.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/io/tc_format.hpp"

using namespace tcx;
using clk = std::chrono::steady_clock;

static double seconds_since(clk::time_point t) { return std::chrono::duration<double>(clk::now() - t).count(); }

int main(int argc, char** argv) {
  const std::uint32_t gates = argc > 1 ? std::atoi(argv[1]) : 1000000;
  const std::uint32_t fanin = argc > 2 ? std::atoi(argv[2]) : 8;
  const std::uint64_t seed = argc > 3 ? std::atoll(argv[3]) : 1;
  const std::uint32_t inputs = 64;

  // Pre-draw everything so the timing measures the builder, not the random generator.
  std::mt19937_64 rng(seed);
  std::vector<std::uint32_t> pick(std::size_t(gates) * fanin);
  std::vector<std::int64_t> weight(pick.size());
  std::vector<std::int64_t> threshold(gates);
  for (std::uint32_t g = 0; g < gates; ++g) {
    std::uint32_t avail = 1 + inputs + g - 1;  // nodes 1..avail
    std::int64_t pos = 0;
    for (std::uint32_t k = 0; k < fanin; ++k) {
      std::uint32_t back = 1 + static_cast<std::uint32_t>(rng() % std::min<std::uint32_t>(avail, 4096));
      pick[std::size_t(g) * fanin + k] = back;
      std::int64_t w = 1 + static_cast<std::int64_t>(rng() % 3);
      if (rng() & 1) w = -w; else pos += w;
      weight[std::size_t(g) * fanin + k] = w;
    }
    threshold[g] = pos / 2 - static_cast<std::int64_t>(rng() % 2);
  }

  auto t0 = clk::now();
  Builder b;
  b.add_inputs(inputs);
  b.reserve(gates, std::size_t(gates) * fanin);
  std::vector<Lit> lits(std::size_t(inputs) + gates + 1);
  for (std::uint32_t i = 0; i < inputs; ++i) lits[1 + i] = b.input(i);
  std::vector<Lit> f(fanin);
  std::uint32_t made = inputs;
  for (std::uint32_t g = 0; g < gates; ++g) {
    for (std::uint32_t k = 0; k < fanin; ++k) f[k] = lits[made + 1 - pick[std::size_t(g) * fanin + k] + 1 - 1];
    Lit l = b.add_gate(f, std::span<const std::int64_t>(weight.data() + std::size_t(g) * fanin, fanin), threshold[g]);
    lits[++made] = l;
  }
  b.add_output(lits[made]);
  Circuit c = std::move(b).build();
  double build_s = seconds_since(t0);

  std::size_t gate_bytes = c.num_gates() * (8 + 8 + 4 + 4) + 8;
  std::size_t wire_bytes = c.num_wires() * (4 + 4);
  std::size_t total = c.memory_bytes();
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);

  std::printf("(the arrays were reserved up front with Builder::reserve)\n");
  auto t1 = clk::now();
  circuit_stats s = analyze(c);
  double analyze_s = seconds_since(t1);

  std::printf("requested gates        %u (fan-in %u)\n", gates, fanin);
  std::printf("stored gates           %u\n", c.num_gates());
  std::printf("stored wires           %llu\n", static_cast<unsigned long long>(c.num_wires()));
  std::printf("build time             %.3f s (%.2f M gates/s)\n", build_s, gates / build_s / 1e6);
  std::printf("bytes per gate         %.2f (gate arrays)\n", double(gate_bytes) / c.num_gates());
  std::printf("bytes per wire         %.2f (wire arrays)\n", double(wire_bytes) / c.num_wires());
  std::printf("circuit bytes          %zu (= %.2f per gate + %.2f per wire measured together)\n", total,
              double(total - wire_bytes) / c.num_gates(), double(wire_bytes) / c.num_wires());
  std::printf("peak RSS               %.1f MiB (includes the pre-drawn random input arrays)\n", ru.ru_maxrss / 1024.0);
  std::printf("analyze time           %.3f s (depth %u)\n", analyze_s, s.depth);
  return 0;
}

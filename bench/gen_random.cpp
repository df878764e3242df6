// Writes a random threshold circuit as .tc, for benchmarks against other tools.
//   gen_random INPUTS GATES FANIN MAXW SEED OUTPUTS > out.tc
// Fan-ins come from the 64 most recent nodes (so depth grows like a real netlist),
// weights from [-MAXW, MAXW] without 0, thresholds near the middle of the range.
#include <cstdio>
#include <cstdlib>
#include <random>

#include "circuits/builder.hpp"
#include "circuits/io/tc_format.hpp"

using namespace tcx;

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: gen_random INPUTS GATES FANIN MAXW SEED OUTPUTS\n");
    return 2;
  }
  const std::uint32_t inputs = std::atoi(argv[1]), gates = std::atoi(argv[2]), fanin = std::atoi(argv[3]);
  const std::int64_t maxw = std::atoll(argv[4]);
  std::mt19937_64 rng(std::atoll(argv[5]));
  const std::uint32_t outputs = std::atoi(argv[6]);
  Builder b;
  std::vector<Lit> nodes;
  for (std::uint32_t i = 0; i < inputs; ++i) nodes.push_back(b.add_input("x" + std::to_string(i)));
  std::vector<Lit> f(fanin);
  std::vector<std::int64_t> w(fanin);
  while (b.num_gates() < gates) {
    std::int64_t lo = 0, hi = 0;
    for (std::uint32_t k = 0; k < fanin; ++k) {
      f[k] = nodes[nodes.size() - 1 - rng() % std::min<std::size_t>(nodes.size(), 64)] ^ (rng() & 1);
      w[k] = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(maxw));
      if (rng() & 1) w[k] = -w[k];
      (w[k] < 0 ? lo : hi) += w[k];
    }
    Lit l = b.add_gate(f, w, lo + (hi - lo + 1) / 2);
    if (!l.is_constant()) nodes.push_back(l);
  }
  for (std::uint32_t o = 0; o < outputs; ++o) b.add_output(nodes[nodes.size() - 1 - o], "y" + std::to_string(o));
  std::fputs(write_tc(std::move(b).build()).c_str(), stdout);
  return 0;
}

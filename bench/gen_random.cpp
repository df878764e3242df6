// Writes a random threshold circuit as .tc, for benchmarks against other tools.
//   gen_random INPUTS GATES FANIN MAXW SEED OUTPUTS > out.tc
// Fan-ins come from the 64 most recent nodes (see random_circuit.hpp).
#include <cstdio>
#include <cstdlib>

#include "circuits/io/tc_format.hpp"
#include "random_circuit.hpp"

using namespace tcx;

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: gen_random INPUTS GATES FANIN MAXW SEED OUTPUTS\n");
    return 2;
  }
  bench::RandomCircuitParams p;
  p.inputs = std::atoi(argv[1]);
  p.gates = std::atoi(argv[2]);
  p.fanin = std::atoi(argv[3]);
  p.max_w = std::atoll(argv[4]);
  p.seed = std::atoll(argv[5]);
  p.outputs = std::atoi(argv[6]);
  p.window = 64;
  p.named = true;
  std::fputs(write_tc(bench::random_circuit(p)).c_str(), stdout);
  return 0;
}

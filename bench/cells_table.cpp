// Measures every catalog cell at k = 8, 16, 32, 64 bits (m = the cell's default count) and
// prints the markdown table of docs/cells.md.
//   cells_table
#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "circuits/analysis.hpp"
#include "compilers/arith/catalog.hpp"

using namespace tcx;

int main() {
  std::printf("| cell | m | k | depth | formula | gates | wires | max weight bits | build s |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  for (const CellInfo& c : cell_catalog()) {
    for (std::uint32_t k : {8u, 16u, 32u, 64u}) {
      if (c.name == "lut" && k > 16) continue;   // a table of 2^k rows
      if (c.name == "mul" && k > 32) continue;   // O(k^4) wires: 64 bits needs GiBs
      if (c.name == "ge_residues" && k > 16) continue;  // millions of gates from 32 bits
      auto t0 = std::chrono::steady_clock::now();
      Circuit circuit;
      try {
        circuit = c.build(k, c.default_count);
      } catch (const std::invalid_argument& e) {  // a width the cell refuses (mean: at most 16 bits): say so in its row
        std::printf("| %s | %s | %u | - | - | not built: %s | | | |\n", c.name.c_str(),
                    c.uses_count ? std::to_string(c.default_count).c_str() : "-", k, e.what());
        continue;
      }
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      circuit_stats st = analyze(circuit);
      std::printf("| %s | %s | %u | %u | %s | %u | %llu | %llu | %.2f |\n", c.name.c_str(),
                  c.uses_count ? std::to_string(c.default_count).c_str() : "-", k, st.depth,
                  c.depth_formula.substr(0, c.depth_formula.find(" (")).c_str(), st.gates,
                  static_cast<unsigned long long>(st.wires), static_cast<unsigned long long>(st.max_weight_bits), s);
      std::fflush(stdout);
    }
  }
}

// The soundness check of a tt question's eager CNF (provers/tt_certify.hpp), without solving it:
// the loop is given a budget too small for its first call, so the CNF holds the eager clauses
// over every pattern in play (all of them up to 9 inputs), signed escapes included, and the
// check runs on that. Prints the clauses checked, the systems built, the exact LPs and the time.
//   bench_tt_soundness parity N WIDTHS      (WIDTHS like 3,1; skip wires)
//   bench_tt_soundness r110 T WIDTHS        (Rule 110, the centre cell after T steps on 2T + 1 cells)
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "circuits/simulate.hpp"
#include "provers/synth.hpp"
#include "provers/synth_template.hpp"
#include "provers/synth_tt.hpp"
#include "provers/tt_certify.hpp"
#include "tasks/task.hpp"

using namespace tcx;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: bench_tt_soundness parity|r110 N WIDTHS\n");
    return 2;
  }
  const std::string what = argv[1];
  const long k = std::atol(argv[2]);
  std::uint32_t n = 0;
  multi_truth_table truth;
  if (what == "parity" && k >= 2 && k <= 12) {
    n = std::uint32_t(k);
    truth = {make_truth_table(n, [](std::uint64_t q) { return __builtin_popcountll(q) % 2 == 1; })};
  } else if (what == "r110" && k >= 1 && k <= 5) {
    const Task& eca = *find_task("eca");
    const TaskParams tp = eca.resolve({{"cells", 2 * k + 1}, {"cell", k}, {"steps", k}});
    const Circuit c = eca.natural_circuit(tp);
    // Onto the inputs it depends on, as synthesize() does (tt_question does not project).
    const multi_truth_table full = truth_tables(c);
    std::vector<std::uint32_t> support;
    for (std::uint32_t i = 0; i < c.num_inputs(); ++i)
      if (synth_detail::depends_on(full, i)) support.push_back(i);
    n = std::uint32_t(support.size());
    truth = {make_truth_table(n, [&](std::uint64_t q) {
      std::uint64_t x = 0;
      for (std::uint32_t j = 0; j < n; ++j) x |= ((q >> j) & 1u) << support[j];
      return get_bit(full[0], x);
    })};
  } else {
    std::fprintf(stderr, "bench_tt_soundness: unknown function %s %s\n", argv[1], argv[2]);
    return 2;
  }
  synth_params p;
  std::stringstream ws(argv[3]);
  for (std::string w; std::getline(ws, w, ',');) p.shape.widths.push_back(std::uint32_t(std::atoi(w.c_str())));
  p.shape.skip = true;
  p.method = synth_method::tt;
  p.symmetry_breaking = false;
  p.tt.cube_inputs = 0;
  p.time_limit_s = 1e-6;
  const synth_detail::tt_final_question q = synth_detail::tt_question(n, truth, p);
  std::uint64_t escapes = 0, signs = 0;
  for (const tt_var_meaning& m : q.encoding.vars) {
    escapes += m.kind == tt_var_meaning::term_falls;
    signs += m.kind == tt_var_meaning::source_sign;
  }
  const tt_soundness_result s = check_tt_soundness(q.cnf, q.encoding, truth);
  std::printf("%s %ld widths %s: %u patterns, %u variables (%llu source signs, %llu term_falls), %llu clauses: %s; "
              "%llu by definition, %llu systems, %llu exact LPs, %.3f s\n",
              argv[1], k, argv[3], unsigned(q.encoding.patterns.size()), q.cnf.num_vars(), (unsigned long long)signs,
              (unsigned long long)escapes, (unsigned long long)s.clauses, s.sound ? "sound" : s.message.c_str(),
              (unsigned long long)s.by_definition, (unsigned long long)s.systems, (unsigned long long)s.lps, s.seconds);
  return s.sound ? 0 : 1;
}

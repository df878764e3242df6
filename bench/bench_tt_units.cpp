// tt's cubes as units (provers/tt_cube_solver.hpp), what keeping a solver warm buys: one
// question solved whole (synthesize, one thread), its cubes in order by one TtCubeSolver (what
// each rank or thread of a --state run does), and each cube by a fresh TtCubeSolver (what a
// unit costs when nothing carries over). CPU seconds of this process; the answers must agree.
//   bench_tt_units parity N WIDTHS      e.g. bench_tt_units parity 7 5,1 (--tt-cubes output)
//   bench_tt_units r110 T WIDTHS        Rule 110, the centre cell after T steps, skip wires,
//                                       tt's automatic split (its output's weight signs)
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "circuits/simulate.hpp"
#include "provers/synth.hpp"
#include "provers/tt_cube_solver.hpp"
#include "tasks/task.hpp"

using namespace tcx;

static double cpu() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

static const char* name(synth_result::Answer a) { return a == synth_result::sat ? "found" : a == synth_result::unsat ? "none" : "unknown"; }

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: bench_tt_units parity N WIDTHS | r110 T WIDTHS\n");
    return 2;
  }
  const std::string what = argv[1];
  const long size = std::atol(argv[2]);
  synth_params p;
  for (const char* s = argv[3]; *s;) {
    char* end = nullptr;
    p.shape.widths.push_back(static_cast<std::uint32_t>(std::strtoul(s, &end, 10)));
    s = *end == ',' ? end + 1 : end;
  }
  p.method = synth_method::tt;
  p.time_limit_s = 0;
  std::uint32_t n = 0;
  multi_truth_table truth;
  if (what == "parity") {
    n = static_cast<std::uint32_t>(size);
    truth = {make_truth_table(n, [](std::uint64_t q) { return (__builtin_popcountll(q) & 1) != 0; })};
    p.tt.cube_inputs = tt_params::cubes_output;
  } else {
    const Task& eca = task_named("eca");
    const Circuit c = eca.natural_circuit(eca.resolve({{"cells", 2 * size + 1}, {"cell", size}, {"steps", size}}));
    n = c.num_inputs();
    truth = truth_tables(c);
    p.shape.skip = true;
  }
  double t = cpu();
  const synth_result whole = synthesize(n, truth, p);
  const double whole_s = cpu() - t;
  t = cpu();
  TtCubeSolver warm(n, truth, p);
  synth_result::Answer warm_answer = synth_result::unsat;
  for (std::size_t i = 0; i < warm.cubes() && warm_answer == synth_result::unsat; ++i) warm_answer = warm.solve(i).answer;
  const double warm_s = cpu() - t;
  t = cpu();
  synth_result::Answer fresh_answer = synth_result::unsat;
  for (std::size_t i = 0; i < warm.cubes() && fresh_answer == synth_result::unsat; ++i) fresh_answer = TtCubeSolver(n, truth, p).solve(i).answer;
  const double fresh_s = cpu() - t;
  std::printf("| question | cubes | whole (synthesize) | cubes, one warm solver | cubes, a fresh solver each |\n|---|---|---|---|---|\n");
  std::printf("| %s %ld, %s | %zu | %s, %.2f s | %s, %.2f s | %s, %.2f s |\n", what.c_str(), size, argv[3], warm.cubes(), name(whole.answer),
              whole_s, name(warm_answer), warm_s, name(fresh_answer), fresh_s);
  return whole.answer == warm_answer && warm_answer == fresh_answer ? 0 : 1;
}

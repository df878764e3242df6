// dist/ built without MPI (as on a machine without libopenmpi-dev), checked against the plain
// library calls. CMake compiles dist/*.cpp a second time into this program without TCX_HAVE_MPI,
// so CI tests the MPI-less build without building all of tcx twice.
//   no_mpi            the checks below (exit 0 when all pass)
//   no_mpi session    starts a dist::Session: as 3 launched ranks it must refuse (exit 2)
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include <unistd.h>

#include "circuits/builder.hpp"
#include "circuits/simulate.hpp"
#include "dist/runner.hpp"
#include "dist/work.hpp"
#include "provers/synth.hpp"

using namespace tcx;

namespace {

int failures = 0;
void check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "FAIL: %s\n", what.c_str());
    ++failures;
  }
}

// A function of n inputs from a seed: its truth table, one output.
multi_truth_table random_table(std::uint32_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  return {make_truth_table(n, [&](std::uint64_t) { return rng() & 1; })};
}

multi_truth_table parity_table(std::uint32_t n) {
  return {make_truth_table(n, [](std::uint64_t p) { return __builtin_popcountll(p) & 1; })};
}

std::string texts(const std::vector<frontier_cell>& cells) {
  std::string s;
  for (const frontier_cell& c : cells) s += frontier_cell_text(c) + " ";
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "session") {
    dist::Session session(argc, argv);  // exits 2 when launched as several ranks
    std::printf("one process\n");
    return 0;
  }
  check(!dist::mpi_built(), "built without MPI");
  check(dist::size() == 1 && dist::rank() == 0, "one process");

  // Pattern ranges: a majority of 12 against the same gate with one threshold off by one; the
  // lowest difference is the first pattern with exactly 6 ones (0b111111 = 63).
  auto gate = [](std::int64_t t) {
    Builder b;
    std::vector<Lit> xs;
    for (int i = 0; i < 12; ++i) xs.push_back(b.add_input("x" + std::to_string(i)));
    const std::vector<std::int64_t> w(12, 1);
    b.add_output(b.add_gate(xs, w, t), "y");
    return std::move(b).build();
  };
  const Circuit a = gate(6), c = gate(7);
  dist::run_options o;
  o.unit_patterns = 64;
  const equiv_result plain = equivalent_by_simulation(a, c, equiv_params{});
  const equiv_result split = dist::equivalent_by_simulation(a, c, equiv_params{}, o);
  check(plain.verdict == equiv_result::different && split.verdict == plain.verdict && split.inputs == plain.inputs,
        "pattern ranges: the same counterexample");
  check(split.patterns_checked == 64, "pattern ranges: checked up to the counterexample");
  check(dist::equivalent_by_simulation(a, a, equiv_params{}, o).verdict == equiv_result::equal, "pattern ranges: equal");

  // The frontier question by question against the single-process walk, then resumed from a
  // state file that lost some of its questions.
  frontier_params fp;
  fp.max_depth = 3;
  fp.max_gates = 4;
  std::vector<dist::frontier_row_question> rows;
  for (std::uint32_t n = 2; n <= 4; ++n) rows.push_back({n, parity_table(n), "parity" + std::to_string(n)});
  rows.push_back({4, random_table(4, 7), "random4"});
  const std::string state = (std::filesystem::temp_directory_path() / ("tcx-no-mpi-" + std::to_string(::getpid()) + ".json")).string();
  o.state.path = state;
  o.key = "no-mpi check";
  std::uint64_t delivered = 0;
  const auto cells = dist::frontier_by_questions(rows, fp, [&](std::uint64_t k, const std::vector<frontier_cell>&) {
    check(k == delivered++, "frontier: rows in order");
  }, o);
  for (std::size_t k = 0; k < rows.size(); ++k)
    check(texts(cells[k]) == texts(frontier(rows[k].inputs, rows[k].truth, fp)), "frontier row " + std::to_string(k) + ": " + texts(cells[k]));
  check(texts(cells[2]) == "- 3* 3* ", "frontier: parity of 4 is 3 gates at depth 2, proven");
  o.state.resume = true;
  const auto again = dist::frontier_by_questions(rows, fp, nullptr, o);
  for (std::size_t k = 0; k < rows.size(); ++k) check(texts(again[k]) == texts(cells[k]), "frontier resumed: the same row");
  std::filesystem::remove(state);
  if (failures) return 1;
  std::printf("dist without MPI: all checks passed\n");
  return 0;
}

// The tt method's cubes on several threads (synth_params::jobs, provers/synth_tt_cubes.hpp):
// the same answers as one thread, every circuit checked by a plain evaluator (tests/reference.hpp), and
// a budget or stop that cuts the work short answers unknown, never unsat.
#include <catch2/catch.hpp>

#include <atomic>
#include <random>

#include "circuits/circuit.hpp"
#include "provers/synth.hpp"
#include "provers/synth_tt_cubes.hpp"
#include "reference.hpp"

using namespace tcx;

namespace {

multi_truth_table table_of(std::uint32_t n, const std::function<bool(std::uint64_t)>& f) { return {make_truth_table(n, f)}; }

bool computes(const Circuit& c, std::uint32_t n, const std::function<bool(std::uint64_t)>& f) {
  if (c.num_inputs() != n || c.num_outputs() != 1) return false;
  for (std::uint64_t q = 0; q < (std::uint64_t(1) << n); ++q)
    if (test::eval_by_weights(c, q)[0] != f(q)) return false;
  return true;
}

synth_params params(std::vector<std::uint32_t> widths, bool skip, std::uint32_t cube_inputs, std::uint32_t jobs) {
  synth_params p;
  p.shape.widths = std::move(widths);
  p.shape.skip = skip;
  p.method = synth_method::tt;
  p.tt.cube_inputs = cube_inputs;
  p.tt.jobs = jobs;
  p.time_limit_s = 60;
  return p;
}

}  // namespace

TEST_CASE("tt cubes: the list of cubes and the board's rules", "[provers][tt-parallel]") {
  using synth_detail::TtCubeBoard;
  const std::vector<CnfLit> split{5, 7};
  const auto cubes = synth_detail::tt_cubes(split);
  REQUIRE(cubes.size() == 4);
  CHECK(cubes[0] == std::vector<CnfLit>{5, 7});
  CHECK(cubes[1] == std::vector<CnfLit>{-5, 7});
  CHECK(cubes[3] == std::vector<CnfLit>{-5, -7});
  {
    TtCubeBoard b(3, 2, 0, nullptr);
    CHECK(b.take() == 0u);
    CHECK(b.take() == 1u);
    b.finish(0, TtCubeBoard::Outcome::unsat);
    CHECK_FALSE(b.stopped());
    CHECK(b.take() == 2u);
    CHECK_FALSE(b.take());  // every cube taken
    b.finish(1, TtCubeBoard::Outcome::unknown);  // an unknown cube stops the others
    CHECK(b.stopped());
    CHECK(b.outcome(2) == TtCubeBoard::Outcome::open);
  }
  {
    TtCubeBoard b(8, 2, 1.0, nullptr);  // one CPU second for both workers together
    CHECK_FALSE(b.poll(0, 0.6));
    CHECK(b.poll(1, 0.5));
    CHECK_FALSE(b.take());
  }
  {
    std::atomic<bool> stop{false};
    TtCubeBoard b(2, 2, 0, &stop);
    CHECK_FALSE(b.poll(0, 0));
    stop = true;
    CHECK(b.poll(1, 0));
  }
  {
    // Lemmas go to the other workers only, in order, each once.
    TtCubeBoard b(2, 3, 0, nullptr);
    b.share(0, std::vector<CnfLit>{2, -3, 0, 4, 0});
    b.share(1, std::vector<CnfLit>{-5, 0});
    std::size_t c0 = 0, c2 = 0;
    std::vector<CnfLit> out0, out2;
    CHECK(b.fetch(0, c0, out0) == 1);
    CHECK(out0 == std::vector<CnfLit>{-5, 0});
    CHECK(b.fetch(2, c2, out2) == 3);
    CHECK(out2 == std::vector<CnfLit>{2, -3, 0, 4, 0, -5, 0});
    CHECK(b.fetch(2, c2, out2) == 0);
  }
}

TEST_CASE("tt cubes in parallel: the same answers as one thread, circuits verified", "[provers][tt][tt-parallel]") {
  // Random functions of 4 to 6 inputs, shapes with skip wires, 2 or 3 split inputs:
  // jobs 1, 2 and 3 answer alike (the circuits may differ; each is checked on every input).
  std::mt19937_64 rng(2525);
  std::size_t sat = 0, unsat = 0;
  struct Shape {
    std::vector<std::uint32_t> widths;
    bool skip;
  };
  // Skip wires: the split is on the output gate's weights on the inputs, so it must read them.
  const std::vector<Shape> shapes{{{1, 1}, true}, {{2, 1}, true}, {{1, 1, 1}, true}, {{3, 1}, true}};
  for (int trial = 0; trial < 14; ++trial) {
    const std::uint32_t n = trial < 6 ? 4 : trial < 12 ? 5 : 6;
    const std::uint64_t bits = rng();
    // n = 6: a threshold function of 5 inputs XOR the sixth (sat at 2,1 skip, not at 1,1 skip).
    const auto f = [n, bits](std::uint64_t q) {
      if (n < 6) return ((bits >> q) & 1u) != 0;
      const int s = 3 * (q & 1) + 2 * ((q >> 1) & 1) + ((q >> 2) & 1) + 2 * ((q >> 3) & 1) + ((q >> 4) & 1);
      return (s >= 4) != (((q >> 5) & 1u) != 0);
    };
    const multi_truth_table table = table_of(n, f);
    for (const Shape& s : shapes) {
      if (n == 6 && (s.widths[0] == 3 || s.widths.size() == 3)) continue;  // keep the test short
      const std::uint32_t k = trial % 2 ? 3 : 2;
      const synth_result one = synthesize(n, table, params(s.widths, s.skip, k, 1));
      INFO("n=" << n << " trial " << trial << " widths " << s.widths[0] << (s.widths.size() == 3 ? ",1,1" : ",1") << " cubes on " << k);
      REQUIRE(one.answer != synth_result::unknown);
      if (one.answer == synth_result::sat) CHECK(computes(one.circuit, n, f));
      for (std::uint32_t jobs : {2u, 3u}) {
        const synth_result r = synthesize(n, table, params(s.widths, s.skip, k, jobs));
        INFO("jobs " << jobs);
        CHECK(r.answer == one.answer);
        if (r.answer == synth_result::sat) CHECK(computes(r.circuit, n, f));
        if (r.answer == synth_result::unsat) CHECK(r.unsat_for_all_weights);
        CHECK(r.solver_calls >= (one.answer == synth_result::unsat ? (1u << k) : 1u));  // every cube asked at least once
      }
      ++(one.answer == synth_result::sat ? sat : unsat);
    }
  }
  CHECK(sat >= 10);  // both answers occur
  CHECK(unsat >= 6);
}

TEST_CASE("tt cubes in parallel: patterns added by counterexamples, per worker", "[provers][tt][tt-parallel]") {
  // 10 inputs: more patterns than tt puts in play at the start, so each worker grows its own
  // pattern set (its new variables differ from the others'; only lemmas over the common ones
  // are shared). Majority of 9 plus a tenth input with weight 2: threshold, sat with 1 gate.
  const std::uint32_t n = 10;
  const auto f = [](std::uint64_t q) { return std::popcount(q & 0x1ff) + 2 * int((q >> 9) & 1) >= 6; };
  const auto parity = [](std::uint64_t q) { return (std::popcount(q) & 1) != 0; };
  for (std::uint32_t jobs : {1u, 2u}) {
    INFO("jobs " << jobs);
    const synth_result a = synthesize(n, table_of(n, f), params({1, 1}, true, 3, jobs));
    REQUIRE(a.answer == synth_result::sat);
    CHECK(computes(a.circuit, n, f));
    CHECK(a.patterns < 1024);  // grown by counterexamples, not all in play
    // Parity of 10 at 2,1 with skip wires: none, every cube refuted on a few dozen patterns.
    const synth_result b = synthesize(n, table_of(n, parity), params({2, 1}, true, 2, jobs));
    CHECK(b.answer == synth_result::unsat);
    CHECK(b.patterns < 1024);
  }
}

TEST_CASE("tt cubes in parallel: a budget or a stop that cuts the work answers unknown", "[provers][tt-parallel]") {
  // Parity of 6 at 2,1 with skip wires: unsat with every cube solved (REQUIRE'd here); with a
  // budget of a millisecond, or a stop flag raised before the start, it must say unknown.
  const std::uint32_t n = 6;
  const auto parity = [](std::uint64_t q) { return (std::popcount(q) & 1) != 0; };
  const multi_truth_table table = table_of(n, parity);
  synth_params p = params({2, 1}, true, 3, 2);
  const synth_result full = synthesize(n, table, p);
  REQUIRE(full.answer == synth_result::unsat);
  p.time_limit_s = 1e-3;
  CHECK(synthesize(n, table, p).answer == synth_result::unknown);
  {
    // A budget that runs out part way: Rule 110 after 4 steps at 2,1 with skip wires, none in
    // 256 cubes (the automatic split); with a third of the CPU the full run took, some cubes
    // are refuted and some not started: unknown on 1 and 2 threads, never none.
    const auto rule110 = [](std::uint64_t q) {
      std::vector<int> row(9);
      for (int i = 0; i < 9; ++i) row[std::size_t(i)] = int((q >> i) & 1);
      for (int t = 0; t < 4; ++t) {
        std::vector<int> next(row.size() - 2);
        for (std::size_t i = 0; i < next.size(); ++i) next[i] = (110 >> (4 * row[i] + 2 * row[i + 1] + row[i + 2])) & 1;
        row = next;
      }
      return row[0] != 0;
    };
    const multi_truth_table eca = table_of(9, rule110);
    for (std::uint32_t jobs : {1u, 2u}) {
      synth_params q = params({2, 1}, true, tt_params::cubes_auto, jobs);
      const synth_result whole = synthesize(9, eca, q);
      INFO("jobs " << jobs);
      REQUIRE(whole.answer == synth_result::unsat);
      CHECK(whole.solver_calls >= 256);
      q.time_limit_s = whole.seconds / 3;
      CHECK(synthesize(9, eca, q).answer == synth_result::unknown);
    }
  }
  p.time_limit_s = 60;
  std::atomic<bool> stop{true};
  p.stop = &stop;
  CHECK(synthesize(n, table, p).answer == synth_result::unknown);
  p.tt.jobs = 1;  // the loop on one thread reads the flag too
  CHECK(synthesize(n, table, p).answer == synth_result::unknown);
}

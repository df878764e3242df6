// The tt method's cubes one at a time (provers/tt_cube_solver.hpp): a cube's answer is a fact
// about the cube, so it must not depend on what the solver saw before (cubes in order, in
// reverse, or each with a fresh solver); together the cubes answer as synthesize() does on the
// whole question, and every circuit found is checked by a plain evaluator (tests/reference.hpp).
#include <catch2/catch.hpp>

#include <atomic>
#include <bit>
#include <functional>
#include <random>
#include <set>
#include <string>

#include "provers/synth.hpp"
#include "provers/tt_cube_solver.hpp"
#include "reference.hpp"

using namespace tcx;

namespace {

struct Question {
  std::string name;
  std::uint32_t n;
  std::function<bool(std::uint64_t)> f;
  std::vector<std::uint32_t> widths;
  bool skip;
  std::uint32_t cube_inputs;
  std::function<bool(std::uint64_t)> cared;  // null: every input
};

synth_params params_of(const Question& q) {
  synth_params p;
  p.shape.widths = q.widths;
  p.shape.skip = q.skip;
  p.method = synth_method::tt;
  p.tt.cube_inputs = q.cube_inputs;
  p.time_limit_s = 60;
  if (q.cared) p.care = std::make_shared<const truth_table>(make_truth_table(q.n, q.cared));
  return p;
}

// Right on every cared input, by the reference evaluator.
bool computes(const Circuit& c, const Question& q) {
  if (c.num_inputs() != q.n || c.num_outputs() != 1) return false;
  for (std::uint64_t x = 0; x < (std::uint64_t(1) << q.n); ++x)
    if ((!q.cared || q.cared(x)) && test::eval_by_weights(c, x)[0] != q.f(x)) return false;
  return true;
}

}  // namespace

TEST_CASE("tt cubes one at a time: each cube's answer is the cube's; together, the question's", "[provers][tt][tt-units]") {
  const auto parity = [](std::uint64_t x) { return (std::popcount(x) & 1) != 0; };
  std::mt19937_64 rng(77);
  std::vector<Question> questions{
      {"parity 5, 4,1, output cubes", 5, parity, {4, 1}, false, tt_params::cubes_output, nullptr},
      {"parity 5, 5,1, output cubes", 5, parity, {5, 1}, false, tt_params::cubes_output, nullptr},
      {"majority 5, 2,1, output cubes", 5, [](std::uint64_t x) { return std::popcount(x) >= 3; }, {2, 1}, false, tt_params::cubes_output, nullptr},
      {"parity 4, 2,1 skip, sign cubes", 4, parity, {2, 1}, true, 3, nullptr},
      // x2 unread: the question is asked on the other four (the projection), circuits over all five.
      {"parity of 4 of 5 on a care set, 3,1, output cubes", 5, [](std::uint64_t x) { return (std::popcount(x & 0b11011u) & 1) != 0; },
       {3, 1}, false, tt_params::cubes_output, [](std::uint64_t x) { return x % 7 != 3; }},
  };
  for (int t = 0; t < 4; ++t) {
    const std::uint64_t bits = rng();
    questions.push_back({"random " + std::to_string(t), 5, [bits](std::uint64_t x) { return ((bits >> x) & 1u) != 0; },
                         {t < 2 ? 2u : 3u, 1}, t % 2 == 1, t % 2 == 1 ? 2u : tt_params::cubes_output, nullptr});
  }
  std::size_t sat = 0, unsat = 0;
  for (const Question& q : questions) {
    INFO(q.name);
    const synth_params p = params_of(q);
    const multi_truth_table table{make_truth_table(q.n, q.f)};
    const synth_result whole = synthesize(q.n, table, p);
    REQUIRE(whole.answer != synth_result::unknown);
    TtCubeSolver forward(q.n, table, p), backward(q.n, table, p);
    const std::size_t cubes = forward.cubes();
    REQUIRE(cubes == backward.cubes());
    REQUIRE(forward.digest() == backward.digest());
    if (whole.cubes) CHECK(cubes == whole.cubes);
    std::vector<synth_result::Answer> fw(cubes), bw(cubes);
    for (std::size_t i = 0; i < cubes; ++i) {
      const synth_result r = forward.solve(i);
      fw[i] = r.answer;
      if (r.answer == synth_result::sat) CHECK(computes(r.circuit, q));
      CHECK(r.answer != synth_result::unknown);
    }
    for (std::size_t i = cubes; i-- > 0;) bw[i] = backward.solve(i).answer;
    CHECK(fw == bw);
    for (std::size_t i = 0; i < cubes && i < 12; ++i) {  // a fresh solver per cube, on the first few
      TtCubeSolver fresh(q.n, table, p);
      CHECK(fresh.solve(i).answer == fw[i]);
    }
    const bool any_sat = std::find(fw.begin(), fw.end(), synth_result::sat) != fw.end();
    CHECK(any_sat == (whole.answer == synth_result::sat));
    ++(any_sat ? sat : unsat);
  }
  CHECK(sat >= 3);  // both answers occur
  CHECK(unsat >= 2);
}

TEST_CASE("tt cubes one at a time: refusals, budgets and the question's digest", "[provers][tt][tt-units]") {
  const auto parity = [](std::uint64_t x) { return (std::popcount(x) & 1) != 0; };
  const Question q{"parity 5", 5, parity, {4, 1}, false, tt_params::cubes_output, nullptr};
  const multi_truth_table table{make_truth_table(5, parity)};
  synth_params p = params_of(q);
  TtCubeSolver s(5, table, p);
  CHECK(s.cubes() == 15);  // 27 regular functions of 4, paired by duality (parity of 5 is self-dual)
  // What each cube assumes, as a threshold gate over the hidden gates: all different, among them
  // the first hidden gate alone (self-dual, so kept).
  std::set<std::string> told;
  for (std::size_t i = 0; i < s.cubes(); ++i) {
    const std::string d = s.describe(i);
    CHECK(d.front() == '[');
    CHECK(d.find(" >= ") != std::string::npos);
    CHECK(d.find('-') == std::string::npos);  // positive functions, positive weights on the gates they read
    told.insert(d);
  }
  CHECK(told.size() == 15);
  CHECK(told.count("[y0 >= 1]") == 1);
  // Sign cubes name the inputs as given: the function below ignores x2 (projected away).
  Question q4{"parity of 4 of 5", 5, [](std::uint64_t x) { return (std::popcount(x & 0b11011u) & 1) != 0; }, {1, 1}, true, 2, nullptr};
  TtCubeSolver signs(5, {make_truth_table(5, q4.f)}, params_of(q4));
  REQUIRE(signs.cubes() == 4);
  CHECK(signs.describe(0) == "the output's weights x0 >= 0, x1 >= 0");
  CHECK(signs.describe(3) == "the output's weights x0 < 0, x1 < 0");
  CHECK_THROWS_AS(s.solve(15), std::out_of_range);
  std::atomic<bool> stop{true};
  CHECK(s.solve(0, &stop).answer == synth_result::unknown);  // stopped before it starts: unknown, never none
  CHECK(s.solve(0).answer == synth_result::unsat);
  synth_params other = p;
  other.tt.dual_cubes = false;
  TtCubeSolver all(5, table, other);
  CHECK(all.cubes() == 27);
  CHECK(all.digest() != s.digest());
  synth_params weights = p;
  weights.method = synth_method::weights;
  CHECK_THROWS_AS(TtCubeSolver(5, table, weights), std::invalid_argument);
  synth_params wrong = p;
  wrong.shape.widths = {4, 2};  // two outputs for a function with one
  CHECK_THROWS_AS(TtCubeSolver(5, table, wrong), std::invalid_argument);
}

TEST_CASE("tt cubes one at a time, certified: each none by its own checked proof", "[provers][tt][tt-units][certify]") {
  const auto parity = [](std::uint64_t x) { return (std::popcount(x) & 1) != 0; };
  for (const Question& q : {Question{"parity 5, 4,1, output cubes", 5, parity, {4, 1}, false, tt_params::cubes_output, nullptr},
                            Question{"parity 4, 1,1 skip, sign cubes", 4, parity, {1, 1}, true, 3, nullptr}}) {
    INFO(q.name);
    synth_params p = params_of(q);
    p.proof.certify = true;
    const multi_truth_table table{make_truth_table(q.n, q.f)};
    const synth_result whole = synthesize(q.n, table, p);  // the one proof through all the cubes
    REQUIRE(whole.answer == synth_result::unsat);
    CHECK(whole.certified);
    TtCubeSolver s(q.n, table, p);
    for (std::size_t i = 0; i < s.cubes(); ++i) {
      const synth_result r = s.solve(i);
      CHECK(r.answer == synth_result::unsat);
      CHECK(r.certified);
      REQUIRE(r.proofs.size() == 1);
      CHECK(r.proofs[0].verified);
    }
    synth_result base;
    CHECK(s.certify_base(base));
    CHECK(base.soundness_clauses > 0);
  }
  // Parity of 10 in 3,1 with skip wires: patterns come in one by one, and with each a clause of
  // the order kept between the two interchangeable hidden gates, a symmetry rule's. Such a clause
  // differs from cube to cube, so no cube's none is certified on its own: unsat, and honest.
  const Question wide{"parity 10, 3,1 skip", 10, parity, {3, 1}, true, 2, nullptr};
  synth_params p = params_of(wide);
  p.proof.certify = true;
  TtCubeSolver s(10, {make_truth_table(10, parity)}, p);
  bool any_uncertified = false;
  for (std::size_t i = 0; i < s.cubes(); ++i) {
    const synth_result r = s.solve(i);
    CHECK(r.answer == synth_result::unsat);
    any_uncertified = any_uncertified || !r.certified;
  }
  CHECK(any_uncertified);
  synth_params files = p;
  files.proof.dir = "proofs";
  CHECK_THROWS_AS(TtCubeSolver(10, {make_truth_table(10, parity)}, files), std::invalid_argument);
}

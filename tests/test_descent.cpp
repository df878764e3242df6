// Circuits found by descent (provers/descent.hpp): every circuit it returns is checked here by a
// plain evaluation of its gates (GMP sums over the stored weights, tests/reference.hpp) against
// the function computed directly, and for its shape; shapes no circuit has are never "found".
#include <catch2/catch.hpp>

#include <functional>
#include <limits>
#include <map>

#include "provers/descent.hpp"
#include "provers/synth.hpp"
#include "provers/synth_cex.hpp"
#include "provers/synth_tt.hpp"
#include "reference.hpp"

using namespace tcx;

namespace {

// Rule 110's centre cell after t steps on 2t + 1 cells (0 beyond the ends), simulated directly.
bool rule110_centre(std::uint32_t t, std::uint64_t x) {
  std::vector<int> row(2 * t + 1);
  for (std::size_t i = 0; i < row.size(); ++i) row[i] = (x >> i) & 1u;
  for (std::uint32_t s = 0; s < t; ++s) {
    std::vector<int> next(row.size());
    for (std::size_t i = 0; i < row.size(); ++i) {
      const int l = i ? row[i - 1] : 0, r = i + 1 < row.size() ? row[i + 1] : 0;
      next[i] = (110 >> (4 * l + 2 * row[i] + r)) & 1;
    }
    row = next;
  }
  return row[t];
}

// Checks c against f on every cared input, and that every gate reads only what the shape allows.
void check_found(const Circuit& c, std::uint32_t n, const std::function<bool(std::uint64_t)>& f, const synth_shape& shape,
                 const std::function<bool(std::uint64_t)>& cared = {}) {
  REQUIRE(c.num_inputs() == n);
  REQUIRE(c.num_outputs() == 1);
  std::uint32_t gates = 0;
  for (std::uint32_t w : shape.widths) gates += w;
  CHECK(c.num_gates() <= gates);  // the Builder may merge equal gates
  CHECK(c.depth() <= shape.widths.size());
  // Layered: a gate reads the layer just below it only. (It may read an input directly at any
  // level: the Builder folds a gate that copies an input into a wire.)
  if (!shape.skip)
    for (gate_id g : c.gates())
      for (node_id s : c.fanins(g))
        if (!c.is_input(s)) CHECK(c.gate_level(c.gate_of(s)) + 1 == c.gate_level(g));
  for (std::uint64_t x = 0; x < (std::uint64_t(1) << n); ++x)
    if (!cared || cared(x)) REQUIRE(test::eval_by_weights(c, x)[0] == f(x));
}

multi_truth_table table(std::uint32_t n, const std::function<bool(std::uint64_t)>& f) { return {make_truth_table(n, f)}; }

bool parity(std::uint64_t x) { return __builtin_popcountll(x) & 1; }

}  // namespace

TEST_CASE("descent finds circuits that exist, each right on every input", "[provers][descent]") {
  descent_params p;
  p.time_limit_s = 120;  // a safety net; each is found within a few hundred restarts
  p.restarts = 2000;
  SECTION("parity of 4, 2,1 with skip wires") {
    const synth_shape shape{{2, 1}, true};
    const descent_result r = find_by_descent(4, table(4, parity), nullptr, shape, p);
    REQUIRE(r.circuit);
    check_found(*r.circuit, 4, parity, shape);
  }
  SECTION("parity of 3, 3,1 layered") {
    const synth_shape shape{{3, 1}, false};
    const descent_result r = find_by_descent(3, table(3, parity), nullptr, shape, p);
    REQUIRE(r.circuit);
    check_found(*r.circuit, 3, parity, shape);
  }
  SECTION("Rule 110 after 3 steps, 3,1 with skip wires") {
    auto f = [](std::uint64_t x) { return rule110_centre(3, x); };
    const synth_shape shape{{3, 1}, true};
    const descent_result r = find_by_descent(7, table(7, f), nullptr, shape, p);
    REQUIRE(r.circuit);
    check_found(*r.circuit, 7, f, shape);
  }
  SECTION("mini-batches: Rule 110 after 3 steps in 6,1 (128 inputs), 16 of them per step") {
    auto f = [](std::uint64_t x) { return rule110_centre(3, x); };
    const synth_shape shape{{6, 1}, true};
    descent_params q = p;
    q.batch = 16;
    const descent_result r = find_by_descent(7, table(7, f), nullptr, shape, q);
    REQUIRE(r.circuit);
    check_found(*r.circuit, 7, f, shape);
  }
  SECTION("past 2^16 patterns, batches by default: 18 inputs, [x0 + ... + x16 >= 9] xor x17 in 2,1 with skip wires") {
    auto f = [](std::uint64_t x) { return (__builtin_popcountll(x & 0x1FFFF) >= 9) != ((x >> 17) & 1u); };
    const synth_shape shape{{2, 1}, true};
    const descent_result r = find_by_descent(18, table(18, f), nullptr, shape, p);
    REQUIRE(r.circuit);
    check_found(*r.circuit, 18, f, shape);
  }
  SECTION("a care set: parity of 5 on the inputs with at most one bit set is one gate (OR)") {
    auto cared = [](std::uint64_t x) { return __builtin_popcountll(x) <= 1; };
    const auto care = make_truth_table(5, cared);
    const synth_shape shape{{1}, true};
    const descent_result r = find_by_descent(5, table(5, parity), &care, shape, p);
    REQUIRE(r.circuit);
    check_found(*r.circuit, 5, parity, shape, cared);
  }
}

TEST_CASE("descent never finds a shape no circuit has, and synth's descent answers found or unknown", "[provers][descent]") {
  descent_params p;
  p.restarts = 30;
  p.time_limit_s = 0;
  // Parity of 3 is not a threshold function, and parity of 4 needs 3 gates with skip wires.
  CHECK_FALSE(find_by_descent(3, table(3, parity), nullptr, {{1}, true}, p).circuit);
  const descent_result r = find_by_descent(4, table(4, parity), nullptr, {{1, 1}, true}, p);
  CHECK_FALSE(r.circuit);
  CHECK(r.stats.restarts == 30);
  synth_params sp;
  sp.shape = {{1, 1}, true};
  sp.method = synth_method::descent;
  sp.time_limit_s = 0.5;
  const synth_result s = synthesize(4, table(4, parity), sp);
  CHECK(s.answer == synth_result::unknown);
  CHECK(s.method == synth_method::descent);
  CHECK(s.descent_restarts > 0);
  // With a descent budget, tt first gets a second: it refutes this at once, without descent.
  sp.method = synth_method::tt;
  sp.descent.time_limit_s = 0.2;
  sp.time_limit_s = 60;
  const synth_result t = synthesize(4, table(4, parity), sp);
  CHECK(t.answer == synth_result::unsat);
  CHECK(t.method == synth_method::tt);
  CHECK(t.descent_restarts == 0);
  // Rule 110 after 4 steps in 6,1: tt does not settle it in a second, descent finds it.
  auto f = [](std::uint64_t x) { return rule110_centre(4, x); };
  sp.shape = {{6, 1}, true};
  sp.descent.time_limit_s = 120;
  const synth_result u = synthesize(9, table(9, f), sp);
  REQUIRE(u.answer == synth_result::sat);
  CHECK(u.method == synth_method::descent);
  CHECK(u.descent_restarts > 0);
  check_found(u.circuit, 9, f, sp.shape);
}

TEST_CASE("descent refuses what it cannot take", "[provers][descent]") {
  descent_params p;
  p.time_limit_s = 1;
  synth_shape majority{{1}, true};
  majority.majority_of = 3;
  CHECK_THROWS_AS(find_by_descent(3, table(3, parity), nullptr, majority, p), std::invalid_argument);
  CHECK_THROWS_AS(find_by_descent(23, table(23, parity), nullptr, {{1}, true}, p), std::invalid_argument);
  // 2^22 patterns times (22 + 256) floats: past descent_max_bytes.
  CHECK_THROWS_AS(find_by_descent(22, table(22, parity), nullptr, {{64, 64, 64, 63, 1}, true}, p), std::invalid_argument);
  CHECK_THROWS_AS(find_by_descent(3, table(3, parity), nullptr, {{2}, true}, p), std::invalid_argument);  // 2 outputs asked of 1
  p.time_limit_s = 0;
  CHECK_THROWS_AS(find_by_descent(3, table(3, parity), nullptr, {{1}, true}, p), std::invalid_argument);  // no bound at all
}

TEST_CASE("descent's restarts on threads: each restart depends on (seed, index) alone", "[provers][descent]") {
  // Rule 110 after 3 steps, 3,1 skip: found after some restarts on one thread.
  auto f = [](std::uint64_t x) { return rule110_centre(3, x); };
  const synth_shape shape{{3, 1}, true};
  descent_params p;
  p.restarts = 2000;
  p.seed = 7;
  p.repair_cpu_ratio = std::numeric_limits<double>::infinity();  // repairs by count only: no timing in the answers
  const descent_result one = find_by_descent(7, table(7, f), nullptr, shape, p);
  REQUIRE(one.circuit);
  CHECK(one.stats.restarts == one.stats.found_by + 1);
  // Two threads run the same restarts: bounded to the restarts before it, none answers; with
  // the answering one included, a circuit is found (it, or an earlier one on the other thread).
  p.jobs = 2;
  p.restarts = one.stats.found_by;
  const descent_result before = find_by_descent(7, table(7, f), nullptr, shape, p);
  CHECK_FALSE(before.circuit);
  CHECK(before.stats.restarts == one.stats.found_by);
  p.restarts = one.stats.found_by + 1;
  const descent_result with = find_by_descent(7, table(7, f), nullptr, shape, p);
  REQUIRE(with.circuit);
  CHECK(with.stats.found_by == one.stats.found_by);
  check_found(*with.circuit, 7, f, shape);
  // The budget is shared: two threads on a shape with no circuit stop near it in all.
  p.restarts = 0;
  p.time_limit_s = 1;
  const descent_result none = find_by_descent(4, table(4, parity), nullptr, {{1, 1}, true}, p);
  CHECK_FALSE(none.circuit);
  CHECK(none.stats.seconds < 1.5);
  CHECK(none.stats.restarts > 2);
  p.jobs = 0;
  CHECK_THROWS_AS(find_by_descent(4, table(4, parity), nullptr, {{1, 1}, true}, p), std::invalid_argument);
}

TEST_CASE("the tt method with some hidden gates given: the repair's question", "[provers][descent]") {
  // Parity of 4 in 2,1 with skip wires: [s >= 2], [s >= 4] and the output [s - 2a - 2b >= 1].
  const multi_truth_table f = table(4, parity);
  const auto sum = [](std::uint64_t x) { return __builtin_popcountll(x); };
  const truth_table two = make_truth_table(4, [&](std::uint64_t x) { return sum(x) >= 2; });
  const truth_table nothing = make_truth_table(4, [](std::uint64_t) { return false; });
  synth_params p;
  p.shape = {{2, 1}, true};
  p.method = synth_method::tt;
  p.symmetry_breaking = false;
  p.tt.cube_inputs = 0;
  const std::vector<std::uint32_t> sens = synth_detail::sensitivity(4, f, nullptr);
  // Gate 0 given as [s >= 2]: SAT finds the other gate and the output.
  const synth_result r = synth_detail::synthesize_tt(4, f, sens, p, nullptr, {&two, nullptr, nullptr});
  REQUIRE(r.answer == synth_result::sat);
  check_found(r.circuit, 4, parity, p.shape);
  // The given gate is in it (the Builder may store it complemented).
  bool kept = false;
  for (gate_id g : r.circuit.gates()) {
    bool same = true, opposite = true;
    for (std::uint64_t x = 0; x < 16; ++x) {
      const bool v = test::nodes_by_weights(r.circuit, x)[r.circuit.gate_node(g)];
      same = same && v == (sum(x) >= 2);
      opposite = opposite && v != (sum(x) >= 2);
    }
    kept = kept || same || opposite;
  }
  CHECK(kept);
  // Gate 0 given as constant 0: the rest is a 1,1 circuit, which parity of 4 does not have.
  CHECK(synth_detail::synthesize_tt(4, f, sens, p, nullptr, {&nothing, nullptr, nullptr}).answer == synth_result::unsat);
  // Given gates need symmetry breaking off (a given gate is not normalized).
  p.symmetry_breaking = true;
  CHECK_THROWS_AS(synth_detail::synthesize_tt(4, f, sens, p, nullptr, {&two, nullptr, nullptr}), std::logic_error);
}

TEST_CASE("descent's repair: a near miss completed by SAT", "[provers][descent]") {
  // Rule 110 after 4 steps in 6,1 with skip wires: without repair, a circuit takes hundreds of
  // restarts (docs/perf.md) and seed 8's first 4 have none; with one gate set free at their
  // near misses, the first has one.
  auto f = [](std::uint64_t x) { return rule110_centre(4, x); };
  const synth_shape shape{{6, 1}, true};
  descent_params p;
  p.seed = 8;
  p.restarts = 4;
  p.repair_gates = 0;
  const descent_result plain = find_by_descent(9, table(9, f), nullptr, shape, p);
  CHECK_FALSE(plain.circuit);
  CHECK(plain.stats.repairs == 0);
  p.repair_gates = 1;
  p.repair_cpu_ratio = std::numeric_limits<double>::infinity();  // no CPU cap: the same answer on every machine
  const descent_result repaired = find_by_descent(9, table(9, f), nullptr, shape, p);
  REQUIRE(repaired.circuit);
  CHECK(repaired.stats.repaired);
  CHECK(repaired.stats.repairs > 0);
  check_found(*repaired.circuit, 9, f, shape);
  // Repairs capped at a sliver of the training's CPU: the first question uses it up, and no
  // other is asked.
  p.repair_cpu_ratio = 1e-9;
  const descent_result capped = find_by_descent(9, table(9, f), nullptr, shape, p);
  CHECK_FALSE(capped.circuit);
  CHECK(capped.stats.repairs <= 1);
  p.repair_cpu_ratio = 0;
  CHECK_THROWS_AS(find_by_descent(9, table(9, f), nullptr, shape, p), std::invalid_argument);
}

TEST_CASE("frontier cells found above an open size read j..k: the minimum lies between", "[provers][synth][descent]") {
  frontier_params fp;
  fp.max_depth = 3;
  fp.max_gates = 6;
  // Depth 1 refuted (one layer holds only the output); depth 2: 2 refuted, 3 and 4 open, 5
  // found; depth 3: 3 refuted, 4 open.
  const std::map<std::pair<std::uint32_t, std::uint32_t>, frontier_answer> answers{
      {{2, 2}, {false, true, false, 0}}, {{2, 3}, {false, false, false, 0}},
      {{2, 4}, {false, false, false, 0}}, {{2, 5}, {true, false, false, 0}}, {{3, 3}, {false, true, false, 0}},
      {{3, 4}, {false, false, false, 0}}};
  const auto cells = *frontier_walk(1, fp, [&](std::uint32_t d, std::uint32_t g) -> std::optional<frontier_answer> {
    if (d == 1) return frontier_answer{false, true, false, 0};
    REQUIRE(answers.count({d, g}));
    return answers.at({d, g});
  });
  REQUIRE(cells.size() == 3);
  CHECK(frontier_cell_text(cells[0]) == "-");
  CHECK(cells[1].status == frontier_cell::found);
  CHECK(cells[1].at_least == 3);
  CHECK(frontier_cell_text(cells[1]) == "3..5");
  CHECK(frontier_cell_text(cells[2]) == "3..5");  // depth 3 refuted 3 but depth 2 only up to 2
}

TEST_CASE("frontier_tighten: a found cell's smaller sizes asked of a longer descent, down to the refuted ones", "[provers][synth][descent]") {
  // Parity of 4 with skip wires needs 3 gates at depth 2 (2,1): the cells below are what a walk
  // with too short a descent might leave, 5 gates found and 3 or 2 the refuted bound.
  const multi_truth_table f = table(4, parity);
  frontier_params fp;
  fp.max_depth = 3;
  fp.max_gates = 6;
  fp.tighten_s = 60;          // a cap; the restarts bound each question
  fp.descent.restarts = 50;
  fp.descent.repair_cpu_ratio = std::numeric_limits<double>::infinity();
  auto cells_at_least = [](std::uint32_t at_least) {
    frontier_cell none;
    none.status = frontier_cell::none_within_budget;
    none.gates = 6;
    frontier_cell found;
    found.status = frontier_cell::found;
    found.gates = 5;
    found.at_least = at_least;
    return std::vector<frontier_cell>{none, found, found};
  };
  SECTION("brought down to the refuted bound: proven minimal") {
    const auto cells = frontier_tighten(4, f, fp, cells_at_least(3));
    CHECK(frontier_cell_text(cells[0]) == "-");
    CHECK(cells[0].tightened_by == 0);
    CHECK(frontier_cell_text(cells[1]) == "3*");
    CHECK(cells[1].tightened_by == 2);
    CHECK_FALSE(cells[1].certified);  // the walk's proofs are not known here
    CHECK(frontier_cell_text(cells[2]) == "3*");  // the shallower size, nothing asked at depth 3
    CHECK(cells[2].tightened_by == 2);
  }
  SECTION("a size with no circuit stops it: the cell stays j..k") {
    const auto cells = frontier_tighten(4, f, fp, cells_at_least(2));
    CHECK(frontier_cell_text(cells[1]) == "2..3");  // 1,1 asked and not found: parity is no 2-gate circuit
    CHECK(cells[1].tightened_by == 2);
    CHECK(cells[1].seconds > 0);
    CHECK(frontier_cell_text(cells[2]) == "2..3");
  }
  SECTION("no budget, no change") {
    fp.tighten_s = 0;
    const auto cells = frontier_tighten(4, f, fp, cells_at_least(3));
    CHECK(frontier_cell_text(cells[1]) == "3..5");
    CHECK(cells[1].tightened_by == 0);
  }
}

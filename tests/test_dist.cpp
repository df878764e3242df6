// The work-distribution layer in one process: pattern ranges against scalar evaluation, the
// state file's round trip, ordered sweeps, and cube-and-conquer against the whole question.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "circuits/builder.hpp"
#include "circuits/evaluate.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/tc_format.hpp"
#include "circuits/simulate.hpp"
#include "dist/runner.hpp"
#include "dist/state.hpp"
#include "dist/work.hpp"
#include "reference.hpp"

using namespace tcx;
using namespace tcx::test;

namespace {

Circuit random_circuit(std::mt19937_64& rng, std::uint32_t inputs) {
  RandomParams p;
  p.inputs = inputs;
  p.gates = 30;
  p.outputs = 3;
  p.max_fanin = 5;
  p.weight_bits = 4;
  return random_netlist(rng, p).build();
}

// The lowest pattern in [begin, end) where a and b differ, by scalar evaluation (the reference).
std::uint64_t scalar_first_difference(const Circuit& a, const Circuit& b, std::uint64_t begin, std::uint64_t end) {
  for (std::uint64_t p = begin; p < end; ++p)
    if (evaluate_pattern(a, p) != evaluate_pattern(b, p)) return p;
  return UINT64_MAX;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("tcx-test-dist-" + std::to_string(::getpid()) + "-" + name)).string();
}

// Parity of 5 in 4,1 layered by tt, split on the output's function: none, in 15 cubes.
synth_params parity5_in_4_1() {
  synth_params p;
  p.shape.widths = {4, 1};
  p.method = synth_method::tt;
  p.tt.cube_inputs = tt_params::cubes_output;
  p.time_limit_s = 60;
  return p;
}

}  // namespace

TEST_CASE("pattern ranges: the lowest difference of any range, unaligned ones too", "[dist]") {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    const Circuit a = random_circuit(rng, 12), b = random_circuit(rng, 12);
    const BitSimulator sa(a), sb(b);
    const PatternSet set{PatternSet::exhaustive, 4096, 0};
    for (int r = 0; r < 10; ++r) {
      std::uint64_t begin = rng() % 4096, end = rng() % 4097;
      if (begin > end) std::swap(begin, end);
      for (std::uint32_t W : {1u, 4u})
        REQUIRE(first_difference(sa, sb, set, begin, end, sim_params{W, 1}) == scalar_first_difference(a, b, begin, end));
    }
    // The distributed call, in small units, against the plain one.
    equiv_params ep;
    const equiv_result plain = equivalent_by_simulation(a, b, ep);
    dist::run_options o;
    o.unit_patterns = 64;
    const equiv_result split = dist::equivalent_by_simulation(a, b, ep, o);
    REQUIRE(split.verdict == plain.verdict);
    REQUIRE(split.inputs == plain.inputs);
    if (split.verdict == equiv_result::different)
      REQUIRE(split.patterns_checked == scalar_first_difference(a, b, 0, 4096) + 1);
  }
}

TEST_CASE("pattern ranges: reference checks find the lowest disagreement", "[dist]") {
  std::mt19937_64 rng(12);
  const Circuit c = random_circuit(rng, 10);
  // A reference that agrees with the circuit except on patterns 700 and 900.
  const ReferenceFn ref = [&](const std::vector<std::uint8_t>& x) {
    std::uint64_t p = 0;
    for (std::size_t i = 0; i < x.size(); ++i) p |= std::uint64_t(x[i]) << i;
    std::vector<std::uint8_t> y = evaluate(c, x);
    if (p == 700 || p == 900) y[0] ^= 1;
    return y;
  };
  dist::run_options o;
  o.unit_patterns = 64;
  const reference_check_result r = dist::check_against_reference(c, PatternSet{PatternSet::exhaustive, 0, 0}, {}, ref, o);
  REQUIRE_FALSE(r.agree);
  std::uint64_t p = 0;
  for (std::size_t i = 0; i < r.input.size(); ++i) p |= std::uint64_t(r.input[i]) << i;
  REQUIRE(p == 700);
}

TEST_CASE("state files: settled units survive, other questions are refused", "[dist]") {
  const std::string path = temp_path("state.json");
  std::filesystem::remove(path);
  {
    dist::State s({path, false, false, {}}, "test", "key 1");
    s.settings()["unit_patterns"] = 64;
    for (std::uint64_t id : {0u, 1u, 2u, 5u}) s.record(id, "");
    s.record(7, "found 42");
  }
  {
    dist::State s({path, true, false, {}}, "test", "key 1");
    REQUIRE(s.resumed());
    REQUIRE(s.settings()["unit_patterns"] == 64);
    const std::map<std::uint64_t, std::string> want{{0, ""}, {1, ""}, {2, ""}, {5, ""}, {7, "found 42"}};
    REQUIRE(s.settled() == want);
  }
  REQUIRE_THROWS_AS(dist::State({path, false, false, {}}, "test", "key 1"), std::invalid_argument);  // exists
  REQUIRE_THROWS_AS(dist::State({path, true, false, {}}, "test", "key 2"), std::invalid_argument);   // another question
  REQUIRE_NOTHROW(dist::State({path, false, true, {}}, "test", "key 2"));                            // --restart
  std::filesystem::remove(path);
}

TEST_CASE("state files: one run at a time on a file; the lock goes with the run", "[dist]") {
  const std::string path = temp_path("locked.json");
  const std::filesystem::path file(path);
  const std::string lock = (file.parent_path() / ("." + file.filename().string() + ".tcx-lock")).string();
  std::filesystem::remove(path);
  {
    dist::State a({path, false, false, {}}, "test", "k");
    a.record(1, "x");
    REQUIRE(std::filesystem::exists(lock));
    try {
      dist::State b({path, true, false, {}}, "test", "k");
      FAIL("a second run on the same file was let in");
    } catch (const std::invalid_argument& e) {
      CHECK(std::string(e.what()).find("another tcx run is using it") != std::string::npos);
    }
  }
  CHECK_FALSE(std::filesystem::exists(lock));
  {
    dist::State b({path, true, false, {}}, "test", "k");  // free again: resumed
    CHECK(b.settled().at(1) == "x");
  }
  REQUIRE_THROWS_AS(dist::State({path, false, false, {}}, "test", "k"), std::invalid_argument);  // exists: refused, and
  CHECK_FALSE(std::filesystem::exists(lock));                                                    // its lock let go
  std::filesystem::remove(path);
}

TEST_CASE("state files: results faster than ten a second are saved together, none lost", "[dist]") {
  const std::string path = temp_path("burst.json");
  std::filesystem::remove(path);
  auto recorded = [&] { return nlohmann::json::parse(read_file(path))["results"].size(); };
  {
    dist::State s({path, false, false, {}}, "test", "key");
    for (std::uint64_t id = 0; id < 1000; ++id) s.record(id, "r" + std::to_string(id));
    // The first saved at once, the rest together a tenth of a second later (docs/perf.md has
    // the time this saves), by the writer thread, with no further record or flush:
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    REQUIRE(recorded() == 1000);
    s.record(1000, "last");
  }
  REQUIRE(recorded() == 1001);  // the destructor saved the last one
  std::filesystem::remove(path);
}

TEST_CASE("state keys name their parts, and still resume the word keys of an earlier tcx", "[dist]") {
  // Words as earlier tcx joined them: an empty word still takes its space, a part without a word
  // is left out, a part without a name (a budget those keys held) is in the words only.
  const std::vector<dist::key_field> key{{"task", "parity", "parity"}, {"certify", false, ""}, {"gates", 6, "6"},
                                         {"care", "all", std::nullopt}, {"", nullptr, "0.050000"}, {"method", "tt", "tt"}};
  REQUIRE(dist::word_key(key) == "parity  6 0.050000 tt");
  REQUIRE(nlohmann::json::parse(dist::named_key(key)) ==
          nlohmann::json{{"task", "parity"}, {"certify", false}, {"gates", 6}, {"care", "all"}, {"method", "tt"}});
  const std::string path = temp_path("named.json");
  std::filesystem::remove(path);
  dist::State({path, false, false, {}}, "test", dist::word_key(key)).record(3, "x");  // a file of an earlier tcx
  {
    dist::State s({path, true, false, {dist::word_key(key)}}, "test", dist::named_key(key));
    REQUIRE(s.settled().at(3) == "x");  // resumed; saved under the named key from its next record on
    s.record(4, "y");
  }
  std::vector<dist::key_field> other = key;
  other[2] = {"gates", 7, "7"};
  try {
    dist::State({path, true, false, {dist::word_key(other)}}, "test", dist::named_key(other));
    FAIL("another question resumed");
  } catch (const std::invalid_argument& e) {
    REQUIRE_THAT(std::string(e.what()), Catch::Matchers::Contains("(written for other inputs or options: gates 6 there, 7 here)"));
  }
  std::filesystem::remove(path);
}

TEST_CASE("ordered sweeps deliver rows in order and stop where asked", "[dist]") {
  std::vector<std::uint64_t> seen;
  const auto rows = dist::ordered_sweep(
      10, [](std::uint64_t k) { return double(k); }, [](std::uint64_t k) { return std::to_string(k * k); },
      [&](std::uint64_t k, const std::string& r) {
        REQUIRE(r == std::to_string(k * k));
        seen.push_back(k);
        return k < 6;
      },
      "test", "rows", {});
  REQUIRE(seen == std::vector<std::uint64_t>{0, 1, 2, 3, 4, 5, 6});
  REQUIRE(rows.size() == 7);
}

TEST_CASE("cube-and-conquer answers as the whole question does", "[dist][synth]") {
  // Every function of 3 inputs with some shapes: the cubes partition the question, so found /
  // none must agree with one solver on the whole (an independent path to the answer).
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 12; ++trial) {
    const std::uint32_t f = static_cast<std::uint32_t>(rng() % 256);
    const multi_truth_table truth{make_truth_table(3, [f](std::uint64_t p) { return (f >> p) & 1u; })};
    for (const std::vector<std::uint32_t>& widths : {std::vector<std::uint32_t>{1}, {2, 1}}) {
      synth_params sp;
      sp.shape.widths = widths;
      sp.shape.skip = widths.size() > 1 && (trial % 2);
      const synth_result whole = synthesize(3, truth, sp);
      const synth_result cubes = dist::synthesize_by_cubes(3, truth, sp, 2, {});
      INFO("function " << f << " widths " << widths.size());
      REQUIRE(whole.answer != synth_result::unknown);
      REQUIRE(cubes.answer == whole.answer);
      if (cubes.answer == synth_result::sat) {
        REQUIRE(truth_tables(cubes.circuit) == truth);
      } else {
        REQUIRE(cubes.unsat_for_all_weights == whole.unsat_for_all_weights);
      }
    }
  }
}

TEST_CASE("frontier walk: the questions it asks are exactly those no found answer rules out", "[dist][frontier]") {
  // Random answers for every (d, g); the walk's questions against frontier_question_asked with
  // every answer known, which is what lets rank 0 skip or cancel questions without changing cells.
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 500; ++trial) {
    frontier_params p;
    p.max_depth = 1 + static_cast<std::uint32_t>(rng() % 4);
    p.max_gates = 1 + static_cast<std::uint32_t>(rng() % 7);
    const std::uint32_t outputs = 1 + static_cast<std::uint32_t>(rng() % 2);
    std::map<std::pair<std::uint32_t, std::uint32_t>, frontier_answer> truth;
    for (std::uint32_t d = 1; d <= p.max_depth; ++d)
      for (std::uint32_t g = outputs + d - 1; g <= p.max_gates; ++g) {
        frontier_answer a;
        a.found = rng() % 4 == 0;
        a.refuted = !a.found && rng() % 3 != 0;
        truth[{d, g}] = a;
      }
    std::set<std::pair<std::uint32_t, std::uint32_t>> asked;
    frontier_walk(outputs, p, [&](std::uint32_t d, std::uint32_t g) -> std::optional<frontier_answer> {
      REQUIRE(truth.count({d, g}));
      asked.insert({d, g});
      return truth[{d, g}];
    });
    for (const auto& [q, a] : truth) {
      const bool predicted = frontier_question_asked(outputs, p, q.first, q.second, [&](std::uint32_t e, std::uint32_t h) {
        return truth.at({e, h}).found;
      });
      REQUIRE(predicted == static_cast<bool>(asked.count(q)));
    }
  }
}

TEST_CASE("frontier by questions: the cells of the plain frontier, rows in order, resumable", "[dist][frontier][synth]") {
  std::mt19937_64 rng(3);
  frontier_params p;
  p.max_depth = 3;
  p.max_gates = 4;
  std::vector<dist::frontier_row_question> rows;
  for (std::uint32_t n = 2; n <= 4; ++n) {
    const multi_truth_table t{make_truth_table(n, [&](std::uint64_t) { return rng() & 1; })};
    rows.push_back({n, t, "random" + std::to_string(n)});
  }
  const multi_truth_table par{make_truth_table(4, [](std::uint64_t x) { return __builtin_popcountll(x) & 1; })};
  rows.push_back({4, par, "parity4"});
  auto text = [](const std::vector<frontier_cell>& cells) {
    std::string s;
    for (const frontier_cell& c : cells) s += frontier_cell_text(c) + " ";
    return s;
  };
  dist::run_options o;
  o.state.path = temp_path("frontier.json");
  o.key = "test";
  std::vector<std::uint64_t> order;
  const auto cells = dist::frontier_by_questions(rows, p, [&](std::uint64_t k, const std::vector<frontier_cell>&) { order.push_back(k); }, o);
  CHECK(order == std::vector<std::uint64_t>{0, 1, 2, 3});
  for (std::size_t k = 0; k < rows.size(); ++k) CHECK(text(cells[k]) == text(frontier(rows[k].inputs, rows[k].truth, p)));
  CHECK(text(cells[3]) == "- 3* 3* ");
  // Resumed: every answer comes from the file.
  o.state.resume = true;
  const auto again = dist::frontier_by_questions(rows, p, nullptr, o);
  for (std::size_t k = 0; k < rows.size(); ++k) CHECK(text(again[k]) == text(cells[k]));
  std::filesystem::remove(o.state.path);
}

TEST_CASE("tt cubes as units: the whole question's answer, resumable, unknown cubes asked again", "[dist][synth][tt-units]") {
  const auto parity = [](std::uint64_t x) { return (std::popcount(x) & 1) != 0; };
  const multi_truth_table table{make_truth_table(5, parity)};
  synth_params p = parity5_in_4_1();
  const std::string path = temp_path("tt-cubes.json");
  std::filesystem::remove(path);
  for (unsigned threads : {1u, 2u}) {
    const synth_result r = dist::synthesize_tt_by_cubes(5, table, p, threads, {});
    CHECK(r.answer == synth_result::unsat);
    CHECK(r.unsat_for_all_weights);
    CHECK(r.cubes == 15);
    CHECK(r.solver_calls >= 15);
  }
  // A budget too small for some cubes (a conflict per solver call): unknown, and only answered
  // cubes are recorded.
  dist::run_options o;
  o.state.path = path;
  synth_params tiny = p;
  tiny.conflicts = 100;  // 11 of the 15 cubes answered (CaDiCaL on one thread is deterministic)
  const synth_result cut = dist::synthesize_tt_by_cubes(5, table, tiny, 1, o);
  CHECK(cut.answer == synth_result::unknown);
  CHECK(cut.cubes_unanswered > 0);
  std::size_t settled = 0;
  {
    dist::State s({path, true, false, {}}, "synth-tt-cubes", dist::tt_units_key(table, p));
    settled = s.settled().size();
    CHECK(settled + cut.cubes_unanswered == 15);
    CHECK(settled > 0);
    CHECK(settled < 15);
  }
  // Resumed with time to spare (the budget is not part of the question): none, the settled cubes
  // read back, not asked again.
  o.state.resume = true;
  const synth_result resumed = dist::synthesize_tt_by_cubes(5, table, p, 2, o);
  CHECK(resumed.answer == synth_result::unsat);
  CHECK(resumed.cubes_resumed == settled);
  // Another question in the same file is refused, not mixed in: other options (another split),
  // or the same options split otherwise (another tcx: the question's digest differs).
  synth_params all = p;
  all.tt.dual_cubes = false;
  CHECK_THROWS_WITH(dist::synthesize_tt_by_cubes(5, table, all, 1, o), Catch::Contains("the state of another question"));
  {
    dist::State s({path, true, false, {}}, "synth-tt-cubes", dist::tt_units_key(table, p));
    s.settings()["question"] = "0123456789abcdef";
    s.save();
  }
  CHECK_THROWS_WITH(dist::synthesize_tt_by_cubes(5, table, p, 1, o), Catch::Contains("another split"));
  std::filesystem::remove(path);
  // Certified: each cube's none by its own checked proof, the shared clauses checked once. A
  // state written without --certify is taken up again: its nones have no checked proof, so
  // every cube is asked again.
  synth_params certified = p;
  certified.proof.certify = true;
  o.state.resume = false;
  CHECK(dist::synthesize_tt_by_cubes(5, table, p, 1, o).answer == synth_result::unsat);
  o.state.resume = true;
  const synth_result cert = dist::synthesize_tt_by_cubes(5, table, certified, 2, o);
  CHECK(cert.answer == synth_result::unsat);
  CHECK(cert.certified);
  CHECK(cert.cubes_resumed == 0);
  CHECK(cert.soundness_clauses > 0);
  const synth_result cert_again = dist::synthesize_tt_by_cubes(5, table, certified, 1, o);  // now read back, certified
  CHECK(cert_again.certified);
  CHECK(cert_again.cubes_resumed == 15);
  std::filesystem::remove(path);
  // A circuit found: checked by the reference evaluator; read back from the state, it is checked
  // again, and a tampered one is refused.
  synth_params wide = p;
  wide.shape.widths = {5, 1};
  o.state.resume = false;
  const synth_result found = dist::synthesize_tt_by_cubes(5, table, wide, 2, o);
  REQUIRE(found.answer == synth_result::sat);
  for (std::uint64_t x = 0; x < 32; ++x) CHECK(test::eval_by_weights(found.circuit, x)[0] == parity(x));
  o.state.resume = true;
  const synth_result again = dist::synthesize_tt_by_cubes(5, table, wide, 1, o);
  CHECK(again.answer == synth_result::sat);
  CHECK(again.cubes_resumed >= 1);
  {
    // The settled cube's circuit replaced by one that is well formed but wrong: x0 AND x1.
    Builder b;
    b.add_inputs(5);
    const std::vector<Lit> in{b.input(0), b.input(1)};
    const std::vector<std::int64_t> w{1, 1};
    b.add_output(b.add_gate(in, w, 2));
    dist::State s({path, true, false, {}}, "synth-tt-cubes", dist::tt_units_key(table, wide));
    bool replaced = false;
    for (const auto& [id, text] : std::map<std::uint64_t, std::string>(s.settled())) {
      nlohmann::json r = nlohmann::json::parse(text);
      if (r["answer"] != "sat") continue;
      r["circuit"] = write_tc(std::move(b).build());
      s.record(id, r.dump());
      replaced = true;
      break;
    }
    REQUIRE(replaced);
  }
  CHECK_THROWS_WITH(dist::synthesize_tt_by_cubes(5, table, wide, 1, o), Catch::Contains("does not compute"));
  std::filesystem::remove(path);
}

TEST_CASE("tt cubes as units: a state file is read as written, edits refused or asked again, nothing dropped", "[dist][synth][tt-units]") {
  const auto parity = [](std::uint64_t x) { return (std::popcount(x) & 1) != 0; };
  const multi_truth_table table{make_truth_table(5, parity)};
  synth_params p = parity5_in_4_1();
  const std::string path = temp_path("tt-cubes-edits.json");
  std::filesystem::remove(path);
  dist::run_options o;
  o.state.path = path;
  REQUIRE(dist::synthesize_tt_by_cubes(5, table, p, 1, o).answer == synth_result::unsat);
  o.state.resume = true;
  const std::string key = dist::tt_units_key(table, p);
  auto edit = [&](std::uint64_t id, const std::function<void(nlohmann::json&)>& change) {
    dist::State s({path, true, false, {}}, "synth-tt-cubes", key);
    nlohmann::json r = nlohmann::json::parse(s.settled().at(id));
    change(r);
    s.record(id, r.dump());
  };
  auto recorded = [&] {
    dist::State s({path, true, false, {}}, "synth-tt-cubes", key);
    return s.settled();
  };
  // A circuit that computes parity of 5 but has 6 gates, planted as a 4,1 answer: refused.
  synth_params wide = p;
  wide.shape.widths = {5, 1};
  const synth_result six = synthesize(5, table, wide);
  REQUIRE(six.answer == synth_result::sat);
  const std::string saved = recorded().at(3);
  edit(3, [&](nlohmann::json& r) {
    r["answer"] = "sat";
    r["circuit"] = write_tc(six.circuit);
  });
  CHECK_THROWS_WITH(dist::synthesize_tt_by_cubes(5, table, p, 1, o), Catch::Contains("not of the shape"));
  edit(3, [&](nlohmann::json& r) { r = nlohmann::json::parse(saved); });
  // Damaged records are named in plain words, not a parser's.
  edit(5, [](nlohmann::json& r) { r.erase("seconds"); });
  CHECK_THROWS_WITH(dist::synthesize_tt_by_cubes(5, table, p, 1, o), Catch::Contains("cube 5: no seconds"));
  edit(5, [](nlohmann::json& r) { r["seconds"] = 0.5; });
  // A cube recorded unknown (this writer records none) is asked again, and replaced.
  edit(7, [](nlohmann::json& r) { r["answer"] = "unknown"; });
  const synth_result again = dist::synthesize_tt_by_cubes(5, table, p, 1, o);
  CHECK(again.answer == synth_result::unsat);
  CHECK(again.cubes_resumed == 14);
  CHECK(nlohmann::json::parse(recorded().at(7))["answer"] == "unsat");
  // A certified run that stops short keeps the uncertified nones it has not replaced: the
  // file never holds fewer answers than before.
  synth_params certified = p;
  certified.proof.certify = true;
  certified.conflicts = 1;  // most cubes' re-asking ends unknown at once
  const synth_result cut = dist::synthesize_tt_by_cubes(5, table, certified, 1, o);
  CHECK(cut.answer != synth_result::sat);
  CHECK_FALSE(cut.certified);
  const auto after = recorded();
  CHECK(after.size() == 15);
  std::size_t certified_cubes = 0;
  for (const auto& [id, text] : after) {
    const nlohmann::json r = nlohmann::json::parse(text);
    CHECK(r["answer"] == "unsat");
    certified_cubes += r.value("certified", false);
  }
  CHECK(certified_cubes < 15);
  // Then certified in full, with time: every cube replaced by a certified none.
  certified.conflicts = 0;
  const synth_result full = dist::synthesize_tt_by_cubes(5, table, certified, 1, o);
  CHECK(full.certified);
  CHECK(full.cubes_resumed == certified_cubes);
  for (const auto& [id, text] : recorded()) CHECK(nlohmann::json::parse(text).value("certified", false));
  std::filesystem::remove(path);
}

TEST_CASE("one process on threads: every unit once, a finished job cancels the rest, an error ends the run", "[dist]") {
  // 200 units on 3 threads: each result once, recorded through on_result one call at a time.
  {
    dist::job j;
    j.threads = 3;
    for (std::uint64_t k = 0; k < 200; ++k) j.units.push_back({k, 1.0});
    std::atomic<int> busy{0}, most{0};
    j.work = [&](std::uint64_t k, const std::atomic<bool>&) {
      const int now = ++busy;
      for (int m = most.load(); now > m && !most.compare_exchange_weak(m, now);) {
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      --busy;
      return std::to_string(k * k);
    };
    std::set<std::uint64_t> seen;
    bool inside = false;
    j.on_result = [&](std::uint64_t k, const std::string& r) {
      REQUIRE_FALSE(inside);  // never two at once
      inside = true;
      CHECK(r == std::to_string(k * k));
      CHECK(seen.insert(k).second);
      inside = false;
    };
    const auto results = dist::run(j);
    CHECK(results.size() == 200);
    CHECK(seen.size() == 200);
    CHECK(most.load() >= 2);  // the threads did overlap
    CHECK(most.load() <= 3);
  }
  // Finished after unit 10's result: units in flight see cancel and their results are dropped;
  // no unit starts after it.
  {
    dist::job j;
    j.threads = 2;
    for (std::uint64_t k = 0; k < 1000; ++k) j.units.push_back({k, 1.0});
    bool stop = false;
    std::atomic<int> started{0};
    j.work = [&](std::uint64_t k, const std::atomic<bool>& cancel) {
      ++started;
      if (k == 11)
        for (int i = 0; i < 2000 && !cancel; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return std::string(cancel ? "cancelled" : "done");
    };
    j.on_result = [&](std::uint64_t k, const std::string& r) {
      CHECK(r == "done");
      stop = stop || k == 10;
    };
    j.finished = [&] { return stop; };
    const auto results = dist::run(j);
    CHECK(results.count(10) == 1);
    CHECK(results.count(11) == 0);  // in flight when the job finished: dropped
    CHECK(started.load() < 20);
  }
  // A unit that throws ends the run with its error.
  {
    dist::job j;
    j.threads = 2;
    for (std::uint64_t k = 0; k < 50; ++k) j.units.push_back({k, 1.0});
    j.work = [](std::uint64_t k, const std::atomic<bool>&) -> std::string {
      if (k == 7) throw std::runtime_error("unit 7 failed");
      return "ok";
    };
    CHECK_THROWS_WITH(dist::run(j), Catch::Contains("unit 7 failed"));
  }
}

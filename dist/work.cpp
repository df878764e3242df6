#include "dist/work.hpp"

#include <oneapi/tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include "circuits/evaluate.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/tc_format.hpp"
#include "dist/runner.hpp"
#include "provers/sat.hpp"
#include "provers/tt_cube_solver.hpp"

namespace tcx::dist {

std::uint64_t choose_unit_patterns(std::uint64_t total, double cost_per_pattern) {
  // A quarter second on each of the rank's threads, and at 1,000 ranks no more than about 2,000
  // units a second for rank 0 to hand out.
  const double target_s = std::max(0.25, size() / 2000.0) * std::max(1, tbb::info::default_concurrency());
  std::uint64_t u = std::uint64_t(1) << 14;
  while (u < (std::uint64_t(1) << 34) && double(u) * 2 * cost_per_pattern * 1e-9 <= target_s) u *= 2;
  // Enough units for every rank to take several, and for the slowest to matter little.
  const std::uint64_t ranks = static_cast<std::uint64_t>(size());
  while (u > (std::uint64_t(1) << 14) && total / u < 16 * ranks) u /= 2;
  return u;
}

namespace {

// What rank 0 found wrong in the state file ("" when nothing), thrown on every rank: the other
// ranks have not read the file and would wait for rank 0 in run().
void refuse_on_every_rank(const std::string& problem) {
  const std::string p = broadcast_from_root(problem);
  if (!p.empty()) throw std::invalid_argument(p);
}

// Settings fixed when the run began: the unit size is the state's once there is one (`given`,
// the user's --unit-patterns or 0, then only noted).
// Rank 0 decides (ranks may see different core counts) and tells the others.
std::uint64_t unit_size(State& st, std::uint64_t chosen, std::uint64_t given) {
  if (st.resumed() && st.settings().contains("unit_patterns")) {
    const nlohmann::json& u = st.settings()["unit_patterns"];
    // as --unit-patterns allows: a power of two from 64 (a damaged value could make zero ranges)
    if (!u.is_number_unsigned() || u.get<std::uint64_t>() < 64 || u.get<std::uint64_t>() > (std::uint64_t(1) << 40) ||
        (u.get<std::uint64_t>() & (u.get<std::uint64_t>() - 1)))
      throw std::invalid_argument("the --state file is damaged (unit_patterns " + u.dump() + ": not a power of two in 2^6..2^40)");
    if (given && given != u.get<std::uint64_t>() && is_root())
      std::cerr << ("tcx: note: --unit-patterns " + std::to_string(given) + " ignored: the resumed run keeps its ranges of " +
                    std::to_string(u.get<std::uint64_t>()) + " patterns\n");
    chosen = u.get<std::uint64_t>();
  }
  chosen = std::stoull(broadcast_from_root(std::to_string(chosen)));
  st.settings()["unit_patterns"] = chosen;
  if (!st.resumed()) st.save();
  return chosen;
}

// Pattern ranges [k*U, (k+1)*U) of `total`; `first(begin, end)` is the lowest bad pattern of a
// range or UINT64_MAX. Returns the lowest bad pattern found (UINT64_MAX: none) and how many
// patterns the settled ranges hold.
struct range_answer {
  std::uint64_t first_bad = UINT64_MAX, checked = 0;
  bool complete = false;  // every range below the answer (or every range) settled
  bool from_state = false;  // first_bad was read from the state file: the caller checks it again
};

range_answer scan_ranges(std::uint64_t total, std::uint64_t U, double time_limit_s, State& st, const run_options& o,
                         const std::function<std::uint64_t(std::uint64_t, std::uint64_t)>& first) {
  const std::uint64_t count = (total + U - 1) / U;
  std::uint64_t best = UINT64_MAX;  // lowest bad pattern known to rank 0
  std::vector<bool> settled(count, false);
  std::uint64_t settled_below = 0;  // ranges 0..settled_below-1 all settled
  const auto start = std::chrono::steady_clock::now();
  job j;
  j.label = o.label;
  j.unit_name = "patterns";
  for (std::uint64_t k = 0; k < count; ++k) j.units.push_back({k, 1.0});
  j.work = [&](std::uint64_t k, const std::atomic<bool>&) {
    const std::uint64_t p = first(k * U, std::min<std::uint64_t>(total, (k + 1) * U));
    return p == UINT64_MAX ? std::string() : std::to_string(p);
  };
  j.on_result = [&](std::uint64_t k, const std::string& r) {
    if (k >= count) throw std::invalid_argument("the state file has a range beyond the patterns");
    settled[k] = true;
    while (settled_below < count && settled[settled_below]) ++settled_below;
    if (!r.empty()) best = std::min<std::uint64_t>(best, std::stoull(r));
  };
  // Ranges above a known difference are not needed; none is started after the time limit.
  j.wanted = [&](std::uint64_t k) {
    if (best != UINT64_MAX && k * U > best) return false;
    return !(time_limit_s > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > time_limit_s);
  };
  j.finished = [&] { return best != UINT64_MAX && settled_below * U > best; };
  j.amount = [&](std::uint64_t k) { return double(std::min<std::uint64_t>(total, (k + 1) * U) - k * U); };
  j.state = st.active() ? &st : nullptr;
  // The state file's ranges as written: a recorded difference is a pattern inside its range
  // (and is checked again by the caller: range_answer::from_state).
  std::set<std::uint64_t> recorded;
  std::string problem;
  for (const auto& [k, r] : st.settled()) {
    const std::uint64_t begin = k * U, end = k < count ? std::min<std::uint64_t>(total, (k + 1) * U) : 0;
    if (k >= count || (!r.empty() && (!is_decimal_u64(r) || std::stoull(r) < begin || std::stoull(r) >= end))) {
      problem = "--state " + o.state.path + ": damaged (range " + std::to_string(k) + ": " +
                (k >= count ? std::string("beyond the patterns") : "the pattern " + printable(r) + " is not in it") + ")";
      break;
    }
    if (!r.empty()) recorded.insert(k);
  }
  refuse_on_every_rank(problem);
  const auto results = run(j);
  range_answer a;
  std::vector<bool> have(count, false);
  for (const auto& [k, r] : results) {
    have[k] = true;
    a.checked += std::min<std::uint64_t>(total, (k + 1) * U) - k * U;
    if (!r.empty()) a.first_bad = std::min<std::uint64_t>(a.first_bad, std::stoull(r));
  }
  std::uint64_t below = 0;
  while (below < count && have[below]) ++below;
  a.complete = a.first_bad == UINT64_MAX ? below == count : below * U > a.first_bad;
  a.from_state = a.first_bad != UINT64_MAX && recorded.count(a.first_bad / U) > 0;
  return a;
}

}  // namespace

equiv_result equivalent_by_simulation(const Circuit& a, const Circuit& b, const equiv_params& p, const run_options& o) {
  if (a.num_inputs() != b.num_inputs())
    throw std::invalid_argument("the circuits have different input counts (" + std::to_string(a.num_inputs()) + " and " +
                                std::to_string(b.num_inputs()) + ")");
  if (a.num_outputs() != b.num_outputs())
    throw std::invalid_argument("the circuits have different output counts (" + std::to_string(a.num_outputs()) + " and " +
                                std::to_string(b.num_outputs()) + ")");
  const std::uint32_t n = a.num_inputs();
  equiv_result r;
  r.exhaustive = n <= p.max_exhaustive_inputs;
  if (r.exhaustive && n > 40) throw std::invalid_argument("exhaustive simulation of more than 40 inputs");
  PatternSet set{r.exhaustive ? PatternSet::exhaustive : PatternSet::random, p.random_patterns, p.seed};
  if (r.exhaustive) set.count = std::uint64_t(1) << n;
  const std::uint64_t total = set.count;
  State st(o.state, "equiv", o.key);
  const BitSimulator sa(a), sb(b);
  // About a nanosecond per instruction and 64 patterns.
  const double cost = double(sa.num_instructions() + sb.num_instructions() + 1) / 64.0;
  const std::uint64_t U = unit_size(st, o.unit_patterns ? o.unit_patterns : choose_unit_patterns(total, cost), o.unit_patterns);
  const range_answer ans = scan_ranges(total, U, p.time_limit_s, st, o, [&](std::uint64_t begin, std::uint64_t end) {
    return first_difference(sa, sb, set, begin, end, p.sim);
  });
  if (ans.first_bad != UINT64_MAX) {
    r.verdict = equiv_result::different;
    r.patterns_checked = ans.first_bad + 1;
    r.inputs = pattern_inputs(set, n, ans.first_bad);
    // Confirm with the scalar evaluator: a disagreement would be a simulator bug.
    r.outputs_a = evaluate(a, r.inputs);
    r.outputs_b = evaluate(b, r.inputs);
    if (r.outputs_a == r.outputs_b && ans.from_state)
      throw std::invalid_argument("--state " + o.state.path + ": damaged (its difference at pattern " + std::to_string(ans.first_bad) + " is none)");
    if (r.outputs_a == r.outputs_b) throw std::logic_error("internal error: bit-parallel and scalar simulation disagree");
    return r;
  }
  r.patterns_checked = ans.checked;
  if (!ans.complete) {
    r.verdict = equiv_result::unknown;
    r.reason = "time limit reached after " + std::to_string(ans.checked) + " of " + std::to_string(total) +
               " patterns, no difference so far";
  } else if (r.exhaustive) {
    if (ans.checked != total) throw std::logic_error("internal error: an exhaustive check settled " + std::to_string(ans.checked) + " of " + std::to_string(total) + " patterns");
    r.verdict = equiv_result::equal;
  } else {
    r.verdict = equiv_result::unknown;
    r.reason = "no difference found in " + std::to_string(total) + " random patterns (evidence, not a proof)";
  }
  return r;
}

reference_check_result check_against_reference(const Circuit& c, PatternSet set, const sim_params& sp,
                                               const ReferenceFn& reference, const run_options& o) {
  const std::uint32_t ni = c.num_inputs();
  if (set.kind == PatternSet::exhaustive) {
    if (ni > 40) throw std::invalid_argument("check_against_reference: too many inputs for exhaustive patterns");
    set.count = std::uint64_t(1) << ni;
  }
  State st(o.state, "verify", o.key);
  const BitSimulator sim(c);
  // The reference runs once per pattern and costs far more than the simulation, from 0.1 to
  // several microseconds by task: rank 0 times it on one thread over the first patterns (a few
  // milliseconds) so that units come out near their intended duration and coordination stays a
  // small share of the work (docs/scaling.md).
  std::uint64_t chosen = o.unit_patterns;
  if (!chosen && is_root() && !(st.resumed() && st.settings().contains("unit_patterns"))) {
    const std::uint64_t sample = std::min<std::uint64_t>(set.count, 1 << 14);
    sim_params one = sp;
    one.threads = 1;
    const auto t0 = std::chrono::steady_clock::now();
    first_disagreement(sim, set, 0, sample, one, reference);
    const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
    chosen = choose_unit_patterns(set.count, std::max(10.0, ns / double(std::max<std::uint64_t>(sample, 1))));
  }
  const std::uint64_t U = unit_size(st, chosen ? chosen : 1, o.unit_patterns);
  const range_answer ans = scan_ranges(set.count, U, 0, st, o, [&](std::uint64_t begin, std::uint64_t end) {
    return first_disagreement(sim, set, begin, end, sp, reference);
  });
  reference_check_result r;
  if (ans.first_bad == UINT64_MAX && ans.checked != set.count)  // no time limit here: every range settles
    throw std::logic_error("internal error: the check settled " + std::to_string(ans.checked) + " of " + std::to_string(set.count) + " patterns");
  r.checked = set.count;
  if (ans.first_bad != UINT64_MAX) {
    r.agree = false;
    r.input = pattern_inputs(set, ni, ans.first_bad);
    r.circuit_output = evaluate(c, r.input);
    r.reference_output = reference(r.input);
    if (r.circuit_output == r.reference_output) {
      if (ans.from_state)
        throw std::invalid_argument("--state " + o.state.path + ": damaged (its disagreement at pattern " + std::to_string(ans.first_bad) + " is none)");
      throw std::logic_error("internal error: bit-parallel and scalar checks against the reference disagree");
    }
  }
  return r;
}

std::vector<std::string> ordered_sweep(std::uint64_t count, const std::function<double(std::uint64_t)>& cost,
                                       const std::function<std::string(std::uint64_t)>& row,
                                       const std::function<bool(std::uint64_t, const std::string&)>& on_row,
                                       const std::string& kind, const std::string& unit_name, const run_options& o) {
  State st(o.state, kind, o.key);
  if (st.active() && !st.resumed()) st.save();
  std::vector<std::optional<std::string>> known(count);
  std::uint64_t delivered = 0;
  bool stopped = false;
  job j;
  j.label = o.label;
  j.unit_name = unit_name;
  for (std::uint64_t k = 0; k < count; ++k) j.units.push_back({k, cost(k)});
  j.work = [&](std::uint64_t k, const std::atomic<bool>&) { return row(k); };
  j.on_result = [&](std::uint64_t k, const std::string& r) {
    if (k >= count) throw std::invalid_argument("the state file has a row beyond the sweep");
    known[k] = r;
    while (!stopped && delivered < count && known[delivered]) {
      if (!on_row(delivered, *known[delivered])) stopped = true;
      ++delivered;
    }
  };
  j.wanted = [&](std::uint64_t k) { return !stopped || k < delivered; };
  j.finished = [&] { return stopped; };
  j.state = st.active() ? &st : nullptr;
  const auto results = run(j);
  // Every rank: the rows up to the first missing one, or to the one on_row stopped at (rank 0
  // knows where that is; the others find the same prefix in the results).
  std::vector<std::string> out;
  for (std::uint64_t k = 0; k < count; ++k) {
    auto it = results.find(k);
    if (it == results.end() || (is_root() && k >= delivered)) break;
    out.push_back(it->second);
  }
  return out;
}

namespace {

// A record as tcx writes it: JSON in the one spelling nlohmann's dump() gives (a record edited by
// hand, even by a space, is refused rather than trusted).
bool as_written(const nlohmann::json& j, const std::string& text) { return !j.is_discarded() && j.dump() == text; }

// A question's answer as frontier_by_questions records it: [found, refuted, certified, seconds].
std::optional<frontier_answer> parse_frontier_answer(const std::string& text) {
  const nlohmann::json a = nlohmann::json::parse(text, nullptr, false);
  if (!as_written(a, text) || !a.is_array() || a.size() != 4 || !a[0].is_boolean() || !a[1].is_boolean() || !a[2].is_boolean() ||
      !a[3].is_number() || !(a[3].get<double>() >= 0) || (a[0].get<bool>() && a[1].get<bool>()) || (a[2].get<bool>() && !a[1].get<bool>()))
    return std::nullopt;
  return frontier_answer{a[0].get<bool>(), a[1].get<bool>(), a[2].get<bool>(), a[3].get<double>()};
}

}  // namespace

std::vector<std::vector<frontier_cell>> frontier_by_questions(
    const std::vector<frontier_row_question>& rows, const frontier_params& p,
    const std::function<void(std::uint64_t, const std::vector<frontier_cell>&)>& on_row, const run_options& o) {
  State st(o.state, "frontier-questions", o.key);
  if (st.active() && !st.resumed()) st.save();
  // Unit ids: ((row * (D + 1)) + d) * (G + 1) + g.
  const std::uint64_t D = p.max_depth + 1, G = p.max_gates + 1;
  struct question {
    std::uint64_t row;
    std::uint32_t d, g;
  };
  auto decode = [&](std::uint64_t id) { return question{id / (D * G), static_cast<std::uint32_t>(id / G % D), static_cast<std::uint32_t>(id % G)}; };
  auto encode = [&](std::uint64_t row, std::uint32_t d, std::uint32_t g) { return (row * D + d) * G + g; };
  auto outputs = [&](std::uint64_t row) { return static_cast<std::uint32_t>(rows[row].truth.size()); };
  // Rank 0's knowledge: the answers so far, by row and (d, g).
  std::vector<std::map<std::pair<std::uint32_t, std::uint32_t>, frontier_answer>> answers(rows.size());
  auto found = [&](std::uint64_t row) {
    return [&answers, row](std::uint32_t e, std::uint32_t h) {
      auto it = answers[row].find({e, h});
      return it != answers[row].end() && it->second.found;
    };
  };
  auto asked = [&](std::uint64_t id) {
    const question q = decode(id);
    return frontier_question_asked(outputs(q.row), p, q.d, q.g, found(q.row));
  };
  // The questions that could still make (row, d, g) unneeded and are not answered yet.
  auto open_dominators = [&](const question& q) {
    std::uint32_t n = 0;
    for (std::uint32_t e = 1; e <= q.d; ++e)
      for (std::uint32_t h = outputs(q.row) + e - 1; h <= q.g; ++h)
        if ((e < q.d || h < q.g) && !answers[q.row].count({e, h}) && frontier_question_asked(outputs(q.row), p, e, h, found(q.row))) ++n;
    return n;
  };
  job j;
  j.label = o.label;
  j.unit_name = "questions";
  for (std::uint64_t k = 0; k < rows.size(); ++k)
    for (std::uint32_t d = 1; d <= p.max_depth; ++d)
      for (std::uint32_t g = outputs(k) + d - 1; g <= p.max_gates; ++g) {
        // Bigger functions and more gates cost more; the splits of a question share a rank's cores.
        const double splits = std::tgamma(double(g - outputs(k)) + 1) /
                              (std::tgamma(double(d - 1) + 1) * std::tgamma(double(g - outputs(k) - (d - 1)) + 1));
        j.units.push_back({encode(k, d, g), std::ldexp(double(g) * std::max(1.0, splits), static_cast<int>(rows[k].inputs))});
      }
  j.work = [&](std::uint64_t id, const std::atomic<bool>& cancel) {
    const question q = decode(id);
    frontier_params fq = p;
    fq.query = rows[q.row].query;
    fq.care = rows[q.row].care;
    const frontier_answer a = frontier_question(rows[q.row].inputs, rows[q.row].truth, fq, q.d, q.g, &cancel);
    return nlohmann::json{a.found, a.refuted, a.certified, a.seconds}.dump();
  };
  std::vector<std::vector<frontier_cell>> cells(rows.size());
  std::uint64_t delivered = 0;  // rows 0..delivered-1 complete (and passed to on_row)
  // Passes on every row, in order, whose walk has all its answers.
  auto deliver = [&] {
    while (delivered < rows.size()) {
      const auto& known = answers[delivered];
      const auto walk = frontier_walk(outputs(delivered), p, [&](std::uint32_t d, std::uint32_t g) -> std::optional<frontier_answer> {
        auto it = known.find({d, g});
        if (it == known.end()) return std::nullopt;
        return it->second;
      });
      if (!walk) break;
      cells[delivered] = *walk;
      if (on_row) on_row(delivered, *walk);
      ++delivered;
    }
  };
  // The state file's answers as written (one edited by hand is refused; one that is well formed
  // is trusted, as the run that wrote it).
  std::string problem;
  for (const auto& [id, text] : st.settled()) {
    const question q = decode(id);
    if (q.row >= rows.size() || q.d < 1 || q.d > p.max_depth || q.g < outputs(q.row) + q.d - 1 || q.g > p.max_gates)
      problem = "not a question of this table";
    else if (!parse_frontier_answer(text))
      problem = "not [found, refuted, certified, seconds]: " + printable(text);
    if (!problem.empty()) {
      problem = "--state " + o.state.path + ": damaged (question " + std::to_string(id) + ": " + problem + ")";
      break;
    }
  }
  refuse_on_every_rank(problem);
  j.on_result = [&](std::uint64_t id, const std::string& text) {
    const question q = decode(id);
    answers[q.row][{q.d, q.g}] = parse_frontier_answer(text).value();
    deliver();
  };
  j.wanted = [&](std::uint64_t id) { return decode(id).row >= delivered && asked(id); };
  // Progress counts the questions still possibly asked, a number that falls as answers rule some out.
  j.remaining = [&] {
    double n = 0;
    for (const unit& u : j.units) {
      const question q = decode(u.id);
      if (!answers[q.row].count({q.d, q.g}) && j.wanted(u.id)) ++n;
    }
    return n;
  };
  j.cancel_unwanted = true;
  // The questions the walk is sure to ask first, then those closest to being sure; the costliest
  // first within each (the pending list comes costliest first).
  j.pick = [&](const std::vector<unit>& pending) {
    std::size_t best = 0;
    std::uint32_t best_open = UINT32_MAX;
    for (std::size_t k = 0; k < pending.size() && best_open > 0; ++k) {
      const std::uint32_t n = open_dominators(decode(pending[k].id));
      if (n < best_open) best = k, best_open = n;
    }
    return best;
  };
  j.finished = [&] { return delivered == rows.size(); };
  // Found or refuted settles a question; an unknown one (its budget ran out) is asked again on
  // --resume, perhaps with a larger --time-limit (not part of the question).
  j.settles = [](const std::string& r) {
    const std::optional<frontier_answer> a = parse_frontier_answer(r);
    return a && (a->found || a->refuted);
  };
  j.state = st.active() ? &st : nullptr;
  const auto results = run(j);
  // Every rank: the cells from the answers broadcast (rank 0 has them already).
  if (!is_root()) {
    for (const auto& [id, text] : results) {
      const question q = decode(id);
      answers[q.row][{q.d, q.g}] = parse_frontier_answer(text).value();
    }
    for (std::uint64_t k = 0; k < rows.size(); ++k) {
      const auto walk = frontier_walk(outputs(k), p, [&](std::uint32_t d, std::uint32_t g) -> std::optional<frontier_answer> {
        auto it = answers[k].find({d, g});
        if (it == answers[k].end()) return std::nullopt;
        return it->second;
      });
      if (!walk) throw std::runtime_error("frontier: a question's answer is missing");
      cells[k] = *walk;
    }
  }
  // Rows whose outputs alone exceed --max-gates ask nothing (every cell "-"); when no row asks
  // anything, no answer ever triggers their delivery, so they are passed on here.
  if (is_root()) deliver();
  if (delivered < rows.size() && is_root()) throw std::runtime_error("frontier: a question's answer is missing");
  return cells;
}

std::uint32_t default_cube_depth(std::uint32_t inputs) {
  const int ranks = size();
  if (ranks <= 1) return 0;
  std::uint32_t d = 0;
  while (std::pow(3.0, d) < 4.0 * ranks && d < inputs && d < 8) ++d;
  return d;
}

namespace {

// What is wrong with a cube's record as synthesize_by_cubes (weights) or synthesize_tt_by_cubes
// writes it ("" when nothing): a damaged or edited state file is refused with this, never half read.
std::string cube_record_problem(const nlohmann::json& r, bool tt) {
  if (!r.is_object()) return "not a JSON object";
  const std::string answer = r.contains("answer") && r["answer"].is_string() ? r["answer"].get<std::string>() : "";
  if (answer != "sat" && answer != "unsat" && answer != "unknown") return "no answer sat, unsat or unknown";
  for (const char* k : {"calls", "patterns", "vars", "clauses", "lemmas"})
    if ((tt || std::string_view(k) != "lemmas") && !(r.contains(k) && r[k].is_number_unsigned())) return std::string("no ") + k;
  if (answer == "sat" && !(r.contains("circuit") && r["circuit"].is_string())) return "an answer sat without its circuit";
  if (!tt) {
    if (!r.contains("all_weights") || !r["all_weights"].is_boolean()) return "no all_weights";
    if (!r.contains("weight_bound") || !r["weight_bound"].is_number_integer()) return "no weight_bound";
    return "";
  }
  if (!r.contains("seconds") || !r["seconds"].is_number() || r["seconds"].get<double>() < 0) return "no seconds";
  if (r.contains("certified") && !r["certified"].is_boolean()) return "certified neither true nor false";
  if (r.contains("soundness")) {
    const nlohmann::json& s = r["soundness"];
    if (!s.is_object() || !s.contains("clauses") || !s["clauses"].is_number_unsigned() || !s.contains("lps") ||
        !s["lps"].is_number_unsigned() || !s.contains("seconds") || !s["seconds"].is_number())
      return "damaged soundness figures";
  }
  return "";
}

// Every recorded cube of a state file checked before any is used; throws "damaged (...)".
void check_cube_records(const State& st, std::size_t count, bool tt, const std::string& path) {
  std::string problem;
  for (const auto& [id, r] : st.settled()) {
    problem = id >= count ? "there are " + std::to_string(count) + " cubes" : "";
    if (problem.empty()) {
      const nlohmann::json j = nlohmann::json::parse(r, nullptr, false);
      problem = cube_record_problem(j, tt);
      if (problem.empty() && !as_written(j, r)) problem = "not as tcx writes it";
    }
    if (!problem.empty()) {
      problem = "--state " + path + ": damaged (cube " + std::to_string(id) + ": " + problem + ")";
      break;
    }
  }
  refuse_on_every_rank(problem);
}

// A circuit read back from a cube's record, checked as any file given: on every cared input, and
// against the shape asked for.
Circuit recorded_circuit(const std::string& text, std::uint64_t cube, std::uint32_t inputs, const multi_truth_table& truth,
                         const synth_params& p, const std::string& path) {
  auto damaged = [&](const std::string& why) {
    return std::invalid_argument("--state " + path + ": damaged (cube " + std::to_string(cube) + "'s circuit " + why + ")");
  };
  Circuit c;
  try {
    c = read_tc(text, "cube " + std::to_string(cube));
  } catch (const std::exception& e) {
    throw damaged(std::string("does not read: ") + e.what());
  }
  bool right = c.num_inputs() == inputs && c.num_outputs() == truth.size();
  const multi_truth_table got = right ? truth_tables(c) : multi_truth_table{};
  for (std::size_t out = 0; right && out < truth.size(); ++out)
    right = is_const0((got[out] ^ truth[out]) & (p.care ? *p.care : ~truth_table(inputs)));
  if (!right) throw damaged("does not compute the function");
  if (!fits_shape(c, p.shape)) throw damaged("is not of the shape asked for");
  return c;
}

}  // namespace

synth_result synthesize_by_cubes(std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p,
                                 std::uint32_t depth, const run_options& o) {
  if (p.shape.majority_of) throw std::invalid_argument("synth: cube-and-conquer splits threshold weights; not for --majority");
  if (depth > 12) throw std::invalid_argument("synth: at most 12 cube levels (3^12 cubes)");
  const auto t0 = std::chrono::steady_clock::now();
  std::uint64_t count = 1;
  for (std::uint32_t d = 0; d < depth; ++d) count *= 3;
  State st(o.state, "synth-cubes", o.key);
  if (st.active() && !st.resumed()) st.save();
  check_cube_records(st, count, false, o.state.path);
  std::set<std::uint64_t> recorded;  // cubes read back, not answered now
  for (const auto& [id, r] : st.settled()) recorded.insert(id);
  bool found = false;
  job j;
  j.label = o.label;
  j.unit_name = "cubes";
  for (std::uint64_t k = 0; k < count; ++k) j.units.push_back({k, 1.0});
  j.work = [&](std::uint64_t k, const std::atomic<bool>& cancel) {
    synth_params cp = p;
    cp.cube.clear();
    for (std::uint32_t d = 0; d < depth; ++d, k /= 3) cp.cube.push_back(static_cast<std::int8_t>(int(k % 3) - 1));
    cp.stop = &cancel;
    const synth_result r = synthesize(inputs, truth, cp);
    nlohmann::json res{{"answer", r.answer == synth_result::sat ? "sat" : r.answer == synth_result::unsat ? "unsat" : "unknown"},
                       {"all_weights", r.unsat_for_all_weights}, {"weight_bound", r.weight_bound}, {"calls", r.solver_calls},
                       {"patterns", r.patterns}, {"vars", r.vars}, {"clauses", r.clauses}};
    if (r.answer == synth_result::sat) res["circuit"] = write_tc(r.circuit);
    return res.dump();
  };
  j.on_result = [&](std::uint64_t, const std::string& r) { found = found || nlohmann::json::parse(r)["answer"] == "sat"; };
  j.finished = [&] { return found; };
  // A cube left unknown by its budget is asked again on --resume (an earlier tcx recorded it).
  j.settles = [](const std::string& r) { return nlohmann::json::parse(r)["answer"] != "unknown"; };
  j.state = st.active() ? &st : nullptr;
  const auto results = run(j);
  synth_result total;
  total.answer = synth_result::unsat;
  total.unsat_for_all_weights = true;
  total.max_fanin = p.shape.max_fanin;
  bool all = results.size() == count;
  for (const auto& [k, text] : results) {
    const nlohmann::json r = nlohmann::json::parse(text);
    total.solver_calls += r["calls"].get<std::uint32_t>();
    total.patterns += r["patterns"].get<std::uint32_t>();
    total.vars = std::max(total.vars, r["vars"].get<std::uint32_t>());
    total.clauses += r["clauses"].get<std::uint64_t>();
    total.weight_bound = std::max(total.weight_bound, r["weight_bound"].get<std::int64_t>());
    if (r["answer"] == "sat" && total.answer != synth_result::sat) {  // the lowest SAT cube that finished
      total.answer = synth_result::sat;
      total.circuit = recorded.count(k) ? recorded_circuit(r["circuit"].get<std::string>(), k, inputs, truth, p, o.state.path)
                                        : read_tc(r["circuit"].get<std::string>(), "cube " + std::to_string(k));
    } else if (r["answer"] == "unknown") {
      all = false;
    } else if (r["answer"] == "unsat") {
      total.unsat_for_all_weights = total.unsat_for_all_weights && r["all_weights"].get<bool>();
    }
  }
  if (total.answer != synth_result::sat) {
    total.unsat_for_all_weights = all && total.unsat_for_all_weights;
    if (!all) total.answer = synth_result::unknown;
  }
  total.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return total;
}

std::string tt_units_key(const multi_truth_table& truth, const synth_params& p) {
  auto bits = [](const truth_table& t) {
    std::string s;
    for (std::uint64_t q = 0; q < t.num_bits(); ++q) s += static_cast<char>('0' + get_bit(t, q));
    return s;
  };
  std::string tables;
  for (const truth_table& t : truth) tables += bits(t) + '|';
  std::string widths;
  for (std::uint32_t w : p.shape.widths) widths += (widths.empty() ? "" : ",") + std::to_string(w);
  const tt_params& t = p.tt;
  nlohmann::json k{{"function", text_digest(tables)}, {"care", p.care ? text_digest(bits(*p.care)) : "all"}, {"widths", widths},
                   {"skip", p.shape.skip}, {"symmetry", p.symmetry_breaking}, {"cubes", t.cube_inputs}, {"dual_cubes", t.dual_cubes},
                   {"signed_sources", t.signed_sources}, {"sign_symmetry", t.sign_symmetry}, {"input_symmetry", t.input_symmetry},
                   {"float_lp", t.float_lp}, {"eager_faces", t.eager_faces}, {"share_lemmas", t.share_lemmas},
                   {"order_axioms", t.order_axioms}, {"quick_separator", t.quick_separator}};
  return k.dump();
}

synth_result synthesize_tt_by_cubes(std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p, unsigned threads,
                                    const run_options& o) {
  const std::uint32_t k = p.tt.cube_inputs;
  if (k != tt_params::cubes_auto && k != tt_params::cubes_output && k > 0 && !tt_params::sign_cubes_fit(p.shape))
    throw std::invalid_argument("--tt-cubes " + std::to_string(k) + ": splits on the output's weights on inputs, and a layered output "
                                "reads none: one unit (--tt-cubes output splits layered k,1 shapes; --skip gives the output its inputs)");
  // Every rank sets the question up (the cubes are the same everywhere) and keeps the solver for
  // its cubes; threads in one process take a solver from the pool, or make one.
  std::vector<std::unique_ptr<TtCubeSolver>> idle;
  idle.push_back(std::make_unique<TtCubeSolver>(inputs, truth, p));
  const std::size_t count = idle[0]->cubes();
  const std::string digest = text_digest(std::to_string(idle[0]->digest()));
  std::mutex pool;
  State st(o.state, "synth-tt-cubes", tt_units_key(truth, p));
  if (st.active()) {
    nlohmann::json& s = st.settings();
    if (st.resumed() && (s.value("cubes", std::uint64_t(0)) != count || s.value("question", std::string()) != digest))
      throw std::invalid_argument("--state " + o.state.path + ": its cubes are another split of this question (" +
                                  std::to_string(s.value("cubes", std::uint64_t(0))) + " cubes, digest " + s.value("question", std::string("none")) +
                                  "; now " + std::to_string(count) + ", " + digest + "): written with other options or by another tcx");
    check_cube_records(st, count, true, o.state.path);
    s["cubes"] = count;
    s["question"] = digest;
    if (!st.resumed()) st.save();
  }
  // A recorded cube is settled by its answer, none or a circuit; a cube recorded unknown (by
  // another writer: this one records no unknown) is asked again. Certified runs also ask again a
  // none recorded without its proof checked (a run without --certify, or one whose check ran
  // out of time); the old answer stays in the file until a certified one replaces it.
  auto settles = [certify = p.proof.certify](const nlohmann::json& r) {
    const std::string answer = r["answer"].get<std::string>();
    return answer == "sat" || (answer == "unsat" && (!certify || r.value("certified", false)));
  };
  std::map<std::uint64_t, bool> resumed;  // settled before this run
  std::size_t uncertified = 0;
  for (const auto& [id, r] : st.settled()) {
    const nlohmann::json j = nlohmann::json::parse(r);
    if (settles(j)) resumed[id] = true;
    else uncertified += j["answer"] == "unsat";
  }
  if (uncertified && is_root())
    std::cerr << ("tcx: --certify: " + std::to_string(uncertified) + " of them recorded without a checked proof: asked again (kept in " +
                  o.state.path + " until a certified answer replaces them)\n");
  bool found = false;
  job j;
  j.label = o.label;
  j.unit_name = "cubes";
  j.threads = std::max(1u, threads);
  for (std::uint64_t k = 0; k < count; ++k) j.units.push_back({k, 1.0});
  j.work = [&](std::uint64_t k, const std::atomic<bool>& cancel) {
    std::unique_ptr<TtCubeSolver> solver;
    {
      std::lock_guard<std::mutex> lock(pool);
      if (!idle.empty()) {
        solver = std::move(idle.back());
        idle.pop_back();
      }
    }
    if (!solver) solver = std::make_unique<TtCubeSolver>(inputs, truth, p);
    const synth_result r = solver->solve(k, &cancel);
    {
      std::lock_guard<std::mutex> lock(pool);
      idle.push_back(std::move(solver));
    }
    nlohmann::json res{{"answer", r.answer == synth_result::sat ? "sat" : r.answer == synth_result::unsat ? "unsat" : "unknown"},
                       {"seconds", r.seconds}, {"calls", r.solver_calls}, {"patterns", r.patterns}, {"vars", r.vars},
                       {"clauses", r.clauses}, {"lemmas", r.lemmas}};
    if (r.answer == synth_result::sat) res["circuit"] = write_tc(r.circuit);
    if (r.answer == synth_result::unsat && p.proof.certify) {
      res["certified"] = r.certified;
      if (!r.certified) res["uncertified"] = r.cubes_uncertifiable ? "clauses" : "budget";
      res["soundness"] = {{"clauses", r.soundness_clauses}, {"lps", r.soundness_lps}, {"seconds", r.soundness_seconds}};
      if (!r.proofs.empty())
        res["proof"] = {{"bytes", r.proofs.back().proof_bytes}, {"solve_seconds", r.proofs.back().solve_seconds},
                        {"check_seconds", r.proofs.back().check_seconds}};
    }
    return res.dump();
  };
  j.settles = [&](const std::string& r) { return settles(nlohmann::json::parse(r)); };
  j.on_result = [&](std::uint64_t, const std::string& r) { found = found || nlohmann::json::parse(r)["answer"] == "sat"; };
  j.finished = [&] { return found; };
  j.state = st.active() ? &st : nullptr;
  const auto results = run(j);
  st.flush();
  synth_result total;
  total.method = synth_method::tt;
  total.answer = synth_result::unsat;
  total.cubes = static_cast<std::uint32_t>(count);
  total.cube_units = true;
  bool all = results.size() == count, all_certified = p.proof.certify;
  for (const auto& [k, text] : results) {  // every record checked above, every new one written here
    const nlohmann::json r = nlohmann::json::parse(text);
    const bool earlier = resumed.count(k) > 0;
    const double seconds = r["seconds"].get<double>();
    (earlier ? total.resumed_seconds : total.seconds) += seconds;
    if (total.longest_cube < 0 || seconds > total.longest_cube_seconds) {
      total.longest_cube = static_cast<std::int64_t>(k);
      total.longest_cube_seconds = seconds;
    }
    total.cubes_resumed += earlier;
    total.solver_calls += r["calls"].get<std::uint32_t>();
    total.patterns = std::max(total.patterns, r["patterns"].get<std::uint32_t>());
    total.vars = std::max(total.vars, r["vars"].get<std::uint32_t>());
    total.clauses = std::max(total.clauses, r["clauses"].get<std::uint64_t>());
    total.lemmas = std::max(total.lemmas, r["lemmas"].get<std::uint64_t>());
    const std::string answer = r["answer"].get<std::string>();
    if (answer == "sat" && total.answer != synth_result::sat) {  // the lowest cube with a circuit
      total.answer = synth_result::sat;
      total.circuit = earlier ? recorded_circuit(r["circuit"].get<std::string>(), k, inputs, truth, p, o.state.path)
                              : read_tc(r["circuit"].get<std::string>(), "cube " + std::to_string(k));
    } else if (answer == "unknown") {
      all = false;
      ++total.cubes_unanswered;
    }
    if (answer == "unsat" && p.proof.certify) {
      const bool certified = r.value("certified", false);
      all_certified = all_certified && certified;
      if (!certified) ++(r.value("uncertified", "") == "clauses" ? total.cubes_uncertifiable : total.cubes_uncertified);
      if (r.contains("soundness")) {
        total.soundness_clauses += r["soundness"]["clauses"].get<std::uint64_t>();
        total.soundness_lps += r["soundness"]["lps"].get<std::uint64_t>();
        total.soundness_seconds += r["soundness"]["seconds"].get<double>();
      }
    }
  }
  // A circuit found now was verified by its solver; one read back, by recorded_circuit.
  if (total.answer != synth_result::sat && !all) {
    total.answer = synth_result::unknown;
  } else if (total.answer != synth_result::sat) {
    total.unsat_for_all_weights = true;
    // Certified when every cube's none is, and the base and the cover check out (once, here).
    // Rank 0 checks, and tells the others (every rank then exits as rank 0 does).
    if (all_certified) {
      if (is_root()) {
        std::lock_guard<std::mutex> lock(pool);
        const double t0 = thread_cpu_seconds();
        total.certified = idle.at(0)->certify_base(total);
        total.seconds += thread_cpu_seconds() - t0;  // the shared clauses' check is this run's CPU too
      }
      total.certified = broadcast_from_root(total.certified ? "1" : "0") == "1";
    }
  }
  if (total.longest_cube >= 0) {
    std::lock_guard<std::mutex> lock(pool);
    total.longest_cube_assumes = idle.at(0)->describe(static_cast<std::size_t>(total.longest_cube));
  }
  if (total.answer == synth_result::unknown) total.cubes_unanswered += static_cast<std::uint32_t>(count - results.size());
  return total;
}

}  // namespace tcx::dist

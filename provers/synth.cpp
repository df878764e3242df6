#include "provers/synth.hpp"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <ctime>
#include <numeric>
#include <optional>
#include <random>
#include <stdexcept>

#include "circuits/builder.hpp"
#include "circuits/passes.hpp"
#include "circuits/simulate.hpp"
#include "provers/descent.hpp"
#include "provers/synth_cex.hpp"
#include "provers/synth_template.hpp"
#include "provers/synth_tt.hpp"

namespace tcx {

bool fits_shape(const Circuit& c, const synth_shape& shape) {
  const std::uint32_t layers = static_cast<std::uint32_t>(shape.widths.size());
  if (layers == 0 || c.num_outputs() != shape.widths.back()) return false;
  std::vector<bool> is_output(c.num_nodes(), false);
  for (const Output& o : c.outputs()) is_output[o.lit.node()] = true;
  // The latest layer each node must be present in: the layer before its latest reader, and the
  // last layer for an output's node.
  std::vector<std::uint32_t> needed(c.num_nodes(), 0);
  for (const Output& o : c.outputs()) needed[o.lit.node()] = layers;
  for (gate_id g : c.gates()) {
    const std::uint32_t level = c.gate_level(g);
    if (level > layers || (level == layers && !is_output[c.gate_node(g)])) return false;
    std::uint32_t fanin = 0;
    for (std::uint32_t i = 0; i < c.fanin_count(g); ++i) {
      const node_id n = c.fanins(g)[i];
      needed[n] = std::max(needed[n], level - 1);
      if (!shape.max_fanin && !shape.max_weight) continue;
      const mpz_class w = c.weight(g, i);
      fanin += w != 0;
      if (shape.max_weight && abs(w) > shape.max_weight) return false;
    }
    if (shape.max_fanin && fanin > shape.max_fanin) return false;
  }
  // Gates per layer below the last (that one holds the outputs, one gate each).
  std::vector<std::uint64_t> used(layers + 1, 0);
  if (!shape.skip) {
    // Layered: a gate sits at its level, and a node read above the next layer is copied into
    // every layer between (one copy gate each, shared by its readers; an output's node up to the
    // last layer, where the output gate is its copy).
    for (gate_id g : c.gates()) ++used[c.gate_level(g)];
    for (node_id n = 1; n < c.num_nodes(); ++n)
      for (std::uint32_t l = c.level(n) + 1; l <= needed[n] && l < layers; ++l) ++used[l];
    for (std::uint32_t l = 1; l < layers; ++l)
      if (used[l] > shape.widths[l - 1]) return false;
    return true;
  }
  // Skip wires: a gate may sit in any layer after its sources' and before its readers', so the
  // gates below the outputs are placed layer by layer, those that must be placed soonest first.
  std::vector<gate_id> below;
  std::vector<std::uint32_t> deadline(c.num_nodes(), layers), layer(c.num_nodes(), 0);
  for (gate_id g : c.gates())
    if (!is_output[c.gate_node(g)]) below.push_back(g);
  for (auto g = below.rbegin(); g != below.rend(); ++g) {  // readers come after their sources
    const node_id n = c.gate_node(*g);
    deadline[n] = std::min(deadline[n], layers - 1);  // below the outputs
    for (node_id s : c.fanins(*g))
      if (c.is_gate(s)) deadline[s] = std::min(deadline[s], deadline[n] - 1);
  }
  std::vector<bool> placed(c.num_nodes(), false);
  std::size_t left = below.size();
  for (std::uint32_t l = 1; l < layers && left; ++l) {
    std::vector<gate_id> ready;
    for (gate_id g : below) {
      if (placed[c.gate_node(g)]) continue;
      bool sources_placed = true;
      for (node_id s : c.fanins(g))
        sources_placed = sources_placed && (!c.is_gate(s) || (placed[s] && layer[s] < l));
      if (sources_placed) ready.push_back(g);
    }
    std::stable_sort(ready.begin(), ready.end(), [&](gate_id a, gate_id b) { return deadline[c.gate_node(a)] < deadline[c.gate_node(b)]; });
    for (std::size_t k = 0; k < ready.size() && k < shape.widths[l - 1]; ++k) {
      placed[c.gate_node(ready[k])] = true;
      layer[c.gate_node(ready[k])] = l;
      --left;
    }
  }
  if (left) return false;
  for (gate_id g : below)
    if (layer[c.gate_node(g)] > deadline[c.gate_node(g)] || deadline[c.gate_node(g)] == 0) return false;
  return true;
}

const char* synth_method_name(synth_method m) {
  return m == synth_method::weights ? "weights" : m == synth_method::tt ? "tt" : m == synth_method::descent ? "descent" : "auto";
}

synth_method parse_synth_method(const std::string& s) {
  if (s == "weights") return synth_method::weights;
  if (s == "tt") return synth_method::tt;
  if (s == "auto") return synth_method::automatic;
  if (s == "descent") return synth_method::descent;
  throw std::invalid_argument("unknown synthesis method '" + s + "' (weights, tt, auto or descent)");
}

std::int64_t max_weight_needed(std::uint32_t fanin) {
  static constexpr std::int64_t known[] = {0, 1, 1, 2, 3, 5, 9, 18, 42};
  return fanin <= 8 ? known[fanin] : 0;
}

namespace {

using synth_detail::MajorityTemplate;
using synth_detail::ThresholdTemplate;

// How informative each input pattern is as a counterexample: the number of (output, input)
// pairs whose flip changes the output there (synth_detail::sensitivity, care-aware). Patterns on
// the function's boundary (for a majority, those with about half the inputs set) constrain a
// candidate most.
using synth_detail::sensitivity;

// The counterexample-guided loop over one template encoding: solve on a few patterns, check the
// candidate on every pattern by simulation, add the most sensitive pattern it gets wrong.
template <class Template, class... Extra>
synth_result cegar(std::uint32_t n, const multi_truth_table& truth, const std::vector<std::uint32_t>& sens, const synth_params& p,
                   double time_limit_s, Extra... extra) {
  const double c0 = thread_cpu_seconds();  // the budget and r.seconds count CPU seconds, as tt's do
  Cnf cnf;
  Template tmpl(cnf, n, truth, p, extra...);
  sat_params sp;
  sp.solver = p.solver;
  sp.cross_check = p.cross_check;
  sp.query = p.query;
  IncrementalSat sat(sp);
  std::vector<std::uint64_t> patterns;
  auto add = [&](std::uint64_t q) {
    if (std::find(patterns.begin(), patterns.end(), q) != patterns.end()) return;
    patterns.push_back(q);
    tmpl.add_pattern(q);
  };
  const synth_detail::Counterexamples cx(n, truth, p.care.get(), sens);
  const std::uint32_t rotation = p.pattern_orbits ? synth_detail::invariant_rotation(n, truth, p.care.get()) : 0;
  for (std::uint64_t q : synth_detail::initial_patterns(cx, n, p, 1)) add(q);
  synth_result r;
  r.weight_bound = tmpl.weight_bound();
  r.max_fanin = p.shape.max_fanin;
  for (;;) {
    const double used = thread_cpu_seconds() - c0;
    if (time_limit_s > 0 && used >= time_limit_s) break;
    if (p.stop && p.stop->load()) break;
    sat.set_budget(time_limit_s > 0 ? time_limit_s - used : 0, p.conflicts);
    const sat_result s = sat.solve(cnf);
    ++r.solver_calls;
    if (s.answer == sat_result::unknown) break;
    if (s.answer == sat_result::unsat) {
      r.answer = synth_result::unsat;
      r.unsat_for_all_weights = tmpl.covers_all_weights();
      if (p.proof.wanted()) {
        // The certificate of the whole claim: this CNF is the template over exactly the patterns
        // used, with no assumptions; its UNSAT implies UNSAT over all patterns (docs/provers.md).
        r.certified = synth_detail::prove_final_unsat(cnf, p, time_limit_s, r);
      }
      break;
    }
    Circuit c = tmpl.extract(s);
    const std::vector<std::uint64_t> next = synth_detail::next_patterns(cx, c, n, p, rotation);
    if (next.empty()) {
      r.answer = synth_result::sat;
      r.circuit = std::move(c);
      break;
    }
    for (std::uint64_t q : next) add(q);
  }
  r.patterns = static_cast<std::uint32_t>(patterns.size());
  r.vars = cnf.num_vars();
  r.clauses = cnf.num_clauses();
  r.seconds = thread_cpu_seconds() - c0;
  return r;
}

// The templates a circuit of `shape` reduces to once its unused gates are deleted: hidden layers
// narrowed (empty ones dropped), the output layer kept. The shape itself comes first.
std::vector<synth_shape> reduced_shapes(const synth_shape& shape) {
  std::vector<synth_shape> out{shape};
  std::vector<std::uint32_t> w(shape.widths.size() - 1, 0);
  for (;;) {
    synth_shape s = shape;
    s.widths.clear();
    for (std::uint32_t x : w)
      if (x) s.widths.push_back(x);
    s.widths.push_back(shape.widths.back());
    if (std::find_if(out.begin(), out.end(), [&](const synth_shape& o) { return o.widths == s.widths; }) == out.end())
      out.push_back(std::move(s));
    std::size_t l = 0;
    while (l < w.size() && w[l] == shape.widths[l]) w[l++] = 0;
    if (l == w.size()) break;
    ++w[l];
  }
  std::stable_sort(out.begin() + 1, out.end(), [](const synth_shape& a, const synth_shape& b) {
    auto total = [](const synth_shape& s) { return std::accumulate(s.widths.begin(), s.widths.end(), 0u); };
    return total(a) < total(b);
  });
  return out;
}

}  // namespace

bool synth_detail::prove_final_unsat(const Cnf& cnf, const synth_params& p, double time_limit_s, synth_result& r,
                                     const std::vector<std::vector<CnfLit>>& cubes, const Cnf* cover) {
  sat_params fresh;
  fresh.solver = sat_solver::cadical;
  fresh.cross_check = p.cross_check;
  fresh.time_limit_s = time_limit_s;
  sat_result again;
  r.proofs.push_back(prove_unsat(cnf, p.query, p.proof, fresh, &again, cubes, cover));
  if (again.answer == sat_result::sat)
    throw certification_error("internal error: " + p.query + " was UNSAT incrementally but is satisfiable from scratch");
  return r.proofs.back().verified;
}

bool synth_detail::depends_on(const multi_truth_table& truth, std::uint32_t i, const truth_table* care) {
  // With a care set: some cared pattern and its flip of input i, also cared, differ (exactly
  // when no function ignoring input i agrees with this one on the care set).
  for (const truth_table& t : truth) {
    if (!care) {
      if (has_var(t, i)) return true;
    } else if (!is_const0((t ^ flip(t, i)) & *care & flip(*care, i))) {
      return true;
    }
  }
  return false;
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> synth_detail::interchangeable_inputs(std::uint32_t n, const multi_truth_table& truth,
                                                                                          const truth_table* care) {
  // With a care set, the swap must map the care set onto itself too: then a circuit right on
  // the care set is right there with the two inputs renamed (and the outputs agree on the care
  // set exactly when their restrictions to it are symmetric).
  auto swap_invariant = [&](std::uint32_t i, std::uint32_t j) {
    if (care && !symmetric_in(*care, i, j)) return false;
    for (const truth_table& t : truth)
      if (!symmetric_in(care ? t & *care : t, i, j)) return false;
    return true;
  };
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  std::vector<std::uint32_t> first_of_class, last_of_class;
  for (std::uint32_t j = 0; j < n; ++j) {
    std::size_t c = 0;
    while (c < first_of_class.size() && !swap_invariant(first_of_class[c], j)) ++c;
    if (c == first_of_class.size()) {
      first_of_class.push_back(j);
      last_of_class.push_back(j);
    } else {
      out.emplace_back(last_of_class[c], j);
      last_of_class[c] = j;
    }
  }
  return out;
}

namespace synth_detail {

bool check_question(std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p) {
  const bool tt_fits = !p.shape.majority_of && !p.shape.max_weight && !p.shape.max_fanin && p.cube.empty();
  if (p.method == synth_method::tt && !tt_fits)
    throw std::invalid_argument("synth: the tt method takes general threshold gates without --max-weight, --max-fanin, --majority or cubes");
  const bool use_tt = p.method == synth_method::tt || (p.method == synth_method::automatic && tt_fits);
  const std::uint32_t most = use_tt ? 22u : p.method == synth_method::descent ? descent_max_inputs : 20u;
  if (inputs > most)
    throw std::invalid_argument("synth: at most " + std::to_string(most) + " inputs (the function is checked on every input)");
  for (const truth_table& t : truth)
    if (t.num_vars() != inputs) throw std::invalid_argument("synth: a truth table needs 2^inputs rows");
  const auto& widths = p.shape.widths;
  if (widths.empty()) throw std::invalid_argument("synth: the shape needs at least one layer");
  if (std::find(widths.begin(), widths.end(), 0u) != widths.end()) throw std::invalid_argument("synth: a layer with no gates");
  if (widths.back() != truth.size())
    throw std::invalid_argument("synth: the last layer has " + std::to_string(widths.back()) + " gates but the function has " +
                                std::to_string(truth.size()) + " outputs");
  const truth_table* care = p.care.get();
  if (care && care->num_vars() != inputs) throw std::invalid_argument("synth: the care set needs 2^inputs rows");
  if (care && is_const0(*care)) throw std::invalid_argument("synth: the care set is empty");
  return use_tt;
}

std::optional<projection> project_to_support(std::uint32_t inputs, const multi_truth_table& truth, const truth_table* care,
                                             const synth_params& p) {
  if (p.shape.majority_of) return std::nullopt;
  std::vector<std::uint32_t> support;
  for (std::uint32_t i = 0; i < inputs; ++i)
    if (depends_on(truth, i, care)) support.push_back(i);
  if (support.empty() || support.size() == inputs) return std::nullopt;
  // With a care set, the projection must be one function: every two cared patterns that agree
  // on the support agree on every output (input by input this can fail); otherwise no projection.
  const auto k = static_cast<std::uint32_t>(support.size());
  multi_truth_table projected(truth.size(), truth_table(k));
  truth_table projected_care(care ? k : 0);
  std::uint64_t mask = 0;
  for (std::uint32_t i : support) mask |= std::uint64_t(1) << i;
  for (std::uint64_t full = 0; full < (std::uint64_t(1) << inputs); ++full) {
    if (care ? !get_bit(*care, full) : (full & ~mask) != 0) continue;
    std::uint64_t q = 0;
    for (std::size_t j = 0; j < support.size(); ++j) q |= ((full >> support[j]) & 1u) << j;
    for (std::size_t o = 0; o < truth.size(); ++o) {
      if (care && get_bit(projected_care, q) && get_bit(projected[o], q) != get_bit(truth[o], full)) return std::nullopt;
      set_bit(projected[o], q, get_bit(truth[o], full));
    }
    if (care) set_bit(projected_care, q);
  }
  projection pr{std::move(support), std::move(projected), p};
  if (care) pr.params.care = std::make_shared<const truth_table>(std::move(projected_care));
  return pr;
}

Circuit lift_to_inputs(const Circuit& c, std::uint32_t inputs, const std::vector<std::uint32_t>& support) {
  Builder b;
  std::vector<Lit> in;
  for (std::uint32_t i = 0; i < inputs; ++i) b.add_input("x" + std::to_string(i));
  for (std::uint32_t i : support) in.push_back(b.input(i));
  const std::vector<Lit> outs = append_circuit(b, c, in);
  for (std::size_t o = 0; o < outs.size(); ++o) b.add_output(outs[o], "y" + std::to_string(o));
  return std::move(b).build();
}

}  // namespace synth_detail

static synth_result exact_synthesis(std::uint32_t inputs, const multi_truth_table& truth, const truth_table* care, bool use_tt,
                                    const synth_params& p);

synth_result synthesize(std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p) {
  // tt takes general threshold gates with no weight or fan-in bound (it has no weights to bound).
  // A cube fixes weight signs, which tt does not have. Proofs: tt's answer is certified by a DRAT
  // proof of its final CNF and a soundness check of every clause (provers/tt_certify.hpp), its
  // symmetry breaking by the rules' premises (docs/provers.md, "Certified symmetry breaking").
  const bool use_tt = synth_detail::check_question(inputs, truth, p);
  const truth_table* care = p.care.get();
  if (care && is_const0(~*care)) {
    synth_params total = p;  // every pattern cared: the total function
    total.care.reset();
    return synthesize(inputs, truth, total);
  }
  // Inputs the function ignores are left out (synth_detail::project_to_support).
  if (std::optional<synth_detail::projection> pr = synth_detail::project_to_support(inputs, truth, care, p)) {
    synth_result r = synthesize(static_cast<std::uint32_t>(pr->support.size()), pr->truth, pr->params);
    if (r.answer == synth_result::sat) r.circuit = synth_detail::lift_to_inputs(r.circuit, inputs, pr->support);
    return r;
  }
  const bool descent_first = p.descent.time_limit_s > 0 || p.descent.restarts > 0;
  // With the descent method, time_limit_s is its budget (descent.restarts may bound it further).
  if (p.method == synth_method::descent && p.descent.time_limit_s > 0)
    throw std::invalid_argument("synth: descent's own budget runs it before SAT; with the descent method, time_limit_s is its budget");
  if (p.method != synth_method::descent && !descent_first) return exact_synthesis(inputs, truth, care, use_tt, p);
  descent_params dp = p.descent;
  if (p.method == synth_method::descent) dp.time_limit_s = p.time_limit_s;
  if (dp.time_limit_s <= 0 && dp.restarts == 0) throw std::invalid_argument("synth: the descent method needs a time limit");
  dp.seed = p.seed;
  dp.stop = p.stop;
  check_descent_question(inputs, truth, care, p.shape, dp);  // before any work
  // Before descent, the exact method for a moment: small shapes (a frontier's first sizes) are
  // settled in well under a second, where descent could only spend its whole budget. Not with
  // proofs (the question would be asked, and its proof files written, twice).
  double quick_seconds = 0;
  if (p.method != synth_method::descent && !p.proof.wanted()) {
    constexpr double quick_s = 1;
    synth_params quick = p;
    quick.time_limit_s = p.time_limit_s > 0 ? std::min(p.time_limit_s, quick_s) : quick_s;
    synth_result r = exact_synthesis(inputs, truth, care, use_tt, quick);
    if (r.answer != synth_result::unknown) return r;
    quick_seconds = r.seconds;
  }
  // Descent: it can only find a circuit, so on failure the exact method asks the question whole
  // with what is left of its budget.
  descent_result d = find_by_descent(inputs, truth, care, p.shape, dp);
  synth_result r;
  if (d.circuit || p.method == synth_method::descent) {
    r.method = synth_method::descent;
    r.answer = d.circuit ? synth_result::sat : synth_result::unknown;
    if (d.circuit) r.circuit = std::move(*d.circuit);
  } else {
    synth_params rest = p;
    if (p.time_limit_s > 0) rest.time_limit_s = std::max(p.time_limit_s - quick_seconds, 1e-3);
    r = exact_synthesis(inputs, truth, care, use_tt, rest);
  }
  r.descent_restarts = d.stats.restarts;
  r.descent_repairs = d.stats.repairs;
  r.descent_repaired = d.circuit && d.stats.repaired;
  r.descent_best_errors = d.circuit || d.stats.best_errors == ~std::uint64_t(0) ? 0 : d.stats.best_errors;
  r.descent_seconds = d.stats.seconds;
  r.seconds += d.stats.seconds + quick_seconds;
  return r;
}

// The question put to SAT (or to the majority templates one by one): synthesize() after the
// checks, the projection and descent.
static synth_result exact_synthesis(std::uint32_t inputs, const multi_truth_table& truth, const truth_table* care, bool use_tt,
                                    const synth_params& p) {
  const std::vector<std::uint32_t> sens = sensitivity(inputs, truth, care);
  if (p.shape.majority_of && !p.cube.empty()) throw std::invalid_argument("synth: cubes fix threshold weights; not for --majority");
  if (use_tt) return synth_detail::synthesize_tt(inputs, truth, sens, p);
  if (!p.shape.majority_of) return cegar<ThresholdTemplate>(inputs, truth, sens, p, p.time_limit_s);
  if (!p.symmetry_breaking || !p.shape.skip) return cegar<MajorityTemplate>(inputs, truth, sens, p, p.time_limit_s, false);
  // With skip wires, a circuit with an unused gate is one of a narrower template with that gate
  // deleted. So ask every reduced template for a circuit whose gates are all used: far easier
  // to refute, and together exactly the original question.
  const double c0 = thread_cpu_seconds();
  synth_result total;
  total.answer = synth_result::unsat;
  total.unsat_for_all_weights = true;
  total.weight_bound = 1;
  total.max_fanin = p.shape.max_fanin;
  const std::vector<synth_shape> reduced = reduced_shapes(p.shape);
  total.certified = p.proof.certify;
  for (const synth_shape& shape : reduced) {
    const double used = thread_cpu_seconds() - c0;
    if (p.time_limit_s > 0 && used >= p.time_limit_s) {
      total.answer = synth_result::unknown;
      break;
    }
    synth_params sp = p;
    sp.shape = shape;
    if (&shape != &reduced.front()) sp.query = p.query + "-r" + std::to_string(&shape - &reduced.front());
    synth_result r = cegar<MajorityTemplate>(inputs, truth, sens, sp, p.time_limit_s > 0 ? p.time_limit_s - used : 0, true);
    total.solver_calls += r.solver_calls;
    total.patterns += r.patterns;
    total.vars += r.vars;
    total.clauses += r.clauses;
    total.proofs.insert(total.proofs.end(), r.proofs.begin(), r.proofs.end());
    total.certified = total.certified && r.certified;
    if (r.answer == synth_result::sat) {
      total.answer = synth_result::sat;
      total.circuit = std::move(r.circuit);
      break;
    }
    if (r.answer == synth_result::unknown) total.answer = synth_result::unknown;
  }
  total.seconds = thread_cpu_seconds() - c0;
  total.certified = total.certified && total.answer == synth_result::unsat;
  return total;
}

}  // namespace tcx

namespace tcx {

namespace {

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Every way to write `total` as `parts` positive numbers, in order.
void compositions(std::uint32_t total, std::uint32_t parts, std::vector<std::uint32_t>& cur,
                  std::vector<std::vector<std::uint32_t>>& out) {
  if (parts == 0) {
    if (total == 0) out.push_back(cur);
    return;
  }
  for (std::uint32_t first = 1; first + (parts - 1) <= total; ++first) {
    cur.push_back(first);
    compositions(total - first, parts - 1, cur, out);
    cur.pop_back();
  }
}

}  // namespace

frontier_answer frontier_question(std::uint32_t inputs, const multi_truth_table& truth, const frontier_params& p,
                                  std::uint32_t d, std::uint32_t g, const std::atomic<bool>* stop) {
  const std::uint32_t outputs = static_cast<std::uint32_t>(truth.size());
  if (d < 1 || g < outputs + d - 1) throw std::invalid_argument("frontier: no template of that depth and size");
  const double t0 = process_cpu_seconds();
  std::vector<std::vector<std::uint32_t>> splits;
  std::vector<std::uint32_t> cur;
  compositions(g - outputs, d - 1, cur, splits);
  // The splits are independent questions: a portfolio solves them in parallel (one solver
  // each) and the answer is read in enumeration order, so it does not depend on timing.
  std::vector<synth_result> results(splits.size());
  tbb::parallel_for(std::size_t(0), splits.size(), [&](std::size_t k) {
    synth_params sp;
    sp.shape.widths = splits[k];
    sp.shape.widths.push_back(outputs);
    sp.shape.skip = p.skip;
    sp.method = p.method;
    sp.time_limit_s = p.time_limit_per_query_s;
    sp.solver = p.solver;
    sp.cross_check = p.cross_check;
    sp.proof = p.proof;
    sp.stop = stop;
    sp.care = p.care;
    sp.counterexamples_per_round = p.counterexamples_per_round;
    sp.pattern_orbits = p.pattern_orbits;
    sp.tt = p.tt;
    if (sp.tt.cube_inputs == tt_params::cubes_output && !tt_params::output_cubes_fit(sp.shape, outputs))
      sp.tt.cube_inputs = tt_params::cubes_auto;  // the split fits layered k,1 templates only
    sp.descent = p.descent;
    sp.query = p.query + "-d" + std::to_string(d) + "-g" + std::to_string(g) + "-w";
    for (std::size_t l = 0; l < sp.shape.widths.size(); ++l) sp.query += (l ? "x" : "") + std::to_string(sp.shape.widths[l]);
    results[k] = synthesize(inputs, truth, sp);
  });
  frontier_answer a;
  a.refuted = a.certified = true;
  for (const synth_result& r : results) {
    if (r.answer == synth_result::sat) a.found = true;
    // UNSAT counts only when it covers every weight (fan-in <= 8 without a weight bound).
    if (r.answer != synth_result::unsat || !r.unsat_for_all_weights) a.refuted = false;
    a.certified = a.certified && r.certified;
  }
  a.seconds = process_cpu_seconds() - t0;
  return a;
}

std::optional<std::vector<frontier_cell>> frontier_walk(
    std::uint32_t outputs, const frontier_params& p,
    const std::function<std::optional<frontier_answer>(std::uint32_t, std::uint32_t)>& ask) {
  constexpr std::uint32_t all = ~0u;
  // For the templates of exactly d layers: the fewest gates found (0: none), and the size below
  // which every one is refuted for all weights (all: every size).
  std::vector<std::uint32_t> found(p.max_depth + 1, 0), refuted_below(p.max_depth + 1, 0);
  std::vector<std::uint32_t> certified_below(p.max_depth + 1, 0);  // the same, every refutation checked
  std::vector<frontier_cell> cells;
  std::uint32_t best = 0;  // the fewest gates at any depth so far
  for (std::uint32_t d = 1; d <= p.max_depth; ++d) {
    double seconds = 0;
    // A d-layer template has at least outputs + d - 1 gates; only sizes below the best of the
    // shallower depths can improve the cell.
    const std::uint32_t smallest = outputs + d - 1;
    refuted_below[d] = certified_below[d] = smallest;
    const std::uint32_t largest = std::min(p.max_gates, best ? best - 1 : p.max_gates);
    for (std::uint32_t g = smallest; g <= largest && !found[d]; ++g) {
      const std::optional<frontier_answer> a = ask(d, g);
      if (!a) return std::nullopt;
      seconds += a->seconds;
      if (a->found) found[d] = g;
      if (a->refuted && refuted_below[d] == g) {
        refuted_below[d] = g + 1;
        if (a->certified && certified_below[d] == g) certified_below[d] = g + 1;
      }
    }
    if (d == 1 && refuted_below[1] > smallest) refuted_below[1] = all;  // one layer holds exactly the outputs
    if (d == 1 && certified_below[1] > smallest) certified_below[1] = all;
    if (found[d] && (!best || found[d] < best)) best = found[d];
    // The cell: the fewest gates at depth <= d, proven when every smaller size is refuted at
    // every depth up to d.
    frontier_cell cell;
    cell.seconds = seconds;
    const std::uint32_t target = best ? best : p.max_gates + 1;
    bool proven = true, certified = true;
    for (std::uint32_t e = 1; e <= d; ++e) proven = proven && refuted_below[e] >= target;
    for (std::uint32_t e = 1; e <= d; ++e) certified = certified && certified_below[e] >= target;
    cell.certified = proven && certified && p.proof.certify;
    if (best) {
      cell.status = proven ? frontier_cell::proven_minimal : frontier_cell::found;
      cell.gates = best;
    } else {
      cell.status = proven ? frontier_cell::none_within_budget : frontier_cell::unknown;
      cell.gates = p.max_gates;
    }
    // Every size below at_least is refuted at every depth so far (capped past the budget).
    cell.at_least = p.max_gates + 1;
    for (std::uint32_t e = 1; e <= d; ++e) cell.at_least = std::min(cell.at_least, refuted_below[e] == all ? p.max_gates + 1 : refuted_below[e]);
    if (proven && best) cell.at_least = best;
    if (!best && !proven) cell.gates = cell.at_least - 1;  // "?>k"
    cells.push_back(cell);
  }
  return cells;
}

bool frontier_question_asked(std::uint32_t outputs, const frontier_params& p, std::uint32_t d, std::uint32_t g,
                             const std::function<bool(std::uint32_t, std::uint32_t)>& found) {
  if (d < 1 || d > p.max_depth || g < outputs + d - 1 || g > p.max_gates) return false;
  for (std::uint32_t e = 1; e <= d; ++e)
    for (std::uint32_t h = outputs + e - 1; h <= g; ++h)
      if ((e < d || h < g) && found(e, h)) return false;
  return true;
}

std::vector<frontier_cell> frontier(std::uint32_t inputs, const multi_truth_table& truth,
                                    const frontier_params& p) {
  const auto outputs = static_cast<std::uint32_t>(truth.size());
  std::vector<frontier_cell> cells = *frontier_walk(outputs, p, [&](std::uint32_t d, std::uint32_t g) -> std::optional<frontier_answer> {
    return frontier_question(inputs, truth, p, d, g);
  });
  return p.tighten_s > 0 ? frontier_tighten(inputs, truth, p, std::move(cells)) : cells;
}

std::vector<frontier_cell> frontier_tighten(std::uint32_t inputs, const multi_truth_table& truth, const frontier_params& p,
                                            std::vector<frontier_cell> cells) {
  if (!(p.tighten_s > 0)) return cells;
  frontier_params dp = p;
  dp.method = synth_method::descent;
  dp.time_limit_per_query_s = p.tighten_s;
  dp.descent.time_limit_s = 0;
  const auto outputs = static_cast<std::uint32_t>(truth.size());
  auto is_circuit = [](const frontier_cell& c) {
    return c.status == frontier_cell::found || c.status == frontier_cell::proven_minimal;
  };
  for (std::size_t k = 0; k < cells.size(); ++k) {
    frontier_cell& c = cells[k];
    const auto d = static_cast<std::uint32_t>(k + 1);
    if (k > 0 && is_circuit(cells[k - 1]) && is_circuit(c) && cells[k - 1].gates < c.gates) {
      c.tightened_by += c.gates - cells[k - 1].gates;
      c.gates = cells[k - 1].gates;
    }
    while (c.status == frontier_cell::found && c.gates > c.at_least && c.gates - 1 >= outputs + d - 1) {
      const frontier_answer a = frontier_question(inputs, truth, dp, d, c.gates - 1);
      c.seconds += a.seconds;
      if (!a.found) break;
      --c.gates;
      ++c.tightened_by;
    }
    if (c.status == frontier_cell::found && c.gates == c.at_least) {
      c.status = frontier_cell::proven_minimal;
      c.certified = false;
    }
  }
  return cells;
}

std::vector<budget_depth> smallest_depth_by_budget(const std::vector<frontier_cell>& cells, std::uint32_t max_gates) {
  std::vector<budget_depth> out;
  for (std::uint32_t G = 1; G <= max_gates; ++G) {
    budget_depth b;
    b.proven = true;
    bool certified = true;  // a found circuit is verified; the refutations below it need proofs
    for (std::size_t d = 0; d < cells.size(); ++d) {
      const frontier_cell& c = cells[d];
      if ((c.status == frontier_cell::proven_minimal || c.status == frontier_cell::found) && c.gates <= G) {
        b.depth = static_cast<std::uint32_t>(d + 1);
        break;
      }
      certified = certified && c.certified;
      // Proven to need more than G: none within the budget, minimal above G, or open with every
      // size up to G already refuted ("?>k", k >= G).
      b.proven = b.proven && (c.status == frontier_cell::none_within_budget ||
                              (c.status == frontier_cell::proven_minimal && c.gates > G) ||
                              (c.status == frontier_cell::unknown && c.gates >= G));
    }
    b.certified = b.proven && certified;
    out.push_back(b);
  }
  return out;
}

std::string frontier_cell_text(const frontier_cell& c) {
  switch (c.status) {
    case frontier_cell::proven_minimal: return std::to_string(c.gates) + "*";
    case frontier_cell::found: return std::to_string(c.at_least) + ".." + std::to_string(c.gates);
    case frontier_cell::none_within_budget: return "-";
    default: return "?>" + std::to_string(c.gates);
  }
}

const char* frontier_status_name(frontier_cell::Status s) {
  return s == frontier_cell::proven_minimal ? "proven_minimal"
         : s == frontier_cell::found        ? "found"
         : s == frontier_cell::none_within_budget ? "none"
                                                  : "unknown";
}

std::string budget_depth_text(const budget_depth& b) {
  return b.depth ? std::to_string(b.depth) + (b.proven ? "*" : "") : (b.proven ? "-" : "?");
}

}  // namespace tcx

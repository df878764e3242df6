// The truth-table method of bounded synthesis: gate values per pattern in SAT, thresholdness
// checked exactly outside it, certificates of non-thresholdness as clauses (lazy clause
// generation), input patterns added counterexample-guided.
#include "provers/synth_tt.hpp"

#include <algorithm>
#include <cmath>
#include <array>
#include <bit>
#include <span>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <exception>
#include <functional>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "circuits/builder.hpp"
#include "circuits/interrupt.hpp"
#include "circuits/simulate.hpp"
#include "provers/separable.hpp"
#include "provers/separable_float.hpp"
#include "provers/synth_cex.hpp"
#include "provers/synth_template.hpp"
#include "provers/synth_tt_cubes.hpp"
#include "provers/synth_tt_lemmas.hpp"
#include "provers/threshold_classes.hpp"
#include "provers/tt_certify.hpp"
#include "provers/tt_cube_solver.hpp"
#include "provers/proof.hpp"

namespace tcx::synth_detail {

namespace {

// The tt loop asks thousands of small incremental questions (one per candidate model), where
// CryptoMiniSat spends about 17 ms a call in its own bookkeeping (measured: parity of 5, 4,1
// layered, 1038 calls, 17.5 of 20 s in solve); CaDiCaL answers them with next to no overhead:
// IncrementalSat's CaDiCaL backend, in its default mode (its calls are sat and unsat alike).
sat_params tt_sat_params() {
  sat_params p;
  p.solver = sat_solver::cadical;
  p.cadical_stable_only = false;
  return p;
}

class TtSynth {
public:
  TtSynth(std::uint32_t n, const multi_truth_table& truth, const synth_params& p, const std::vector<const truth_table*>& fixed)
      : n_(n), truth_(truth), p_(p), sources_(template_sources(n, p.shape)), fixed_(fixed) {
    if (!fixed_.empty() && p.symmetry_breaking)
      throw std::logic_error("synth tt: gates with given functions need symmetry breaking off (a given gate need not be normalized)");
    const std::size_t G = sources_.size(), O = truth.size();
    for (std::uint32_t l = 0; l < p.shape.widths.size(); ++l)
      for (std::uint32_t k = 0; k < p.shape.widths[l]; ++k) layer_.push_back(l);
    output_.assign(G, false);
    for (std::size_t g = G - O; g < G; ++g) output_[g] = true;
    val_.resize(G);
    lex_equal_.assign(G, Cnf::true_lit());
    // Per gate and input it reads: the sign of its weight on that input (1: >= 0).
    polarity_.assign(G, std::vector<CnfLit>(n, 0));
    for (std::size_t g = 0; g < G; ++g)
      for (std::int64_t src : sources_[g])
        if (src < 0) polarity_[g][static_cast<std::size_t>(-1 - src)] = mean(cnf_.new_var(), {tt_var_meaning::polarity, std::uint32_t(g), std::uint32_t(-1 - src)});
    // Per gate and source gate it reads: the sign of its weight there (1: >= 0), when the eager
    // clauses use it (tt_params::signed_sources).
    src_pol_.assign(G, std::vector<CnfLit>(G, 0));
    signed_ = p.tt.signed_sources;
    if (signed_)
      for (std::size_t g = 0; g < G; ++g)
        for (std::int64_t src : sources_[g])
          if (src >= 0)
            src_pol_[g][static_cast<std::size_t>(src)] =
                mean(cnf_.new_var(), {tt_var_meaning::source_sign, std::uint32_t(g), std::uint32_t(src)});
    order_.assign(G, std::vector<CnfLit>(std::size_t(n) * n, 0));
    if (p.tt.eager_faces && p.tt.order_axioms)
      for (std::size_t g = 0; g < G; ++g) {
        add_weight_order_axioms(cnf_, n, polarity_[g], order_[g]);
        for (std::uint32_t a = 0; a < n; ++a)
          for (std::uint32_t b = a + 1; b < n; ++b)
            if (CnfLit o = order_[g][std::size_t(a) * n + b]) mean(o, {tt_var_meaning::order, std::uint32_t(g), a, b});
      }
    output_cubes_ = p.tt.cube_inputs == tt_params::cubes_output;
    if (output_cubes_) add_output_table();
    if (p.symmetry_breaking && p.tt.input_symmetry) add_input_symmetry();
    // Complement symmetry, one of two rules per hidden gate h (docs/provers.md, "Signed sources"):
    // with a sign variable on h in an output gate r that reads it, r's weight on h is >= 0;
    // otherwise h is 0 on the first pattern (add_pattern).
    sign_fixed_.assign(G, false);
    if (signed_ && p.tt.sign_symmetry && p.symmetry_breaking)
      for (std::size_t r = 0; r < G; ++r) {
        if (!output_[r]) continue;
        for (std::int64_t src : sources_[r]) {
          if (src < 0) continue;
          const auto h = static_cast<std::size_t>(src);
          if (sign_fixed_[h] || (h == norm_gate_ && input_normalized_ && !output_cubes_)) continue;
          cnf_.add({src_pol_[r][h]});
          sign_fixed_[h] = true;
          symmetry_.reader_sign.emplace_back(std::uint32_t(h), std::uint32_t(r));
        }
      }
    // With output cubes every cube's function is positive in every hidden gate: that is the
    // complement rule of them all.
    if (output_cubes_)
      for (std::size_t h = 0; h + 1 < G; ++h) sign_fixed_[h] = true;
  }

  // --tt-cubes output (docs/provers.md, "Cubes on the output's function"). In a layered k,1
  // template the output reads only the k hidden gates, which read the same inputs: complementing
  // a hidden gate (the output's weight there negated) and renaming hidden gates keep a circuit a
  // circuit. So some circuit of every class has an output positive in every hidden gate with
  // the strongest first: a regular threshold function of k variables, one per cube. Variables
  // out_table_[c], the output's value on hidden code c, carry the cube; add_pattern ties them to
  // the gate values. Within a cube only hidden gates the function treats alike may still be
  // renamed: swap_ok_[i], true exactly when it is symmetric in gates i and i + 1, starts the
  // layer order of that pair (add_pattern). The table is positive and regular by clauses too, and
  // swap_ok_ defined from it, so the cubes cover every assignment the CNF allows: a proof through
  // them (certified runs) checks the cover (every regular function of k <= 8 variables is a
  // threshold function, so a gap in the list would show as a model), and the proof checker
  // regenerates these clauses from the declared rule (tt_certify.hpp, output_regular).
  void add_output_table() {
    if (!tt_params::output_cubes_fit(p_.shape, truth_.size()))
      throw std::invalid_argument("--tt-cubes output: needs a layered template k,1 with one output and k <= " +
                                  std::to_string(max_threshold_class_vars) + " (no --skip)");
    if (!p_.symmetry_breaking || !fixed_.empty())
      throw std::invalid_argument("--tt-cubes output: rests on the hidden gates' symmetries, so it needs symmetry breaking on");
    const std::uint32_t k = p_.shape.widths[0], out = static_cast<std::uint32_t>(sources_.size() - 1);
    for (std::uint32_t c = 0; c < (1u << k); ++c) out_table_.push_back(mean(cnf_.new_var(), {tt_var_meaning::output_value, out, c}));
    const auto& o = out_table_;
    auto add = [&](std::span<const CnfLit> c) {  // in the CNF, and in the clauses the cubes' cover follows from
      cnf_.add(c);
      cover_.add(c);
    };
    auto add2 = [&](CnfLit a, CnfLit b) { add(std::array<CnfLit, 2>{a, b}); };
    for (std::uint32_t c = 0; c < (1u << k); ++c)
      for (std::uint32_t i = 0; i < k; ++i) {
        if (!((c >> i) & 1u)) add2(-o[c], o[c | (1u << i)]);  // positive
        if (i + 1 < k && ((c >> (i + 1)) & 1u) && !((c >> i) & 1u)) add2(-o[c], o[c ^ (3u << i)]);  // i at least as strong as i + 1
      }
    for (std::uint32_t i = 0; i + 1 < k; ++i) {
      const CnfLit sym = mean(cnf_.new_var(), {tt_var_meaning::output_symmetric, out, i});
      std::vector<CnfLit> some_witness{sym};
      for (std::uint32_t c = 0; c < (1u << k); ++c) {
        if ((c >> i) & 1u || !((c >> (i + 1)) & 1u)) continue;
        const std::uint32_t swapped = c ^ (3u << i);
        add(std::array<CnfLit, 3>{-sym, -o[swapped], o[c]});
        const CnfLit b = mean(cnf_.new_var(), {tt_var_meaning::output_asymmetric, out, i, 0, {c}});
        add2(-b, o[swapped]);
        add2(-b, -o[c]);
        some_witness.push_back(b);
      }
      add(some_witness);
      swap_ok_.push_back(sym);
      lex_equal_[i] = sym;
    }
    symmetry_.output_regular = out;
    // A self-dual function: of two dual tables the larger is ruled out (tt_params::dual_cubes,
    // tt_symmetry::dual_blocked), one clause each: some o[c] differs from it.
    classes_ = positive_threshold_classes(k);
    if (p_.tt.dual_cubes && self_dual()) {
      for (const std::uint64_t h : classes_)
        if (const std::uint64_t d = dual_of(h, k); d < h && std::binary_search(classes_.begin(), classes_.end(), d)) {
          std::vector<CnfLit> differs;
          for (std::uint32_t c = 0; c < (1u << k); ++c) differs.push_back((h >> c) & 1u ? -o[c] : o[c]);
          add(differs);
          symmetry_.dual_blocked.push_back(h);
        }
    }
    // The input symmetries normalize the second-strongest hidden gate, not the strongest: where
    // the output is y0 AND (...) or y0 OR (...) the strongest is all but fixed by the function
    // and its normalization buys nothing (parity of 7, 6,1: 193 cubes in 362 s instead of 87
    // in 424 s; docs/perf.md).
    if (k >= 2) norm_gate_ = 1;
  }

  // Whether complementing every input complements the output, on a care set closed under it.
  // Then the dual of a circuit (each hidden gate h replaced by not h(not x), threshold too, and
  // the output g by not g(not y)) computes the function as well: a circuit whose output is in
  // g's class exists exactly when one in the dual class does.
  bool self_dual() const {
    if (truth_.size() != 1) return false;
    truth_table mirrored = truth_[0];  // x -> f(not x)
    std::optional<truth_table> care;
    if (p_.care) care = *p_.care;
    for (std::uint32_t i = 0; i < n_; ++i) {
      mirrored = flip(mirrored, i);
      if (care) care = flip(*care, i);
    }
    if (care && !(*care == *p_.care)) return false;
    const truth_table agree = ~(mirrored ^ truth_[0]);  // where f(not x) = f(x)
    return is_const0(care ? agree & *care : agree);
  }

public:
  // The output cubes' assumptions, one per regular threshold function of the hidden gates but
  // those ruled out as the larger of two duals (tt_params::dual_cubes).
  std::vector<std::vector<CnfLit>> output_cubes() const {
    const auto k = static_cast<std::uint32_t>(swap_ok_.size() + 1);
    const std::vector<std::uint64_t>& blocked = symmetry_.dual_blocked;  // sorted, as the classes
    std::vector<std::vector<CnfLit>> cubes;
    for (const std::uint64_t h : classes_) {
      if (std::binary_search(blocked.begin(), blocked.end(), h)) continue;
      std::vector<CnfLit> cube;
      for (std::uint32_t c = 0; c < out_table_.size(); ++c) cube.push_back((h >> c) & 1u ? out_table_[c] : -out_table_[c]);
      for (std::uint32_t i = 0; i < swap_ok_.size(); ++i) cube.push_back(symmetric_in(h, k, i, i + 1) ? swap_ok_[i] : -swap_ok_[i]);
      cubes.push_back(std::move(cube));
    }
    return cubes;
  }
  bool output_cubes_on() const { return output_cubes_; }
  const Cnf* cover() const { return output_cubes_ ? &cover_ : nullptr; }

  // The function's own input symmetries. If negating input i leaves every output the same or
  // complemented (on the care set, itself unchanged), a circuit with input i negated computes
  // the function too once those outputs are complemented: same shape, every gate still a
  // threshold gate (a negated input's weight moves into the threshold). Likewise a circuit with
  // two interchangeable inputs renamed. So one gate of the first layer (norm_gate_: the first,
  // or under output cubes the second) may be taken with weights >= 0 on every negatable input,
  // then sorted (w_a >= w_b) within each class of interchangeable inputs wholly negatable or
  // wholly not (renaming keeps those signs). That gate then leaves the complement rule and its layer's order (the other gates still follow
  // both, normalized after it: complementing them or reordering them does not touch its weights).
  // Parity: its first gate is one of the few threshold functions with n sorted nonnegative
  // weights instead of one of all 2^n n! images of each.
  void add_input_symmetry() {
    if (p_.shape.widths.size() < 2 || output_[0]) return;
    const truth_table* care = p_.care.get();
    auto same = [&](const truth_table& a, const truth_table& b) { return care ? is_const0((a ^ b) & *care) : a == b; };
    std::vector<bool> negatable(n_, false), complementing(n_, false);
    for (std::uint32_t i = 0; i < n_; ++i) {
      if (care && !(flip(*care, i) == *care)) continue;
      negatable[i] = std::all_of(truth_.begin(), truth_.end(), [&](const truth_table& t) {
        const truth_table f = flip(t, i);
        return same(f, t) || same(f, ~t);
      });
      complementing[i] = negatable[i] && !same(flip(truth_[0], i), truth_[0]);
    }
    // With output cubes the output's function is fixed, so an input negation that complements
    // the function cannot be undone at the output: only pairs of them are free, which leave at
    // most one such weight negative, moved to the last of them (a class's last member, sorted).
    std::uint32_t odd_one = n_;
    if (output_cubes_)
      for (std::uint32_t i = 0; i < n_; ++i)
        if (complementing[i]) odd_one = i;
    // Classes of interchangeable inputs, as chains of consecutive members (synth_template.hpp).
    const auto pairs = interchangeable_inputs(n_, truth_, care);
    std::vector<std::uint32_t> cls(n_);
    for (std::uint32_t i = 0; i < n_; ++i) cls[i] = i;
    for (const auto& [a, b] : pairs) cls[b] = cls[a];
    std::vector<bool> mixed(n_, false);  // per class (its first member): some members negatable, some not
    for (std::uint32_t i = 0; i < n_; ++i) mixed[cls[i]] = mixed[cls[i]] || negatable[i] != negatable[cls[i]];
    std::vector<CnfLit> units;
    tt_symmetry rule;  // what normalizing gate 0 declares
    double gain = 0;   // log2 of the images of gate 0's weights it rules out (ties aside)
    std::vector<std::uint32_t> sorted(n_, 1);  // per class: members sorted so far
    for (std::uint32_t i = 0; i < n_; ++i)
      if (negatable[i] && !mixed[cls[i]] && polarity_[norm_gate_][i] && i != odd_one) {
        units.push_back(polarity_[norm_gate_][i]);
        rule.nonnegative.push_back(i);
        gain += 1;
      }
    for (const auto& [a, b] : pairs)
      if (!mixed[cls[a]] && order_[norm_gate_][std::size_t(a) * n_ + b]) {
        units.push_back(order_[norm_gate_][std::size_t(a) * n_ + b]);
        rule.sorted.emplace_back(a, b);
        gain += std::log2(double(++sorted[cls[a]]));
      }
    // Gate 0 then leaves the complement rule (a factor 2) and its layer's order (a factor of the
    // layer's width): worth it only for a larger group. (A word problem's cyclic symmetry, 3
    // images against 6 for S_3's 3 letters in 3,1, made the search 3 times slower; docs/perf.md,
    // "Certified symmetry breaking".)
    const double loss = 1 + std::log2(double(p_.shape.widths[0]));
    if (units.empty() || (gain <= loss && !output_cubes_)) return;
    for (CnfLit u : units) cnf_.add({u});
    symmetry_.normalized = norm_gate_;
    symmetry_.nonnegative = std::move(rule.nonnegative);
    symmetry_.sorted = std::move(rule.sorted);
    input_normalized_ = true;
  }

  // What the variables stand for (tt_certify.hpp), for the soundness check of certified answers.
  tt_encoding encoding() const {
    tt_encoding e;
    e.inputs = n_;
    e.sources = sources_;
    e.patterns = patterns_;
    e.vars = meaning_;
    e.vars.resize(std::size_t(cnf_.num_vars()) + 1);
    e.symmetry = symmetry_;
    return e;
  }

  Cnf& cnf() { return cnf_; }
  const Cnf& cnf() const { return cnf_; }
  CnfLit polarity(std::size_t g, std::uint32_t i) const { return polarity_[g][i]; }
  std::size_t gates() const { return sources_.size(); }
  const std::vector<std::uint64_t>& patterns() const { return patterns_; }
  std::uint64_t lemmas() const { return lemmas_; }

  bool has(std::uint64_t q) const { return index_.count(q) != 0; }

  // The gates' values on one more pattern: free for hidden gates, the function's for outputs.
  void add_pattern(std::uint64_t q) {
    const std::size_t k = patterns_.size(), G = sources_.size(), O = truth_.size();
    patterns_.push_back(q);
    index_.emplace(q, k);
    for (std::size_t g = 0; g < G; ++g) {
      CnfLit v;
      if (output_[g]) v = get_bit(truth_[g - (G - O)], q) ? Cnf::true_lit() : Cnf::false_lit();
      else if (g < fixed_.size() && fixed_[g]) v = get_bit(*fixed_[g], q) ? Cnf::true_lit() : Cnf::false_lit();
      else {
        v = mean(cnf_.new_var(), {tt_var_meaning::value, std::uint32_t(g), 0, 0, {std::uint32_t(k)}});
        // A hidden gate can be complemented (its readers adjust their weights, their functions
        // over the patterns unchanged): keep the one that is 0 on the first pattern.
        if (p_.symmetry_breaking && k == 0 && !sign_fixed_[g] && !(g == norm_gate_ && input_normalized_)) {
          cnf_.add({-v});
          symmetry_.zero_first.push_back(std::uint32_t(g));
        }
      }
      val_[g].push_back(v);
    }
    // Output cubes: the output's value on this pattern's hidden code is the function's.
    if (output_cubes_ && (!p_.care || get_bit(*p_.care, q))) {
      const bool label = get_bit(truth_[0], q);
      for (std::uint32_t c = 0; c < out_table_.size(); ++c) {
        std::vector<CnfLit> clause;
        for (std::uint32_t i = 0; i < swap_ok_.size() + 1; ++i) clause.push_back((c >> i) & 1u ? -val_[i][k] : val_[i][k]);
        clause.push_back(label ? out_table_[c] : -out_table_[c]);
        add_simplified(clause);
      }
    }
    add_unate(k);
    if (p_.tt.eager_faces) {
      add_faces(k);
      add_order(k);
    }
    if (!p_.symmetry_breaking) return;
    // The hidden gates of one layer are interchangeable (same sources, readers permute their
    // weights): keep the order whose value columns, patterns in the order added, are
    // lexicographically non-decreasing. Every prefix of that order is then non-decreasing too,
    // so the constraint on the patterns in play at any time holds for one circuit of each class.
    for (std::size_t g = 0; g + 1 < G; ++g) {
      if (output_[g + 1] || layer_[g] != layer_[g + 1] || ((g == norm_gate_ || g + 1 == norm_gate_) && input_normalized_)) continue;
      const CnfLit a = val_[g][k], b = val_[g + 1][k], e = lex_equal_[g];
      if (e == Cnf::false_lit()) continue;
      if (k == 0) symmetry_.ordered.push_back(std::uint32_t(g));
      cnf_.add({-e, -a, b});
      // Forced true while the prefixes are equal.
      const CnfLit next = mean(cnf_.new_var(), {tt_var_meaning::symmetry, std::uint32_t(g), 0, 0, {std::uint32_t(k)}});
      cnf_.add({-e, a, b, next});
      cnf_.add({-e, -a, -b, next});
      lex_equal_[g] = next;
    }
  }

  // A threshold gate is unate: with weight w_i >= 0 on input i its value cannot drop when i
  // goes from 0 to 1 and the other sources stay put (<= 0: cannot rise). For the new pattern and
  // every pattern in play one input flip away, encoded eagerly: the polarity variable decides
  // the direction, unless some gate the gate reads differs between the two patterns.
  void add_unate(std::size_t k) {
    const std::uint64_t q = patterns_[k];
    for (std::size_t k2 = 0; k2 < k; ++k2) {
      const std::uint64_t diff = q ^ patterns_[k2];
      if (diff & (diff - 1)) continue;
      const std::uint32_t i = static_cast<std::uint32_t>(__builtin_ctzll(diff));
      const std::size_t lo = (q >> i) & 1u ? k2 : k, hi = lo == k ? k2 : k;
      std::vector<CnfLit> differs(sources_.size(), 0);  // per gate h: a literal implying h differs on lo, hi
      for (std::size_t g = 0; g < sources_.size(); ++g) {
        const CnfLit pol = polarity_[g][i];
        if (!pol) continue;
        if (signed_) {
          // w_i >= 0: from lo to hi the input part does not fall, so g does not fall unless a
          // source gate's term falls; w_i < 0: the same from hi to lo.
          std::vector<CnfLit> up{-pol, -val_[g][lo], val_[g][hi]}, down{pol, val_[g][lo], -val_[g][hi]};
          add_escapes(up, g, lo, hi);
          add_escapes(down, g, hi, lo);
          add_simplified(up);
          add_simplified(down);
          continue;
        }
        std::vector<CnfLit> escape;
        bool satisfied = false;
        for (std::int64_t src : sources_[g]) {
          if (src < 0) continue;
          const auto h = static_cast<std::size_t>(src);
          const CnfLit a = val_[h][lo], b = val_[h][hi];
          if (a == b) continue;
          if (a == -b) { satisfied = true; break; }
          if (!differs[h]) {
            if ((a == Cnf::true_lit() || a == Cnf::false_lit()) && (b == Cnf::true_lit() || b == Cnf::false_lit())) {
              satisfied = satisfied || a != b;
              continue;
            }
            differs[h] = mean(cnf_.new_var(), {tt_var_meaning::differs, std::uint32_t(h), 0, 0, {std::uint32_t(lo), std::uint32_t(hi)}});
            cnf_.add({-differs[h], a, b});
            cnf_.add({-differs[h], -a, -b});
          }
          escape.push_back(differs[h]);
        }
        if (satisfied) continue;
        const CnfLit vlo = val_[g][lo], vhi = val_[g][hi];
        std::vector<CnfLit> up{-pol, -vlo, vhi}, down{pol, vlo, -vhi};
        up.insert(up.end(), escape.begin(), escape.end());
        down.insert(down.end(), escape.begin(), escape.end());
        cnf_.add(up);
        cnf_.add(down);
      }
    }
  }

  // A threshold gate is never XOR or XNOR on a 2-dimensional face of the input cube: on the
  // patterns a, b = a^e_i, c = a^e_j, d = a^e_i^e_j the points satisfy a + d = b + c, so a gate
  // true on a, d and false on b, c (or the reverse) would be an asummable set. That holds for the
  // gate's own point exactly when every gate it reads is balanced there, h(a) + h(d) = h(b) + h(c)
  // (input coordinates always are), so each clause is escaped by "h unbalanced" per source gate h.
  // Added when the face's last pattern comes into play; the same reason as a certificate, eagerly.
  void add_faces(std::size_t k) {
    const std::uint64_t q = patterns_[k];
    const std::size_t G = sources_.size();
    std::vector<CnfLit> unbal(G), esc, clause;
    std::vector<std::int8_t> state(G);  // per source gate h on this face: 1 once unbal[h] is defined
    for (std::uint32_t i = 0; i < n_; ++i) {
      const auto bi = index_.find(q ^ (std::uint64_t(1) << i));
      if (bi == index_.end()) continue;
      for (std::uint32_t j = i + 1; j < n_; ++j) {
        const auto ci = index_.find(q ^ (std::uint64_t(1) << j));
        if (ci == index_.end()) continue;
        const auto di = index_.find(q ^ (std::uint64_t(1) << i) ^ (std::uint64_t(1) << j));
        if (di == index_.end()) continue;
        const std::size_t face[4] = {k, di->second, bi->second, ci->second};  // a, d | b, c
        std::fill(state.begin(), state.end(), 0);
        for (std::size_t g = 0; g < G; ++g) {
          esc.clear();
          for (std::int64_t src : sources_[g]) {
            if (src < 0) continue;
            const auto h = static_cast<std::size_t>(src);
            if (state[h] == 0) {
              const CnfLit x[4] = {val_[h][face[0]], val_[h][face[1]], val_[h][face[2]], val_[h][face[3]]};
              // u -> h unbalanced: for each balanced assignment, u -> not that assignment.
              const CnfLit u = mean(cnf_.new_var(), {tt_var_meaning::unbalanced, std::uint32_t(h), 0, 0,
                                                     {std::uint32_t(face[0]), std::uint32_t(face[1]), std::uint32_t(face[2]), std::uint32_t(face[3])}});
              for (unsigned m = 0; m < 16; ++m) {
                const int bit[4] = {int(m & 1), int((m >> 1) & 1), int((m >> 2) & 1), int((m >> 3) & 1)};
                if (bit[0] + bit[1] != bit[2] + bit[3]) continue;
                clause = {-u};
                for (int t = 0; t < 4; ++t) clause.push_back(bit[t] ? -x[t] : x[t]);
                add_simplified(clause);
              }
              unbal[h] = u;
              state[h] = 1;
            }
            esc.push_back(unbal[h]);
          }
          const CnfLit va = val_[g][face[0]], vd = val_[g][face[1]], vb = val_[g][face[2]], vc = val_[g][face[3]];
          clause = {-va, -vd, vb, vc};
          clause.insert(clause.end(), esc.begin(), esc.end());
          add_simplified(clause);
          clause = {va, vd, -vb, -vc};
          clause.insert(clause.end(), esc.begin(), esc.end());
          add_simplified(clause);
        }
      }
    }
  }

  // Threshold gates are 2-monotone: for inputs i < j, w_i >= w_j or w_i <= w_j, so either
  // f(x with x_i = 1, x_j = 0) >= f(x with x_i = 0, x_j = 1) for every x, or <= for every x. An
  // order variable per gate and pair chooses; each pair of patterns that swap i and j, both in
  // play, gets two clauses, escaped when a gate read differs between the two patterns (as the
  // unateness clauses: two such pairs in opposite directions with their sources equal would be
  // a 2-summable set).
  void add_order(std::size_t k) {
    const std::uint64_t q = patterns_[k];
    const std::size_t G = sources_.size();
    std::vector<CnfLit> differs(G), clause, esc;
    for (std::uint32_t i = 0; i < n_; ++i) {
      if (!((q >> i) & 1u)) continue;
      for (std::uint32_t j = 0; j < n_; ++j) {
        if (j == i || ((q >> j) & 1u)) continue;
        const auto it = index_.find(q ^ (std::uint64_t(1) << i) ^ (std::uint64_t(1) << j));
        if (it == index_.end()) continue;
        // hi: the pattern with the smaller-numbered input of the pair set.
        const std::uint32_t a = std::min(i, j), b = std::max(i, j);
        const std::size_t hi = i < j ? k : it->second, lo = i < j ? it->second : k;
        std::fill(differs.begin(), differs.end(), 0);
        for (std::size_t g = 0; g < G; ++g) {
          if (!polarity_[g][a] || !polarity_[g][b]) continue;
          CnfLit& o = order_[g][std::size_t(a) * n_ + b];
          if (!o) o = mean(cnf_.new_var(), {tt_var_meaning::order, std::uint32_t(g), a, b});
          if (signed_) {
            // o: w_a >= w_b, so from lo (b set) to hi (a set) the input part does not fall;
            // not o: w_b > w_a, the same from hi to lo.
            clause = {-o, val_[g][hi], -val_[g][lo]};
            add_escapes(clause, g, lo, hi);
            add_simplified(clause);
            clause = {o, -val_[g][hi], val_[g][lo]};
            add_escapes(clause, g, hi, lo);
            add_simplified(clause);
            continue;
          }
          esc.clear();
          bool satisfied = false;
          for (std::int64_t src : sources_[g]) {
            if (src < 0) continue;
            const auto h = static_cast<std::size_t>(src);
            const CnfLit x = val_[h][hi], y = val_[h][lo];
            if (x == y) continue;
            if (x == -y) { satisfied = true; break; }
            if (!differs[h]) {
              differs[h] = mean(cnf_.new_var(), {tt_var_meaning::differs, std::uint32_t(h), 0, 0, {std::uint32_t(hi), std::uint32_t(lo)}});
              clause = {-differs[h], x, y};
              add_simplified(clause);
              clause = {-differs[h], -x, -y};
              add_simplified(clause);
            }
            esc.push_back(differs[h]);
          }
          if (satisfied) continue;
          const CnfLit vhi = val_[g][hi], vlo = val_[g][lo];
          clause = {-o, vhi, -vlo};
          clause.insert(clause.end(), esc.begin(), esc.end());
          add_simplified(clause);
          clause = {o, -vhi, vlo};
          clause.insert(clause.end(), esc.begin(), esc.end());
          add_simplified(clause);
        }
      }
    }
  }

  // Appends to `clause`, per source gate h of g whose value can differ between patterns a and b,
  // a fresh literal e that implies "h's term in g's sum is smaller on b than on a": h differs,
  // and h falls from 1 to 0 if g's weight on h is >= 0, rises from 0 to 1 if it is < 0. In any
  // circuit e can be read as exactly that, so a clause "g(b) >= g(a) unless some e" is true
  // whenever g's input part does not fall from a to b (the sum then falls only through some h).
  void add_escapes(std::vector<CnfLit>& clause, std::size_t g, std::size_t a, std::size_t b) {
    std::vector<CnfLit> c;
    for (std::int64_t src : sources_[g]) {
      if (src < 0) continue;
      const auto h = static_cast<std::size_t>(src);
      const CnfLit xa = val_[h][a], xb = val_[h][b], pol = src_pol_[g][h];
      if (xa == xb) continue;  // the same literal: h's term is equal on a and b
      const CnfLit e = mean(cnf_.new_var(), {tt_var_meaning::term_falls, std::uint32_t(g), std::uint32_t(h), 0, {std::uint32_t(a), std::uint32_t(b)}});
      c = {-e, xa, xb};
      add_simplified(c);
      c = {-e, -xa, -xb};
      add_simplified(c);
      c = {-e, -pol, xa};
      add_simplified(c);
      c = {-e, pol, xb};
      add_simplified(c);
      clause.push_back(e);
    }
  }

  // Adds a clause without its false constants; none when a true constant satisfies it. Returns
  // whether it was added.
  bool add_simplified(std::vector<CnfLit>& clause) {
    std::size_t w = 0;
    for (CnfLit l : clause) {
      if (l == Cnf::true_lit()) return false;
      if (l == Cnf::false_lit()) continue;
      clause[w++] = l;
    }
    clause.resize(w);
    std::sort(clause.begin(), clause.end());
    clause.erase(std::unique(clause.begin(), clause.end()), clause.end());
    for (std::size_t t = 0; t + 1 < clause.size(); ++t)
      for (std::size_t t2 = t + 1; t2 < clause.size(); ++t2)
        if (clause[t] == -clause[t2]) return false;
    if (clause.empty()) clause.push_back(Cnf::false_lit());
    cnf_.add(clause);
    return true;
  }

  // Checks every gate of the model; returns whether all are threshold (then extract() works).
  // Each gate that is not adds the clause of its certificate.
  bool check(const sat_result& s) {
    const std::size_t G = sources_.size(), K = patterns_.size();
    bool all = true;
    results_.assign(G, {});
    last_.resize(G);
    std::vector<std::uint8_t> points, labels(K);
    for (std::size_t g = 0; g < G; ++g) {
      const auto& src = sources_[g];
      const std::uint32_t dims = static_cast<std::uint32_t>(src.size());
      points.assign(K * dims, 0);
      for (std::size_t k = 0; k < K; ++k) {
        for (std::uint32_t d = 0; d < dims; ++d) points[k * dims + d] = value(s, src[d], k);
        labels[k] = s.value(val_[g][k]);
      }
      // Most gates keep their function from one model to the next: the last separator, if it
      // still separates, answers without an LP.
      if (last_[g].separable && separates_all(points, dims, labels, last_[g])) {
        results_[g] = last_[g];
        continue;
      }
      // Most refutations are 2-summable: two true points with the same sum as two false ones
      // (or one point with both labels). Found by hashing pair sums, several per gate, each a
      // clause over four patterns; the exact LP only decides gates with none.
      if (max_pair_lemmas_ && dims <= 40) {
        const std::size_t found = pair_violations(points, dims, labels, max_pair_lemmas_, quads_);
        if (found) {
          all = false;
          results_[g] = {};
          for (std::size_t v = 0; v < found; ++v) add_certificate_clause(s, g, {quads_[v].data(), quads_[v][3] == quads_[v][2] ? 2u : 4u});
          continue;
        }
      }
      // A perceptron in machine integers often finds a separator in a few passes; only the
      // rest (and every refutation) needs the exact rational LP.
      if (p_.tt.quick_separator && quick_separator(points, dims, labels, 32, results_[g])) {
        ++quick_;
        last_[g] = results_[g];
        continue;
      }
      ++lps_;
      // A float LP proposes, the answer is checked exactly (separable_float.hpp).
      results_[g] = p_.tt.float_lp ? check_separable_fast(points, dims, labels, &fast_) : check_separable(points, dims, labels);
      if (results_[g].separable) {
        last_[g] = results_[g];
        continue;
      }
      all = false;
      shrink(results_[g], points, dims, labels);
      cert_points_ += results_[g].certificate.size();
      add_certificate_clause(s, g, results_[g].certificate);
    }
    return all;
  }

  // Forbid this combination on the certificate's patterns: the gate's own values there, and
  // the values of the gates it reads there. Inputs are constants; any gate function and any
  // sources agreeing on those patterns has the same balanced multisets, so no threshold gate
  // fits, whatever its weights.
  // The same combination is forbidden to every gate interchangeable with g (same sources): the
  // certificate is about the labelled points, not about which gate carries them.
  void add_certificate_clause(const sat_result& s, std::size_t g, std::span<const std::uint32_t> certificate) {
    add_certificate_clause_for(s, g, g, certificate);
    if (p_.tt.share_lemmas)
      for (std::size_t g2 : interchangeable_gates(g, layer_, output_)) add_certificate_clause_for(s, g, g2, certificate);
  }
  // g's values in the model, forbidden to gate `to` (g itself or one with the same sources).
  void add_certificate_clause_for(const sat_result& s, std::size_t g, std::size_t to, std::span<const std::uint32_t> certificate) {
    std::vector<CnfLit> clause;
    for (std::uint32_t k : certificate) {
      const CnfLit v = val_[to][k];
      if (v == Cnf::true_lit() || v == Cnf::false_lit()) {
        if ((v == Cnf::true_lit()) != s.value(val_[g][k])) return;  // a constant differs: satisfied already
      } else {
        clause.push_back(s.value(val_[g][k]) ? -v : v);
      }
      for (std::int64_t h : sources_[g])
        if (h >= 0) add_differs(clause, s, val_[static_cast<std::size_t>(h)][k]);
    }
    if (clause.empty()) clause.push_back(Cnf::false_lit());
    // By variable, so a literal and its complement end up side by side.
    std::sort(clause.begin(), clause.end(), [](CnfLit a, CnfLit b) { return std::abs(a) != std::abs(b) ? std::abs(a) < std::abs(b) : a < b; });
    clause.erase(std::unique(clause.begin(), clause.end()), clause.end());
    for (std::size_t t = 0; t + 1 < clause.size(); ++t)
      if (clause[t] == -clause[t + 1]) return;  // always satisfied (`to` is also one of g's sources)
    cnf_.add(clause);
    ++lemmas_;
  }

  // Up to `limit` 2-summability witnesses of one labelled point set: {a, d} true and {b, c} false
  // with a + d = b + c, as quadruples of point indices (a, d, b, c), or a point with both labels
  // as (a, b, b, b). A point's key is its coordinates as base-3 digits, so a pair's key is the
  // sum of its points' keys, with no carries (dims <= 40 keeps it in 64 bits).
  static std::size_t pair_violations(const std::vector<std::uint8_t>& points, std::uint32_t dims, const std::vector<std::uint8_t>& labels,
                                     std::size_t limit, std::vector<std::array<std::uint32_t, 4>>& out) {
    const std::size_t K = labels.size();
    out.clear();
    std::vector<std::uint64_t> key(K);
    std::vector<std::uint32_t> tr, fa;
    for (std::size_t k = 0; k < K; ++k) {
      std::uint64_t x = 0;
      for (std::uint32_t d = dims; d-- > 0;) x = x * 3 + points[k * dims + d];
      key[k] = x;
      (labels[k] ? tr : fa).push_back(static_cast<std::uint32_t>(k));
    }
    if (tr.empty() || fa.empty()) return 0;
    std::unordered_map<std::uint64_t, std::uint32_t> single;
    for (std::uint32_t a : tr) single.emplace(key[a], a);
    for (std::uint32_t b : fa) {
      const auto it = single.find(key[b]);
      if (it != single.end()) {
        out.push_back({it->second, b, b, b});
        if (out.size() >= limit) return out.size();
      }
    }
    if (!out.empty()) return out.size();
    // Distinct points only from here (repeated rows add no new sums).
    auto distinct = [&](std::vector<std::uint32_t>& v) {
      std::unordered_map<std::uint64_t, std::uint32_t> seen;
      std::vector<std::uint32_t> w;
      for (std::uint32_t a : v)
        if (seen.emplace(key[a], a).second) w.push_back(a);
      v = std::move(w);
    };
    distinct(tr);
    distinct(fa);
    const bool true_side = tr.size() <= fa.size();  // hash the smaller side's pairs
    const std::vector<std::uint32_t>& small = true_side ? tr : fa;
    const std::vector<std::uint32_t>& large = true_side ? fa : tr;
    std::unordered_map<std::uint64_t, std::uint64_t> sums;
    sums.reserve(small.size() * (small.size() - 1) / 2 + 1);
    for (std::size_t x = 0; x < small.size(); ++x)
      for (std::size_t y = x + 1; y < small.size(); ++y)
        sums.emplace(key[small[x]] + key[small[y]], (std::uint64_t(small[x]) << 32) | small[y]);
    for (std::size_t x = 0; x < large.size(); ++x)
      for (std::size_t y = x + 1; y < large.size(); ++y) {
        const auto it = sums.find(key[large[x]] + key[large[y]]);
        if (it == sums.end()) continue;
        const auto u = static_cast<std::uint32_t>(it->second >> 32), v = static_cast<std::uint32_t>(it->second);
        if (true_side) out.push_back({u, v, large[x], large[y]});
        else out.push_back({large[x], large[y], u, v});
        sums.erase(it);  // one witness per sum: spread the lemmas
        if (out.size() >= limit) return out.size();
      }
    return out.size();
  }

  // Fewer patterns make a stronger clause: drop certificate points one at a time while the rest
  // is still not separable (each answer an exact check of its own).
  // A point found necessary stays necessary in every inseparable subset (without it even the
  // larger set was separable), so one pass suffices: the necessary points are skipped after a
  // smaller certificate replaces the set.
  void shrink(separability_result& cert, const std::vector<std::uint8_t>& points, std::uint32_t dims,
              const std::vector<std::uint8_t>& labels) {
    // Linearly independent points (a basic solution's support, what both LPs return) are
    // minimal already: every subset is separable, so the loop below would only confirm that.
    if (certificate_independent(points, dims, labels, cert.certificate)) {
      ++minimal_;
      return;
    }
    std::vector<std::uint32_t> keep = cert.certificate, necessary;
    for (std::size_t drop = 0; drop < keep.size() && keep.size() > 2;) {
      if (std::find(necessary.begin(), necessary.end(), keep[drop]) != necessary.end()) {
        ++drop;
        continue;
      }
      std::vector<std::uint32_t> rest;
      for (std::size_t j = 0; j < keep.size(); ++j)
        if (j != drop) rest.push_back(keep[j]);
      std::vector<std::uint8_t> sub_points, sub_labels;
      for (std::uint32_t k : rest) {
        sub_points.insert(sub_points.end(), points.begin() + std::ptrdiff_t(k) * dims, points.begin() + std::ptrdiff_t(k + 1) * dims);
        sub_labels.push_back(labels[k]);
      }
      separability_result sub;
      const bool quick = p_.tt.quick_separator && quick_separator(sub_points, dims, sub_labels, 32, sub);
      if (!quick) {
        ++shrink_lps_;
        sub = check_separable(sub_points, dims, sub_labels);
      }
      if (sub.separable) {
        necessary.push_back(keep[drop]);
        ++drop;
        continue;
      }
      keep.clear();
      for (std::uint32_t j : sub.certificate) keep.push_back(rest[j]);
      cert.multiplicity = std::move(sub.multiplicity);
      drop = 0;
    }
    cert.certificate = std::move(keep);
  }

  // The circuit of the last check()'s separators.
  Circuit extract() const {
    Builder b;
    std::vector<Lit> in, gate;
    for (std::uint32_t i = 0; i < n_; ++i) in.push_back(b.add_input("x" + std::to_string(i)));
    for (std::size_t g = 0; g < sources_.size(); ++g) {
      std::vector<Lit> x;
      for (std::int64_t src : sources_[g]) x.push_back(src < 0 ? in[static_cast<std::size_t>(-1 - src)] : gate[static_cast<std::size_t>(src)]);
      gate.push_back(b.add_gate(x, results_[g].weights, results_[g].threshold));
    }
    const std::size_t O = truth_.size();
    for (std::size_t o = 0; o < O; ++o) b.add_output(gate[gate.size() - O + o], "y" + std::to_string(o));
    return std::move(b).build();
  }

private:
  CnfLit mean(CnfLit v, const tt_var_meaning& m) {
    if (meaning_.size() <= std::size_t(v)) meaning_.resize(std::size_t(v) + 1);
    meaning_[std::size_t(v)] = m;
    return v;
  }
  std::uint8_t value(const sat_result& s, std::int64_t src, std::size_t k) const {
    if (src < 0) return (patterns_[k] >> (-1 - src)) & 1u;
    return s.value(val_[static_cast<std::size_t>(src)][k]);
  }
  static void add_differs(std::vector<CnfLit>& clause, const sat_result& s, CnfLit v) {
    if (v == Cnf::true_lit() || v == Cnf::false_lit()) return;
    clause.push_back(s.value(v) ? -v : v);
  }

  Cnf cnf_;
  std::vector<tt_var_meaning> meaning_{tt_var_meaning{}, tt_var_meaning{tt_var_meaning::constant}};  // by variable
  std::uint32_t n_;
  const multi_truth_table& truth_;
  synth_params p_;
  std::vector<std::vector<std::int64_t>> sources_;
  std::vector<const truth_table*> fixed_;  // [g]: hidden gate g's given function over the inputs (null: free)
  std::vector<std::uint32_t> layer_;
  std::vector<bool> output_;
  std::vector<std::vector<CnfLit>> val_;  // val_[g][k]: gate g on pattern k
  std::vector<CnfLit> lex_equal_;         // gate g and g+1 equal on the patterns so far
  tt_symmetry symmetry_;                  // the rules used, declared for certified answers
  std::vector<std::vector<CnfLit>> order_;     // [g][i * n + j], i < j: gate g's w_i >= w_j (0: not yet)
  std::vector<std::vector<CnfLit>> polarity_;  // [g][i]: gate g's weight on input i is >= 0 (0: not read)
  std::vector<std::vector<CnfLit>> src_pol_;   // [g][h]: gate g's weight on gate h is >= 0 (0: not read, or not signed_)
  std::vector<bool> sign_fixed_;               // hidden gate h: complement symmetry by a reader's sign, not pattern 0
  bool input_normalized_ = false;              // gate norm_gate_'s weights normalized by the function's input symmetries
  std::uint32_t norm_gate_ = 0;                // the gate the input symmetries normalize (a hidden gate of the first layer)
  bool output_cubes_ = false;                  // --tt-cubes output
  std::vector<CnfLit> out_table_;              // [c]: the output's value on hidden code c (output cubes)
  std::vector<CnfLit> swap_ok_;                // [i]: hidden gates i, i + 1 may be ordered (output cubes)
  std::vector<std::uint64_t> classes_;        // --tt-cubes output: the output's possible functions (threshold_classes.hpp)
  Cnf cover_;                                  // the clauses that make the output cubes cover the CNF's assignments
  bool signed_ = false;
  std::vector<std::uint64_t> patterns_;
  std::unordered_map<std::uint64_t, std::size_t> index_;  // pattern -> its k
  std::size_t max_pair_lemmas_ = 8;  // 2-summability lemmas per gate and model (32 was no better: fewer, slower calls)
  std::vector<std::array<std::uint32_t, 4>> quads_;
  std::vector<separability_result> results_, last_;
  std::uint64_t lemmas_ = 0;
public:
  std::uint64_t quick_ = 0, lps_ = 0, shrink_lps_ = 0;  // separators by the perceptron; LPs in check and in shrink
  std::uint64_t cert_points_ = 0;                      // points in the LPs' certificates, summed
  std::uint64_t minimal_ = 0;                          // certificates minimal by independence (no shrinking)
  separable_fast_stats fast_;
};

}  // namespace

// With at most this many input patterns, all are in play from the start: the eager clauses
// (unateness, faces, order) then see every pair and face, and the loop needs no counterexamples
// (Rule 110, 4 steps, 2,1 with skip wires: refuted in 0.3 s with all 256, 89 s growing from 4).
constexpr std::uint64_t tt_all_patterns_below = 512;

// The cubes on p.tt.jobs threads (synth_tt_cubes.hpp, docs/provers.md "Cubes in parallel"). Worker 0
// solves in `tt` itself, the others in copies of it made before any solving (the same CNF,
// patterns and separators, so the same variable numbers); each has its own solver and takes
// the next open cube until none is left. A model that passes every check (thresholdness, then
// simulation on every cared pattern) answers sat and stops the others; unsat needs every cube
// unsat; a cube left unknown (budget, conflicts, a stop) leaves the question unknown. The
// budget p.time_limit_s counts the CPU seconds of all workers together (and the setup before).
// Lemmas: each certificate clause over variables every worker shares goes to the others too
// (a certificate is sound in every cube: it is about gate values, not weight signs).
static synth_result solve_cubes_parallel(TtSynth& tt, const Counterexamples& cx, std::uint32_t n, std::uint32_t rotation,
                                         const std::vector<tt_cube>& cubes, const synth_params& p, double setup_cpu_s, bool trace) {
  using Outcome = TtCubeBoard::Outcome;
  const auto workers = static_cast<unsigned>(std::min<std::size_t>(p.tt.jobs, cubes.size()));
  const std::uint32_t common_vars = tt.cnf().num_vars();
  const double copy_t0 = thread_cpu_seconds();
  std::vector<TtSynth> copies;
  copies.reserve(workers - 1);
  for (unsigned w = 1; w < workers; ++w) copies.push_back(tt);
  setup_cpu_s += thread_cpu_seconds() - copy_t0;  // the copies count in the budget too
  const double limit = p.time_limit_s > 0 ? std::max(p.time_limit_s - setup_cpu_s, 1e-6) : 0;
  TtCubeBoard board(cubes.size(), workers, limit, p.stop);
  struct Worker {
    Circuit circuit;
    std::uint32_t calls = 0, sat_calls = 0, cubes = 0;
    std::uint64_t imported = 0, shared = 0;
    double cpu = 0, solve_s = 0, check_s = 0;
    std::exception_ptr error;
  };
  std::vector<Worker> out(workers);
  auto work = [&](unsigned w) {
    TtSynth& t = w == 0 ? tt : copies[w - 1];
    Worker& me = out[w];
    const double t0 = thread_cpu_seconds();
    auto cpu = [&] { return thread_cpu_seconds() - t0; };
    try {
      IncrementalSat sat(tt_sat_params());
      sat.set_budget(0, p.conflicts);  // time: the shared budget, polled through the stop hook
      sat.set_stop([&] { return board.poll(w, cpu()); });
      std::size_t cursor = 0;
      std::vector<CnfLit> foreign, mine;
      while (const std::optional<std::size_t> c = board.take()) {
        ++me.cubes;
        Outcome o = Outcome::unknown;
        for (;;) {
          if (board.poll(w, cpu())) break;
          foreign.clear();
          me.imported += board.fetch(w, cursor, foreign);
          for (std::size_t b = 0, e = 0; e < foreign.size(); ++e)
            if (foreign[e] == 0) {
              t.cnf().add(std::span<const CnfLit>(foreign.data() + b, e - b));
              b = e + 1;
            }
          const double ts = cpu();
          const sat_result s = sat.solve(t.cnf(), cubes[*c]);
          me.solve_s += cpu() - ts;
          ++me.calls;
          if (s.answer == sat_result::unknown) break;
          if (s.answer == sat_result::unsat) {
            o = Outcome::unsat;
            break;
          }
          ++me.sat_calls;
          const std::size_t before = t.cnf().literals().size();
          const double tc = cpu();
          const bool all_threshold = t.check(s);
          me.check_s += cpu() - tc;
          // This check's certificate clauses, those over the common variables, for the others.
          mine.clear();
          const auto& lits = t.cnf().literals();
          for (std::size_t b = before, e = before; e < lits.size(); ++e) {
            if (lits[e] != 0) continue;
            bool common = true;
            for (std::size_t j = b; j < e; ++j) common = common && static_cast<std::uint32_t>(std::abs(lits[j])) <= common_vars;
            if (common) {
              mine.insert(mine.end(), lits.begin() + std::ptrdiff_t(b), lits.begin() + std::ptrdiff_t(e) + 1);
              ++me.shared;
            }
            b = e + 1;
          }
          board.share(w, mine);
          if (!all_threshold) continue;
          Circuit circuit = t.extract();
          const std::vector<std::uint64_t> next = next_patterns(cx, circuit, n, p, rotation);
          if (next.empty()) {
            me.circuit = std::move(circuit);
            o = Outcome::sat;
            break;
          }
          if (t.has(next[0])) throw std::logic_error("synth tt: a separator is wrong on a pattern in play");
          for (std::uint64_t q : next)
            if (!t.has(q)) t.add_pattern(q);
        }
        board.finish(*c, o);
        if (trace) std::fprintf(stderr, "tt cube %zu/%zu: %s (worker %u, %.2f s CPU so far)\n", *c + 1, cubes.size(),
                                o == Outcome::unsat ? "none" : o == Outcome::sat ? "found" : "unknown", w, cpu());
        if (o != Outcome::unsat) break;
      }
    } catch (...) {
      me.error = std::current_exception();
      board.halt();
    }
    me.cpu = cpu();
    board.poll(w, me.cpu);
  };
  {
    std::vector<std::thread> threads;
    std::exception_ptr spawn_error;  // no thread to start: stop and join those running, then say why
    try {
      for (unsigned w = 0; w < workers; ++w) threads.emplace_back(work, w);
    } catch (...) {
      spawn_error = std::current_exception();
      board.halt();
    }
    for (std::thread& th : threads) th.join();
    if (spawn_error) std::rethrow_exception(spawn_error);
  }
  for (const Worker& me : out)
    if (me.error) std::rethrow_exception(me.error);
  synth_result r;
  r.method = synth_method::tt;
  std::size_t unsat = 0, sat_cube = cubes.size();
  for (std::size_t i = 0; i < cubes.size(); ++i) {
    const Outcome o = board.outcome(i);
    unsat += o == Outcome::unsat;
    if (o == Outcome::sat && sat_cube == cubes.size()) sat_cube = i;
  }
  if (sat_cube < cubes.size()) {
    r.answer = synth_result::sat;
  } else if (unsat == cubes.size()) {
    r.answer = synth_result::unsat;
    r.unsat_for_all_weights = true;  // no weight bound was ever assumed
  }
  double solve_s = 0, check_s = 0;
  std::uint64_t imported = 0, shared = 0;
  std::uint32_t sat_calls = 0;
  for (unsigned w = 0; w < workers; ++w) {
    const TtSynth& t = w == 0 ? tt : copies[w - 1];
    const Worker& me = out[w];
    // The first worker with a verified circuit (several can finish at once).
    if (r.answer == synth_result::sat && r.circuit.num_outputs() == 0 && me.circuit.num_outputs() > 0) r.circuit = me.circuit;
    r.solver_calls += me.calls;
    r.lemmas += t.lemmas();  // each worker's own certificate clauses (imports not counted again)
    r.patterns = std::max(r.patterns, static_cast<std::uint32_t>(t.patterns().size()));
    r.vars = std::max(r.vars, t.cnf().num_vars());
    r.clauses = std::max(r.clauses, t.cnf().num_clauses());
    r.seconds += me.cpu;
    solve_s += me.solve_s;
    check_s += me.check_s;
    imported += me.imported;
    shared += me.shared;
    sat_calls += me.sat_calls;
  }
  r.seconds += setup_cpu_s;
  if (r.answer == synth_result::sat && r.circuit.num_outputs() == 0) throw std::logic_error("synth tt: a sat cube without its circuit");
  if (trace) {
    std::string w;
    for (auto x : p.shape.widths) w += std::to_string(x) + ",";
    std::size_t done = 0;
    for (std::size_t i = 0; i < cubes.size(); ++i) done += board.outcome(i) != Outcome::open;
    std::fprintf(stderr, "tt %s%s: jobs %u cubes %zu/%zu (unsat %zu) answer %d calls %u (sat %u) lemmas %llu (shared %llu, imported %llu) patterns %u; solve %.2f s check %.2f s cpu %.2f s\n",
                 w.c_str(), p.shape.skip ? " skip" : "", workers, done, cubes.size(), unsat, int(r.answer), r.solver_calls, sat_calls,
                 (unsigned long long)r.lemmas, (unsigned long long)shared, (unsigned long long)imported, r.patterns, solve_s, check_s, r.seconds);
    for (unsigned k = 0; k < workers; ++k)
      std::fprintf(stderr, "  worker %u: cubes %u calls %u cpu %.2f s\n", k, out[k].cubes, out[k].calls, out[k].cpu);
  }
  return r;
}

namespace {

// A tt question set up: its CNF with the first patterns in play, where counterexamples come
// from, and its cubes (one empty cube when it is not split). truth, sens and p must outlive it.
struct TtQuestion {
  TtSynth tt;
  Counterexamples cx;
  std::uint32_t rotation;
  std::vector<tt_cube> cubes;

  TtQuestion(std::uint32_t n, const multi_truth_table& truth, const std::vector<std::uint32_t>& sens, const synth_params& p,
             const std::vector<const truth_table*>& fixed)
      : tt(n, truth, p, fixed), cx(n, truth, p.care.get(), sens), rotation(p.pattern_orbits ? invariant_rotation(n, truth, p.care.get()) : 0) {
    // Few (cared) inputs: every pattern from the start (each one flip from others, for
    // unateness). Counterexamples: synth_cex.hpp (care set, several per round, orbits).
    for (std::uint64_t q : initial_patterns(cx, n, p, tt_all_patterns_below))
      if (!tt.has(q)) tt.add_pattern(q);
    // Cubes (tt.cube_inputs = k > 0): the question split by the signs of the last output gate's
    // weights on the first k inputs it reads, 2^k cubes. Every circuit lies in one cube, so
    // "unsat in every cube" is unsat; a model in a cube goes through the same checks as without
    // cubes. Or one cube per function of the output (output cubes).
    std::uint32_t cube_inputs = p.tt.cube_inputs;
    if (cube_inputs == tt_params::cubes_auto)
      cube_inputs = n >= 8 && tt.patterns().size() == cx.cared_count() && cx.cared_count() <= tt_all_patterns_below ? n : 0;
    std::vector<CnfLit> split;
    if (!tt.output_cubes_on())
      for (std::uint32_t i = 0; i < n && split.size() < cube_inputs; ++i)
        if (const CnfLit v = tt.polarity(tt.gates() - 1, i)) split.push_back(v);
    cubes = tt.output_cubes_on() ? tt.output_cubes() : tt_cubes(split);
  }
};

struct TtLoopStats {
  std::uint32_t calls = 0, sat_calls = 0;
  double solve_s = 0, check_s = 0;
};

enum class CubeAnswer { sat, unsat, unknown };

// One cube of the question solved with `sat` (whatever it learned before stays): models checked
// for thresholdness (a failure adds its certificate's clause) and then simulated, a wrong
// pattern put in play, until a circuit passes every check (`found`), the cube is unsat, or the
// budget ends it: used() CPU seconds against p.time_limit_s, p.conflicts per call, p.stop, or a
// front end's Ctrl-C.
CubeAnswer solve_cube(TtQuestion& q, IncrementalSat& sat, const tt_cube& cube, std::uint32_t n, const synth_params& p,
                      const std::function<double()>& used, TtLoopStats& st, Circuit& found) {
  for (;;) {
    const double u = used();
    if (p.time_limit_s > 0 && u >= p.time_limit_s) return CubeAnswer::unknown;
    if (interrupted()) return CubeAnswer::unknown;
    if (p.stop && p.stop->load()) return CubeAnswer::unknown;
    sat.set_budget(p.time_limit_s > 0 ? p.time_limit_s - u : 0, p.conflicts);
    const double ts = used();
    const sat_result s = sat.solve(q.tt.cnf(), cube);
    st.solve_s += used() - ts;
    ++st.calls;
    if (s.answer == sat_result::unknown) return CubeAnswer::unknown;
    if (s.answer == sat_result::unsat) return CubeAnswer::unsat;
    ++st.sat_calls;
    const double tc = used();
    const bool all_threshold = q.tt.check(s);
    st.check_s += used() - tc;
    if (!all_threshold) continue;
    Circuit c = q.tt.extract();
    const std::vector<std::uint64_t> next = next_patterns(q.cx, c, n, p, q.rotation);
    if (next.empty()) {
      found = std::move(c);
      return CubeAnswer::sat;
    }
    // Every gate is exact on the patterns in play, so a wrong pattern is a new one.
    if (q.tt.has(next[0])) throw std::logic_error("synth tt: a separator is wrong on a pattern in play");
    for (std::uint64_t x : next)
      if (!q.tt.has(x)) q.tt.add_pattern(x);
  }
}

}  // namespace

synth_result synthesize_tt(std::uint32_t n, const multi_truth_table& truth, const std::vector<std::uint32_t>& sens, const synth_params& p,
                           tt_final_question* out, const std::vector<const truth_table*>& fixed) {
  const double t0 = thread_cpu_seconds();
  const std::function<double()> elapsed = [&] { return thread_cpu_seconds() - t0; };  // the budget: CPU seconds of this thread
  TtQuestion q(n, truth, sens, p, fixed);
  TtSynth& tt = q.tt;
  const std::uint64_t cubes = q.cubes.size();
  std::vector<std::vector<CnfLit>> refuted;  // the cubes found unsat
  // TCX_TT_TRACE=1: where the CPU goes (solver against thresholdness checks), on stderr.
  const bool trace = std::getenv("TCX_TT_TRACE") != nullptr;
  // jobs > 1: the cubes on that many threads. Not with proofs: a certified answer comes from the
  // loop below (one proof per question, or per cube, there).
  if (p.tt.jobs > 1 && cubes > 1 && !p.proof.wanted()) {
    synth_result pr = solve_cubes_parallel(tt, q.cx, n, q.rotation, q.cubes, p, elapsed(), trace);
    pr.cubes = static_cast<std::uint32_t>(cubes);
    if (out) *out = {tt.cnf(), tt.encoding(), pr.answer, {}};
    return pr;
  }
  // One after another, by the same solver (its learned clauses stay).
  synth_result r;
  r.method = synth_method::tt;
  IncrementalSat sat(tt_sat_params());
  TtLoopStats st;
  std::uint64_t cube_index = 0;
  for (;;) {
    const CubeAnswer a = solve_cube(q, sat, q.cubes[cube_index], n, p, elapsed, st, r.circuit);
    if (a == CubeAnswer::unknown) break;
    if (a == CubeAnswer::sat) {
      r.answer = synth_result::sat;
      break;
    }
    if (cubes > 1) refuted.push_back(q.cubes[cube_index]);  // certify_tt_unsat checks they cover all
    if (trace && cubes > 1)
      std::fprintf(stderr, "tt cube %llu/%llu: none (%.2f s CPU so far)\n", (unsigned long long)cube_index + 1, (unsigned long long)cubes, elapsed());
    if (++cube_index < cubes) continue;
    r.answer = synth_result::unsat;
    r.unsat_for_all_weights = true;  // no weight bound was ever assumed
    // Certified: every clause checked sound, and a DRAT proof of the final CNF, one per cube
    // with a split (tt_certify.hpp).
    // The re-solves share the query's budget (a sliver left: they run out, not certified).
    if (p.proof.wanted())
      certify_tt_unsat(tt.cnf(), tt.encoding(), truth, p, p.time_limit_s > 0 ? std::max(p.time_limit_s - elapsed(), 1e-3) : 0, r, refuted,
                       tt.cover());
    break;
  }
  if (out) *out = {tt.cnf(), tt.encoding(), r.answer, refuted};
  r.solver_calls = st.calls;
  r.cubes = static_cast<std::uint32_t>(cubes > 1 ? cubes : 0);
  r.patterns = static_cast<std::uint32_t>(tt.patterns().size());
  r.vars = tt.cnf().num_vars();
  r.clauses = tt.cnf().num_clauses();
  r.lemmas = tt.lemmas();
  r.seconds = elapsed();
  if (trace) {
    std::string w;
    for (auto x : p.shape.widths) w += std::to_string(x) + ",";
    std::fprintf(stderr, "tt %s%s: cubes %llu/%llu answer %d calls %u (sat %u) lemmas %llu patterns %u vars %u clauses %llu; solve %.2f s check %.2f s total %.2f s; perceptron %llu LP %llu shrink LP %llu; float LP %llu (separators %llu, certificates %llu, pivots %llu, unsolved %llu, rejected %llu), exact LP %llu, minimal %llu, certificate points %llu\n",
                 w.c_str(), p.shape.skip ? " skip" : "", (unsigned long long)std::min(cube_index + 1, cubes), (unsigned long long)cubes, int(r.answer), r.solver_calls, st.sat_calls,
                 (unsigned long long)r.lemmas, r.patterns, r.vars, (unsigned long long)r.clauses, st.solve_s, st.check_s, r.seconds,
                 (unsigned long long)tt.quick_, (unsigned long long)tt.lps_, (unsigned long long)tt.shrink_lps_,
                 (unsigned long long)tt.fast_.float_lps, (unsigned long long)tt.fast_.float_separators,
                 (unsigned long long)tt.fast_.float_certificates, (unsigned long long)tt.fast_.float_pivots, (unsigned long long)tt.fast_.float_unsolved, (unsigned long long)tt.fast_.float_rejected,
                 (unsigned long long)tt.fast_.exact_lps, (unsigned long long)tt.minimal_, (unsigned long long)tt.cert_points_);
  }
  return r;
}

}  // namespace tcx::synth_detail

namespace tcx {

struct TtCubeSolver::Impl {
  std::uint32_t inputs;              // as given
  std::vector<std::uint32_t> support;  // the inputs the question reads (empty: all)
  multi_truth_table truth;           // over the support
  synth_params p;
  std::vector<std::uint32_t> sens;
  std::optional<synth_detail::TtQuestion> q;  // made once the members above are in place
  IncrementalSat sat{synth_detail::tt_sat_params()};
  std::uint64_t digest = 1469598103934665603ull;  // FNV-1a over the first CNF's literals, then the cubes'
  Cnf base;                // the question as first set up (certified runs)
  tt_encoding base_encoding;
};

TtCubeSolver::TtCubeSolver(std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p) : impl_(std::make_unique<Impl>()) {
  if (p.method != synth_method::tt) throw std::invalid_argument("synth: cubes as units are the tt method's (--method tt)");
  if (!p.proof.file.empty() || !p.proof.dir.empty())
    throw std::invalid_argument("synth: cubes solved as separate units keep no proof files (--certify checks each cube's proof)");
  synth_detail::check_question(inputs, truth, p);
  Impl& m = *impl_;
  m.inputs = inputs;
  m.truth = truth;
  m.p = p;
  auto drop_full_care = [&] {  // every pattern cared: the total function, as synthesize() asks it
    if (m.p.care && is_const0(~*m.p.care)) m.p.care.reset();
  };
  drop_full_care();
  if (std::optional<synth_detail::projection> pr = synth_detail::project_to_support(inputs, truth, m.p.care.get(), m.p)) {
    m.support = std::move(pr->support);
    m.truth = std::move(pr->truth);
    m.p = std::move(pr->params);
    drop_full_care();
  }
  const auto n = static_cast<std::uint32_t>(m.support.empty() ? inputs : m.support.size());
  m.sens = synth_detail::sensitivity(n, m.truth, m.p.care.get());
  m.q.emplace(n, m.truth, m.sens, m.p, std::vector<const truth_table*>{});
  auto mix = [&](std::int64_t v) {
    for (int b = 0; b < 8; ++b) m.digest = (m.digest ^ ((static_cast<std::uint64_t>(v) >> (8 * b)) & 0xffu)) * 1099511628211ull;
  };
  mix(m.q->tt.cnf().num_vars());
  for (CnfLit l : m.q->tt.cnf().literals()) mix(l);
  for (const synth_detail::tt_cube& c : m.q->cubes) {
    for (CnfLit l : c) mix(l);
    mix(0);
  }
  if (m.p.proof.certify) {
    m.base = m.q->tt.cnf();
    m.base_encoding = m.q->tt.encoding();
  }
}

bool TtCubeSolver::certify_base(synth_result& r) const {
  const Impl& m = *impl_;
  if (!m.p.proof.certify) throw std::logic_error("TtCubeSolver::certify_base: made without p.proof.certify");
  const tt_soundness_result s = check_tt_soundness(m.base, m.base_encoding, m.truth, {}, m.p.care.get());
  r.soundness_seconds += s.seconds;
  r.soundness_clauses += s.clauses;
  r.soundness_lps += s.lps;
  r.soundness_symmetry += s.by_symmetry;
  if (!s.sound && !s.undecided)
    throw certification_error("internal error: " + m.p.query + ": the tt encoding has a clause that is not sound: " + s.message);
  std::string why;
  if (!cubes_cover(m.q->cubes, &why, nullptr, m.q->tt.cover()))
    throw certification_error("internal error: " + m.p.query + ": the cubes miss an assignment: " + why);
  return s.sound;
}

std::uint64_t TtCubeSolver::digest() const { return impl_->digest; }

std::string TtCubeSolver::describe(std::size_t cube) const {
  const Impl& m = *impl_;
  if (cube >= m.q->cubes.size()) throw std::out_of_range("TtCubeSolver: no cube " + std::to_string(cube));
  const tt_encoding enc = m.q->tt.encoding();
  std::vector<std::uint8_t> labels;  // the output's table over its hidden gates, codes in order (output cubes)
  std::string signs;
  for (const CnfLit l : m.q->cubes[cube]) {
    const tt_var_meaning& v = enc.vars.at(static_cast<std::size_t>(std::abs(l)));
    if (v.kind == tt_var_meaning::output_value) {
      labels.push_back(l > 0);
    } else if (v.kind == tt_var_meaning::polarity) {
      const std::uint32_t x = m.support.empty() ? v.input : m.support[v.input];
      signs += (signs.empty() ? "x" : ", x") + std::to_string(x) + (l > 0 ? " >= 0" : " < 0");
    }
  }
  if (labels.empty()) return signs.empty() ? std::string("the whole question") : "the output's weights " + signs;
  // Codes in order 0, 1, 2, ... (as the cube lists them), over the hidden gates the function
  // depends on: a positive function then gets positive weights on all of them (each such gate
  // turns some 0 into a 1).
  const auto k = static_cast<std::uint32_t>(std::bit_width(labels.size() - 1));
  std::vector<std::uint32_t> read;
  for (std::uint32_t d = 0; d < k; ++d)
    for (std::size_t c = 0; c < labels.size(); ++c)
      if (labels[c] != labels[c ^ (std::size_t(1) << d)]) {
        read.push_back(d);
        break;
      }
  const auto r = static_cast<std::uint32_t>(read.size());
  std::vector<std::uint8_t> points(labels.size() * r);
  for (std::size_t c = 0; c < labels.size(); ++c)
    for (std::uint32_t j = 0; j < r; ++j) points[c * r + j] = (c >> read[j]) & 1u;
  const separability_result w = check_separable(points, r, labels);
  if (!w.separable) return "a table that is not threshold";  // never: the cubes are threshold classes
  std::string sum;
  for (std::uint32_t j = 0; j < r; ++j) {
    const mpz_class a = abs(w.weights[j]);
    if (a == 0) continue;
    sum += (w.weights[j] < 0 ? (sum.empty() ? "-" : " - ") : (sum.empty() ? "" : " + ")) + (a == 1 ? std::string() : a.get_str() + " ") + "y" +
           std::to_string(read[j]);
  }
  return "[" + (sum.empty() ? std::string("0") : sum) + " >= " + w.threshold.get_str() + "]";
}

void TtCubeSolver::certify_cube(std::size_t cube, synth_result& r, double time_limit_s) {
  Impl& m = *impl_;
  const double t0 = thread_cpu_seconds();
  const Cnf& now = m.q->tt.cnf();
  // The clauses added since the base: sound by meaning, with no symmetry rule to accept them
  // (a rule's clauses may differ from unit to unit; only the base's are shared by all).
  Cnf added;
  while (added.num_vars() < now.num_vars()) added.new_var();
  const std::vector<CnfLit>& lits = now.literals();
  for (std::size_t b = m.base.literals().size(), e = b; e < lits.size(); ++e)
    if (lits[e] == 0) {
      added.add(std::span<const CnfLit>(lits.data() + b, e - b));
      b = e + 1;
    }
  tt_encoding enc = m.q->tt.encoding();
  enc.symmetry = {};
  const tt_soundness_result s = check_tt_soundness(added, enc, m.truth, {}, m.p.care.get());
  r.soundness_seconds = s.seconds;
  r.soundness_clauses = s.clauses - 1;  // not the constant's unit clause every Cnf starts with
  r.soundness_lps = s.lps;
  if (!s.sound) {
    r.certified = false;  // a symmetry clause for a pattern added later, or past the check's limits
    r.cubes_uncertifiable = 1;
    return;
  }
  // The final CNF, the cube's literals as units: unsatisfiable by a checked DRAT proof.
  Cnf question = now;
  for (CnfLit l : m.q->cubes[cube]) question.add({l});
  const double left = time_limit_s > 0 ? time_limit_s - (thread_cpu_seconds() - t0) : 0;
  if (time_limit_s > 0 && left <= 0) {
    r.certified = false;
    return;
  }
  synth_params p = m.p;
  p.query = m.p.query + "-cube" + std::to_string(cube);
  r.certified = synth_detail::prove_final_unsat(question, p, left, r);  // r.proofs: its one record (no files kept)
}

TtCubeSolver::~TtCubeSolver() = default;

std::size_t TtCubeSolver::cubes() const { return impl_->q->cubes.size(); }

synth_result TtCubeSolver::solve(std::size_t cube, const std::atomic<bool>* stop) {
  Impl& m = *impl_;
  if (cube >= m.q->cubes.size()) throw std::out_of_range("TtCubeSolver: no cube " + std::to_string(cube));
  synth_params p = m.p;
  if (stop) p.stop = stop;
  const double t0 = thread_cpu_seconds();
  const std::function<double()> used = [&] { return thread_cpu_seconds() - t0; };
  synth_detail::TtLoopStats st;
  synth_result r;
  r.method = synth_method::tt;
  const auto n = static_cast<std::uint32_t>(m.support.empty() ? m.inputs : m.support.size());
  switch (synth_detail::solve_cube(*m.q, m.sat, m.q->cubes[cube], n, p, used, st, r.circuit)) {
    case synth_detail::CubeAnswer::sat:
      r.answer = synth_result::sat;
      if (!m.support.empty()) r.circuit = synth_detail::lift_to_inputs(r.circuit, m.inputs, m.support);
      break;
    case synth_detail::CubeAnswer::unsat:
      r.answer = synth_result::unsat;
      r.unsat_for_all_weights = true;
      if (p.proof.certify) certify_cube(cube, r, p.time_limit_s > 0 ? std::max(p.time_limit_s - used(), 1e-3) : 0);
      break;
    case synth_detail::CubeAnswer::unknown:
      break;
  }
  r.solver_calls = st.calls;
  r.cubes = static_cast<std::uint32_t>(m.q->cubes.size());
  r.patterns = static_cast<std::uint32_t>(m.q->tt.patterns().size());
  r.vars = m.q->tt.cnf().num_vars();
  r.clauses = m.q->tt.cnf().num_clauses();
  r.lemmas = m.q->tt.lemmas();
  r.seconds = used();
  return r;
}

bool tt_params::output_cubes_fit(const synth_shape& shape, std::size_t outputs) {
  const auto& w = shape.widths;
  return outputs == 1 && !shape.skip && shape.majority_of == 0 && w.size() == 2 && w[1] == 1 && w[0] <= max_threshold_class_vars;
}

}  // namespace tcx

namespace tcx::synth_detail {

tt_final_question tt_question(std::uint32_t n, const multi_truth_table& truth, const synth_params& p) {
  tt_final_question q;
  synthesize_tt(n, truth, sensitivity(n, truth, p.care.get()), p, &q);
  return q;
}

}  // namespace tcx::synth_detail

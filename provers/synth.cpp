#include "provers/synth.hpp"

#include <oneapi/tbb/parallel_for.h>

#include <chrono>
#include <optional>
#include <random>
#include <stdexcept>

#include "circuits/builder.hpp"
#include "circuits/simulate.hpp"

namespace tcx {

std::int64_t max_weight_needed(std::uint32_t fanin) {
  static constexpr std::int64_t known[] = {0, 1, 1, 2, 3, 5, 9, 18, 42};
  return fanin <= 8 ? known[fanin] : 0;
}

namespace {

std::uint32_t bits_for(std::uint64_t v) {
  std::uint32_t b = 1;
  while (b < 63 && (std::uint64_t(1) << b) <= v) ++b;
  return b;
}

std::vector<CnfLit> constant_word(std::uint64_t v, std::uint32_t bits) {
  std::vector<CnfLit> w;
  for (std::uint32_t b = 0; b < bits; ++b) w.push_back((v >> b) & 1u ? Cnf::true_lit() : Cnf::false_lit());
  return w;
}

// One gate of the template: its sources, and its weights and threshold as solver variables.
struct GateVars {
  std::vector<std::int64_t> sources;  // >= 0: gate index; < 0: input -1 - i
  std::int64_t W = 1, T = 0;          // |w| <= W; threshold t = t_shift - T, t_shift in [0, 2T + 1]
  std::vector<CnfLit> sign;           // per source
  std::vector<std::vector<CnfLit>> mag, pos, neg;  // per source: magnitude bits, and them when positive / negative
  std::vector<CnfLit> t_shift;
  bool output = false;
  std::uint32_t layer = 0;
};

class Synthesizer {
public:
  Synthesizer(std::uint32_t n, const std::vector<std::vector<std::uint8_t>>& truth, const synth_params& p)
      : n_(n), truth_(truth), p_(p) {}

  synth_result run() {
    const auto t0 = std::chrono::steady_clock::now();
    build_template();
    std::mt19937_64 rng(p_.seed);
    const std::uint64_t rows = std::uint64_t(1) << n_;
    add_pattern(0);
    for (std::uint32_t k = 1; k < p_.initial_patterns && k < rows; ++k) add_pattern(rng() % rows);
    synth_result r;
    r.weight_bound = max_W_;
    for (;;) {
      const double used = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (p_.time_limit_s > 0 && used >= p_.time_limit_s) break;
      sat_.set_budget(p_.time_limit_s > 0 ? p_.time_limit_s - used : 0, p_.conflicts);
      const sat_result s = sat_.solve(cnf_);
      ++r.solver_calls;
      if (s.answer == sat_result::unknown) break;
      if (s.answer == sat_result::unsat) {
        r.answer = synth_result::unsat;
        r.unsat_for_all_weights = weights_cover_all_;
        break;
      }
      Circuit c = extract(s);
      const auto wrong = first_wrong(c);
      if (!wrong) {
        r.answer = synth_result::sat;
        r.circuit = std::move(c);
        break;
      }
      add_pattern(*wrong);
    }
    r.patterns = static_cast<std::uint32_t>(patterns_.size());
    r.vars = cnf_.num_vars();
    r.clauses = cnf_.num_clauses();
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
  }

private:
  void build_template() {
    const auto& widths = p_.shape.widths;
    if (widths.empty()) throw std::invalid_argument("synth: the shape needs at least one layer");
    if (widths.back() != truth_.size())
      throw std::invalid_argument("synth: the last layer has " + std::to_string(widths.back()) + " gates but the function has " +
                                  std::to_string(truth_.size()) + " outputs");
    std::uint32_t first_of_prev = 0, count_prev = 0, total = 0;
    weights_cover_all_ = true;
    for (std::uint32_t l = 0; l < widths.size(); ++l) {
      if (widths[l] == 0) throw std::invalid_argument("synth: a layer with no gates");
      for (std::uint32_t k = 0; k < widths[l]; ++k) {
        GateVars g;
        g.layer = l;
        g.output = l + 1 == widths.size();
        if (l == 0 || p_.shape.skip)
          for (std::uint32_t i = 0; i < n_; ++i) g.sources.push_back(-1 - static_cast<std::int64_t>(i));
        if (l > 0) {
          const std::uint32_t from = p_.shape.skip ? 0 : first_of_prev;
          for (std::uint32_t s = from; s < first_of_prev + count_prev; ++s) g.sources.push_back(s);
        }
        const std::uint32_t fanin = p_.shape.max_fanin ? std::min<std::uint32_t>(p_.shape.max_fanin, g.sources.size())
                                                       : static_cast<std::uint32_t>(g.sources.size());
        const std::int64_t needed = max_weight_needed(fanin);
        g.W = p_.shape.majority_of ? 1 : p_.shape.max_weight ? p_.shape.max_weight : (needed ? needed : 42);
        if (!p_.shape.majority_of && (!needed || g.W < needed)) weights_cover_all_ = false;
        max_W_ = std::max(max_W_, g.W);
        // |t| <= fanin * W suffices for one gate; sign normalization can shift a threshold by
        // as much again (docs/provers.md).
        g.T = (p_.symmetry_breaking ? 2 : 1) * std::int64_t(fanin) * g.W + 2;
        declare(g);
        gates_.push_back(std::move(g));
      }
      first_of_prev = total;
      count_prev = widths[l];
      total += widths[l];
    }
    if (p_.symmetry_breaking) break_symmetries();
  }

  void declare(GateVars& g) {
    const std::uint32_t B = bits_for(static_cast<std::uint64_t>(g.W));
    const std::vector<CnfLit> wmax = constant_word(static_cast<std::uint64_t>(g.W), B);
    std::vector<CnfLit> nonzero;
    for (std::size_t j = 0; j < g.sources.size(); ++j) {
      const CnfLit s = cnf_.new_var();
      std::vector<CnfLit> m, pos, neg;
      for (std::uint32_t b = 0; b < B; ++b) m.push_back(cnf_.new_var());
      cnf_.add({ge_words(cnf_, wmax, m)});  // m <= W
      std::vector<CnfLit> any(m);
      any.push_back(-s);
      cnf_.add(any);  // a zero weight is +0: negative only when nonzero
      for (CnfLit bit : m) {
        pos.push_back(cnf_.define_and(bit, -s));
        neg.push_back(cnf_.define_and(bit, s));
      }
      nonzero.push_back(cnf_.define_or_all(m));
      g.sign.push_back(s);
      g.mag.push_back(std::move(m));
      g.pos.push_back(std::move(pos));
      g.neg.push_back(std::move(neg));
    }
    const std::uint32_t TB = bits_for(static_cast<std::uint64_t>(2 * g.T + 1));
    for (std::uint32_t b = 0; b < TB; ++b) g.t_shift.push_back(cnf_.new_var());
    cnf_.add({ge_words(cnf_, constant_word(static_cast<std::uint64_t>(2 * g.T + 1), TB), g.t_shift)});
    if (const std::uint32_t k = p_.shape.majority_of) {
      // Majority of exactly k sources: k nonzero weights of magnitude 1 (a sequential counter,
      // which propagates far better than a binary sum), and the threshold ceil(k/2) less one
      // per complemented source: t_shift + (negative count) = T + ceil(k/2).
      exactly(nonzero, k);
      std::vector<std::vector<CnfLit>> cols(g.t_shift.size());
      for (std::size_t b = 0; b < g.t_shift.size(); ++b) cols[b].push_back(g.t_shift[b]);
      for (CnfLit s : g.sign) {
        if (!p_.shape.complemented) cnf_.add({-s});
        cols[0].push_back(s);
      }
      const std::vector<CnfLit> lhs = sum_columns(cnf_, cols);
      const std::uint64_t rhs_value = static_cast<std::uint64_t>(g.T) + (k + 1) / 2;
      const std::vector<CnfLit> rhs = constant_word(rhs_value, bits_for(rhs_value));
      cnf_.add({ge_words(cnf_, lhs, rhs)});
      cnf_.add({ge_words(cnf_, rhs, lhs)});
      return;
    }
    if (p_.shape.max_fanin && p_.shape.max_fanin < g.sources.size()) {
      // At most max_fanin nonzero weights: their count, in binary, is below max_fanin + 1.
      const std::vector<CnfLit> count = sum_columns(cnf_, {nonzero});
      cnf_.add({-ge_words(cnf_, count, constant_word(p_.shape.max_fanin + 1, bits_for(p_.shape.max_fanin + 1)))});
    }
  }

  // Exactly k of x true: c[j] = "at least j+1 of the first i are true", defined both ways.
  void exactly(const std::vector<CnfLit>& x, std::uint32_t k) {
    std::vector<CnfLit> c(k + 1, Cnf::false_lit());
    for (CnfLit xi : x) {
      for (std::uint32_t j = k + 1; j-- > 0;) c[j] = cnf_.define_or(c[j], j ? cnf_.define_and(c[j - 1], xi) : xi);
    }
    if (k > 0) cnf_.add({c[k - 1]});
    cnf_.add({-c[k]});
  }

  void break_symmetries() {
    // Hidden gates of one layer are interchangeable, and a hidden gate can be negated (its
    // readers flip their weights): so ask threshold >= 1 and thresholds non-decreasing.
    for (std::size_t g = 0; g < gates_.size(); ++g) {
      GateVars& a = gates_[g];
      if (a.output) continue;
      // Complementing a majority gate keeps it in the class only when complements are allowed.
      if (!p_.shape.majority_of || p_.shape.complemented)
        cnf_.add({ge_words(cnf_, a.t_shift, constant_word(static_cast<std::uint64_t>(a.T + 1), a.t_shift.size()))});
      if (g + 1 < gates_.size() && gates_[g + 1].layer == a.layer && !gates_[g + 1].output && gates_[g + 1].T == a.T)
        cnf_.add({ge_words(cnf_, gates_[g + 1].t_shift, a.t_shift)});
    }
  }

  // The gates' relations on input pattern p; the outputs fixed to the function's values.
  void add_pattern(std::uint64_t p) {
    for (std::uint64_t q : patterns_)
      if (q == p) return;
    patterns_.push_back(p);
    std::vector<CnfLit> value(gates_.size());
    for (std::size_t g = 0; g < gates_.size(); ++g) {
      const GateVars& gv = gates_[g];
      auto source_value = [&](std::size_t j) {
        const std::int64_t s = gv.sources[j];
        return s < 0 ? (((p >> (-1 - s)) & 1u) ? Cnf::true_lit() : Cnf::false_lit()) : value[static_cast<std::size_t>(s)];
      };
      if (const std::uint32_t k = p_.shape.majority_of) {
        // Majority directly: the selected sources' literals (complemented where the sign says),
        // at least (k+1)/2 of them true; for k = 3, some selected pair is true.
        std::vector<CnfLit> lit;
        for (std::size_t j = 0; j < gv.sources.size(); ++j)
          lit.push_back(cnf_.define_and(gv.mag[j][0], cnf_.define_xor(source_value(j), gv.sign[j])));
        CnfLit v;
        if (k == 3) {
          std::vector<CnfLit> pairs;
          for (std::size_t a = 0; a < lit.size(); ++a)
            for (std::size_t b = a + 1; b < lit.size(); ++b) pairs.push_back(cnf_.define_and(lit[a], lit[b]));
          v = cnf_.define_or_all(pairs);
        } else {
          v = ge_words(cnf_, sum_columns(cnf_, {lit}), constant_word((k + 1) / 2, bits_for((k + 1) / 2)));
        }
        if (gv.output) cnf_.add({truth_[g - (gates_.size() - truth_.size())][p] ? v : -v});
        else value[g] = v;
        continue;
      }
      // sum of positive terms + T >= sum of negative terms + t_shift
      std::vector<std::vector<CnfLit>> P, N;
      auto put = [](std::vector<std::vector<CnfLit>>& cols, std::size_t b, CnfLit l) {
        if (l == Cnf::false_lit()) return;
        if (cols.size() <= b) cols.resize(b + 1);
        cols[b].push_back(l);
      };
      for (std::size_t j = 0; j < gv.sources.size(); ++j) {
        const CnfLit u = source_value(j);
        for (std::size_t b = 0; b < gv.mag[j].size(); ++b) {
          put(P, b, cnf_.define_and(gv.pos[j][b], u));
          put(N, b, cnf_.define_and(gv.neg[j][b], u));
        }
      }
      for (std::uint32_t b = 0; b < 63; ++b)
        if ((static_cast<std::uint64_t>(gv.T) >> b) & 1u) put(P, b, Cnf::true_lit());
      for (std::size_t b = 0; b < gv.t_shift.size(); ++b) put(N, b, gv.t_shift[b]);
      const CnfLit ge = ge_words(cnf_, sum_columns(cnf_, P), sum_columns(cnf_, N));
      if (gv.output) {
        const std::size_t o = g - (gates_.size() - truth_.size());
        cnf_.add({truth_[o][p] ? ge : -ge});
      } else {
        value[g] = ge;
      }
    }
  }

  Circuit extract(const sat_result& s) const {
    Builder b;
    std::vector<Lit> in, gate;
    for (std::uint32_t i = 0; i < n_; ++i) in.push_back(b.add_input("x" + std::to_string(i)));
    for (const GateVars& g : gates_) {
      std::vector<Lit> x;
      std::vector<std::int64_t> w;
      for (std::size_t j = 0; j < g.sources.size(); ++j) {
        std::int64_t m = 0;
        for (std::size_t k = 0; k < g.mag[j].size(); ++k)
          if (s.value(g.mag[j][k])) m |= std::int64_t(1) << k;
        const std::int64_t src = g.sources[j];
        x.push_back(src < 0 ? in[static_cast<std::size_t>(-1 - src)] : gate[static_cast<std::size_t>(src)]);
        w.push_back(s.value(g.sign[j]) ? -m : m);
      }
      std::int64_t t = 0;
      for (std::size_t k = 0; k < g.t_shift.size(); ++k)
        if (s.value(g.t_shift[k])) t |= std::int64_t(1) << k;
      gate.push_back(b.add_gate(x, w, t - g.T));
    }
    for (std::size_t o = 0; o < truth_.size(); ++o) b.add_output(gate[gates_.size() - truth_.size() + o], "y" + std::to_string(o));
    return std::move(b).build();
  }

  // The lowest pattern where the candidate is wrong, by exhaustive simulation.
  std::optional<std::uint64_t> first_wrong(const Circuit& c) const {
    const reference_check_result r = check_against_reference(c, PatternSet{PatternSet::exhaustive, 0, 1}, {}, [&](const std::vector<std::uint8_t>& x) {
      std::uint64_t p = 0;
      for (std::size_t i = 0; i < x.size(); ++i) p |= std::uint64_t(x[i]) << i;
      std::vector<std::uint8_t> y;
      for (const auto& t : truth_) y.push_back(t[p]);
      return y;
    });
    if (r.agree) return std::nullopt;
    std::uint64_t p = 0;
    for (std::size_t i = 0; i < r.input.size(); ++i) p |= std::uint64_t(r.input[i]) << i;
    return p;
  }

  std::uint32_t n_;
  const std::vector<std::vector<std::uint8_t>>& truth_;
  synth_params p_;
  Cnf cnf_;
  IncrementalSat sat_;
  std::vector<GateVars> gates_;
  std::vector<std::uint64_t> patterns_;
  std::int64_t max_W_ = 0;
  bool weights_cover_all_ = true;
};

}  // namespace

synth_result synthesize(std::uint32_t inputs, const std::vector<std::vector<std::uint8_t>>& truth, const synth_params& p) {
  if (inputs > 20) throw std::invalid_argument("synth: at most 20 inputs (the function is checked on every input)");
  for (const auto& t : truth)
    if (t.size() != (std::size_t(1) << inputs)) throw std::invalid_argument("synth: a truth table needs 2^inputs rows");
  return Synthesizer(inputs, truth, p).run();
}

}  // namespace tcx

namespace tcx {

namespace {

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

std::vector<frontier_cell> frontier(std::uint32_t inputs, const std::vector<std::vector<std::uint8_t>>& truth,
                                    const frontier_params& p) {
  const std::uint32_t outputs = static_cast<std::uint32_t>(truth.size());
  std::vector<frontier_cell> cells;
  for (std::uint32_t d = 1; d <= p.max_depth; ++d) {
    frontier_cell cell;
    bool all_smaller_unsat = true;
    for (std::uint32_t g = outputs + (d - 1); g <= p.max_gates && cell.status != frontier_cell::found &&
                                              cell.status != frontier_cell::proven_minimal;
         ++g) {
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
        sp.shape.skip = true;
        sp.time_limit_s = p.time_limit_per_query_s;
        results[k] = synthesize(inputs, truth, sp);
      });
      bool any_unknown = false;
      for (const synth_result& r : results) {
        if (r.answer == synth_result::sat) {
          cell.status = all_smaller_unsat ? frontier_cell::proven_minimal : frontier_cell::found;
          break;
        }
        // UNSAT counts only when it covers every weight (fan-in <= 8 without a weight bound).
        if (r.answer == synth_result::unknown || !r.unsat_for_all_weights) any_unknown = true;
      }
      cell.gates = g;
      if (any_unknown) all_smaller_unsat = false;
    }
    if (cell.status == frontier_cell::unknown && all_smaller_unsat) cell.status = frontier_cell::none_within_budget;
    cells.push_back(cell);
  }
  return cells;
}

std::vector<budget_depth> smallest_depth_by_budget(const std::vector<frontier_cell>& cells, std::uint32_t max_gates) {
  std::vector<budget_depth> out;
  for (std::uint32_t G = 1; G <= max_gates; ++G) {
    budget_depth b;
    b.proven = true;
    for (std::size_t d = 0; d < cells.size(); ++d) {
      const frontier_cell& c = cells[d];
      if ((c.status == frontier_cell::proven_minimal || c.status == frontier_cell::found) && c.gates <= G) {
        b.depth = static_cast<std::uint32_t>(d + 1);
        break;
      }
      b.proven = b.proven && (c.status == frontier_cell::none_within_budget ||
                              (c.status == frontier_cell::proven_minimal && c.gates > G));
    }
    out.push_back(b);
  }
  return out;
}

std::string frontier_cell_text(const frontier_cell& c) {
  switch (c.status) {
    case frontier_cell::proven_minimal: return std::to_string(c.gates) + "*";
    case frontier_cell::found: return std::to_string(c.gates);
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

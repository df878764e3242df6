// The tt CNF's soundness, clause by clause (tt_certify.hpp). Written apart from the encoder
// (synth_tt.cpp): it reads only the meanings the encoder declares and the template's wiring, and
// decides thresholdness with GLPK's exact simplex instead of tcx's own LP.
#include "provers/tt_certify.hpp"

#include "provers/synth_template.hpp"
#include "provers/threshold_classes.hpp"

#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace tcx {

namespace {

// GLPK keeps an environment per thread (or one global one in builds without thread-local
// storage): one LP at a time, whatever the build.
std::mutex glpk_mutex;

// A weight literal's falsified reading: polarity (a = input) or order (a, b inputs), and whether
// the variable is true in the falsifying assignment.
struct WeightLit {
  std::uint32_t gate;
  bool is_order;
  std::uint32_t a, b;
  bool value;
};

// A concrete system: points over `dims` columns with labels, and constraints on the weights
// (column indices). Feasible: some rational weights and threshold realize it.
struct System {
  std::uint32_t dims = 0;
  std::vector<std::uint8_t> rows;    // row-major, dims per row
  std::vector<std::uint8_t> labels;
  struct Con { bool is_order; std::uint32_t a, b; bool value; };
  std::vector<Con> cons;
};

// Exact feasibility by GLPK's rational simplex: variables w_1..w_D and t, all free.
bool lp_feasible(const System& s) {
  const int D = static_cast<int>(s.dims);
  const int R = static_cast<int>(s.labels.size() + s.cons.size());
  if (R == 0) return true;
  std::lock_guard<std::mutex> lock(glpk_mutex);
  glp_term_out(GLP_OFF);
  glp_prob* lp = glp_create_prob();
  struct Free { glp_prob* p; ~Free() { glp_delete_prob(p); } } guard{lp};
  glp_set_obj_dir(lp, GLP_MIN);
  glp_add_cols(lp, D + 1);
  for (int j = 1; j <= D + 1; ++j) glp_set_col_bnds(lp, j, GLP_FR, 0.0, 0.0);
  glp_add_rows(lp, R);
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0.0};
  int r = 0;
  for (std::size_t k = 0; k < s.labels.size(); ++k) {
    ++r;
    // w.x - t >= 0 (a true point) or <= -1 (a false one).
    if (s.labels[k]) glp_set_row_bnds(lp, r, GLP_LO, 0.0, 0.0);
    else glp_set_row_bnds(lp, r, GLP_UP, 0.0, -1.0);
    for (int d = 0; d < D; ++d)
      if (s.rows[k * s.dims + static_cast<std::size_t>(d)]) ia.push_back(r), ja.push_back(d + 1), ar.push_back(1.0);
    ia.push_back(r), ja.push_back(D + 1), ar.push_back(-1.0);
  }
  for (const System::Con& c : s.cons) {
    ++r;
    // w_a >= 0 / w_a <= -1; w_a - w_b >= 0 / <= -1.
    if (c.value) glp_set_row_bnds(lp, r, GLP_LO, 0.0, 0.0);
    else glp_set_row_bnds(lp, r, GLP_UP, 0.0, -1.0);
    ia.push_back(r), ja.push_back(static_cast<int>(c.a) + 1), ar.push_back(1.0);
    if (c.is_order) ia.push_back(r), ja.push_back(static_cast<int>(c.b) + 1), ar.push_back(-1.0);
  }
  glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
  glp_std_basis(lp);
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  const int ret = glp_exact(lp, &parm);
  const int status = glp_get_status(lp);
  if (ret == 0 && (status == GLP_OPT || status == GLP_FEAS)) return true;
  if (ret == 0 && status == GLP_NOFEAS) return false;
  throw std::runtime_error("tt soundness: GLPK's exact simplex failed (return " + std::to_string(ret) + ", status " +
                           std::to_string(status) + ")");
}

class Checker {
public:
  Checker(const tt_encoding& enc, const multi_truth_table& truth, const tt_soundness_params& p, tt_soundness_result& out)
      : enc_(enc), truth_(truth), p_(p), out_(out) {
    const std::size_t G = enc.sources.size(), O = truth.size();
    if (O > G) throw std::invalid_argument("tt soundness: more outputs than gates");
    first_output_ = G - O;
    readers_.resize(G);
    for (std::size_t g = 0; g < G; ++g)
      for (std::int64_t s : enc.sources[g]) {
        if (s >= static_cast<std::int64_t>(g)) throw std::invalid_argument("tt soundness: a gate reads a later gate");
        if (s >= 0) readers_[static_cast<std::size_t>(s)].push_back(static_cast<std::uint32_t>(g));
        else if (static_cast<std::uint64_t>(-1 - s) >= enc.inputs) throw std::invalid_argument("tt soundness: a source past the inputs");
      }
  }

  // Empty when the clause holds for every circuit of the template; else why not.
  std::string check(std::span<const CnfLit> clause) {
    entries_.clear();
    cons_.clear();
    wl_.clear();
    codes_.clear();
    for (CnfLit l : clause) {
      const auto v = static_cast<std::uint32_t>(std::abs(l));
      if (v >= enc_.vars.size()) return "variable " + std::to_string(v) + " has no meaning";
      const tt_var_meaning& m = enc_.vars[v];
      const bool val = l < 0;  // the falsifying assignment makes every literal false
      switch (m.kind) {
        case tt_var_meaning::constant:
          if (!val) return {};  // the literal "true": satisfied
          continue;             // "false": no constraint
        case tt_var_meaning::value: {
          if (!hidden(m.gate) || m.p[0] >= enc_.patterns.size()) return "variable " + std::to_string(v) + ": a value out of range";
          Entry& e = entries_[entry(m.gate, m.p[0])];
          if (e.fixed >= 0 && e.fixed != int(val)) return {};  // x or not x under the meanings
          e.fixed = val;
          break;
        }
        case tt_var_meaning::polarity:
        case tt_var_meaning::order:
          if (m.gate >= enc_.sources.size()) return "variable " + std::to_string(v) + ": a gate out of range";
          wl_.push_back({m.gate, m.kind == tt_var_meaning::order, m.input, m.input2, val});
          break;
        case tt_var_meaning::differs:
        case tt_var_meaning::unbalanced: {
          const int n = m.kind == tt_var_meaning::differs ? 2 : 4;
          if (!hidden(m.gate)) return "variable " + std::to_string(v) + ": an auxiliary of a gate with no free values";
          Con c{m.kind == tt_var_meaning::differs ? Con::differs : Con::unbalanced, {0, 0, 0, 0}, val};
          for (int t = 0; t < n; ++t) {
            if (m.p[t] >= enc_.patterns.size()) return "variable " + std::to_string(v) + ": a pattern out of range";
            c.e[t] = entry(m.gate, m.p[t]);
          }
          cons_.push_back(c);
          break;
        }
        case tt_var_meaning::source_sign: {
          // An entry of its own (not a weight literal): a term_falls definition may leave it open.
          if (!reads_gate(m.gate, m.input)) return "variable " + std::to_string(v) + ": the sign of a source the gate does not read";
          Entry& e = entries_[sign_entry(m.gate, m.input)];
          if (e.fixed >= 0 && e.fixed != int(val)) return {};
          e.fixed = val;
          break;
        }
        case tt_var_meaning::term_falls: {
          const std::uint32_t h = m.input;
          if (!reads_gate(m.gate, h) || !hidden(h)) return "variable " + std::to_string(v) + ": a term of a source with no free values";
          if (m.p[0] >= enc_.patterns.size() || m.p[1] >= enc_.patterns.size())
            return "variable " + std::to_string(v) + ": a pattern out of range";
          const std::uint32_t a = entry(h, m.p[0]), b = entry(h, m.p[1]), sg = sign_entry(m.gate, h);
          cons_.push_back({Con::falls, {a, b, sg, 0}, val});
          break;
        }
        case tt_var_meaning::output_value: {
          // A point of the gate's own: its sources (gates only) set to the code's bits.
          if (hidden(m.gate) || m.gate >= enc_.sources.size() || !reads_gates_only(m.gate) || enc_.sources[m.gate].size() >= 32 ||
              (m.input >> enc_.sources[m.gate].size()) != 0)
            return "variable " + std::to_string(v) + ": a code of a gate that does not read gates only, or past its sources";
          bool both = false;
          for (const CodeRow& c : codes_) both = both || (c.gate == m.gate && c.code == m.input && c.value != val);
          if (both) return {};  // o or not o
          codes_.push_back({m.gate, m.input, val});
          break;
        }
        default:
          return "variable " + std::to_string(v) +
                 (m.kind == tt_var_meaning::symmetry || m.kind == tt_var_meaning::output_symmetric || m.kind == tt_var_meaning::output_asymmetric
                      ? " is symmetry breaking (no clause-local meaning)"
                      : " has no meaning");
      }
    }
    // No assignment of the open entries meets the auxiliaries' definitions: the clause is one of
    // theirs (or follows from them).
    std::fill(cur_.begin(), cur_.end(), -1);
    cur_.resize(entries_.size(), -1);
    for (std::size_t e = 0; e < entries_.size(); ++e) cur_[e] = entries_[e].fixed;
    if (!extendable()) {
      ++out_.by_definition;
      return {};
    }
    // One gate the assignment makes impossible suffices. The gates with weight literals first,
    // then those whose values are fixed, then their readers.
    std::vector<std::uint32_t> cand;
    auto add = [&](std::uint32_t g) {
      if (std::find(cand.begin(), cand.end(), g) == cand.end()) cand.push_back(g);
    };
    for (const WeightLit& w : wl_) add(w.gate);
    for (const CodeRow& c : codes_) add(c.gate);
    for (const Entry& e : entries_) add(e.gate);
    for (const Entry& e : entries_)
      for (std::uint32_t r : readers_[e.gate]) add(r);
    for (std::uint32_t g = static_cast<std::uint32_t>(first_output_); g < enc_.sources.size(); ++g)
      if (reads_inputs_only(g)) add(g);
    limit_hit_ = false;
    for (std::uint32_t g : cand)
      if (gate_impossible(g)) return {};
    if (limit_hit_) {
      out_.undecided = true;
      return "too many completions to check (no answer about this clause)";
    }
    return "no gate is ruled out by it";
  }

private:
  // A value of a hidden gate on a pattern, or (sign) the sign of gate's weight on source gate
  // `pattern`: [u >= 0].
  struct Entry {
    std::uint32_t gate, pattern;
    int fixed;  // -1 open, else the falsifying assignment's value
    bool sign = false;
  };
  // An auxiliary's definition over entries: differs (e0, e1), unbalanced (e0..e3), falls (h on
  // a: e0, h on b: e1, the reader's sign on h: e2).
  struct Con {
    enum Kind : std::uint8_t { differs, unbalanced, falls } kind;
    std::uint32_t e[4];
    bool value;
    int arity() const { return kind == differs ? 2 : kind == unbalanced ? 4 : 3; }
    bool holds(const std::vector<int>& x) const {
      switch (kind) {
        case differs: return (x[e[0]] != x[e[1]]) == value;
        case unbalanced: return (x[e[0]] + x[e[1]] != x[e[2]] + x[e[3]]) == value;
        case falls: return (x[e[2]] ? x[e[0]] == 1 && x[e[1]] == 0 : x[e[0]] == 0 && x[e[1]] == 1) == value;
      }
      return false;
    }
    bool decided(const std::vector<int>& x) const {
      for (int t = 0; t < arity(); ++t)
        if (x[e[t]] < 0) return false;
      return true;
    }
  };

  bool hidden(std::uint32_t g) const { return g < first_output_; }
  bool reads_gates_only(std::uint32_t g) const {
    for (std::int64_t s : enc_.sources[g])
      if (s < 0) return false;
    return true;
  }
  bool reads_inputs_only(std::uint32_t g) const {
    for (std::int64_t s : enc_.sources[g])
      if (s >= 0) return false;
    return true;
  }

  bool reads_gate(std::uint32_t g, std::uint32_t h) const {
    return g < enc_.sources.size() &&
           std::find(enc_.sources[g].begin(), enc_.sources[g].end(), static_cast<std::int64_t>(h)) != enc_.sources[g].end();
  }

  std::uint32_t entry(std::uint32_t g, std::uint32_t k, bool sign = false) {
    for (std::size_t e = 0; e < entries_.size(); ++e)
      if (entries_[e].gate == g && entries_[e].pattern == k && entries_[e].sign == sign) return static_cast<std::uint32_t>(e);
    entries_.push_back({g, k, -1, sign});
    return static_cast<std::uint32_t>(entries_.size() - 1);
  }
  std::uint32_t sign_entry(std::uint32_t g, std::uint32_t h) { return entry(g, h, true); }
  int find_entry(std::uint32_t g, std::uint32_t k) const {
    for (std::size_t e = 0; e < entries_.size(); ++e)
      if (entries_[e].gate == g && entries_[e].pattern == k && !entries_[e].sign) return static_cast<int>(e);
    return -1;
  }

  // Whether cur_ (some entries set) extends to every entry meeting every definition.
  bool extendable() {
    for (const Con& c : cons_)
      if (c.decided(cur_) && !c.holds(cur_)) return false;
    for (std::size_t e = 0; e < cur_.size(); ++e) {
      if (cur_[e] >= 0) continue;
      for (int v = 0; v < 2; ++v) {
        cur_[e] = v;
        if (extendable()) {
          cur_[e] = -1;
          return true;
        }
      }
      cur_[e] = -1;
      return false;
    }
    return true;
  }

  // Whether gate g has no weights realizing the assignment, for every completion of the open
  // entries its system reads.
  bool gate_impossible(std::uint32_t g) {
    const auto& src = enc_.sources[g];
    const std::uint32_t D = static_cast<std::uint32_t>(src.size());
    // Weight literals on g as column constraints.
    std::vector<System::Con> cons;
    auto column_of = [&](std::uint32_t input) -> int {
      for (std::uint32_t d = 0; d < D; ++d)
        if (src[d] == -1 - static_cast<std::int64_t>(input)) return static_cast<int>(d);
      return -1;
    };
    std::vector<std::uint8_t> constrained(D, 0);
    for (const WeightLit& w : wl_) {
      if (w.gate != g) continue;
      // A sign literal is a constraint on one column (b = a), an order literal on two.
      const int a = column_of(w.a), b = w.is_order ? column_of(w.b) : a;
      if (a < 0 || b < 0 || (w.is_order && w.a >= w.b)) return false;  // not a meaning this gate has
      cons.push_back({w.is_order, static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b), w.value});
      constrained[static_cast<std::size_t>(a)] = constrained[static_cast<std::size_t>(b)] = 1;
    }
    // The signs of g's weights on its source gates (a source_sign literal, or left open by a
    // term_falls definition): one column constraint each, the open ones enumerated below.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> signs;  // (entry, column)
    for (std::size_t e = 0; e < entries_.size(); ++e) {
      if (!entries_[e].sign || entries_[e].gate != g) continue;
      std::uint32_t d = 0;
      while (d < D && src[d] != static_cast<std::int64_t>(entries_[e].pattern)) ++d;
      if (d == D) return false;  // not a source of g (refused when parsed)
      signs.push_back({static_cast<std::uint32_t>(e), d});
      constrained[d] = 1;
    }
    // Rows: the patterns the clause speaks of where g's label and every source are known.
    // Cells: 0, 1, or 2 + an open entry.
    std::vector<std::uint32_t> pats;
    if (!hidden(g) && reads_inputs_only(g)) {
      // An output over the inputs alone: its every value is known (a clause's constants were
      // dropped by the encoder, so the patterns it spoke of may not show).
      for (std::uint32_t k = 0; k < enc_.patterns.size(); ++k) pats.push_back(k);
    } else {
      for (const Entry& e : entries_)
        if (!e.sign && std::find(pats.begin(), pats.end(), e.pattern) == pats.end()) pats.push_back(e.pattern);
    }
    std::vector<int> cells, labels;
    for (std::uint32_t k : pats) {
      int label;
      if (hidden(g)) {
        const int e = find_entry(g, k);
        if (e < 0) continue;
        label = cur_[static_cast<std::size_t>(e)] >= 0 ? cur_[static_cast<std::size_t>(e)] : 2 + e;
      } else {
        label = get_bit(truth_[g - first_output_], enc_.patterns[k]) ? 1 : 0;
      }
      const std::size_t mark = cells.size();
      bool known = true;
      for (std::int64_t s : src) {
        if (s < 0) {
          cells.push_back(static_cast<int>((enc_.patterns[k] >> (-1 - s)) & 1u));
          continue;
        }
        const int e = find_entry(static_cast<std::uint32_t>(s), k);
        if (e < 0) {
          known = false;
          break;
        }
        cells.push_back(cur_[static_cast<std::size_t>(e)] >= 0 ? cur_[static_cast<std::size_t>(e)] : 2 + e);
      }
      if (!known) {
        cells.resize(mark);
        continue;
      }
      labels.push_back(label);
    }
    // The clause's codes of g: bit d of the code is g's d-th source.
    for (const CodeRow& c : codes_) {
      if (c.gate != g) continue;
      for (std::uint32_t d = 0; d < D; ++d) cells.push_back(static_cast<int>((c.code >> d) & 1u));
      labels.push_back(c.value);
    }
    if (labels.empty() && cons.empty() && signs.empty()) return false;
    // A column the same in every row (one constant, or one entry whatever its value) adds the
    // same amount to every point: absorbed by the threshold unless its weight is constrained.
    const std::size_t R = labels.size();
    std::vector<std::uint32_t> keep;
    for (std::uint32_t d = 0; d < D; ++d) {
      bool same = true;
      for (std::size_t k = 1; k < R && same; ++k) same = cells[k * D + d] == cells[d];
      if (!same || constrained[d]) keep.push_back(d);
    }
    // The open entries left, enumerated.
    std::vector<int> open;
    auto note = [&](int c) {
      if (c >= 2 && std::find(open.begin(), open.end(), c - 2) == open.end()) open.push_back(c - 2);
    };
    for (std::size_t k = 0; k < R; ++k) {
      note(labels[k]);
      for (std::uint32_t d : keep) note(cells[k * D + d]);
    }
    for (const auto& [e, d] : signs)
      if (cur_[e] < 0) note(2 + static_cast<int>(e));
    if (open.size() > p_.max_open_entries) {
      limit_hit_ = true;
      return false;
    }
    // Entries of one auxiliary side by side, so the search below prunes a definition as soon as
    // its entries are set (an unbalanced face: 6 of 16 completions).
    std::vector<int> rank(entries_.size(), int(cons_.size()));
    for (std::size_t c = cons_.size(); c-- > 0;)
      for (int t = 0; t < cons_[c].arity(); ++t) rank[cons_[c].e[t]] = int(c);
    std::stable_sort(open.begin(), open.end(), [&](int a, int b) { return rank[std::size_t(a)] < rank[std::size_t(b)]; });
    System s;
    std::uint64_t leaves = 0;
    bool feasible_found = false, too_many = false;
    auto leaf = [&] {
      if (!extendable()) return;
      if (++leaves > p_.max_completions) {
        too_many = true;
        return;
      }
      auto value = [&](int c) { return c < 2 ? c : cur_[static_cast<std::size_t>(c - 2)]; };
      s.dims = static_cast<std::uint32_t>(keep.size());
      s.rows.clear();
      s.labels.clear();
      for (std::size_t k = 0; k < R; ++k) {
        for (std::uint32_t d : keep) s.rows.push_back(static_cast<std::uint8_t>(value(cells[k * D + d])));
        s.labels.push_back(static_cast<std::uint8_t>(value(labels[k])));
      }
      s.cons.clear();
      for (const System::Con& c : cons) {
        const auto a = static_cast<std::uint32_t>(std::find(keep.begin(), keep.end(), c.a) - keep.begin());
        const auto b = static_cast<std::uint32_t>(std::find(keep.begin(), keep.end(), c.b) - keep.begin());
        s.cons.push_back({c.is_order, a, b, c.value});
      }
      for (const auto& [e, d] : signs) {
        const auto a = static_cast<std::uint32_t>(std::find(keep.begin(), keep.end(), d) - keep.begin());
        s.cons.push_back({false, a, a, cur_[e] == 1});
      }
      ++out_.systems;
      if (feasible(s)) feasible_found = true;
    };
    // Depth-first over the open entries; a definition whose entries are all set must hold.
    auto search = [&](auto&& self, std::size_t i) -> void {
      if (feasible_found || too_many) return;
      if (i == open.size()) {
        leaf();
        return;
      }
      const auto e = static_cast<std::size_t>(open[i]);
      for (int v = 0; v < 2 && !feasible_found && !too_many; ++v) {
        cur_[e] = v;
        bool ok = true;
        for (const Con& c : cons_)
          if (c.decided(cur_) && !c.holds(cur_)) { ok = false; break; }
        if (ok) self(self, i + 1);
      }
      cur_[e] = -1;
    };
    search(search, 0);
    for (int e : open) cur_[static_cast<std::size_t>(e)] = -1;
    if (too_many && !feasible_found) limit_hit_ = true;
    return !feasible_found && !too_many;
  }

  // Feasibility of one concrete system, after a canonical form (constant and repeated
  // unconstrained columns folded, rows sorted and deduplicated) looked up in the cache.
  bool feasible(const System& in) {
    // Many points and a few weight literals (an output over the inputs alone sees every pattern):
    // the points alone, one system for all such clauses, often settle it.
    if (!in.cons.empty() && in.labels.size() >= 8) {
      System points = in;
      points.cons.clear();
      if (!feasible(points)) return false;
    }
    const std::uint32_t D = in.dims;
    const std::size_t R = in.labels.size();
    // Per column: 1 a sign >= 0 on it, 2 a sign < 0, 4 an order.
    std::vector<std::uint8_t> constrained(D, 0);
    for (const System::Con& c : in.cons) {
      if (c.is_order) constrained[c.a] |= 4, constrained[c.b] |= 4;
      else constrained[c.a] |= c.value ? 1 : 2;
    }
    std::vector<std::uint32_t> keep;
    for (std::uint32_t d = 0; d < D; ++d) {
      bool constant = true;
      for (std::size_t k = 1; k < R && constant; ++k) constant = in.rows[k * D + d] == in.rows[d];
      // A constant column under one sign alone is folded too: its weight set to 0 or -1 and the
      // threshold moved by as much, any solution of the rest extends.
      if (constant && (constrained[d] == 0 || constrained[d] == 1 || constrained[d] == 2)) continue;
      if (constrained[d]) {
        keep.push_back(d);
        continue;
      }
      // A column equal to a kept unconstrained one: their weights act as their sum.
      bool repeat = false;
      for (std::uint32_t d2 : keep) {
        if (constrained[d2]) continue;
        bool eq = true;
        for (std::size_t k = 0; k < R && eq; ++k) eq = in.rows[k * D + d] == in.rows[k * D + d2];
        if (eq) { repeat = true; break; }
      }
      if (!repeat) keep.push_back(d);
    }
    std::vector<std::string> rows(R);
    for (std::size_t k = 0; k < R; ++k) {
      rows[k].push_back(static_cast<char>('0' + in.labels[k]));
      for (std::uint32_t d : keep) rows[k].push_back(static_cast<char>('0' + in.rows[k * D + d]));
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    // One point with both labels: no gate at all.
    for (std::size_t k = 0; k + 1 < rows.size(); ++k)
      if (rows[k].compare(1, std::string::npos, rows[k + 1], 1, std::string::npos) == 0 && rows[k][0] != rows[k + 1][0]) return false;
    // The constraints on kept columns, renumbered, sorted and deduplicated.
    std::vector<System::Con> cons;
    for (const System::Con& c : in.cons) {
      const auto a = static_cast<std::uint32_t>(std::find(keep.begin(), keep.end(), c.a) - keep.begin());
      const auto b = static_cast<std::uint32_t>(std::find(keep.begin(), keep.end(), c.b) - keep.begin());
      if (a == keep.size()) continue;  // a folded column
      cons.push_back({c.is_order, a, c.is_order ? b : a, c.value});
    }
    auto tuple = [](const System::Con& c) { return std::tuple(c.is_order, c.a, c.b, c.value); };
    std::sort(cons.begin(), cons.end(), [&](const System::Con& x, const System::Con& y) { return tuple(x) < tuple(y); });
    cons.erase(std::unique(cons.begin(), cons.end(), [&](const System::Con& x, const System::Con& y) { return tuple(x) == tuple(y); }),
               cons.end());
    std::string key = std::to_string(keep.size()) + ":";
    for (const System::Con& c : cons)
      key += (c.is_order ? "o" : "p") + std::to_string(c.a) + "," + std::to_string(c.b) + (c.value ? "+" : "-");
    for (const std::string& r : rows) key += "|" + r;
    const auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    System s;
    s.dims = static_cast<std::uint32_t>(keep.size());
    for (const std::string& r : rows) {
      s.labels.push_back(static_cast<std::uint8_t>(r[0] - '0'));
      for (std::size_t d = 1; d < r.size(); ++d) s.rows.push_back(static_cast<std::uint8_t>(r[d] - '0'));
    }
    s.cons = std::move(cons);
    ++out_.lps;
    const bool f = lp_feasible(s);
    cache_.emplace(std::move(key), f);
    return f;
  }

  const tt_encoding& enc_;
  const multi_truth_table& truth_;
  const tt_soundness_params& p_;
  tt_soundness_result& out_;
  std::size_t first_output_ = 0;
  std::vector<std::vector<std::uint32_t>> readers_;
  std::vector<Entry> entries_;
  std::vector<Con> cons_;
  std::vector<WeightLit> wl_;
  // An output_value literal's point: gate g's value `value` on the code.
  struct CodeRow {
    std::uint32_t gate, code;
    int value;
  };
  std::vector<CodeRow> codes_;
  std::vector<int> cur_;
  std::unordered_map<std::string, bool> cache_;
  bool limit_hit_ = false;  // a gate of the current clause was not decided within the limits
};

// A clause as a set: sorted, without the constant false literal, so the encoder's and the
// check's spellings of one clause compare equal.
std::vector<CnfLit> normalized_clause(std::span<const CnfLit> clause) {
  std::vector<CnfLit> c;
  for (CnfLit l : clause)
    if (l != Cnf::false_lit()) c.push_back(l);
  std::sort(c.begin(), c.end());
  c.erase(std::unique(c.begin(), c.end()), c.end());
  return c;
}

struct ClauseHash {
  std::size_t operator()(const std::vector<CnfLit>& c) const {
    std::size_t h = c.size();
    for (CnfLit l : c) h = h * 1000003u ^ static_cast<std::size_t>(static_cast<std::uint32_t>(l));
    return h;
  }
};
using ClauseSet = std::unordered_set<std::vector<CnfLit>, ClauseHash>;

// The clauses the declared symmetry rules stand for, after their premises are checked on the
// template and the function (written apart from the encoder's own tests of them: bits of the
// truth tables, one input pattern at a time). Why the rules keep a circuit of every class, one
// after another: the normalized gate's inputs first (negate, then rename, the function's own
// symmetries; outputs complemented as the negation requires), then the complement rules (a
// hidden gate's complement is a threshold gate, its readers adjust; no input weight moves), then
// each run of ordered gates sorted by value column (readers permute their weights; the run's
// gates share their complement rule, so it still holds). `why` gets the first premise that fails.
class SymmetryRules {
public:
  SymmetryRules(const tt_encoding& enc, const multi_truth_table& truth, const truth_table* care)
      : enc_(enc), truth_(truth), care_(care), first_output_(enc.sources.size() - truth.size()) {
    for (std::uint32_t v = 1; v < enc.vars.size(); ++v) {
      const tt_var_meaning& m = enc.vars[v];
      switch (m.kind) {
        case tt_var_meaning::value: value_[key(m.gate, m.p[0])] = v; break;
        case tt_var_meaning::polarity: polarity_[key(m.gate, m.input)] = v; break;
        case tt_var_meaning::order: order_[key(m.gate, m.input, m.input2)] = v; break;
        case tt_var_meaning::source_sign: sign_[key(m.gate, m.input)] = v; break;
        case tt_var_meaning::symmetry: flag_[key(m.gate, m.p[0])] = v; break;
        case tt_var_meaning::output_value: code_[key(m.gate, m.input)] = v; break;
        case tt_var_meaning::output_symmetric: swap_[key(m.gate, m.input)] = v; break;
        case tt_var_meaning::output_asymmetric: witness_[key(m.gate, m.input, m.p[0])] = v; break;
        default: break;
      }
    }
  }

  // Empty when every premise holds (then clauses() is filled); else the failed premise.
  std::string build() {
    const tt_symmetry& s = enc_.symmetry;
    const std::size_t G = enc_.sources.size();
    std::vector<int> rule(G, 0);  // per gate: 0 none, 1 zero_first, 2 + r reader_sign by r, -1 output_regular
    if (s.output_regular >= 0)
      if (std::string why = output_regular(static_cast<std::uint64_t>(s.output_regular), rule); !why.empty()) return "output_regular: " + why;
    if (!s.dual_blocked.empty())
      if (std::string why = dual_blocked(s); !why.empty()) return "dual_blocked: " + why;
    for (std::uint32_t h : s.zero_first) {
      if (!hidden(h)) return "zero_first: gate " + std::to_string(h) + " is not a hidden gate";
      if (rule[h]) return "gate " + std::to_string(h) + " has two complement rules";
      rule[h] = 1;
      add({-lit(value_, key(h, 0))});
    }
    for (const auto& [h, r] : s.reader_sign) {
      if (!hidden(h) || r >= G || !reads(r, h)) return "reader_sign: gate " + std::to_string(r) + " does not read hidden gate " + std::to_string(h);
      add({lit(sign_, key(r, h))});
      if (rule[h] == -1 && static_cast<std::int64_t>(r) == s.output_regular) continue;  // the output rule says as much
      if (rule[h]) return "gate " + std::to_string(h) + " has two complement rules";
      rule[h] = 2 + static_cast<int>(r);
    }
    if (s.normalized >= 0) {
      const auto g = static_cast<std::uint32_t>(s.normalized);
      if (!hidden(g)) return "normalized: gate " + std::to_string(g) + " is not a hidden gate";
      if (rule[g] > 0) return "the normalized gate " + std::to_string(g) + " has a complement rule";
      // Under output_regular the function may not be complemented: of the inputs whose negation
      // complements it, exactly one stays out of nonnegative, and never first in a sorted pair.
      const bool fixed_output = rule[g] == -1;
      std::vector<bool> nonneg(enc_.inputs, false);
      for (std::uint32_t i : s.nonnegative) {
        if (i >= enc_.inputs || !reads_input(g, i)) return "normalized: gate " + std::to_string(g) + " does not read input " + std::to_string(i);
        if (!negatable(i)) return "normalized: input " + std::to_string(i) + " is not negatable (the function changes otherwise)";
        nonneg[i] = true;
        add({lit(polarity_, key(g, i))});
      }
      for (const auto& [a, b] : s.sorted) {
        if (a >= b || b >= enc_.inputs || !reads_input(g, a) || !reads_input(g, b))
          return "normalized: the pair " + std::to_string(a) + ", " + std::to_string(b) + " is not two inputs the gate reads, in order";
        const bool last_negative = fixed_output && nonneg[a] && !nonneg[b] && complementing(b);
        if (nonneg[a] != nonneg[b] && !last_negative)
          return "normalized: inputs " + std::to_string(a) + " and " + std::to_string(b) + " differ in sign rule";
        if (!interchangeable(a, b)) return "normalized: inputs " + std::to_string(a) + " and " + std::to_string(b) + " are not interchangeable";
        add({lit(order_, key(g, a, b))});
      }
      if (fixed_output) {
        std::vector<std::uint32_t> out;  // complementing inputs left out of nonnegative
        bool any = false;
        for (std::uint32_t i = 0; i < enc_.inputs; ++i)
          if (reads_input(g, i) && complementing(i)) {
            any = true;
            if (!nonneg[i]) out.push_back(i);
          }
        if (any && out.size() != 1)
          return "normalized: the output is fixed, so exactly one input whose negation complements the function may be negative (" +
                 std::to_string(out.size()) + " are)";
        for (const auto& [a, b] : s.sorted)
          if (!out.empty() && a == out[0]) return "normalized: the input left negative is first in a sorted pair";
      }
    }
    for (std::uint32_t g : s.ordered) {
      const std::uint32_t h = g + 1;
      if (!hidden(g) || !hidden(h)) return "ordered: gates " + std::to_string(g) + ", " + std::to_string(h) + " are not both hidden";
      if (static_cast<std::int64_t>(g) == s.normalized || static_cast<std::int64_t>(h) == s.normalized)
        return "ordered: the normalized gate is in a layer order";
      if (enc_.sources[g] != enc_.sources[h]) return "ordered: gates " + std::to_string(g) + ", " + std::to_string(h) + " read different sources";
      for (std::size_t r = 0; r < G; ++r)
        if (reads(r, g) != reads(r, h)) return "ordered: gate " + std::to_string(r) + " reads only one of " + std::to_string(g) + ", " + std::to_string(h);
      if (rule[g] != rule[h]) return "ordered: gates " + std::to_string(g) + ", " + std::to_string(h) + " have different complement rules";
      CnfLit e = 0;  // the flag after the previous pattern (none before pattern 0)
      if (s.output_regular >= 0) {
        // The output's function must be symmetric in the pair: the order starts from its flag.
        e = lit(swap_, key(static_cast<std::uint64_t>(s.output_regular), g));
        if (!e) return "ordered: gates " + std::to_string(g) + ", " + std::to_string(h) + " have no output symmetry flag";
      }
      for (std::uint32_t k = 0; k < enc_.patterns.size(); ++k) {
        const CnfLit a = lit(value_, key(g, k)), b = lit(value_, key(h, k)), next = lit(flag_, key(g, k));
        if (!a || !b) break;
        add(e ? std::vector<CnfLit>{-e, -a, b} : std::vector<CnfLit>{-a, b});
        if (!next) break;
        add(e ? std::vector<CnfLit>{-e, a, b, next} : std::vector<CnfLit>{a, b, next});
        add(e ? std::vector<CnfLit>{-e, -a, -b, next} : std::vector<CnfLit>{-a, -b, next});
        e = next;
      }
    }
    return {};
  }

  const ClauseSet& clauses() const { return clauses_; }

private:
  // output_regular's premises (r the only output, reading exactly the hidden gates in order,
  // which all read the same inputs and nothing else) and clauses; every hidden gate's complement
  // rule becomes -1.
  std::string output_regular(std::uint64_t r, std::vector<int>& rule) {
    const std::size_t G = enc_.sources.size();
    if (truth_.size() != 1 || r + 1 != G) return "gate " + std::to_string(r) + " is not the only output";
    const auto k = static_cast<std::uint32_t>(first_output_);
    if (k == 0 || k > 6 || enc_.sources[r].size() != k) return "the output does not read exactly the hidden gates (1..6 of them)";
    for (std::uint32_t h = 0; h < k; ++h) {
      if (enc_.sources[r][h] != static_cast<std::int64_t>(h)) return "the output does not read the hidden gates in order";
      if (enc_.sources[h] != enc_.sources[0]) return "hidden gates " + std::to_string(h) + " and 0 read different sources";
      for (std::int64_t src : enc_.sources[h])
        if (src >= 0) return "hidden gate " + std::to_string(h) + " reads a gate";
      rule[h] = -1;
    }
    auto o = [&](std::uint32_t c) { return lit(code_, key(r, c)); };
    for (std::uint32_t c = 0; c < (1u << k); ++c)
      for (std::uint32_t i = 0; i < k; ++i) {
        if (!((c >> i) & 1u)) add({-o(c), o(c | (1u << i))});
        if (i + 1 < k && ((c >> (i + 1)) & 1u) && !((c >> i) & 1u)) add({-o(c), o(c ^ (3u << i))});
      }
    for (std::uint32_t i = 0; i + 1 < k; ++i) {
      const CnfLit sym = lit(swap_, key(r, i));
      std::vector<CnfLit> some{sym};
      for (std::uint32_t c = 0; c < (1u << k); ++c) {
        if ((c >> i) & 1u || !((c >> (i + 1)) & 1u)) continue;
        const std::uint32_t swapped = c ^ (3u << i);
        const CnfLit b = lit(witness_, key(r, i, c));
        add({-sym, -o(swapped), o(c)});
        add({-b, o(swapped)});
        add({-b, -o(c)});
        some.push_back(b);
      }
      add(some);
    }
    return {};
  }
  // dual_blocked's premises (the output rule, a self-dual function, each table's dual smaller)
  // and clauses.
  std::string dual_blocked(const tt_symmetry& s) {
    if (s.output_regular < 0) return "needs the output rule";
    const auto r = static_cast<std::uint64_t>(s.output_regular);
    const auto k = static_cast<std::uint32_t>(first_output_);
    const std::uint64_t rows = std::uint64_t{1} << enc_.inputs, all = rows - 1;
    for (std::uint64_t x = 0; x < rows; ++x)
      if (cared(x) != cared(all ^ x) || (cared(x) && get_bit(truth_[0], x) == get_bit(truth_[0], all ^ x)))
        return "complementing every input does not complement the function";
    for (const std::uint64_t t : s.dual_blocked) {
      if (k < 6 && (t >> (1u << k)) != 0) return "a table longer than " + std::to_string(1u << k) + " codes";
      if (dual_of(t, k) >= t) return "a table not larger than its dual";
      std::vector<CnfLit> differs;
      for (std::uint32_t c = 0; c < (1u << k); ++c) differs.push_back((t >> c) & 1u ? -lit(code_, key(r, c)) : lit(code_, key(r, c)));
      add(std::move(differs));
    }
    return {};
  }
  // Negating input i complements the (one) output on the care set.
  bool complementing(std::uint32_t i) const {
    const std::uint64_t rows = std::uint64_t{1} << enc_.inputs, bit = std::uint64_t{1} << i;
    for (std::uint64_t x = 0; x < rows; ++x) {
      if (cared(x) != cared(x ^ bit)) return false;
      if (cared(x) && get_bit(truth_[0], x) == get_bit(truth_[0], x ^ bit)) return false;
    }
    return true;
  }

  using Map = std::unordered_map<std::uint64_t, CnfLit>;
  // (gate, pattern or input[, second input < 64]): gates and patterns below 2^24 and 2^32.
  static std::uint64_t key(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0) { return (a << 40) | (b << 8) | c; }
  static CnfLit lit(const Map& m, std::uint64_t k) {
    const auto it = m.find(k);
    return it == m.end() ? 0 : it->second;
  }
  // A clause over a variable with no such meaning cannot be in the CNF as that rule's clause.
  void add(std::vector<CnfLit> c) {
    if (std::find(c.begin(), c.end(), 0) != c.end()) return;
    clauses_.insert(normalized_clause(c));
  }
  bool hidden(std::uint64_t g) const { return g < first_output_; }
  bool reads(std::size_t r, std::uint32_t h) const {
    const auto& s = enc_.sources[r];
    return std::find(s.begin(), s.end(), static_cast<std::int64_t>(h)) != s.end();
  }
  bool reads_input(std::uint32_t g, std::uint32_t i) const {
    const auto& s = enc_.sources[g];
    return std::find(s.begin(), s.end(), -1 - static_cast<std::int64_t>(i)) != s.end();
  }
  bool cared(std::uint64_t x) const { return !care_ || get_bit(*care_, x); }
  // Every output keeps or complements its values on the care set when input i is negated.
  bool negatable(std::uint32_t i) const {
    const std::uint64_t rows = std::uint64_t{1} << enc_.inputs, bit = std::uint64_t{1} << i;
    for (const truth_table& t : truth_) {
      int kept = -1;  // -1 unknown, 1 kept, 0 complemented
      for (std::uint64_t x = 0; x < rows; ++x) {
        if (cared(x) != cared(x ^ bit)) return false;
        if (!cared(x)) continue;
        const int same = get_bit(t, x) == get_bit(t, x ^ bit);
        if (kept >= 0 && same != kept) return false;
        kept = same;
      }
    }
    return true;
  }
  // Every output and the care set are unchanged when inputs a and b trade values.
  bool interchangeable(std::uint32_t a, std::uint32_t b) const {
    const std::uint64_t rows = std::uint64_t{1} << enc_.inputs;
    for (std::uint64_t x = 0; x < rows; ++x) {
      const std::uint64_t y = ((x >> a) & 1u) == ((x >> b) & 1u) ? x : x ^ ((std::uint64_t{1} << a) | (std::uint64_t{1} << b));
      if (cared(x) != cared(y)) return false;
      if (!cared(x)) continue;
      for (const truth_table& t : truth_)
        if (get_bit(t, x) != get_bit(t, y)) return false;
    }
    return true;
  }

  const tt_encoding& enc_;
  const multi_truth_table& truth_;
  const truth_table* care_;
  std::size_t first_output_;
  Map value_, polarity_, order_, sign_, flag_, code_, swap_, witness_;
  ClauseSet clauses_;
};

}  // namespace

tt_soundness_result check_tt_soundness(const Cnf& cnf, const tt_encoding& enc, const multi_truth_table& truth,
                                       const tt_soundness_params& p, const truth_table* care) {
  const auto t0 = std::chrono::steady_clock::now();
  tt_soundness_result r;
  for (const truth_table& t : truth)
    if (t.num_vars() != enc.inputs) throw std::invalid_argument("tt soundness: a truth table over the wrong number of inputs");
  if (enc.inputs > 63) throw std::invalid_argument("tt soundness: more than 63 inputs");
  if (enc.sources.size() >= (std::size_t{1} << 24) || enc.patterns.size() >= (std::uint64_t{1} << 32))
    throw std::invalid_argument("tt soundness: more than 2^24 gates or 2^32 patterns");
  for (std::uint64_t q : enc.patterns)
    if (q >> enc.inputs) throw std::invalid_argument("tt soundness: a pattern past the inputs");
  if (enc.vars.size() < 2 || enc.vars[1].kind != tt_var_meaning::constant)
    throw std::invalid_argument("tt soundness: variable 1 must be the constant true");
  if (care && care->num_vars() != enc.inputs) throw std::invalid_argument("tt soundness: a care set over the wrong number of inputs");
  Checker checker(enc, truth, p, r);
  SymmetryRules rules(enc, truth, care);
  if (const std::string why = rules.build(); !why.empty()) {
    r.message = "the symmetry rules: " + why;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
  }
  const std::vector<CnfLit>& lits = cnf.literals();
  std::size_t start = 0;
  r.sound = true;
  for (std::size_t i = 0; i < lits.size(); ++i) {
    if (lits[i] != 0) continue;
    const std::span<const CnfLit> clause(lits.data() + start, i - start);
    ++r.clauses;
    if (!rules.clauses().empty() && rules.clauses().count(normalized_clause(clause))) {
      ++r.by_symmetry;
      start = i + 1;
      continue;
    }
    const std::string why = checker.check(clause);
    if (!why.empty()) {
      std::string text;
      for (CnfLit l : clause) text += std::to_string(l) + " ";
      r.sound = false;
      r.message = "clause " + std::to_string(r.clauses) + " (" + text + "0): " + why;
      break;
    }
    start = i + 1;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace tcx

namespace tcx {

void certify_tt_unsat(const Cnf& cnf, const tt_encoding& enc, const multi_truth_table& truth, const synth_params& p,
                      double time_limit_s, synth_result& r, const std::vector<std::vector<CnfLit>>& cubes, const Cnf* cover) {
  const double t0 = thread_cpu_seconds();
  bool sound = false;
  if (p.proof.certify) {
    const tt_soundness_result s = check_tt_soundness(cnf, enc, truth, {}, p.care.get());
    r.soundness_seconds = s.seconds;
    r.soundness_clauses = s.clauses;
    r.soundness_lps = s.lps;
    r.soundness_symmetry = s.by_symmetry;
    if (!s.sound && s.undecided) {
      // Not an unsound clause, one too large to decide here: the answer stays uncertified.
      r.certified = false;
      return;
    }
    if (!s.sound)
      throw certification_error("internal error: " + p.query + ": the tt encoding has a clause that is not sound: " + s.message);
    sound = true;
  }
  // One proof of the final CNF. With cubes, one solver refutes them in turn, keeping what it
  // learns, and the proof joins them up (prove_unsat): the final CNF holds every clause the
  // loop had when it refuted each cube (clauses are only ever added), so each cube is UNSAT
  // again if the loop's answer was right.
  const double left = time_limit_s - (thread_cpu_seconds() - t0);
  if (time_limit_s > 0 && left <= 0) {
    r.certified = false;  // the soundness check took the budget: no proof
    return;
  }
  synth_detail::prove_final_unsat(cnf, p, time_limit_s > 0 ? left : 0, r, cubes, cover);
  const proof_record& pr = r.proofs.back();
  const bool all = pr.unsat && (!p.proof.certify || pr.verified);  // not unsat: out of budget
  r.certified = all && sound;
}

}  // namespace tcx

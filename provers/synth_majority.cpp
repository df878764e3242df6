// The majority-of-K template: K fan-in slots per gate, each a one-hot choice of source.
//
// Per input pattern a gate costs K + 1 variables (its slot values and its output) and a handful
// of short clauses, which propagate far better than summing selection bits: this is the shape
// of the encoding ABC's `majexact` uses (ordered slots, every gate used, every input read).
#include <algorithm>
#include <stdexcept>
#include <string>

#include "provers/synth_template.hpp"

namespace tcx::synth_detail {

namespace {

struct MajGate {
  std::vector<std::int64_t> sources;
  std::vector<std::vector<CnfLit>> sel;  // sel[k][j]: slot k reads source j (0: not allowed)
  std::vector<CnfLit> sign;              // per slot: complemented (false_lit when complements are off)
  bool output = false;
  std::uint32_t layer = 0;
};

// Every `size`-subset of `items`, as index lists.
void subsets(std::uint32_t items, std::uint32_t size, std::vector<std::uint32_t>& cur, std::vector<std::vector<std::uint32_t>>& out,
             std::uint32_t from = 0) {
  if (cur.size() == size) {
    out.push_back(cur);
    return;
  }
  for (std::uint32_t i = from; i < items; ++i) {
    cur.push_back(i);
    subsets(items, size, cur, out, i + 1);
    cur.pop_back();
  }
}

}  // namespace

struct MajorityTemplate::Impl {
  Cnf& cnf;
  std::uint32_t n, K;
  const multi_truth_table& truth;
  synth_params p;
  std::vector<MajGate> gates;
  std::vector<std::vector<std::uint32_t>> half_subsets;  // the (K+1)/2-subsets of the slots

  Impl(Cnf& c, std::uint32_t inputs, const multi_truth_table& t, const synth_params& params, bool all_used)
      : cnf(c), n(inputs), K(params.shape.majority_of), truth(t), p(params) {
    const std::vector<std::vector<std::int64_t>> sources = template_sources(n, p.shape);
    std::uint32_t layer = 0, in_layer = 0;
    for (const auto& src : sources) {
      while (in_layer == p.shape.widths[layer]) ++layer, in_layer = 0;
      ++in_layer;
      if (src.size() < K)
        throw std::invalid_argument("synth: a gate of layer " + std::to_string(layer + 1) + " has " + std::to_string(src.size()) +
                                    " possible sources, fewer than the " + std::to_string(K) + " a majority-of-" +
                                    std::to_string(K) + " gate reads");
      MajGate g;
      g.sources = src;
      g.layer = layer;
      g.output = layer + 1 == p.shape.widths.size();
      declare(g);
      gates.push_back(std::move(g));
    }
    if (K <= 9) {
      std::vector<std::uint32_t> cur;
      subsets(K, (K + 1) / 2, cur, half_subsets);
    }
    // Implied by correctness, so always sound: every input the function depends on is read.
    for (std::uint32_t i = 0; i < n; ++i)
      if (depends_on(truth, i, p.care.get())) cnf.add(readers_of(-1 - static_cast<std::int64_t>(i)));
    if (all_used)
      for (std::size_t g = 0; g < gates.size(); ++g)
        if (!gates[g].output) cnf.add(readers_of(static_cast<std::int64_t>(g)));
    if (p.symmetry_breaking) break_symmetries();
  }

  void declare(MajGate& g) {
    const std::size_t S = g.sources.size();
    g.sel.assign(K, std::vector<CnfLit>(S, 0));
    for (std::uint32_t k = 0; k < K; ++k) {
      // Slots read strictly increasing source indices: slot k lies in [k, S - K + k].
      std::vector<CnfLit> one;
      for (std::size_t j = k; j + (K - k) <= S; ++j) one.push_back(g.sel[k][j] = cnf.new_var());
      cnf.add(one);
      for (std::size_t a = 0; a < one.size(); ++a)
        for (std::size_t b = a + 1; b < one.size(); ++b) cnf.add({-one[a], -one[b]});
      if (k > 0)
        for (std::size_t j = 0; j < S; ++j)
          for (std::size_t i = j; i < S; ++i)
            if (g.sel[k][j] && g.sel[k - 1][i]) cnf.add({-g.sel[k][j], -g.sel[k - 1][i]});
      g.sign.push_back(p.shape.complemented ? cnf.new_var() : Cnf::false_lit());
    }
  }

  // The clause "some slot of some gate reads this source".
  std::vector<CnfLit> readers_of(std::int64_t source) const {
    std::vector<CnfLit> c;
    for (const MajGate& g : gates) {
      const std::vector<CnfLit> r = reads(g, source);
      c.insert(c.end(), r.begin(), r.end());
    }
    return c;
  }

  // The symmetries below are broken together by one canonical form: of all the circuits that
  // differ only by the order of interchangeable gates and by a renaming of interchangeable
  // inputs, the one whose sequence of gate fan-in tuples (sorted source indices, compared
  // lexicographically) is smallest. It satisfies every rule added here (docs/provers.md).
  void break_symmetries() {
    for (std::size_t g = 0; g < gates.size(); ++g) {
      MajGate& a = gates[g];
      if (a.output) continue;
      // A hidden majority gate negated is the majority of its complemented sources, and its
      // readers can complement it back: so its first slot is not complemented.
      if (p.shape.complemented) cnf.add({-a.sign[0]});
      if (g + 1 >= gates.size() || gates[g + 1].output) continue;
      const MajGate& b = gates[g + 1];
      // Gates of one layer are interchangeable: their fan-in tuples do not decrease.
      if (b.layer == a.layer) lex_le(a, b);
    }
    // Interchangeable inputs (the function is unchanged when they swap): an input is first read
    // no earlier than the one before it in its class.
    const auto pairs = interchangeable_inputs(n, truth, p.care.get());
    // Symmetric in all inputs (one class of n): the rules put the first gate on inputs
    // 0 .. K-1; said directly, it propagates at once.
    if (n >= K && pairs.size() + 1 == n)
      for (std::uint32_t k = 0; k < K; ++k) cnf.add({gates[0].sel[k][k]});
    for (const auto& [before, after] : pairs) {
      std::vector<CnfLit> read_before;  // some gate up to g reads `before`
      for (const MajGate& g : gates) {
        const std::vector<CnfLit> reads_before = reads(g, -1 - static_cast<std::int64_t>(before));
        read_before.insert(read_before.end(), reads_before.begin(), reads_before.end());
        for (CnfLit reads_after : reads(g, -1 - static_cast<std::int64_t>(after))) {
          std::vector<CnfLit> c{-reads_after};
          c.insert(c.end(), read_before.begin(), read_before.end());
          cnf.add(c);
        }
      }
    }
  }

  // The selection variables by which gate g reads a source (none when it cannot).
  std::vector<CnfLit> reads(const MajGate& g, std::int64_t source) const {
    std::vector<CnfLit> out;
    for (std::size_t j = 0; j < g.sources.size(); ++j)
      if (g.sources[j] == source)
        for (std::uint32_t k = 0; k < K; ++k)
          if (g.sel[k][j]) out.push_back(g.sel[k][j]);
    return out;
  }

  // The fan-in tuple of a is lexicographically at most that of b (gates of one layer: the
  // same sources).
  void lex_le(const MajGate& a, const MajGate& b) {
    CnfLit equal_so_far = Cnf::true_lit();
    for (std::uint32_t k = 0; k < K; ++k) {
      const CnfLit next = k + 1 < K ? cnf.new_var() : 0;
      for (std::size_t j = 0; j < a.sources.size(); ++j) {
        if (!a.sel[k][j]) continue;
        std::vector<CnfLit> c{-equal_so_far, -a.sel[k][j]};  // slot k of b reads index >= j
        for (std::size_t i = j; i < b.sources.size(); ++i)
          if (b.sel[k][i]) c.push_back(b.sel[k][i]);
        cnf.add(c);
        if (next && b.sel[k][j]) cnf.add({-equal_so_far, -a.sel[k][j], -b.sel[k][j], next});
      }
      equal_so_far = next;
    }
  }

  void add_pattern(std::uint64_t pattern) {
    std::vector<CnfLit> value(gates.size());
    for (std::size_t g = 0; g < gates.size(); ++g) {
      const MajGate& gv = gates[g];
      // The slot values: v_k = (the chosen source's value) xor (its sign).
      std::vector<CnfLit> v(K);
      for (std::uint32_t k = 0; k < K; ++k) {
        v[k] = cnf.new_var();
        const CnfLit s = gv.sign[k];
        for (std::size_t j = 0; j < gv.sources.size(); ++j) {
          const CnfLit sel = gv.sel[k][j];
          if (!sel) continue;
          const std::int64_t src = gv.sources[j];
          const CnfLit u = src < 0 ? (((pattern >> (-1 - src)) & 1u) ? Cnf::true_lit() : Cnf::false_lit()) : value[static_cast<std::size_t>(src)];
          // sel -> (v <-> u xor s), dropping literals that are constant false.
          clause({-sel, -v[k], u, s});
          clause({-sel, -v[k], -u, -s});
          clause({-sel, v[k], -u, s});
          clause({-sel, v[k], u, -s});
        }
      }
      // The gate: out <-> at least h = (K+1)/2 slot values true. For K <= 9 by subsets (every
      // h-subset has a true one when out, a false one when not: h-subsets suffice both ways
      // since K = 2h - 1), beyond by a binary count.
      const bool is_output = gv.output;
      const std::size_t o = is_output ? g - (gates.size() - truth.size()) : 0;
      const CnfLit out = is_output ? (get_bit(truth[o], pattern) ? Cnf::true_lit() : Cnf::false_lit()) : cnf.new_var();
      if (!half_subsets.empty()) {
        for (const auto& sub : half_subsets) {
          std::vector<CnfLit> up{-out}, down{out};
          for (std::uint32_t k : sub) up.push_back(v[k]), down.push_back(-v[k]);
          clause(up);
          clause(down);
        }
      } else {
        const std::uint32_t h = (K + 1) / 2;
        std::vector<CnfLit> hw;
        for (std::uint32_t b = 0; b < 32 && (h >> b); ++b) hw.push_back((h >> b) & 1u ? Cnf::true_lit() : Cnf::false_lit());
        const CnfLit ge = ge_words(cnf, sum_columns(cnf, {v}), hw);
        clause({-out, ge});
        clause({out, -ge});
      }
      value[g] = out;
    }
  }

  // Adds a clause without its constant-false literals; a clause with a true literal is dropped.
  void clause(std::initializer_list<CnfLit> lits) { clause(std::vector<CnfLit>(lits)); }
  void clause(const std::vector<CnfLit>& lits) {
    std::vector<CnfLit> c;
    for (CnfLit l : lits) {
      if (l == Cnf::true_lit()) return;
      if (l != Cnf::false_lit()) c.push_back(l);
    }
    cnf.add(c);
  }

  Circuit extract(const sat_result& s) const {
    std::vector<CandidateGate> out;
    for (const MajGate& g : gates) {
      CandidateGate c;
      std::int64_t negated = 0;
      for (std::uint32_t k = 0; k < K; ++k)
        for (std::size_t j = 0; j < g.sources.size(); ++j)
          if (g.sel[k][j] && s.value(g.sel[k][j])) {
            const bool neg = s.value(g.sign[k]);
            c.sources.push_back(g.sources[j]);
            c.weights.push_back(neg ? -1 : 1);
            negated += neg;
          }
      c.threshold = std::int64_t(K + 1) / 2 - negated;
      out.push_back(std::move(c));
    }
    return circuit_of(n, truth.size(), out);
  }
};

MajorityTemplate::MajorityTemplate(Cnf& cnf, std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p, bool all_used)
    : impl_(std::make_unique<Impl>(cnf, inputs, truth, p, all_used)) {}
MajorityTemplate::~MajorityTemplate() = default;
void MajorityTemplate::add_pattern(std::uint64_t p) { impl_->add_pattern(p); }
Circuit MajorityTemplate::extract(const sat_result& s) const { return impl_->extract(s); }

}  // namespace tcx::synth_detail

// The general threshold-gate template: weights and thresholds in binary as solver variables.
#include <algorithm>
#include <stdexcept>
#include <string>

#include "circuits/bits.hpp"
#include "circuits/builder.hpp"
#include "provers/synth_template.hpp"

namespace tcx::synth_detail {

namespace {

std::uint32_t bits_for(std::uint64_t v) { return std::min<std::uint32_t>(63, bits_for_value(v)); }

std::vector<CnfLit> constant_word(std::uint64_t v, std::uint32_t bits) {
  std::vector<CnfLit> w;
  for (std::uint32_t b = 0; b < bits; ++b) w.push_back((v >> b) & 1u ? Cnf::true_lit() : Cnf::false_lit());
  return w;
}

// One gate: its sources, and its weights and threshold as solver variables.
struct GateVars {
  std::vector<std::int64_t> sources;
  std::int64_t W = 1, T = 0;  // |w| <= W; threshold t = t_shift - T, t_shift in [0, 2T + 1]
  std::vector<CnfLit> sign;   // per source
  std::vector<std::vector<CnfLit>> mag, pos, neg;  // per source: magnitude bits, and them when positive / negative
  std::vector<CnfLit> reads;                       // per source: its weight is nonzero
  std::vector<CnfLit> t_shift;
  bool output = false;
  std::uint32_t layer = 0;
};

}  // namespace

std::vector<std::vector<std::int64_t>> template_sources(std::uint32_t inputs, const synth_shape& shape) {
  std::vector<std::vector<std::int64_t>> out;
  std::uint32_t first_of_prev = 0, count_prev = 0, total = 0;
  for (std::uint32_t l = 0; l < shape.widths.size(); ++l) {
    for (std::uint32_t k = 0; k < shape.widths[l]; ++k) {
      std::vector<std::int64_t> s;
      if (l == 0 || shape.skip)
        for (std::uint32_t i = 0; i < inputs; ++i) s.push_back(-1 - static_cast<std::int64_t>(i));
      if (l > 0)
        for (std::uint32_t g = shape.skip ? 0 : first_of_prev; g < first_of_prev + count_prev; ++g) s.push_back(g);
      out.push_back(std::move(s));
    }
    first_of_prev = total;
    count_prev = shape.widths[l];
    total += shape.widths[l];
  }
  return out;
}

Circuit circuit_of(std::uint32_t inputs, std::size_t outputs, const std::vector<CandidateGate>& gates) {
  Builder b;
  std::vector<Lit> in, gate;
  for (std::uint32_t i = 0; i < inputs; ++i) in.push_back(b.add_input("x" + std::to_string(i)));
  for (const CandidateGate& g : gates) {
    std::vector<Lit> x;
    for (std::int64_t src : g.sources) x.push_back(src < 0 ? in[static_cast<std::size_t>(-1 - src)] : gate[static_cast<std::size_t>(src)]);
    gate.push_back(b.add_gate(x, g.weights, g.threshold));
  }
  for (std::size_t o = 0; o < outputs; ++o) b.add_output(gate[gates.size() - outputs + o], "y" + std::to_string(o));
  return std::move(b).build();
}

struct ThresholdTemplate::Impl {
  Cnf& cnf;
  std::uint32_t n;
  const multi_truth_table& truth;
  synth_params p;
  std::vector<GateVars> gates;
  std::int64_t max_W = 0;
  bool covers_all = true;

  Impl(Cnf& c, std::uint32_t inputs, const multi_truth_table& t, const synth_params& params) : cnf(c), n(inputs), truth(t), p(params) {
    const std::vector<std::vector<std::int64_t>> sources = template_sources(n, p.shape);
    std::uint32_t layer = 0, in_layer = 0;
    for (const auto& src : sources) {
      while (in_layer == p.shape.widths[layer]) ++layer, in_layer = 0;
      ++in_layer;
      GateVars g;
      g.sources = src;
      g.layer = layer;
      g.output = layer + 1 == p.shape.widths.size();
      const std::uint32_t fanin = p.shape.max_fanin ? std::min<std::uint32_t>(p.shape.max_fanin, g.sources.size())
                                                     : static_cast<std::uint32_t>(g.sources.size());
      const std::int64_t needed = max_weight_needed(fanin);
      g.W = p.shape.max_weight ? p.shape.max_weight : (needed ? needed : 42);
      // A fan-in bound below the gate's sources leaves some threshold functions out, whatever the weights.
      if (!needed || g.W < needed || fanin < g.sources.size()) covers_all = false;
      max_W = std::max(max_W, g.W);
      // |t| <= fanin * W suffices for one gate; sign normalization can shift a threshold by
      // as much again (docs/provers.md).
      g.T = (p.symmetry_breaking ? 2 : 1) * std::int64_t(fanin) * g.W + 2;
      declare(g);
      gates.push_back(std::move(g));
    }
    if (p.symmetry_breaking) break_symmetries();
    apply_cube();
  }

  // The cube's signs on the first gate's weights; a sign for a source the gate does not have
  // (the function ignores that input) leaves nothing: the cube is empty.
  void apply_cube() {
    const GateVars& g = gates.front();
    for (std::size_t j = 0; j < p.cube.size(); ++j) {
      const int want = p.cube[j];
      if (j >= g.sources.size()) {
        if (want) cnf.add({Cnf::false_lit()});
        continue;
      }
      if (!want) cnf.add({-g.reads[j]});
      else {
        cnf.add({g.reads[j]});
        cnf.add({want > 0 ? -g.sign[j] : g.sign[j]});
      }
    }
  }

  void declare(GateVars& g) {
    const std::uint32_t B = bits_for(static_cast<std::uint64_t>(g.W));
    const std::vector<CnfLit> wmax = constant_word(static_cast<std::uint64_t>(g.W), B);
    std::vector<CnfLit> nonzero;
    for (std::size_t j = 0; j < g.sources.size(); ++j) {
      const CnfLit s = cnf.new_var();
      std::vector<CnfLit> m, pos, neg;
      for (std::uint32_t b = 0; b < B; ++b) m.push_back(cnf.new_var());
      cnf.add({ge_words(cnf, wmax, m)});  // m <= W
      std::vector<CnfLit> any(m);
      any.push_back(-s);
      cnf.add(any);  // a zero weight is +0: negative only when nonzero
      for (CnfLit bit : m) {
        pos.push_back(cnf.define_and(bit, -s));
        neg.push_back(cnf.define_and(bit, s));
      }
      nonzero.push_back(cnf.define_or_all(m));
      g.reads.push_back(nonzero.back());
      g.sign.push_back(s);
      g.mag.push_back(std::move(m));
      g.pos.push_back(std::move(pos));
      g.neg.push_back(std::move(neg));
    }
    const std::uint32_t TB = bits_for(static_cast<std::uint64_t>(2 * g.T + 1));
    for (std::uint32_t b = 0; b < TB; ++b) g.t_shift.push_back(cnf.new_var());
    cnf.add({ge_words(cnf, constant_word(static_cast<std::uint64_t>(2 * g.T + 1), TB), g.t_shift)});
    if (p.shape.max_fanin && p.shape.max_fanin < g.sources.size()) {
      // At most max_fanin nonzero weights: their count, in binary, is below max_fanin + 1.
      const std::vector<CnfLit> count = sum_columns(cnf, {nonzero});
      cnf.add({-ge_words(cnf, count, constant_word(p.shape.max_fanin + 1, bits_for(p.shape.max_fanin + 1)))});
    }
  }

  // One canonical circuit of each class: hidden gates normalized to threshold >= 1 (a negated
  // gate's readers flip their weights on it), then of the orders of a layer's gates and the
  // renamings of interchangeable inputs, the one whose sequence of gate keys (threshold, then
  // the sorted set of sources read) is smallest (docs/provers.md).
  void break_symmetries() {
    for (std::size_t g = 0; g < gates.size(); ++g) {
      GateVars& a = gates[g];
      if (a.output) continue;
      cnf.add({ge_words(cnf, a.t_shift, constant_word(static_cast<std::uint64_t>(a.T + 1), a.t_shift.size()))});
      if (g + 1 < gates.size() && gates[g + 1].layer == a.layer && !gates[g + 1].output && gates[g + 1].T == a.T)
        cnf.add({ge_words(cnf, gates[g + 1].t_shift, a.t_shift)});
    }
    // Of two interchangeable inputs i < j, j is first read no earlier than i: renaming j to i
    // where j is read first keeps that gate's threshold and makes its source set smaller.
    for (const auto& [before, after] : interchangeable_inputs(n, truth, p.care.get())) {
      std::vector<CnfLit> read_before;
      for (const GateVars& g : gates) {
        const std::int64_t b = -1 - static_cast<std::int64_t>(before), a = -1 - static_cast<std::int64_t>(after);
        for (std::size_t j = 0; j < g.sources.size(); ++j)
          if (g.sources[j] == b) read_before.push_back(g.reads[j]);
        for (std::size_t j = 0; j < g.sources.size(); ++j)
          if (g.sources[j] == a) {
            std::vector<CnfLit> c{-g.reads[j]};
            c.insert(c.end(), read_before.begin(), read_before.end());
            cnf.add(c);
          }
      }
    }
  }

  // The gates' relations on input pattern p, the outputs fixed to the function's values:
  // sum of positive terms + T >= sum of negative terms + t_shift.
  void add_pattern(std::uint64_t pattern) {
    std::vector<CnfLit> value(gates.size());
    for (std::size_t g = 0; g < gates.size(); ++g) {
      const GateVars& gv = gates[g];
      std::vector<std::vector<CnfLit>> P, N;
      auto put = [](std::vector<std::vector<CnfLit>>& cols, std::size_t b, CnfLit l) {
        if (l == Cnf::false_lit()) return;
        if (cols.size() <= b) cols.resize(b + 1);
        cols[b].push_back(l);
      };
      for (std::size_t j = 0; j < gv.sources.size(); ++j) {
        const std::int64_t s = gv.sources[j];
        const CnfLit u = s < 0 ? (((pattern >> (-1 - s)) & 1u) ? Cnf::true_lit() : Cnf::false_lit()) : value[static_cast<std::size_t>(s)];
        for (std::size_t b = 0; b < gv.mag[j].size(); ++b) {
          put(P, b, cnf.define_and(gv.pos[j][b], u));
          put(N, b, cnf.define_and(gv.neg[j][b], u));
        }
      }
      for (std::uint32_t b = 0; b < 63; ++b)
        if ((static_cast<std::uint64_t>(gv.T) >> b) & 1u) put(P, b, Cnf::true_lit());
      for (std::size_t b = 0; b < gv.t_shift.size(); ++b) put(N, b, gv.t_shift[b]);
      const CnfLit ge = ge_words(cnf, sum_columns(cnf, P), sum_columns(cnf, N));
      if (gv.output) cnf.add({get_bit(truth[g - (gates.size() - truth.size())], pattern) ? ge : -ge});
      else value[g] = ge;
    }
  }

  Circuit extract(const sat_result& s) const {
    std::vector<CandidateGate> out;
    for (const GateVars& g : gates) {
      CandidateGate c{g.sources, {}, 0};
      for (std::size_t j = 0; j < g.sources.size(); ++j) {
        std::int64_t m = 0;
        for (std::size_t k = 0; k < g.mag[j].size(); ++k)
          if (s.value(g.mag[j][k])) m |= std::int64_t(1) << k;
        c.weights.push_back(s.value(g.sign[j]) ? -m : m);
      }
      for (std::size_t k = 0; k < g.t_shift.size(); ++k)
        if (s.value(g.t_shift[k])) c.threshold |= std::int64_t(1) << k;
      c.threshold -= g.T;
      out.push_back(std::move(c));
    }
    return circuit_of(n, truth.size(), out);
  }
};

ThresholdTemplate::ThresholdTemplate(Cnf& cnf, std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p)
    : impl_(std::make_unique<Impl>(cnf, inputs, truth, p)) {}
ThresholdTemplate::~ThresholdTemplate() = default;
void ThresholdTemplate::add_pattern(std::uint64_t p) { impl_->add_pattern(p); }
Circuit ThresholdTemplate::extract(const sat_result& s) const { return impl_->extract(s); }
std::int64_t ThresholdTemplate::weight_bound() const { return impl_->max_W; }
bool ThresholdTemplate::covers_all_weights() const { return impl_->covers_all; }

}  // namespace tcx::synth_detail

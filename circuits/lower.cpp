#include "circuits/lower.hpp"

#include "circuits/builder.hpp"
#include "circuits/derived_gates.hpp"
#include "circuits/passes.hpp"
#include "circuits/weighted_sum.hpp"

namespace tcx {

namespace {

// Emits AND gates into a Builder for weighted_sum.hpp; a Bit is a literal.
struct AndEmitter {
  using Bit = Lit;
  Builder& b;
  Lit land(Lit x, Lit y) { return and2(b, x, y); }
  Lit lor(Lit x, Lit y) { return !land(!x, !y); }
  Lit lxor(Lit x, Lit y) { return lor(land(x, !y), land(!x, y)); }
  Lit negate(Lit a) { return !a; }
  Lit constant(bool v) { return Lit::constant(v); }
  Lit half_add(Lit x, Lit y, Lit& carry) {
    carry = land(x, y);
    return lxor(x, y);
  }
  Lit full_add(Lit x, Lit y, Lit z, Lit& carry) {
    Lit t = lxor(x, y);
    carry = lor(land(x, y), land(t, z));
    return lxor(t, z);
  }
  Lit and_not(Lit x, Lit y) { return land(!x, y); }
  Lit or_not(Lit x, Lit y) { return lor(!x, y); }
};

}  // namespace

bool is_and_network(const Circuit& c) {
  for (gate_id g : c.gates()) {
    if (c.fanin_count(g) != 2 || c.is_big(g)) return false;
    for (std::int32_t w : c.small_weights(g))
      if (w != 1 && w != -1) return false;
  }
  return true;
}

AndNode and_node(const Circuit& c, gate_id g) {
  auto f = c.fanins(g);
  auto w = c.small_weights(g);
  Lit l0(f[0], w[0] < 0), l1(f[1], w[1] < 0);
  std::int64_t t = c.small_threshold(g) + (w[0] < 0) + (w[1] < 0);  // positive form: [l0 + l1 >= t]
  if (t == 2) return {l0, l1, false};
  return {!l0, !l1, true};  // t == 1: l0 | l1 = !(!l0 & !l1)
}

Circuit lower_to_and_network(const Circuit& c, lower_stats* stats) {
  Builder b;
  std::vector<Lit> map = copy_inputs(b, c);
  AndEmitter em{b};
  lower_stats st;
  std::vector<std::pair<Lit, mpz_class>> terms;
  for (gate_id g : c.gates()) {
    terms.clear();
    mpz_class t = positive_form(c, g, [&](node_id n, bool neg, const mpz_class& w) {
      terms.emplace_back(map[n] ^ neg, w);
    });
    bool unit = std::all_of(terms.begin(), terms.end(), [](const auto& p) { return p.second == 1; });
    const std::size_t k = terms.size();
    Lit r;
    if (unit && (t == k || t == 1)) {
      ++st.and_or_gates;
      r = terms[0].first;
      for (std::size_t i = 1; i < k; ++i) r = t == k ? em.land(r, terms[i].first) : em.lor(r, terms[i].first);
    } else {
      ++st.threshold_gates;
      Columns<Lit> cols;
      for (const auto& [lit, w] : terms) add_weighted(cols, lit, w);
      r = compare_columns(em, cols, t);
    }
    map[c.gate_node(g)] = r;
  }
  for (const Output& o : c.outputs()) b.add_output(map[o.lit.node()] ^ o.lit.negated(), o.name);
  // An adder tree's top carries and the borrow chain's unused differences feed nothing:
  // build() sweeps them.
  const std::uint32_t built = b.num_gates();
  Circuit l = std::move(b).build();
  st.dead_removed = built - l.num_gates();
  if (stats) *stats = st;
  return l;
}

}  // namespace tcx

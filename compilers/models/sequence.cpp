// Transformers and state-space models as threshold-circuit families (docs/models.md).
//
// Attention is compiled per query value and key value rather than per pair of positions:
// queries and keys live in a small format (at most 8 bits), so for a fixed query value the
// score of a key depends only on the key's value (its class). What is per position is only
// "which class does k_j have" and "where does each class occur first", which makes a layer
// cost O(n^2 * classes) wires (the prefix ORs) instead of O(n^2 * score circuit).
#include <algorithm>

#include "circuits/derived_gates.hpp"
#include "compilers/arith/compare.hpp"
#include "compilers/arith/fixed.hpp"
#include "compilers/arith/mean.hpp"
#include "compilers/arith/select.hpp"
#include "compilers/arith/sum.hpp"
#include "compilers/arith/symmetric.hpp"
#include "compilers/models/layers.hpp"

namespace tcx {

namespace {

std::uint32_t bit_length(std::uint64_t x) {
  std::uint32_t b = 0;
  while (x >> b) ++b;
  return b;
}

// x into the format: clamped, or wrapped modulo 2^bits.
mpz_class fit(const mpz_class& x, const FixedFormat& f, Overflow o) {
  if (o == Overflow::saturate) return std::clamp(x, f.min_int(), f.max_int());
  mpz_class r = x - f.min_int();
  const mpz_class mod = mpz_class(1) << f.bits;
  mpz_fdiv_r(r.get_mpz_t(), r.get_mpz_t(), mod.get_mpz_t());
  return r + f.min_int();
}

// A word that is table[index]: one lookup per bit (constant bits cost nothing).
Word table_word(Builder& b, const Word& index, const std::vector<mpz_class>& table, std::uint32_t bits) {
  Word out;
  if (index.size() >= 32 || table.size() != (std::size_t(1) << index.size()))
    throw std::invalid_argument("table_word: the table needs 2^k entries for k < 32 index bits");
  for (std::uint32_t t = 0; t < bits; ++t) {
    const truth_table column = make_truth_table(static_cast<std::uint32_t>(index.size()), [&](std::uint64_t p) {
      return mpz_tstbit(table[p].get_mpz_t(), t) != 0;  // two's complement for negative values
    });
    const std::uint64_t ones = count_ones(column);
    const bool all_same = ones == 0 || ones == column.num_bits();
    out.push_back(all_same ? Lit::constant(ones != 0) : lookup(b, index, column));
  }
  return out;
}

Lit gate(Builder& b, const std::vector<Lit>& x, const std::vector<std::int64_t>& w, std::int64_t t) { return b.add_gate(x, w, t); }

// An OR that may be empty (no earlier position): false without asking the Builder, so its
// statistics count no constant gate.
Lit or_of(Builder& b, std::span<const Lit> x) { return x.empty() ? lit_false : or_all(b, x); }


// P[i] = OR of x[0..i] for every i, in depth 2 with about 2 n sqrt(n) wires: OR each block of
// ~sqrt(n) entries, then P[i] = OR(the blocks before i's block, i's block up to i).
std::vector<Lit> prefix_or(Builder& b, std::span<const Lit> x) {
  const std::size_t N = x.size();
  std::size_t B = 1;
  while (B * B < N) ++B;
  std::vector<Lit> block, P, in;
  // Blocks, then prefixes: each a layer of ORs that do not read one another.
  GateLayer blocks(b, block);
  for (std::size_t s = 0; s < N; s += B) blocks.add(x.subspan(s, std::min(B, N - s)), unit_weights(std::min(B, N - s)), 1);
  blocks.finish();
  GateLayer prefixes(b, P);
  for (std::size_t i = 0; i < N; ++i) {
    const std::size_t s = i / B * B;
    in.assign(block.begin(), block.begin() + static_cast<std::ptrdiff_t>(i / B));
    in.insert(in.end(), x.begin() + static_cast<std::ptrdiff_t>(s), x.begin() + static_cast<std::ptrdiff_t>(i + 1));
    prefixes.add(in, unit_weights(in.size()), 1);
  }
  prefixes.finish();
  return P;
}

// Can the word take the value `cls`? (Only constant bits can rule it out.)
bool may_be(const Word& w, std::uint32_t cls) {
  for (std::size_t t = 0; t < w.size(); ++t)
    if (w[t].is_constant() && (w[t] == lit_true) != (((cls >> t) & 1u) != 0)) return false;
  return true;
}

std::int64_t signed_field(std::uint32_t v, std::uint32_t bits) {
  const std::int64_t x = v & ((1u << bits) - 1);
  return x >= (std::int64_t(1) << (bits - 1)) ? x - (std::int64_t(1) << bits) : x;
}

Values number_values(const FixedFormat& f) {
  Values v;
  v.kind = ValueKind::number;
  v.width = f.bits;
  v.frac = f.frac;
  return v;
}

struct SequenceCompiler {
  const Model& m;
  const ModelShape& s;
  Builder& b;
  std::int64_t n;
  const FixedFormat& fmt;

  Values project(const Layer& l, const LayerShape& sh, const FixedFormat& f, const Values& x) const {
    Values out;
    apply_layer(b, l, sh, x, m.number, f, n, weights_of(l.weights, n), out);
    return out;
  }

  // One head over all positions: its output (the model width, number format) at every position.
  std::vector<Values> attend(const HeadSpec& h, const ModelShape::HeadShape& hs, const std::vector<Values>& X) const {
    const std::size_t N = X.size();
    const std::uint32_t d = static_cast<std::uint32_t>(X[0].size());
    const std::uint32_t cls_bits = h.width * h.bits, classes = 1u << cls_bits;
    std::vector<Word> q(N), k(N);
    std::vector<Values> v(N);
    for (std::size_t j = 0; j < N; ++j) {
      const Values qv = project(h.query, hs.query, hs.format, X[j]), kv = project(h.key, hs.key, hs.format, X[j]);
      q[j].assign(qv.lits.begin(), qv.lits.end());
      k[j].assign(kv.lits.begin(), kv.lits.end());
      v[j] = project(h.value, hs.value, fmt, X[j]);
    }
    // The key classes that occur at all, and each position's class indicators E[j][c].
    std::vector<std::uint32_t> keys;
    for (std::uint32_t c = 0; c < classes; ++c)
      for (std::size_t j = 0; j < N; ++j)
        if (may_be(k[j], c)) { keys.push_back(c); break; }
    const std::size_t K = keys.size();
    std::vector<Lit> E(N * K);
    for (std::size_t j = 0; j < N; ++j)
      for (std::size_t c = 0; c < K; ++c) E[j * K + c] = may_be(k[j], keys[c]) ? equal_constant(b, k[j], keys[c]) : lit_false;
    auto score = [&](std::uint32_t qc, std::uint32_t kc) {
      std::int64_t sc = 0;
      for (std::uint32_t t = 0; t < h.width; ++t)
        sc += signed_field(qc >> (t * h.bits), h.bits) * signed_field(kc >> (t * h.bits), h.bits);
      return sc;
    };
    const bool unique = h.kind == HeadSpec::Kind::unique;
    // Prefix presence P[i][c] = some j <= i has class c (unique heads and causal heads need it).
    std::vector<Lit> P;
    std::vector<Lit> scratch;
    if (unique || h.causal) {
      P.resize(N * K);
      for (std::size_t c = 0; c < K; ++c) {
        scratch.clear();
        for (std::size_t i = 0; i < N; ++i) scratch.push_back(E[i * K + c]);
        const std::vector<Lit> pc = prefix_or(b, scratch);
        for (std::size_t i = 0; i < N; ++i) P[i * K + c] = pc[i];
      }
    } else {
      P.resize(K);
      for (std::size_t c = 0; c < K; ++c) {
        scratch.clear();
        for (std::size_t j = 0; j < N; ++j) scratch.push_back(E[j * K + c]);
        P[c] = or_of(b, scratch);
      }
    }
    const std::size_t rows = h.causal ? N : 1;
    auto present = [&](std::size_t r, std::size_t c) { return h.causal ? P[r * K + c] : P[(unique ? N - 1 : 0) * K + c]; };
    // The query classes each row can see.
    auto queries_of_row = [&](std::size_t r) {
      std::vector<std::uint32_t> out;
      for (std::uint32_t c = 0; c < classes; ++c) {
        bool possible = false;
        for (std::size_t i = h.causal ? r : 0; i < (h.causal ? r + 1 : N) && !possible; ++i) possible = may_be(q[i], c);
        if (possible) out.push_back(c);
      }
      return out;
    };
    // W[c]: class c is present in the row and no present class scores higher for query qc.
    auto winners = [&](std::size_t r, std::uint32_t qc) {
      std::vector<Lit> W(K);
      for (std::size_t c = 0; c < K; ++c) {
        std::vector<Lit> x{present(r, c)};
        std::vector<std::int64_t> w{0};
        for (std::size_t o = 0; o < K; ++o)
          if (score(qc, keys[o]) > score(qc, keys[c])) {
            x.push_back(present(r, o));
            w.push_back(-1);
          }
        const std::int64_t better = static_cast<std::int64_t>(x.size() - 1);
        w[0] = std::max<std::int64_t>(better, 1);
        W[c] = better == 0 ? x[0] : gate(b, x, w, better);
      }
      return W;
    };
    const std::uint32_t vbits = d * fmt.bits;
    // result[r][qi][bit]: the head's output for row r and query class qs[qi].
    std::vector<std::vector<std::uint32_t>> row_queries(rows);
    std::vector<std::vector<Word>> result(rows);  // [row][query class]: chosen classes (unique) or the mean
    std::vector<Word> first_value(K);             // unique: the value at the first position of each class
    if (unique) {
      // F[j][c]: position j is the first with class c. pos[c]: that position in binary.
      std::vector<Lit> F(N * K);
      for (std::size_t j = 0; j < N; ++j)
        for (std::size_t c = 0; c < K; ++c)
          F[j * K + c] = j == 0 ? E[c] : gate(b, {E[j * K + c], P[(j - 1) * K + c]}, {1, -1}, 1);
      const std::uint32_t pbits = std::max<std::uint32_t>(1, bit_length(N - 1));
      std::vector<Word> pos(K);
      for (std::size_t c = 0; c < K; ++c)
        for (std::uint32_t t = 0; t < pbits; ++t) {
          scratch.clear();
          for (std::size_t j = 0; j < N; ++j)
            if ((j >> t) & 1u) scratch.push_back(F[j * K + c]);
          pos[c].push_back(or_of(b, scratch));
        }
      // earlier[o][c]: class o occurs first before class c (both present).
      std::vector<Lit> earlier(K * K, lit_false);
      for (std::size_t o = 0; o < K; ++o)
        for (std::size_t c = 0; c < K; ++c)
          if (o != c) earlier[o * K + c] = !greater_equal(b, pos[o], pos[c]);
      for (std::size_t c = 0; c < K; ++c)
        for (std::uint32_t t = 0; t < vbits; ++t) {
          scratch.clear();
          for (std::size_t j = 0; j < N; ++j) scratch.push_back(and2(b, F[j * K + c], v[j].lits[t]));
          first_value[c].push_back(or_of(b, scratch));
        }
      for (std::size_t r = 0; r < rows; ++r) {
        row_queries[r] = queries_of_row(r);
        for (std::uint32_t qc : row_queries[r]) {
          const std::vector<Lit> W = winners(r, qc);
          // The chosen class: a winner with no winner occurring earlier.
          std::vector<Lit> chosen(K);
          for (std::size_t c = 0; c < K; ++c) {
            std::vector<Lit> x{W[c]};
            std::vector<std::int64_t> w{static_cast<std::int64_t>(K)};
            for (std::size_t o = 0; o < K; ++o)
              if (o != c) {
                x.push_back(and2(b, W[o], earlier[o * K + c]));
                w.push_back(-1);
              }
            chosen[c] = gate(b, x, w, static_cast<std::int64_t>(K));
          }
          result[r].push_back(std::move(chosen));
        }
      }
    } else {
      // Averaging: the mean of the values at the winning positions, an arithmetic cell
      // (compilers/arith/mean.hpp).
      const bool nearest = m.number.rounding == Rounding::nearest_half_up;
      if (fmt.bits > 16) throw ModelError(h.path, "averaging attention takes a number format of at most 16 bits");
      for (std::size_t r = 0; r < rows; ++r) {
        row_queries[r] = queries_of_row(r);
        const std::size_t visible = h.causal ? r + 1 : N;
        for (std::uint32_t qc : row_queries[r]) {
          const std::vector<Lit> W = winners(r, qc);
          std::vector<Lit> Z(visible);  // position j's class wins
          for (std::size_t j = 0; j < visible; ++j) {
            scratch.clear();
            for (std::size_t c = 0; c < K; ++c) scratch.push_back(and2(b, E[j * K + c], W[c]));
            Z[j] = or_of(b, scratch);
          }
          Word out;
          std::vector<Word> vals(visible);
          for (std::uint32_t c = 0; c < d; ++c) {  // coordinate c: the mean of the winners' values
            for (std::size_t j = 0; j < visible; ++j)
              vals[j].assign(v[j].lits.begin() + c * fmt.bits, v[j].lits.begin() + (c + 1) * fmt.bits);
            const Word mean = masked_mean(b, Z, vals, nearest);
            out.insert(out.end(), mean.begin(), mean.end());
          }
          result[r].push_back(std::move(out));
        }
      }
    }
    // Each position takes its row's result for its own query class: the mean (averaging), or
    // the value at the first position of the chosen key class (unique).
    std::vector<Values> heads_out(N, number_values(fmt));
    std::vector<Lit> pick;
    for (std::size_t i = 0; i < N; ++i) {
      const std::size_t r = h.causal ? i : 0;
      const auto& qs = row_queries[r];
      std::vector<Lit> is_q(qs.size());
      for (std::size_t a = 0; a < qs.size(); ++a) is_q[a] = may_be(q[i], qs[a]) ? equal_constant(b, q[i], qs[a]) : lit_false;
      auto by_query = [&](std::size_t t) {
        scratch.clear();
        for (std::size_t a = 0; a < qs.size(); ++a) scratch.push_back(and2(b, is_q[a], result[r][a][t]));
        return or_of(b, scratch);
      };
      if (unique) {
        pick.resize(K);
        for (std::size_t c = 0; c < K; ++c) pick[c] = by_query(c);
        for (std::uint32_t t = 0; t < vbits; ++t) {
          scratch.clear();
          for (std::size_t c = 0; c < K; ++c) scratch.push_back(and2(b, pick[c], first_value[c][t]));
          heads_out[i].lits.push_back(or_of(b, scratch));
        }
      } else {
        for (std::uint32_t t = 0; t < vbits; ++t) heads_out[i].lits.push_back(by_query(t));
      }
    }
    return heads_out;
  }

  // x = round(sum of the parts), coordinate by coordinate (the residual stream's additions).
  Values add_parts(const std::vector<const Values*>& parts) const {
    Values in = number_values(fmt);
    for (const Values* p : parts) in.push(p->lits);
    const std::uint32_t d = static_cast<std::uint32_t>(parts[0]->size());
    LayerShape sh;
    sh.in = static_cast<std::uint32_t>(in.size());
    sh.out = d;
    sh.in_kind = sh.out_kind = ValueKind::number;
    Layer sum;
    sum.path = "/transformer";
    Values out;
    apply_layer(b, sum, sh, in, m.number, fmt, n, plain_weights([d](std::int64_t j, std::int64_t i) { return i % d == j ? 1 : 0; }), out);
    return out;
  }

  void block(const BlockSpec& blk, const ModelShape::BlockShape& bs, std::vector<Values>& X) const {
    if (!blk.heads.empty()) {
      std::vector<std::vector<Values>> outs;
      for (std::size_t hh = 0; hh < blk.heads.size(); ++hh) outs.push_back(attend(blk.heads[hh], bs.heads[hh], X));
      for (std::size_t i = 0; i < X.size(); ++i) {
        std::vector<const Values*> parts{&X[i]};
        for (const auto& o : outs) parts.push_back(&o[i]);
        X[i] = add_parts(parts);
      }
    }
    if (blk.up) {
      const Layer& down = *blk.down;
      if (down.weight_frac > 60) throw ModelError(down.path + "/weight_frac", "at most 60 for the residual feed-forward map");
      const std::uint32_t d = static_cast<std::uint32_t>(X[0].size());
      const WeightFn up = weights_of(blk.up->weights, n);
      // The residual: the identity (scaled to the weights' fractional bits) beside the map.
      const std::int64_t unit = std::int64_t(1) << down.weight_frac;
      const WeightFn residual_down = side_by_side(
          plain_weights([unit](std::int64_t j, std::int64_t i) { return i == j ? unit : 0; }), d, weights_of(down.weights, n));
      LayerShape sh = *bs.down;
      sh.in = d + bs.up->out;
      for (Values& x : X) {
        Values u;
        apply_layer(b, *blk.up, *bs.up, x, m.number, fmt, n, up, u);
        Values in = x;
        in.push(u.lits);
        apply_layer(b, down, sh, in, m.number, fmt, n, residual_down, x);
      }
    }
  }
};

}  // namespace

void compile_transformer(const Model& m, const ModelShape& s, Builder& b, const compile_params& params) {
  const TransformerSpec& t = *m.transformer;
  const std::int64_t n = s.n;
  const FixedFormat& fmt = s.format;
  const std::uint32_t tb = m.input.token_bits;
  std::vector<Word> tokens(s.steps);
  for (std::uint32_t i = 0; i < s.steps; ++i) {
    const std::string name = params.names ? "x" + std::to_string(i) : std::string();
    tokens[i] = tb == 1 ? Word{b.add_input(name)} : add_input_word(b, tb, name);
  }
  const SequenceCompiler sc{m, s, b, n, fmt};
  // The whole model over the tokens so far: the embedding plus the position (one table lookup
  // per coordinate), then the blocks, repeat times.
  auto run = [&](const std::vector<Word>& toks) {
    std::vector<Values> X(toks.size(), number_values(fmt));
    std::vector<mpz_class> table(std::size_t(1) << tb);
    for (std::uint32_t i = 0; i < toks.size(); ++i)
      for (std::uint32_t c = 0; c < t.width; ++c) {
        const mpz_class p = t.position ? mpz_class(static_cast<long>(t.position->at(n, i, c))) : mpz_class(0);
        for (std::size_t v = 0; v < table.size(); ++v)
          table[v] = fit(mpz_class(static_cast<long>(t.embedding.at(n, static_cast<std::int64_t>(v), c))) + p, fmt, m.number.overflow);
        X[i].push(table_word(b, toks[i], table, fmt.bits));
      }
    for (std::uint32_t r = 0; r < s.repeat; ++r)
      for (std::size_t k = 0; k < t.blocks.size(); ++k) sc.block(t.blocks[k], s.blocks[k], X);
    return X;
  };
  if (s.cot_steps) {
    // Chain of thought: each run's readout at the last position is the next token.
    std::vector<Lit> generated;
    for (std::uint32_t step = 0; step < s.cot_steps; ++step) {
      const std::vector<Values> X = run(tokens);
      const Values next = readout(b, m, s, X.back());
      tokens.emplace_back(next.lits.begin(), next.lits.end());
      generated.insert(generated.end(), next.lits.begin(), next.lits.end());
    }
    for (std::size_t k = 0; k < generated.size(); ++k)
      b.add_output(generated[k], params.names ? "y" + std::to_string(k / tb) + (tb > 1 ? "[" + std::to_string(k % tb) + "]" : "") : std::string());
    return;
  }
  const std::vector<Values> X = run(tokens);
  std::size_t first_output = 0;
  for (std::uint32_t i = t.readout_all ? 0 : s.steps - 1; i < s.steps; ++i) first_output += add_readout(b, m, s, X[i], params.names, first_output);
}

// A state-space model over a monoid of maps of k points: each step's map as k images, composed
// by a balanced product tree.
void compile_monoid_ssm(const Model& m, const ModelShape& s, Builder& b, const compile_params& params) {
  const SsmSpec& q = *m.ssm;
  const std::int64_t n = s.n;
  const std::uint32_t T = s.steps, tb = m.input.token_bits;
  auto name = [&](std::uint32_t i) { return params.names ? "x" + std::to_string(i) : std::string(); };
  const std::uint32_t k = q.points, pb = point_bits(k);
  // Each step's map as k images of pb bits.
  std::vector<std::vector<Word>> maps(T), raw(T);
  for (std::uint32_t i = 0; i < T; ++i) {
    if (q.maps) raw[i].push_back(tb == 1 ? Word{b.add_input(name(i))} : add_input_word(b, tb, name(i)));
    else
      for (std::uint32_t e = 0; e < k; ++e)
        raw[i].push_back(add_input_word(b, pb, params.names ? "x" + std::to_string(i) + "_" + std::to_string(e) : std::string()));
  }
  std::vector<mpz_class> table;
  for (std::uint32_t i = 0; i < T; ++i) {
    if (q.maps) {
      const Word& tok = raw[i][0];
      table.assign(std::size_t(1) << tb, 0);
      for (std::uint32_t e = 0; e < k; ++e) {
        for (std::size_t v = 0; v < table.size(); ++v) {
          const std::int64_t img = q.maps->at(n, static_cast<std::int64_t>(v), e);
          if (img < 0 || img >= k)
            throw ModelError(q.maps->path, "maps[" + std::to_string(v) + "][" + std::to_string(e) + "] is " +
                                               std::to_string(img) + ", not a point in [0, " + std::to_string(k) + ")");
          table[v] = img;
        }
        maps[i].push_back(table_word(b, tok, table, pb));
      }
    } else {
      table.resize(std::size_t(1) << pb);
      for (std::size_t v = 0; v < table.size(); ++v) table[v] = static_cast<unsigned long>(v % k);
      for (std::uint32_t e = 0; e < k; ++e) maps[i].push_back(table_word(b, raw[i][e], table, pb));  // images read mod k
    }
  }
  // The balanced product tree: (A then B)[e] = B[A[e]].
  while (maps.size() > 1) {
    std::vector<std::vector<Word>> next;
    for (std::size_t i = 0; i + 1 < maps.size(); i += 2) {
      std::vector<Word> ab;
      for (std::uint32_t e = 0; e < k; ++e) ab.push_back(select(b, maps[i + 1], maps[i][e]));
      next.push_back(std::move(ab));
    }
    if (maps.size() % 2) next.push_back(std::move(maps.back()));
    maps = std::move(next);
  }
  for (std::uint32_t e = 0; e < k; ++e) add_output_word(b, maps[0][e], params.names ? "y" + std::to_string(e) : std::string());
}

// A diagonal state-space model (lti or selective) in closed form: each state coordinate h_T[c]
// is one iterated addition of terms over the token bits, modulo 2^bits.
struct DiagonalSsm {
  const SsmSpec& q;
  Builder& b;
  const std::int64_t n;
  const FixedFormat& fmt;
  const std::uint32_t T, tb;
  const std::size_t V;  // token values
  const bool wrap;
  const mpz_class mod;
  const std::vector<Word>& tokens;

  mpz_class reduce(mpz_class x) const {  // modulo 2^bits, as a non-negative residue
    mpz_fdiv_r(x.get_mpz_t(), x.get_mpz_t(), mod.get_mpz_t());
    return x;
  }

  std::vector<Term> lti_terms(std::uint32_t c) const {
    std::vector<Term> terms;
    // h_T = sum_s a^(T-1-s) b x_s: one weighted sum of the token bits.
    const mpz_class a(static_cast<long>(q.a.at(n, c, 0))), bc(static_cast<long>(q.b.at(n, c, 0)));
    mpz_class coef = bc, bound = 0;
    const mpz_class xmax = mpz_class(static_cast<unsigned long>(V - 1));
    for (std::uint32_t step = T; step-- > 0;) {
      if (!wrap) {
        bound += abs(coef) * xmax;
        if (bound > fmt.max_int())
          throw ModelError("/number/overflow", "the state can leave the " + std::to_string(fmt.bits) +
                                                   "-bit range at n = " + std::to_string(n) + ": use \"wrap\" or more bits");
      }
      for (std::uint32_t t = 0; t < tb; ++t) terms.push_back(Term{tokens[step][t], reduce(coef << t)});
      coef = wrap ? reduce(coef * a) : mpz_class(coef * a);
    }
    return terms;
  }

  std::vector<Term> selective_terms(std::uint32_t c) const {
    std::vector<Term> terms;
    // h_T = sum_s b[x_s] * prod_{r > s} a[x_r]; the product is prod_v a[v]^(count of v after s),
    // the powers looked up by count and multiplied (all modulo 2^bits).
    std::vector<mpz_class> av(V), bv(V);
    std::int64_t amax = 0, bmax = 0;
    for (std::size_t v = 0; v < V; ++v) {
      av[v] = static_cast<long>(q.a.at(n, static_cast<std::int64_t>(v), c));
      bv[v] = static_cast<long>(q.b.at(n, static_cast<std::int64_t>(v), c));
      amax = std::max<std::int64_t>(amax, std::llabs(q.a.at(n, static_cast<std::int64_t>(v), c)));
      bmax = std::max<std::int64_t>(bmax, std::llabs(q.b.at(n, static_cast<std::int64_t>(v), c)));
    }
    if (!wrap) {
      mpz_class bound = 0, p = 1;
      for (std::uint32_t step = 0; step < T && bound <= fmt.max_int(); ++step, p *= amax) bound += p * bmax;
      if (bound > fmt.max_int())
        throw ModelError("/number/overflow", "the state can leave the " + std::to_string(fmt.bits) +
                                                 "-bit range at n = " + std::to_string(n) + ": use \"wrap\" or more bits");
    }
    std::vector<std::vector<Lit>> is_v(V, std::vector<Lit>(T));
    for (std::uint32_t r = 0; r < T; ++r)
      for (std::size_t v = 0; v < V; ++v) is_v[v][r] = equal_constant(b, tokens[r], static_cast<unsigned long>(v));
    for (std::size_t v = 0; v < V; ++v) bv[v] = reduce(bv[v]);
    for (std::uint32_t step = 0; step < T; ++step) {
      Word term = table_word(b, tokens[step], bv, fmt.bits);
      for (std::size_t v = 0; v < V; ++v) {
        if (av[v] == 1) continue;
        const std::vector<Lit> after(is_v[v].begin() + step + 1, is_v[v].end());
        const Word count = after.empty() ? Word{lit_false} : popcount(b, after);
        std::vector<mpz_class> powers(std::size_t(1) << count.size());
        mpz_class p = 1;
        for (auto& pw : powers) {
          pw = p;
          p = reduce(p * av[v]);
        }
        Word factor = table_word(b, count, powers, fmt.bits);
        term = multiply(b, term, factor);
        term.resize(fmt.bits);
      }
      append_terms(terms, term);
    }
    return terms;
  }
};

void compile_ssm(const Model& m, const ModelShape& s, Builder& b, const compile_params& params) {
  if (m.ssm->kind == SsmSpec::Kind::monoid) return compile_monoid_ssm(m, s, b, params);
  const SsmSpec& q = *m.ssm;
  const FixedFormat& fmt = s.format;
  const std::uint32_t T = s.steps, tb = m.input.token_bits;
  auto name = [&](std::uint32_t i) { return params.names ? "x" + std::to_string(i) : std::string(); };
  std::vector<Word> tokens(T);
  for (std::uint32_t i = 0; i < T; ++i) tokens[i] = tb == 1 ? Word{b.add_input(name(i))} : add_input_word(b, tb, name(i));
  const DiagonalSsm d{q, b, s.n, fmt, T, tb, std::size_t(1) << tb, m.number.overflow == Overflow::wrap,
                      mpz_class(1) << fmt.bits, tokens};
  Values h = number_values(fmt);
  for (std::uint32_t c = 0; c < q.state; ++c)
    h.push(sum_bits(b, q.kind == SsmSpec::Kind::lti ? d.lti_terms(c) : d.selective_terms(c), 0, 0, fmt.bits));
  add_readout(b, m, s, h, params.names, 0);
}

}  // namespace tcx

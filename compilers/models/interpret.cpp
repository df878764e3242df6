// The reference interpreter: each model evaluated on exact integers, following docs/models.md
// literally. Every value is a dyadic rational X / 2^e with e fixed per layer (0 for bits and
// signs, frac for numbers), so a neuron is one exact integer sum on a common scale. It shares
// nothing with the circuit compiler but the spec and the batch-normalization predicate, so the
// two check each other.
#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "compilers/models/model.hpp"

namespace tcx {

namespace {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

mpz_class to_mpz(i128 x) {
  if (x >= INT64_MIN && x <= INT64_MAX) return mpz_class(static_cast<long>(x));
  const bool neg = x < 0;
  u128 u = neg ? -static_cast<u128>(x) : static_cast<u128>(x);
  mpz_class r = (mpz_class(static_cast<unsigned long>(u >> 64)) << 64) + mpz_class(static_cast<unsigned long>(u));
  return neg ? mpz_class(-r) : r;
}

// Values of one layer: integers X, all on the scale 2^-e.
struct Vec {
  ValueKind kind;
  std::uint32_t e;
  std::vector<mpz_class> x;
};

struct Neuron {
  std::vector<std::pair<std::uint32_t, std::int64_t>> w;  // (input, weight), nonzero only
  std::int64_t bias = 0;
  // Batch norm answers per sum, cached: the exact predicate is slow and the sums repeat.
  mutable std::mutex mu;
  mutable std::unordered_map<std::string, bool> bn_cache;
};

struct LayerData {
  const Layer* spec;
  LayerShape shape;
  std::vector<std::unique_ptr<Neuron>> neurons;
};

}  // namespace

namespace {

// x in the format: clamped or wrapped modulo 2^bits.
mpz_class in_format(const mpz_class& x, const FixedFormat& f, Overflow o) {
  if (f.bits <= 62 && x.fits_slong_p()) {  // machine integers, the same arithmetic
    const std::int64_t lo = -(std::int64_t(1) << (f.bits - 1)), hi = (std::int64_t(1) << (f.bits - 1)) - 1, v = x.get_si();
    if (o == Overflow::saturate) return mpz_class(static_cast<long>(std::clamp(v, lo, hi)));
    const i128 mod = i128(1) << f.bits;
    return mpz_class(static_cast<long>(((i128(v) - lo) % mod + mod) % mod + lo));
  }
  const mpz_class lo = -(mpz_class(1) << (f.bits - 1)), hi = (mpz_class(1) << (f.bits - 1)) - 1;
  if (o == Overflow::saturate) return std::clamp(x, lo, hi);
  mpz_class r = x - lo;
  const mpz_class mod = mpz_class(1) << f.bits;
  mpz_fdiv_r(r.get_mpz_t(), r.get_mpz_t(), mod.get_mpz_t());
  return r + lo;
}

// Unsigned integer from `bits` input bits starting at `at`.
std::uint64_t read_unsigned(const Bits& in, std::size_t at, std::uint32_t bits) {
  std::uint64_t v = 0;
  for (std::uint32_t k = 0; k < bits; ++k) v |= std::uint64_t(in[at + k] & 1u) << k;
  return v;
}

void append_bits(Bits& out, const Vec& v, std::uint32_t bits) {
  for (const mpz_class& y : v.x) {
    if (v.kind != ValueKind::number) {
      out.push_back(y > 0 ? 1 : 0);
      continue;
    }
    mpz_class X = y;
    if (X < 0) X += mpz_class(1) << bits;  // two's complement
    for (std::uint32_t k = 0; k < bits; ++k) out.push_back(mpz_tstbit(X.get_mpz_t(), k) ? 1 : 0);
  }
}

}  // namespace

// Transformers: attention evaluated pair by pair, exactly as docs/models.md defines it.
struct TransformerData {
  struct Head {
    const HeadSpec* spec;
    FixedFormat format;
    LayerData query, key, value;
  };
  struct Block {
    std::vector<Head> heads;
    std::optional<LayerData> up, down;  // down reads [x, up(x)] with the identity on x
  };
  std::vector<Block> blocks;
  std::vector<std::vector<mpz_class>> embedding;  // [token][c]
};

struct SsmData {
  std::vector<std::vector<mpz_class>> a, b;    // lti: [c][0]; selective: [c][token]
  std::vector<std::vector<std::uint32_t>> maps;  // monoid with a table: [token][point]
};

struct ModelInterpreter::Impl {
  const Model* m;
  ModelShape s;
  std::optional<LayerData> cell;
  std::vector<LayerData> layers;
  std::vector<std::int64_t> h0;
  std::optional<TransformerData> tf;
  std::optional<SsmData> ssm;

  LayerData load(const Layer& l, const LayerShape& sh, const std::function<std::int64_t(std::int64_t, std::int64_t)>& weight) {
    LayerData d{&l, sh, {}};
    for (std::uint32_t j = 0; j < sh.out; ++j) {
      auto nr = std::make_unique<Neuron>();
      const std::uint32_t first = sh.window ? std::min<std::uint64_t>(std::uint64_t(j) * sh.stride, sh.in) : 0;
      const std::uint32_t last = sh.window ? std::min<std::uint64_t>(std::uint64_t(j) * sh.stride + sh.window, sh.in) : sh.in;
      for (std::uint32_t i = first; i < last; ++i)
        if (std::int64_t w = weight(j, i); w != 0) nr->w.emplace_back(i, w);
      nr->bias = l.bias.at(s.n, j, 0);
      d.neurons.push_back(std::move(nr));
    }
    return d;
  }

  // Z = z * 2^E in 128 bits when every input fits 64 bits and the sum stays below 2^120.
  static std::optional<i128> small_sum(const Neuron& nr, const Vec& in, std::uint32_t wf, std::uint32_t bf, std::uint32_t E) {
    const std::uint32_t ws = E - wf - in.e;
    if (ws >= 40 || E - bf >= 62) return std::nullopt;
    const i128 limit = i128(1) << 120;
    i128 acc = 0;
    for (const auto& [i, w] : nr.w) {
      if (!in.x[i].fits_slong_p()) return std::nullopt;
      acc += (i128(w) * in.x[i].get_si()) << ws;  // |w| < 2^63, |X| < 2^63, shift < 40: below 2^126
      if (acc > limit || acc < -limit) return std::nullopt;
    }
    return acc + (i128(nr.bias) << (E - bf));
  }

  // Z = z * 2^E exactly.
  static mpz_class neuron_sum(const Neuron& nr, const Vec& in, std::uint32_t wf, std::uint32_t bf, std::uint32_t E) {
    if (const auto z = small_sum(nr, in, wf, bf, E)) return to_mpz(*z);
    const std::uint32_t ws = E - wf - in.e;
    mpz_class Z = mpz_class(static_cast<long>(nr.bias)) << (E - bf);
    for (const auto& [i, w] : nr.w) Z += (mpz_class(static_cast<long>(w)) * in.x[i]) << ws;
    return Z;
  }

  // The readout layers, then the values as output bits.
  void readout(Vec v, Bits& out) const {
    for (const LayerData& l : layers) v = apply(l, v);
    append_bits(out, v, s.format.bits);
  }

  Bits run_transformer(const Bits& input) const {
    const std::uint32_t tb = m->input.token_bits;
    std::vector<std::uint64_t> tokens;
    for (std::uint32_t i = 0; i < s.steps; ++i) tokens.push_back(read_unsigned(input, std::size_t(i) * tb, tb));
    Bits out;
    if (s.cot_steps) {  // chain of thought: the readout at the last position is the next token
      for (std::uint32_t step = 0; step < s.cot_steps; ++step) {
        Bits token;
        readout(forward(tokens).back(), token);
        tokens.push_back(read_unsigned(token, 0, tb));
        out.insert(out.end(), token.begin(), token.end());
      }
      return out;
    }
    const std::vector<Vec> X = forward(tokens);
    for (std::size_t i = m->transformer->readout_all ? 0 : X.size() - 1; i < X.size(); ++i) readout(X[i], out);
    return out;
  }

  // The residual stream after every block, position by position.
  std::vector<Vec> forward(const std::vector<std::uint64_t>& tokens) const {
    const TransformerData& td = *tf;
    const FixedFormat& f = s.format;
    const Overflow ov = m->number.overflow;
    const std::uint32_t N = static_cast<std::uint32_t>(tokens.size());
    std::vector<Vec> X(N, Vec{ValueKind::number, f.frac, {}});
    for (std::uint32_t i = 0; i < N; ++i) {
      const std::uint64_t tok = tokens[i];
      const auto& t = *m->transformer;
      for (std::uint32_t c = 0; c < t.width; ++c) {
        const mpz_class p = t.position ? mpz_class(static_cast<long>(t.position->at(s.n, i, c))) : mpz_class(0);
        X[i].x.push_back(in_format(td.embedding[tok][c] + p, f, ov));
      }
    }
    for (std::uint32_t rep = 0; rep < s.repeat; ++rep)
      for (const TransformerData::Block& blk : td.blocks) {
        std::vector<Vec> sum = X;  // the residual stream plus every head's output, exactly
        for (const TransformerData::Head& h : blk.heads) {
          // Queries and keys have at most 8 bits: their dot products are small integers.
          const std::size_t hw = h.spec->width;
          std::vector<std::int64_t> q(N * hw), k(N * hw);
          std::vector<Vec> v;
          for (std::uint32_t j = 0; j < N; ++j) {
            const Vec qj = apply(h.query, X[j], h.format), kj = apply(h.key, X[j], h.format);
            for (std::size_t c = 0; c < hw; ++c) {
              q[j * hw + c] = qj.x[c].get_si();
              k[j * hw + c] = kj.x[c].get_si();
            }
            v.push_back(apply(h.value, X[j], f));
          }
          std::vector<std::int64_t> score;
          for (std::uint32_t i = 0; i < N; ++i) {
            const std::uint32_t visible = h.spec->causal ? i + 1 : N;
            score.assign(visible, 0);
            for (std::uint32_t j = 0; j < visible; ++j)
              for (std::size_t c = 0; c < hw; ++c) score[j] += q[i * hw + c] * k[j * hw + c];
            const std::int64_t best = *std::max_element(score.begin(), score.end());
            const std::size_t leftmost = static_cast<std::size_t>(std::find(score.begin(), score.end(), best) - score.begin());
            for (std::size_t c = 0; c < sum[i].x.size(); ++c) {
              if (h.spec->kind == HeadSpec::Kind::unique) {
                sum[i].x[c] += v[leftmost].x[c];
                continue;
              }
              mpz_class S = 0, C = 0, mean;
              for (std::uint32_t j = 0; j < visible; ++j)
                if (score[j] == best) {
                  S += v[j].x[c];
                  C += 1;
                }
              if (m->number.rounding == Rounding::floor) mpz_fdiv_q(mean.get_mpz_t(), S.get_mpz_t(), C.get_mpz_t());
              else mpz_fdiv_q(mean.get_mpz_t(), mpz_class(2 * S + C).get_mpz_t(), mpz_class(2 * C).get_mpz_t());
              sum[i].x[c] += mean;
            }
          }
        }
        for (std::uint32_t i = 0; i < N; ++i) {
          for (mpz_class& y : sum[i].x) y = in_format(y, f, ov);
          X[i] = std::move(sum[i]);
          if (blk.up) {
            Vec in = X[i];
            const Vec u = apply(*blk.up, X[i]);
            in.x.insert(in.x.end(), u.x.begin(), u.x.end());
            X[i] = apply(*blk.down, in);
          }
        }
      }
    return X;
  }

  Bits run_ssm(const Bits& input) const {
    const SsmSpec& q = *m->ssm;
    const SsmData& sd = *ssm;
    const std::uint32_t tb = m->input.token_bits, T = s.steps;
    Bits out;
    if (q.kind == SsmSpec::Kind::monoid) {
      const std::uint32_t k = q.points, pb = point_bits(k);
      std::vector<std::uint32_t> cur(k), img(k);
      for (std::uint32_t e = 0; e < k; ++e) cur[e] = e;
      for (std::uint32_t t = 0; t < T; ++t) {
        for (std::uint32_t e = 0; e < k; ++e)
          img[e] = q.maps ? sd.maps[read_unsigned(input, std::size_t(t) * tb, tb)][e]
                          : static_cast<std::uint32_t>(read_unsigned(input, (std::size_t(t) * k + e) * pb, pb) % k);
        for (std::uint32_t e = 0; e < k; ++e) cur[e] = img[cur[e]];
      }
      for (std::uint32_t e = 0; e < k; ++e)
        for (std::uint32_t bit = 0; bit < pb; ++bit) out.push_back((cur[e] >> bit) & 1u);
      return out;
    }
    const FixedFormat& f = s.format;
    Vec h{ValueKind::number, 0, std::vector<mpz_class>(q.state, mpz_class(0))};
    for (std::uint32_t t = 0; t < T; ++t) {
      const std::uint64_t x = read_unsigned(input, std::size_t(t) * tb, tb);
      for (std::uint32_t c = 0; c < q.state; ++c) {
        if (q.kind == SsmSpec::Kind::lti) h.x[c] = sd.a[c][0] * h.x[c] + sd.b[c][0] * static_cast<unsigned long>(x);
        else h.x[c] = sd.a[c][x] * h.x[c] + sd.b[c][x];
        if (m->number.overflow == Overflow::wrap) h.x[c] = in_format(h.x[c], f, Overflow::wrap);
        else if (in_format(h.x[c], f, Overflow::saturate) != h.x[c])
          throw std::logic_error("state-space reference: the state overflowed a format the compiler proved large enough");
      }
    }
    readout(std::move(h), out);
    return out;
  }

  Vec apply(const LayerData& d, const Vec& in) const { return apply(d, in, s.format); }

  // A neuron's output from Z = z * 2^E (|Z| < 2^121), for formats of at most 60 bits, E >= frac.
  std::int64_t small_value(const Layer& l, i128 Z, std::uint32_t E, const FixedFormat& f) const {
    if (l.activation == Activation::step) return Z >= 0 ? 1 : 0;
    if (l.activation == Activation::sign) return Z >= 0 ? 1 : -1;
    const std::uint32_t sh = E - f.frac;  // E >= frac here
    if (m->number.rounding == Rounding::nearest_half_up && sh > 0) Z += i128(1) << (sh - 1);
    i128 Y = Z >> sh;  // arithmetic shift: floor
    const i128 lo = -(i128(1) << (f.bits - 1)), hi = (i128(1) << (f.bits - 1)) - 1;
    if (m->number.overflow == Overflow::saturate) {
      Y = std::clamp(Y, lo, hi);
    } else {
      const i128 mod = i128(1) << f.bits;
      Y = ((Y - lo) % mod + mod) % mod + lo;
    }
    if (l.activation == Activation::relu && Y < 0) Y = 0;
    if (l.activation == Activation::hard_tanh) {
      const i128 one = i128(1) << f.frac;
      Y = std::clamp(Y, std::max(-one, lo), std::min(one, hi));
    }
    return static_cast<std::int64_t>(Y);
  }
  Vec apply(const LayerData& d, const Vec& in, const FixedFormat& f) const {
    const Layer& l = *d.spec;
    const std::uint32_t E = std::max(l.weight_frac + in.e, l.bias_frac);
    Vec out{d.shape.out_kind, d.shape.out_kind == ValueKind::number ? f.frac : 0u, {}};
    out.x.reserve(d.shape.out);
    const bool small_format = f.bits <= 60 && E >= f.frac && E < 60 + f.frac;
    for (std::uint32_t j = 0; j < d.shape.out; ++j) {
      const Neuron& nr = *d.neurons[j];
      // The common case in machine integers: the same steps as below, without GMP.
      if (const auto z = small_format && !l.batchnorm ? small_sum(nr, in, l.weight_frac, l.bias_frac, E) : std::nullopt) {
        out.x.emplace_back(static_cast<long>(small_value(l, *z, E, f)));
        continue;
      }
      const mpz_class Z = neuron_sum(nr, in, l.weight_frac, l.bias_frac, E);
      const mpz_class lo = -(mpz_class(1) << (f.bits - 1)), hi = (mpz_class(1) << (f.bits - 1)) - 1;
      if (l.activation == Activation::step || l.activation == Activation::sign) {
        bool on = sgn(Z) >= 0;
        if (l.batchnorm) {
          const std::string key = Z.get_str(16);
          std::lock_guard<std::mutex> lock(nr.mu);
          auto it = nr.bn_cache.find(key);
          if (it == nr.bn_cache.end())
            it = nr.bn_cache.emplace(key, batchnorm_holds(*l.batchnorm, s.n, j, mpq_class(Z, mpz_class(1) << E))).first;
          on = it->second;
        }
        out.x.emplace_back(l.activation == Activation::step ? (on ? 1 : 0) : (on ? 1 : -1));
        continue;
      }
      // Round z to the grid 2^-frac: Y = Z / 2^(E - frac), floor or half up.
      mpz_class Y;
      if (E >= f.frac) {
        const std::uint32_t sh = E - f.frac;
        mpz_class num = Z;
        if (m->number.rounding == Rounding::nearest_half_up && sh > 0) num += mpz_class(1) << (sh - 1);
        mpz_fdiv_q_2exp(Y.get_mpz_t(), num.get_mpz_t(), sh);
      } else {
        Y = Z << (f.frac - E);
      }
      if (m->number.overflow == Overflow::saturate) {
        Y = std::clamp(Y, lo, hi);
      } else {
        const mpz_class mod = mpz_class(1) << f.bits;
        Y = Y - lo;
        mpz_fdiv_r(Y.get_mpz_t(), Y.get_mpz_t(), mod.get_mpz_t());
        Y += lo;
      }
      if (l.activation == Activation::relu && Y < 0) Y = 0;
      if (l.activation == Activation::hard_tanh) {
        const mpz_class one = mpz_class(1) << f.frac;
        Y = std::clamp(Y, std::max(mpz_class(-one), lo), std::min(one, hi));
      }
      out.x.push_back(Y);
    }
    return out;
  }
};

ModelInterpreter::ModelInterpreter(const Model& m, const ModelShape& s) : impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  d.m = &m;
  d.s = s;
  const std::int64_t n = s.n;
  if (m.kind == Model::Kind::rnn) {
    const RecurrentSpec& r = *m.rnn;
    d.cell = d.load(r.cell, *s.cell, [&](std::int64_t j, std::int64_t i) {
      return i < r.hidden ? r.W.at(n, j, i) : r.U.at(n, j, i - r.hidden);
    });
    for (std::uint32_t j = 0; j < r.hidden; ++j) d.h0.push_back(r.h0.at(n, j, 0));
  }
  for (std::size_t k = 0; k < m.layers.size(); ++k)
    d.layers.push_back(d.load(m.layers[k], s.layers[k], [&](std::int64_t j, std::int64_t i) { return m.layers[k].weights.at(n, j, i); }));
  if (m.kind == Model::Kind::transformer) {
    const TransformerSpec& t = *m.transformer;
    TransformerData td;
    const std::size_t V = std::size_t(1) << m.input.token_bits;
    for (std::size_t v = 0; v < V; ++v) {
      td.embedding.emplace_back();
      for (std::uint32_t c = 0; c < t.width; ++c) td.embedding.back().emplace_back(static_cast<long>(t.embedding.at(n, static_cast<std::int64_t>(v), c)));
    }
    for (std::size_t k = 0; k < t.blocks.size(); ++k) {
      const BlockSpec& blk = t.blocks[k];
      const ModelShape::BlockShape& bs = s.blocks[k];
      TransformerData::Block b;
      for (std::size_t h = 0; h < blk.heads.size(); ++h) {
        const HeadSpec& hs = blk.heads[h];
        auto weights_of = [&](const Layer& l) { return [&l, n](std::int64_t j, std::int64_t i) { return l.weights.at(n, j, i); }; };
        b.heads.push_back({&hs, bs.heads[h].format, d.load(hs.query, bs.heads[h].query, weights_of(hs.query)),
                           d.load(hs.key, bs.heads[h].key, weights_of(hs.key)), d.load(hs.value, bs.heads[h].value, weights_of(hs.value))});
      }
      if (blk.up) {
        const Layer& up = *blk.up;
        const Layer& down = *blk.down;
        b.up = d.load(up, *bs.up, [&](std::int64_t j, std::int64_t i) { return up.weights.at(n, j, i); });
        LayerShape dsh = *bs.down;
        dsh.in = t.width + bs.up->out;
        const std::int64_t width = t.width;
        b.down = d.load(down, dsh, [&](std::int64_t j, std::int64_t i) {
          return i < width ? (i == j ? std::int64_t(1) << down.weight_frac : 0) : down.weights.at(n, j, i - width);
        });
      }
      td.blocks.push_back(std::move(b));
    }
    d.tf = std::move(td);
  }
  if (m.kind == Model::Kind::ssm) {
    const SsmSpec& q = *m.ssm;
    SsmData sd;
    const std::size_t V = std::size_t(1) << m.input.token_bits;
    if (q.kind == SsmSpec::Kind::monoid) {
      if (q.maps)
        for (std::size_t v = 0; v < V; ++v) {
          sd.maps.emplace_back();
          for (std::uint32_t e = 0; e < q.points; ++e) {
            const std::int64_t img = q.maps->at(n, static_cast<std::int64_t>(v), e);
            if (img < 0 || img >= q.points) throw ModelError(q.maps->path, "an image is not a point");
            sd.maps.back().push_back(static_cast<std::uint32_t>(img));
          }
        }
    } else {
      for (std::uint32_t c = 0; c < q.state; ++c) {
        sd.a.emplace_back();
        sd.b.emplace_back();
        const std::size_t entries = q.kind == SsmSpec::Kind::lti ? 1 : V;
        for (std::size_t v = 0; v < entries; ++v) {
          // lti: a[c], b[c] (generator index j = c); selective: a[token][c]
          const std::int64_t j = q.kind == SsmSpec::Kind::lti ? c : static_cast<std::int64_t>(v);
          const std::int64_t i = q.kind == SsmSpec::Kind::lti ? 0 : c;
          sd.a.back().emplace_back(static_cast<long>(q.a.at(n, j, i)));
          sd.b.back().emplace_back(static_cast<long>(q.b.at(n, j, i)));
        }
      }
    }
    d.ssm = std::move(sd);
  }
}

ModelInterpreter::~ModelInterpreter() = default;

Bits ModelInterpreter::run(const Bits& input) const {
  const Impl& d = *impl_;
  const ModelShape& s = d.s;
  if (input.size() != s.input_bits) throw std::invalid_argument("ModelInterpreter: wrong number of input bits");
  if (d.tf) return d.run_transformer(input);
  if (d.ssm) return d.run_ssm(input);
  // Input bits to values.
  const std::uint32_t w = s.bits_of(s.input_kind);
  const std::uint64_t count = d.m->kind == Model::Kind::mlp ? s.input_values : std::uint64_t(s.steps) * s.input_values;
  Vec x{s.input_kind, s.input_kind == ValueKind::number ? s.format.frac : 0u, {}};
  for (std::uint64_t i = 0; i < count; ++i) {
    if (s.input_kind == ValueKind::bit) x.x.emplace_back(input[i] ? 1 : 0);
    else if (s.input_kind == ValueKind::sign) x.x.emplace_back(input[i] ? 1 : -1);
    else {
      mpz_class big = 0;  // two's complement, up to 4096 bits
      for (std::uint32_t k = 0; k < w; ++k)
        if (input[i * w + k]) big += mpz_class(1) << k;
      if (input[i * w + w - 1]) big -= mpz_class(1) << w;
      x.x.push_back(big);
    }
  }
  Vec v;
  if (d.m->kind == Model::Kind::mlp) {
    v = std::move(x);
  } else {
    v = Vec{d.cell->shape.out_kind, d.cell->shape.out_kind == ValueKind::number ? s.format.frac : 0u, {}};
    for (std::int64_t h : d.h0) v.x.emplace_back(static_cast<long>(h));
    for (std::uint32_t t = 0; t < s.steps; ++t) {
      Vec in = v;
      for (std::uint32_t k = 0; k < s.input_values; ++k) in.x.push_back(x.x[std::size_t(t) * s.input_values + k]);
      v = d.apply(*d.cell, in);
    }
  }
  for (const LayerData& l : d.layers) v = d.apply(l, v);
  Bits out;
  for (const mpz_class& y : v.x) {
    if (v.kind != ValueKind::number) {
      out.push_back(y > 0 ? 1 : 0);
      continue;
    }
    mpz_class X = y;
    if (X < 0) X += mpz_class(1) << s.format.bits;  // two's complement
    for (std::uint32_t k = 0; k < s.format.bits; ++k) out.push_back(mpz_tstbit(X.get_mpz_t(), k) ? 1 : 0);
  }
  return out;
}

}  // namespace tcx

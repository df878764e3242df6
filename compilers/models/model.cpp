#include "compilers/models/model.hpp"

#include "circuits/io/file.hpp"

namespace tcx {

namespace {
constexpr std::int64_t max_values = std::int64_t(1) << 24;
constexpr std::int64_t max_entry = std::int64_t(1) << 62;  // weights, biases, parameters

std::int64_t eval_size(const Expr& e, std::int64_t n, const std::string& path) {
  const std::int64_t v[1] = {n};
  try {
    return e.eval(v);
  } catch (const ExprError& err) {
    throw ModelError(path, "in '" + printable(e.text()) + "' at n = " + std::to_string(n) + ": " + err.what());
  }
}

std::uint32_t checked_size(const Expr& e, std::int64_t n, const std::string& path, std::int64_t lo = 1,
                           std::int64_t hi = max_values) {
  const std::int64_t v = eval_size(e, n, path);
  if (v < lo || v > hi)
    throw ModelError(path, "'" + printable(e.text()) + "' is " + std::to_string(v) + " at n = " + std::to_string(n) +
                               ", outside [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return static_cast<std::uint32_t>(v);
}

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

LayerShape shape_layer(const Layer& l, std::uint32_t in, ValueKind in_kind, std::int64_t n) {
  LayerShape s;
  s.in = in;
  s.in_kind = in_kind;
  s.out = checked_size(l.out, n, l.path + "/out");
  s.out_kind = output_kind(l);
  if (l.window) {
    s.window = checked_size(*l.window, n, l.path + "/connect/window");
    s.stride = checked_size(*l.stride, n, l.path + "/connect/stride", 0);
  }
  if (l.binarized && in_kind != ValueKind::sign)
    throw ModelError(l.path + "/binarized", "a binarized layer reads signs (+-1), but its inputs are " +
                                                std::string(in_kind == ValueKind::bit ? "bits" : "numbers"));
  return s;
}
}  // namespace

FixedFormat NumberSpec::at(std::int64_t n) const {
  FixedFormat f;
  f.bits = checked_size(bits, n, path + "/bits", 2, 4096);
  f.frac = checked_size(frac, n, path + "/frac", 0, f.bits - 1);
  f.is_signed = true;
  return f;
}

std::int64_t Generator::at(std::int64_t n, std::int64_t j, std::int64_t i) const {
  switch (kind) {
    case Kind::formula: {
      const std::int64_t v[3] = {n, j, i};
      try {
        const std::int64_t r = formula.eval(v);
        if (r > max_entry || r < -max_entry)
          throw ModelError(path, "'" + printable(formula.text()) + "' is " + std::to_string(r) + " at n = " + std::to_string(n) +
                                     ", j = " + std::to_string(j) + ", i = " + std::to_string(i) + ": beyond 2^62 in magnitude");
        return r;
      } catch (const ExprError& e) {
        throw ModelError(path, "in '" + printable(formula.text()) + "' at n = " + std::to_string(n) + ", j = " + std::to_string(j) +
                                   ", i = " + std::to_string(i) + ": " + e.what());
      }
    }
    case Kind::random: return random_entry(j, i);
    case Kind::values:
      if (!has_value(j, i))
        throw ModelError(path, "has no entry [" + std::to_string(j) + "][" + std::to_string(i) + "] (needed at n = " +
                                   std::to_string(n) + "): a literal list fits one size only; use a formula or a random generator");
      return values[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)];
  }
  return 0;
}

std::int64_t Generator::random_entry(std::int64_t j, std::int64_t i) const {
  const std::uint64_t h = splitmix(splitmix(seed ^ splitmix(static_cast<std::uint64_t>(j))) + static_cast<std::uint64_t>(i));
  if (density < 1.0 && static_cast<double>(splitmix(h) >> 11) * 0x1.0p-53 >= density) return 0;
  if (!choices.empty()) return choices[h % choices.size()];
  const std::uint64_t span = static_cast<std::uint64_t>(max - min) + 1;
  return min + static_cast<std::int64_t>(span == 0 ? h : h % span);
}

bool Generator::has_value(std::int64_t j, std::int64_t i) const {
  return j >= 0 && static_cast<std::size_t>(j) < values.size() && i >= 0 &&
         static_cast<std::size_t>(i) < values[static_cast<std::size_t>(j)].size();
}

bool Generator::at_many(std::int64_t n, std::span<const std::int64_t> j, std::span<const std::int64_t> i,
                        std::span<std::int64_t> out) const {
  const auto J = [&](std::size_t k) { return j[j.size() == 1 ? 0 : k]; };
  const auto I = [&](std::size_t k) { return i[i.size() == 1 ? 0 : k]; };
  switch (kind) {
    case Kind::formula: {
      const std::span<const std::int64_t> columns[3] = {std::span<const std::int64_t>(&n, 1), j, i};
      if (!formula.eval_many(columns, out)) return false;
      bool fits = true;
      for (std::int64_t r : out) fits &= r <= max_entry && r >= -max_entry;
      return fits;
    }
    case Kind::random:
      for (std::size_t k = 0; k < out.size(); ++k) out[k] = random_entry(J(k), I(k));
      return true;
    case Kind::values:
      for (std::size_t k = 0; k < out.size(); ++k) {
        if (!has_value(J(k), I(k))) return false;
        out[k] = values[static_cast<std::size_t>(J(k))][static_cast<std::size_t>(I(k))];
      }
      return true;
  }
  return false;
}

ModelShape shape_at(const Model& m, std::int64_t n) {
  if (n < 1 || n > max_values) throw ModelError("", "n = " + std::to_string(n) + " is outside [1, 2^24]");
  ModelShape s;
  s.n = n;
  s.format = m.number.at(n);
  s.input_kind = m.input.kind;
  std::uint32_t values = 0;
  ValueKind kind = m.input.kind;
  if (m.kind == Model::Kind::mlp) {
    s.input_values = checked_size(m.input.length, n, "/input/length");
    values = s.input_values;
    s.input_bits = std::uint64_t(values) * s.bits_of(kind);
  } else if (m.kind == Model::Kind::transformer) {
    const TransformerSpec& t = *m.transformer;
    s.steps = s.input_values = checked_size(m.input.length, n, "/input/length");
    if (m.input.token_bits > 12) throw ModelError("/input/token_bits", "a Transformer's embedding table takes at most 12 token bits");
    s.input_bits = std::uint64_t(s.steps) * m.input.token_bits;
    s.repeat = checked_size(t.repeat, n, "/transformer/repeat", 0, 1 << 16);
    auto linear = [](std::uint32_t in, std::uint32_t out) {
      LayerShape sh;
      sh.in = in;
      sh.out = out;
      sh.in_kind = sh.out_kind = ValueKind::number;
      return sh;
    };
    for (const BlockSpec& blk : t.blocks) {
      ModelShape::BlockShape bs;
      for (const HeadSpec& h : blk.heads) {
        FixedFormat hf;
        hf.bits = h.bits;
        hf.frac = h.frac;
        hf.is_signed = true;
        bs.heads.push_back({linear(t.width, h.width), linear(t.width, h.width), linear(t.width, t.width), hf});
      }
      if (blk.up) {
        bs.up = shape_layer(*blk.up, t.width, ValueKind::number, n);
        bs.down = linear(bs.up->out, t.width);
      }
      s.blocks.push_back(std::move(bs));
    }
    values = t.width;
    kind = ValueKind::number;
  } else if (m.kind == Model::Kind::ssm) {
    const SsmSpec& q = *m.ssm;
    s.steps = s.input_values = checked_size(m.input.length, n, "/input/length");
    if (q.kind != SsmSpec::Kind::monoid && s.format.frac != 0)
      throw ModelError("/number/frac", "a linear state-space model computes on integers: use \"format\": \"integer\"");
    if (q.kind != SsmSpec::Kind::lti && m.input.token_bits > 8)
      throw ModelError("/input/token_bits", "tables indexed by the token take at most 8 token bits");
    const std::uint32_t step_bits = q.kind == SsmSpec::Kind::monoid && !q.maps ? q.points * point_bits(q.points) : m.input.token_bits;
    s.input_bits = std::uint64_t(s.steps) * step_bits;
    if (q.kind == SsmSpec::Kind::monoid) {
      s.output_bits = std::uint64_t(q.points) * point_bits(q.points);
      if (s.input_bits > (std::uint64_t(1) << 26)) throw ModelError("/input", "more than 2^26 input bits");
      return s;
    }
    values = q.state;
    kind = ValueKind::number;
  } else {
    s.steps = checked_size(m.input.length, n, "/input/length");
    s.input_values = checked_size(m.input.width, n, "/input/width");
    s.input_bits = std::uint64_t(s.steps) * s.input_values * s.bits_of(kind);
    s.cell = shape_layer(m.rnn->cell, m.rnn->hidden + s.input_values, kind, n);
    if (kind != s.cell->out_kind)
      throw ModelError("/input/kind", "a recurrent cell reads its state and its inputs as one vector: the input kind must be "
                                      "the kind of the cell's activation");
    values = m.rnn->hidden;
    kind = s.cell->out_kind;
  }
  for (const Layer& l : m.layers) {
    s.layers.push_back(shape_layer(l, values, kind, n));
    values = s.layers.back().out;
    kind = s.layers.back().out_kind;
  }
  if (s.input_bits > (std::uint64_t(1) << 26))
    throw ModelError("/input", "the model has " + std::to_string(s.input_bits) + " input bits at n = " + std::to_string(n) + " (at most 2^26)");
  const bool every_position = m.kind == Model::Kind::transformer && m.transformer->readout_all;
  s.output_bits = std::uint64_t(values) * s.bits_of(kind) * (every_position ? s.steps : 1);
  if (m.kind == Model::Kind::transformer && m.transformer->cot) {
    s.cot_steps = checked_size(*m.transformer->cot, n, "/transformer/cot", 1, 1 << 16);
    if (kind != ValueKind::bit || values != m.input.token_bits)
      throw ModelError("/layers", "with a chain of thought the readout gives the next token: " +
                                      std::to_string(m.input.token_bits) + " bits (step activations)");
    s.output_bits = std::uint64_t(s.cot_steps) * m.input.token_bits;
  }
  return s;
}

bool batchnorm_holds(const BatchNorm& bn, std::int64_t n, std::int64_t j, const mpq_class& z) {
  auto param = [&](const Generator& g) {
    mpq_class v(mpz_class(static_cast<long>(g.at(n, j, 0))), mpz_class(mpz_class(1) << bn.frac));
    v.canonicalize();
    return v;
  };
  const mpq_class gamma = param(bn.gamma), beta = param(bn.beta), mean = param(bn.mean);
  mpq_class eps(mpz_class(static_cast<long>(bn.epsilon)), mpz_class(mpz_class(1) << bn.frac));
  eps.canonicalize();
  mpq_class D = param(bn.var) + eps;
  D.canonicalize();
  if (sgn(D) <= 0)
    throw ModelError(bn.var.path, "var + epsilon must be positive (neuron " + std::to_string(j) + ", n = " + std::to_string(n) + ")");
  // A + B sqrt(D) >= 0 with A = gamma (z - mean), B = beta, decided without square roots.
  const mpq_class A = gamma * (z - mean), B = beta;
  if (sgn(A) >= 0 && sgn(B) >= 0) return true;
  if (sgn(A) < 0 && sgn(B) <= 0) return false;
  if (sgn(A) >= 0) return A * A >= B * B * D;  // B < 0
  return B * B * D >= A * A;                   // A < 0 < B
}

}  // namespace tcx

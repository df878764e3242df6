// JSON model specs to Model, strictly: unknown fields, wrong types and out-of-range values are
// errors naming the JSON path.
#include <nlohmann/json.hpp>

#include <cmath>
#include <set>

#include "circuits/io/file.hpp"
#include "circuits/io/json_format.hpp"
#include "compilers/models/model.hpp"

namespace tcx {

namespace {

using json = nlohmann::json;

const char* type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_float: return "a fractional number";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::null: return "null";
    default: return "something else";
  }
}

// The one type error: "expected <what>, found <its type>" at `path`, unless `ok`.
void expect(bool ok, const json& v, const std::string& path, const char* what) {
  if (!ok) throw ModelError(path, std::string("expected ") + what + ", found " + type_name(v));
}

// One JSON object being read: fields are taken by name, and anything left over is an error.
class Obj {
public:
  Obj(const json& v, std::string path) : v_(v), path_(std::move(path)) {
    expect(v.is_object(), v, path_, "an object");
  }
  std::string at(const std::string& key) const { return path_ + "/" + key; }
  const json* get(const std::string& key) {
    seen_.insert(key);
    auto it = v_.find(key);
    return it == v_.end() ? nullptr : &*it;
  }
  const json& need(const std::string& key) {
    const json* v = get(key);
    if (!v) throw ModelError(path_, "missing field '" + key + "'");
    return *v;
  }
  std::string str(const std::string& key, std::optional<std::string> fallback = {}) {
    const json* v = fallback ? get(key) : &need(key);
    if (!v) return *fallback;
    expect(v->is_string(), *v, at(key), "a string");
    return v->get<std::string>();
  }
  std::int64_t integer(const std::string& key, std::int64_t lo, std::int64_t hi, std::optional<std::int64_t> fallback = {}) {
    const json* v = fallback ? get(key) : &need(key);
    if (!v) return *fallback;
    return checked_integer(*v, at(key), lo, hi);
  }
  std::string choice(const std::string& key, std::initializer_list<const char*> options, const char* fallback) {
    std::string s = str(key, std::string(fallback));
    std::string list;
    for (const char* o : options) {
      if (s == o) return s;
      list += (list.empty() ? "" : ", ") + std::string(o);
    }
    throw ModelError(at(key), "'" + s + "' is not one of: " + list);
  }
  void done() const {
    for (auto it = v_.begin(); it != v_.end(); ++it)
      if (!seen_.count(it.key())) throw ModelError(at(it.key()), "unknown field");
  }
  const std::string& path() const { return path_; }

  static std::int64_t checked_integer(const json& v, const std::string& path, std::int64_t lo, std::int64_t hi) {
    std::int64_t x = 0;
    if (v.is_number_integer() && !(v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX)) x = v.get<std::int64_t>();
    else if (v.is_number()) throw ModelError(path, "expected an integer within 64 bits, found " + printable(v.dump()));
    else throw ModelError(path, std::string("expected an integer, found ") + type_name(v));
    if (x < lo || x > hi)
      throw ModelError(path, std::to_string(x) + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return x;
  }

private:
  const json& v_;
  std::string path_;
  std::set<std::string> seen_;
};

bool parse_bool(Obj& o, const std::string& key, bool fallback) {
  const json* b = o.get(key);
  if (!b) return fallback;
  expect(b->is_boolean(), *b, o.at(key), "a boolean");
  return b->get<bool>();
}

const json& need_array(Obj& o, const std::string& key, std::size_t max) {
  const json& a = o.need(key);
  expect(a.is_array(), a, o.at(key), "an array");
  if (a.empty() || a.size() > max) throw ModelError(o.at(key), "expected 1 to " + std::to_string(max) + " entries");
  return a;
}

constexpr std::string_view size_vars[] = {"n"};
constexpr std::string_view entry_vars[] = {"n", "j", "i"};

Expr parse_expr(const json& v, const std::string& path, std::span<const std::string_view> vars) {
  if (v.is_number_integer()) return Expr(Obj::checked_integer(v, path, INT64_MIN + 1, INT64_MAX));
  if (!v.is_string()) throw ModelError(path, std::string("expected an integer or a formula string, found ") + type_name(v));
  try {
    return Expr::parse(v.get<std::string>(), vars);
  } catch (const ExprError& e) {
    throw ModelError(path, "in '" + printable(v.get<std::string>()) + "': " + e.what());
  }
}

Generator parse_generator(const json& v, const std::string& path) {
  Generator g;
  g.path = path;
  if (v.is_number() || v.is_string()) {
    g.formula = parse_expr(v, path, entry_vars);
    return g;
  }
  Obj o(v, path);
  if (const json* f = o.get("formula")) {
    g.formula = parse_expr(*f, o.at("formula"), entry_vars);
  } else if (const json* r = o.get("random")) {
    g.kind = Generator::Kind::random;
    Obj ro(*r, o.at("random"));
    g.seed = static_cast<std::uint64_t>(ro.integer("seed", 0, INT64_MAX));
    if (const json* c = ro.get("choices")) {
      if (!c->is_array() || c->empty()) throw ModelError(ro.at("choices"), "expected a non-empty array of integers");
      for (std::size_t k = 0; k < c->size(); ++k)
        g.choices.push_back(Obj::checked_integer((*c)[k], ro.at("choices") + "/" + std::to_string(k), -(INT64_C(1) << 62), INT64_C(1) << 62));
      if (ro.get("min") || ro.get("max")) throw ModelError(ro.path(), "give either 'choices' or 'min' and 'max', not both");
    } else {
      g.min = ro.integer("min", -(INT64_C(1) << 62), INT64_C(1) << 62);
      g.max = ro.integer("max", -(INT64_C(1) << 62), INT64_C(1) << 62);
      if (g.min > g.max) throw ModelError(ro.at("max"), "max is below min");
    }
    if (const json* d = ro.get("density")) {
      if (!d->is_number() || !(d->get<double>() > 0.0) || d->get<double>() > 1.0)
        throw ModelError(ro.at("density"), "expected a number in (0, 1]");
      g.density = d->get<double>();
    }
    ro.done();
  } else if (const json* vals = o.get("values")) {
    g.kind = Generator::Kind::values;
    const std::string vp = o.at("values");
    expect(vals->is_array(), *vals, vp, "an array");
    if (vals->size() > 100000) throw ModelError(vp, "more than 100000 rows: use a formula or a random generator");
    for (std::size_t j = 0; j < vals->size(); ++j) {
      const json& row = (*vals)[j];
      const std::string rp = vp + "/" + std::to_string(j);
      std::vector<std::int64_t> r;
      if (row.is_array()) {
        if (row.size() > 100000) throw ModelError(rp, "more than 100000 entries: use a formula or a random generator");
        for (std::size_t i = 0; i < row.size(); ++i)
          r.push_back(Obj::checked_integer(row[i], rp + "/" + std::to_string(i), -(INT64_C(1) << 62), INT64_C(1) << 62));
      } else {
        r.push_back(Obj::checked_integer(row, rp, -(INT64_C(1) << 62), INT64_C(1) << 62));
      }
      g.values.push_back(std::move(r));
    }
  } else {
    throw ModelError(path, "expected an integer, a formula string, or an object with 'formula', 'random' or 'values'");
  }
  o.done();
  return g;
}

Activation parse_activation(Obj& o) {
  const std::string a = o.choice("activation", {"none", "step", "sign", "relu", "hard_tanh"}, "none");
  if (a == "step") return Activation::step;
  if (a == "sign") return Activation::sign;
  if (a == "relu") return Activation::relu;
  if (a == "hard_tanh") return Activation::hard_tanh;
  return Activation::none;
}

BatchNorm parse_batchnorm(const json& v, const std::string& path) {
  Obj o(v, path);
  BatchNorm bn;
  bn.gamma = parse_generator(o.need("gamma"), o.at("gamma"));
  bn.beta = parse_generator(o.need("beta"), o.at("beta"));
  bn.mean = parse_generator(o.need("mean"), o.at("mean"));
  bn.var = parse_generator(o.need("var"), o.at("var"));
  bn.epsilon = o.integer("epsilon", 0, INT64_C(1) << 62, 0);
  bn.frac = static_cast<std::uint32_t>(o.integer("frac", 0, 64, 0));
  o.done();
  return bn;
}

// The fields of every linear map: bias and fractions.
void parse_linear_fields(Obj& o, Layer& l) {
  l.bias = o.get("bias") ? parse_generator(*o.get("bias"), o.at("bias")) : Generator{};
  l.bias.path = o.at("bias");
  l.weight_frac = static_cast<std::uint32_t>(o.integer("weight_frac", 0, 64, 0));
  l.bias_frac = static_cast<std::uint32_t>(o.integer("bias_frac", 0, 64, l.weight_frac));
}

// The fields a dense layer and a recurrent cell share: the linear ones, activation, batch norm.
void parse_neuron_fields(Obj& o, Layer& l) {
  parse_linear_fields(o, l);
  l.activation = parse_activation(o);
  if (const json* bn = o.get("batchnorm")) {
    if (l.activation != Activation::step && l.activation != Activation::sign)
      throw ModelError(o.at("batchnorm"), "batch normalization is folded into a step or sign activation only");
    l.batchnorm = parse_batchnorm(*bn, o.at("batchnorm"));
  }
  if (o.get("binarized")) {
    l.binarized = parse_bool(o, "binarized", false);
    if (l.binarized && l.activation != Activation::sign)
      throw ModelError(o.at("binarized"), "a binarized layer has the sign activation");
  }
}

Layer parse_layer(const json& v, const std::string& path) {
  Obj o(v, path);
  Layer l;
  l.path = path;
  l.out = parse_expr(o.need("out"), o.at("out"), size_vars);
  l.weights = parse_generator(o.need("weights"), o.at("weights"));
  if (const json* c = o.get("connect")) {
    if (c->is_string()) {
      if (c->get<std::string>() != "dense") throw ModelError(o.at("connect"), "expected \"dense\" or an object {window, stride}");
    } else {
      Obj co(*c, o.at("connect"));
      l.window = parse_expr(co.need("window"), co.at("window"), size_vars);
      l.stride = co.get("stride") ? parse_expr(*co.get("stride"), co.at("stride"), size_vars) : Expr(1);
      co.done();
    }
  }
  parse_neuron_fields(o, l);
  o.done();
  return l;
}

NumberSpec parse_number(const json& v, const std::string& path) {
  Obj o(v, path);
  NumberSpec s;
  s.path = path;
  const std::string format = o.choice("format", {"fixed", "integer"}, "fixed");
  s.bits = parse_expr(o.need("bits"), o.at("bits"), size_vars);
  if (format == "integer") {
    if (o.get("frac")) throw ModelError(o.at("frac"), "an integer format has no fractional bits (use \"format\": \"fixed\")");
  } else if (const json* f = o.get("frac")) {
    s.frac = parse_expr(*f, o.at("frac"), size_vars);
  }
  s.rounding = o.choice("rounding", {"nearest", "floor"}, "nearest") == "floor" ? Rounding::floor : Rounding::nearest_half_up;
  s.overflow = o.choice("overflow", {"saturate", "wrap"}, "saturate") == "wrap" ? Overflow::wrap : Overflow::saturate;
  o.done();
  return s;
}

// A linear map (a layer without activation) whose width is set by its place in the model.
Layer parse_projection(const json& v, const std::string& path) {
  Obj o(v, path);
  Layer l;
  l.path = path;
  l.weights = parse_generator(o.need("weights"), o.at("weights"));
  parse_linear_fields(o, l);
  o.done();
  return l;
}

HeadSpec parse_head(const json& v, const std::string& path) {
  Obj o(v, path);
  HeadSpec h;
  h.path = path;
  h.kind = o.choice("attention", {"unique", "average"}, "unique") == "average" ? HeadSpec::Kind::average : HeadSpec::Kind::unique;
  h.causal = parse_bool(o, "causal", true);
  h.width = static_cast<std::uint32_t>(o.integer("width", 1, 8, 1));
  h.bits = static_cast<std::uint32_t>(o.integer("bits", 1, 8, 2));
  h.frac = static_cast<std::uint32_t>(o.integer("frac", 0, h.bits - 1, 0));
  if (h.width * h.bits > 8)
    throw ModelError(o.at("bits"), "width * bits is " + std::to_string(h.width * h.bits) +
                                       ": queries and keys take at most 8 bits (attention is compiled per query and key value)");
  h.query = parse_projection(o.need("query"), o.at("query"));
  h.key = parse_projection(o.need("key"), o.at("key"));
  h.value = parse_projection(o.need("value"), o.at("value"));
  o.done();
  return h;
}

BlockSpec parse_block(const json& v, const std::string& path) {
  Obj o(v, path);
  BlockSpec blk;
  blk.path = path;
  if (o.get("heads")) {
    const json& heads = need_array(o, "heads", 64);
    for (std::size_t k = 0; k < heads.size(); ++k) blk.heads.push_back(parse_head(heads[k], o.at("heads") + "/" + std::to_string(k)));
  }
  if (const json* f = o.get("ffn")) {
    Obj fo(*f, o.at("ffn"));
    blk.up = parse_layer(fo.need("up"), fo.at("up"));
    if (output_kind(*blk.up) != ValueKind::number)
      throw ModelError(fo.at("up") + "/activation", "the feed-forward hidden layer gives numbers: none, relu or hard_tanh");
    blk.down = parse_projection(fo.need("down"), fo.at("down"));
    fo.done();
  }
  o.done();
  return blk;
}

TransformerSpec parse_transformer(const json& v, const std::string& path) {
  Obj o(v, path);
  TransformerSpec t;
  t.width = static_cast<std::uint32_t>(o.integer("width", 1, 4096));
  t.embedding = parse_generator(o.need("embedding"), o.at("embedding"));
  if (const json* p = o.get("position")) t.position = parse_generator(*p, o.at("position"));
  if (const json* r = o.get("repeat")) t.repeat = parse_expr(*r, o.at("repeat"), size_vars);
  t.readout_all = o.choice("readout", {"last", "all"}, "last") == "all";
  if (const json* c = o.get("cot")) {
    if (t.readout_all) throw ModelError(o.at("cot"), "a chain of thought reads out the last position only");
    t.cot = parse_expr(*c, o.at("cot"), size_vars);
  }
  const json& blocks = need_array(o, "blocks", 1000);
  for (std::size_t k = 0; k < blocks.size(); ++k) t.blocks.push_back(parse_block(blocks[k], o.at("blocks") + "/" + std::to_string(k)));
  o.done();
  return t;
}

SsmSpec parse_ssm(const json& v, const std::string& path) {
  Obj o(v, path);
  SsmSpec s;
  const std::string type = o.choice("type", {"lti", "selective", "monoid"}, "lti");
  if (type == "monoid") {
    s.kind = SsmSpec::Kind::monoid;
    s.points = static_cast<std::uint32_t>(o.integer("points", 1, 64));
    if (const json* m = o.get("maps")) s.maps = parse_generator(*m, o.at("maps"));
  } else {
    s.kind = type == "lti" ? SsmSpec::Kind::lti : SsmSpec::Kind::selective;
    s.state = static_cast<std::uint32_t>(o.integer("state", 1, 4096, 1));
    s.a = parse_generator(o.need("a"), o.at("a"));
    s.b = parse_generator(o.need("b"), o.at("b"));
  }
  o.done();
  return s;
}

ValueKind parse_kind(Obj& o) {
  const std::string k = o.choice("kind", {"bit", "sign", "number"}, "bit");
  return k == "sign" ? ValueKind::sign : k == "number" ? ValueKind::number : ValueKind::bit;
}

}  // namespace

Model parse_model(const std::string& text, const std::string& file) {
  const json doc = parse_json_text(text, file);
  Obj o(doc, "");
  const json& version = o.need("tcx-model");
  if (!version.is_number_integer())
    throw ModelError("/tcx-model", "expected the integer 1 (the format version), found " + printable(version.dump()));
  if (version.get<std::int64_t>() != 1)
    throw ModelError("/tcx-model", "unsupported version " + printable(version.dump()) + " (this tcx reads version 1)");
  Model m;
  m.file = file;
  m.name = o.str("name", "");
  m.description = o.str("description", "");
  const std::string kind = o.choice("kind", {"mlp", "rnn", "transformer", "ssm"}, "mlp");
  m.kind = kind == "rnn" ? Model::Kind::rnn : kind == "transformer" ? Model::Kind::transformer
         : kind == "ssm" ? Model::Kind::ssm : Model::Kind::mlp;
  const bool tokens = m.kind == Model::Kind::transformer || m.kind == Model::Kind::ssm;
  {
    Obj in(o.need("input"), "/input");
    m.input.length = parse_expr(in.need("length"), in.at("length"), size_vars);
    if (tokens) {
      m.input.token_bits = static_cast<std::uint32_t>(in.integer("token_bits", 1, 16, 1));
    } else {
      m.input.kind = parse_kind(in);
      if (in.get("token_bits")) throw ModelError(in.at("token_bits"), "only for Transformers and state-space models");
    }
    if (const json* w = in.get("width")) {
      if (m.kind != Model::Kind::rnn) throw ModelError(in.at("width"), "'width' (values per step) is for recurrent models");
      m.input.width = parse_expr(*w, in.at("width"), size_vars);
    }
    in.done();
  }
  if (const json* num = o.get("number")) m.number = parse_number(*num, "/number");
  else m.number.path = "/number";
  if (const json* layers = o.get("layers")) {
    expect(layers->is_array(), *layers, "/layers", "an array");
    if (layers->size() > 1000) throw ModelError("/layers", "more than 1000 layers");
    for (std::size_t k = 0; k < layers->size(); ++k) m.layers.push_back(parse_layer((*layers)[k], "/layers/" + std::to_string(k)));
  }
  if (m.kind == Model::Kind::rnn) {
    Obj r(o.need("recurrent"), "/recurrent");
    RecurrentSpec rs;
    rs.hidden = static_cast<std::uint32_t>(r.integer("hidden", 1, 4096));
    rs.cell.path = "/recurrent";
    rs.cell.out = Expr(rs.hidden);
    rs.W = parse_generator(r.need("W"), r.at("W"));
    rs.U = parse_generator(r.need("U"), r.at("U"));
    rs.h0 = r.get("h0") ? parse_generator(*r.get("h0"), r.at("h0")) : Generator{};
    rs.h0.path = r.at("h0");
    parse_neuron_fields(r, rs.cell);
    r.done();
    m.rnn = std::move(rs);
  } else if (o.get("recurrent")) {
    throw ModelError("/recurrent", "only for \"kind\": \"rnn\"");
  }
  if (m.kind == Model::Kind::transformer) m.transformer = parse_transformer(o.need("transformer"), "/transformer");
  else if (o.get("transformer")) throw ModelError("/transformer", "only for \"kind\": \"transformer\"");
  if (m.kind == Model::Kind::ssm) {
    m.ssm = parse_ssm(o.need("ssm"), "/ssm");
    if (m.ssm->kind == SsmSpec::Kind::monoid && !m.layers.empty())
      throw ModelError("/layers", "a monoid state-space model outputs its state (the images of the product map); no readout layers");
  } else if (o.get("ssm")) {
    throw ModelError("/ssm", "only for \"kind\": \"ssm\"");
  }
  if (m.kind == Model::Kind::mlp && m.layers.empty()) throw ModelError("/layers", "an MLP needs at least one layer");
  o.done();
  return m;
}

Model load_model(const std::string& path) {
  return parse_model(read_file(path, std::uint64_t(64) << 20, [&](std::string_view head) { require_text_head(head, path); }), path);
}

ValueKind output_kind(const Layer& layer) {
  switch (layer.activation) {
    case Activation::step: return ValueKind::bit;
    case Activation::sign: return ValueKind::sign;
    default: return ValueKind::number;
  }
}

}  // namespace tcx

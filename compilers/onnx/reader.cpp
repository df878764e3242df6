// ONNX protobuf to tcx values. The file's size is checked before it is read, protobuf parses it
// (a parse failure is one line naming the file), and every tensor's element count is checked
// against the data actually present before anything is allocated for it.
#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "circuits/builder.hpp"
#include "circuits/io/file.hpp"
#include "compilers/onnx/graph.hpp"

namespace tcx {

OnnxError::OnnxError(const std::string& file_, const std::string& node_, const std::string& op_, const std::string& reason_)
    : std::runtime_error(file_ + ": " + (node_.empty() && op_.empty() ? std::string() : "node '" + node_ + "' (" + op_ + "): ") + reason_),
      file(file_), node(node_), op(op_), reason(reason_) {}

const char* elem_type_name(ElemType t) {
  switch (t) {
    case ElemType::float32: return "float";
    case ElemType::uint8: return "uint8";
    case ElemType::int8: return "int8";
    case ElemType::uint16: return "uint16";
    case ElemType::int16: return "int16";
    case ElemType::int32: return "int32";
    case ElemType::int64: return "int64";
    case ElemType::string: return "string";
    case ElemType::boolean: return "bool";
    case ElemType::float16: return "float16";
    case ElemType::float64: return "double";
    case ElemType::uint32: return "uint32";
    case ElemType::uint64: return "uint64";
    case ElemType::bfloat16: return "bfloat16";
    default: return "unknown";
  }
}

bool is_float_type(ElemType t) {
  return t == ElemType::float32 || t == ElemType::float16 || t == ElemType::float64 || t == ElemType::bfloat16;
}

bool is_integer_type(ElemType t) {
  switch (t) {
    case ElemType::uint8: case ElemType::int8: case ElemType::uint16: case ElemType::int16: case ElemType::int32:
    case ElemType::int64: case ElemType::boolean: case ElemType::uint32: case ElemType::uint64: return true;
    default: return false;
  }
}

std::uint32_t type_bits(ElemType t) {
  switch (t) {
    case ElemType::boolean: return 1;
    case ElemType::uint8: case ElemType::int8: return 8;
    case ElemType::uint16: case ElemType::int16: case ElemType::float16: case ElemType::bfloat16: return 16;
    case ElemType::int32: case ElemType::uint32: case ElemType::float32: return 32;
    default: return 64;
  }
}

static bool is_signed_int(ElemType t) {
  return t == ElemType::int8 || t == ElemType::int16 || t == ElemType::int32 || t == ElemType::int64;
}

mpz_class type_min(ElemType t) {
  if (!is_signed_int(t)) return 0;
  return -(mpz_class(1) << (type_bits(t) - 1));
}

mpz_class type_max(ElemType t) {
  if (t == ElemType::boolean) return 1;
  if (is_signed_int(t)) return (mpz_class(1) << (type_bits(t) - 1)) - 1;
  return (mpz_class(1) << type_bits(t)) - 1;
}

std::uint64_t OnnxModel::weights() const {
  std::uint64_t n = 0;
  for (const auto& [name, c] : initializers) n += c.value.size();
  // Exporters also store weights as Constant nodes (torch.ao's quantized layers: all of them).
  for (const OnnxNode& node : nodes) {
    if (node.op != "Constant" || !node.domain.empty()) continue;
    for (const auto& [name, a] : node.attrs) {
      if (a.kind == OnnxAttr::t && a.tensor) n += a.tensor->value.size();
      else if (a.kind == OnnxAttr::ints) n += a.int_list.size();
      else if (a.kind == OnnxAttr::floats) n += a.float_list.size();
      else if (a.kind == OnnxAttr::i || a.kind == OnnxAttr::f) n += 1;  // value_int, value_float
    }
  }
  return n;
}

namespace {

struct Reader {
  std::string file;
  // Values held as exact rationals, about 96 bytes each, bounded by the memory bound (--max-wires,
  // units of 8 bytes) before they are converted: a file of 2^27 floats is refused at once, not
  // after 13 GB.
  static constexpr std::uint64_t bytes_per_value = 96;
  std::uint64_t max_values = default_builder_params().max_wires * 8 / bytes_per_value;
  mutable std::uint64_t values = 0;

  [[noreturn]] void fail(const std::string& reason) const { throw OnnxError(file, "", "", reason); }

  // A double as an exact rational (every finite double is one).
  Rational exact(double d, const std::string& where) const {
    if (!std::isfinite(d)) fail(where + ": a NaN or infinite value has no exact meaning");
    Rational q;
    mpq_set_d(q.get_mpq_t(), d);
    return q;
  }

  static double half_to_double(std::uint16_t h) {
    const int sign = h >> 15, exp = (h >> 10) & 31, man = h & 1023;
    double v;
    if (exp == 0) v = std::ldexp(man, -24);
    else if (exp == 31) v = man ? NAN : INFINITY;
    else v = std::ldexp(man + 1024, exp - 25);
    return sign ? -v : v;
  }
  static double bf16_to_double(std::uint16_t h) {
    const std::uint32_t bits = std::uint32_t(h) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }

  static std::size_t elem_size(ElemType t) {
    switch (t) {
      case ElemType::boolean: case ElemType::uint8: case ElemType::int8: return 1;
      case ElemType::uint16: case ElemType::int16: case ElemType::float16: case ElemType::bfloat16: return 2;
      case ElemType::int32: case ElemType::uint32: case ElemType::float32: return 4;
      case ElemType::int64: case ElemType::uint64: case ElemType::float64: return 8;
      default: return 0;
    }
  }

  OnnxConst tensor(const onnx::TensorProto& t, const std::string& where) const {
    if (t.data_location() == onnx::TensorProto::EXTERNAL || t.external_data_size() > 0)
      fail(where + ": tensor data stored outside the file (external data) is not supported");
    OnnxConst c;
    c.type = static_cast<ElemType>(t.data_type());
    const std::size_t esize = elem_size(c.type);
    if (esize == 0) fail(where + ": tensors of type " + std::to_string(t.data_type()) + " (" + elem_type_name(c.type) + ") are not supported");
    for (std::int64_t d : t.dims()) c.value.shape.push_back(d);
    std::uint64_t count = 0;
    try {
      count = shape_size(c.value.shape);
    } catch (const ShapeError& e) {
      fail(where + ": dims " + shape_text(c.value.shape) + ": " + e.what());
    }
    if (count > max_values - std::min(values, max_values))
      throw OnnxLimitError(OnnxError(file, "", "", where + ": " + std::to_string(count) + " values would bring the model's to " + std::to_string(values + count) +
                                                       ", past the " + std::to_string(max_values) + " the memory bound holds (--max-wires; about " +
                                                       std::to_string(bytes_per_value) + " bytes a value)"));
    values += count;
    auto mismatch = [&](std::uint64_t have) {
      fail(where + ": dims " + shape_text(c.value.shape) + " need " + std::to_string(count) + " values, the file has " + std::to_string(have));
    };
    if (t.has_raw_data()) {
      const std::string& raw = t.raw_data();
      if (raw.size() % esize || raw.size() / esize != count) mismatch(raw.size() / esize);
      c.value.data.resize(count);
      const unsigned char* p = reinterpret_cast<const unsigned char*>(raw.data());
      for (std::uint64_t k = 0; k < count; ++k, p += esize) {
        std::uint64_t u = 0;
        for (std::size_t b = 0; b < esize; ++b) u |= std::uint64_t(p[b]) << (8 * b);  // little endian
        c.value.data[k] = decode(c.type, u, where);
      }
      return c;
    }
    auto take = [&](const auto& field, auto&& conv) {
      if (std::uint64_t(field.size()) != count) mismatch(field.size());
      c.value.data.resize(count);
      for (std::uint64_t k = 0; k < count; ++k) c.value.data[k] = conv(field[static_cast<int>(k)]);
    };
    switch (c.type) {
      case ElemType::float32: take(t.float_data(), [&](float f) { return exact(f, where); }); break;
      case ElemType::float64: take(t.double_data(), [&](double f) { return exact(f, where); }); break;
      case ElemType::int64: take(t.int64_data(), [](std::int64_t v) { return Rational(mpz_class(static_cast<long>(v))); }); break;
      case ElemType::uint32: case ElemType::uint64:
        take(t.uint64_data(), [&](std::uint64_t v) { return decode(c.type, v, where); });
        break;
      default:  // int32_data holds int32, int16, int8, uint16, uint8, bool and the bits of float16
        take(t.int32_data(), [&](std::int32_t v) { return decode(c.type, static_cast<std::uint32_t>(v), where); });
        break;
    }
    // Typed fields may hold values outside the type's range: reject rather than reinterpret.
    if (is_integer_type(c.type))
      for (const Rational& v : c.value.data)
        if (v < type_min(c.type) || v > type_max(c.type)) fail(where + ": value " + v.get_str() + " is outside " + elem_type_name(c.type));
    return c;
  }

  // The value of one element from its little-endian bits.
  Rational decode(ElemType t, std::uint64_t u, const std::string& where) const {
    switch (t) {
      case ElemType::float32: {
        const std::uint32_t b = static_cast<std::uint32_t>(u);
        float f;
        std::memcpy(&f, &b, 4);
        return exact(f, where);
      }
      case ElemType::float64: {
        double d;
        std::memcpy(&d, &u, 8);
        return exact(d, where);
      }
      case ElemType::float16: return exact(half_to_double(static_cast<std::uint16_t>(u)), where);
      case ElemType::bfloat16: return exact(bf16_to_double(static_cast<std::uint16_t>(u)), where);
      case ElemType::boolean: return Rational((u & 0xFF) != 0 ? 1 : 0);
      case ElemType::uint8: return Rational(static_cast<unsigned long>(u & 0xFF));
      case ElemType::int8: return Rational(static_cast<long>(static_cast<std::int8_t>(u)));
      case ElemType::uint16: return Rational(static_cast<unsigned long>(u & 0xFFFF));
      case ElemType::int16: return Rational(static_cast<long>(static_cast<std::int16_t>(u)));
      case ElemType::int32: return Rational(static_cast<long>(static_cast<std::int32_t>(u)));
      case ElemType::uint32: return Rational(static_cast<unsigned long>(u & 0xFFFFFFFFu));
      case ElemType::int64: return Rational(mpz_class(static_cast<long>(static_cast<std::int64_t>(u))));
      case ElemType::uint64: return Rational(mpz_class(static_cast<unsigned long>(u)));
      default: fail(where + ": unsupported element type");
    }
  }

  OnnxAttr attribute(const onnx::AttributeProto& a, const std::string& where) const {
    OnnxAttr r;
    const std::string w = where + " attribute '" + a.name() + "'";
    switch (a.type()) {
      case onnx::AttributeProto::INT: r.kind = OnnxAttr::i; r.int_value = a.i(); break;
      case onnx::AttributeProto::FLOAT: r.kind = OnnxAttr::f; r.float_value = exact(a.f(), w); break;
      case onnx::AttributeProto::STRING: r.kind = OnnxAttr::s; r.string_value = a.s(); break;
      case onnx::AttributeProto::TENSOR: r.kind = OnnxAttr::t; r.tensor = std::make_shared<OnnxConst>(tensor(a.t(), w)); break;
      case onnx::AttributeProto::INTS:
        r.kind = OnnxAttr::ints;
        r.int_list.assign(a.ints().begin(), a.ints().end());
        break;
      case onnx::AttributeProto::FLOATS:
        r.kind = OnnxAttr::floats;
        for (float f : a.floats()) r.float_list.push_back(exact(f, w));
        break;
      case onnx::AttributeProto::STRINGS: r.kind = OnnxAttr::strings; break;
      default: r.kind = OnnxAttr::none; break;  // graphs, sparse tensors: the op will be refused
    }
    return r;
  }

  OnnxValueInfo value_info(const onnx::ValueInfoProto& v, bool need_shape) const {
    OnnxValueInfo info;
    info.name = v.name();
    if (!v.type().has_tensor_type()) fail("graph input or output '" + v.name() + "' is not a tensor");
    const auto& tt = v.type().tensor_type();
    info.type = static_cast<ElemType>(tt.elem_type());
    if (!need_shape) return info;
    if (!tt.has_shape()) fail("graph input '" + v.name() + "' has no shape (tcx needs static shapes: export with fixed sizes)");
    for (const auto& d : tt.shape().dim()) {
      if (!d.has_dim_value())
        fail("graph input '" + v.name() + "' has a dynamic dimension" + (d.has_dim_param() ? " '" + d.dim_param() + "'" : std::string()) +
             " (tcx needs static shapes: export without dynamic_axes)");
      if (d.dim_value() < 0) fail("graph input '" + v.name() + "' has a negative dimension");
      info.shape.push_back(d.dim_value());
    }
    try {
      shape_size(info.shape);
    } catch (const ShapeError& e) {
      fail("graph input '" + v.name() + "': " + e.what());
    }
    return info;
  }

  OnnxModel model(const std::string& bytes) const {
    if (bytes.empty()) fail("empty file, not an ONNX model");
    onnx::ModelProto mp;
    if (!mp.ParseFromString(bytes)) fail("not an ONNX model: the protobuf does not parse (truncated or another format)");
    if (!mp.has_graph()) fail("not an ONNX model: no graph");
    OnnxModel m;
    m.file = file;
    m.producer = mp.producer_name() + (mp.producer_version().empty() ? "" : " " + mp.producer_version());
    for (const auto& os : mp.opset_import())
      if (os.domain().empty() || os.domain() == "ai.onnx") m.opset = os.version();
    if (m.opset == 0) fail("no opset of the default ONNX domain is imported");
    if (m.opset < 7 || m.opset > 18)
      fail("opset " + std::to_string(m.opset) + " is not supported (tcx reads opsets 7 to 18; torch 1.13 exports 9 to 17)");
    const onnx::GraphProto& g = mp.graph();
    std::set<std::string> defined;
    for (const auto& t : g.initializer()) {
      if (t.name().empty()) fail("an initializer has no name");
      m.initializers[t.name()] = tensor(t, "initializer '" + t.name() + "'");
      defined.insert(t.name());
    }
    if (g.sparse_initializer_size() > 0) fail("sparse initializers are not supported");
    for (const auto& v : g.input()) {
      if (m.initializers.count(v.name())) continue;  // older exports list initializers as inputs
      m.inputs.push_back(value_info(v, true));
      if (!defined.insert(v.name()).second) fail("graph input '" + v.name() + "' is defined twice");
    }
    for (int k = 0; k < g.node_size(); ++k) {
      const onnx::NodeProto& np = g.node(k);
      OnnxNode n;
      n.name = np.name().empty() ? "#" + std::to_string(k) : np.name();
      n.op = np.op_type();
      n.domain = np.domain() == "ai.onnx" ? "" : np.domain();
      n.inputs.assign(np.input().begin(), np.input().end());
      n.outputs.assign(np.output().begin(), np.output().end());
      for (const auto& a : np.attribute()) {
        if (a.type() == onnx::AttributeProto::GRAPH || a.type() == onnx::AttributeProto::GRAPHS)
          throw OnnxError(file, n.name, n.op, "subgraphs (control flow) are not supported");
        n.attrs[a.name()] = attribute(a, "node '" + n.name + "'");
      }
      for (const std::string& in : n.inputs)
        if (!in.empty() && !defined.count(in))
          throw OnnxError(file, n.name, n.op, "reads '" + in + "', which no earlier node, input or initializer defines (nodes out of order, or a cycle)");
      for (const std::string& out : n.outputs)
        if (!out.empty() && !defined.insert(out).second) throw OnnxError(file, n.name, n.op, "output '" + out + "' is defined twice");
      m.nodes.push_back(std::move(n));
    }
    for (const auto& v : g.output()) {
      if (!defined.count(v.name())) fail("graph output '" + v.name() + "' is never computed");
      m.outputs.push_back(value_info(v, false));
    }
    if (m.outputs.empty()) fail("the graph has no outputs");
    return m;
  }
};

}  // namespace

OnnxModel parse_onnx(const std::string& bytes, const std::string& file) {
  try {
    return Reader{file}.model(bytes);
  } catch (const OnnxReadError&) {
    throw;
  } catch (const OnnxLimitError&) {  // the memory bound: the model may be fine, the bound small
    throw;
  } catch (const OnnxError& e) {
    throw OnnxReadError(e);
  }
}

OnnxModel load_onnx(const std::string& path, const onnx_read_params& params) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw OnnxReadError(path, "cannot read: " + ec.message());
  if (size > params.max_file_bytes)
    throw OnnxReadError(path, "file of " + std::to_string(size) + " bytes is larger than the limit of " + std::to_string(params.max_file_bytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw OnnxReadError(path, "cannot open");
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uint64_t>(in.gcount()) != size) throw OnnxReadError(path, "short read");
  note_input_file(path);  // an input of the command: no output replaces it
  return parse_onnx(bytes, path);
}

}  // namespace tcx

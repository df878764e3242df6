// ONNX models in Python: tcx.compile("model.onnx"), tcx.depth("model.onnx"),
// tcx.family("mlp_{n}.onnx", ...) and tcx.from_torch (which hands over the bytes of an in-memory
// export). The importer's entry points (compilers/onnx/onnx.hpp), as tcx compile / depth / family
// call them (cli/onnx_commands.cpp).
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <optional>
#include <string_view>

#include "circuits/bits.hpp"
#include "cli/common.hpp"
#include "compilers/onnx/onnx.hpp"
#include "python/src/common.hpp"

namespace tcx::py {

namespace {

// The importer throws one type, OnnxError, for every failure; the stage that threw it says which
// tcx error it is. Reading: a file that is not a valid model is a ParseError (no line, no column),
// weights past the memory bound a LimitError.
OnnxModel read_model(const std::string& bytes, const std::string& label) {
  try {
    return parse_onnx(bytes, label);
  } catch (const OnnxLimitError& e) {
    throw std::length_error(e.what());
  } catch (const OnnxError& e) {
    const std::string what = e.what();  // "file: reason"
    throw FileParseFailure(what, e.file, what.substr(std::min(what.size(), e.file.size() + 2)));
  }
}

// A model from a file (read as the library reads files: IoError when missing, or above load_onnx's
// size limit) or from bytes in memory (`label` names them in messages).
OnnxModel load_model(const std::string& path) { return read_model(read_file(path, onnx_read_params{}.max_file_bytes), path); }
OnnxModel load_model(bool is_path, const std::string& data, const std::string& label) {
  return is_path ? load_model(data) : read_model(data, label);
}

// A library message in Python's words: the keywords, not the command line's flags.
std::string in_python_words(std::string s) {
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  };
  replace_all("--softmax argmax", "softmax='argmax'");
  for (std::size_t at = s.find("--input "); at != std::string::npos; at = s.find("--input ", at)) {  // --input int:8 -> input='int:8'
    std::size_t end = at + 8;
    while (end < s.size() && std::string_view(" ])},;").find(s[end]) == std::string_view::npos) ++end;
    s.replace(at, end - at, "input='" + s.substr(at + 8, end - at - 8) + "'");
  }
  replace_all("--max-wires", "max_wires");
  return s;
}

// Compiling and checking: a model tcx cannot compile exactly is a ModelError, one past the memory
// bound (OnnxLimitError) a LimitError.
template <class F>
auto compiling(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const OnnxLimitError& e) {
    throw std::length_error(in_python_words(e.what()));
  } catch (const OnnxError& e) {
    throw ModelFailure(in_python_words(e.what()), "");
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(in_python_words(e.what()));
  }
}

onnx_compile_params compile_params(const onnx_input_spec& input, const std::string& softmax) {
  if (softmax != "refuse" && softmax != "argmax") throw std::invalid_argument("softmax must be 'refuse' or 'argmax'");
  onnx_compile_params p;
  p.input = input;
  p.softmax_argmax = softmax == "argmax";
  return p;
}

// Depth and size in a counting Builder, without storing the circuit (tcx depth, tcx family);
// `notes`: the operators replaced (softmax="argmax").
circuit_stats count_figures(const OnnxModel& m, const onnx_compile_params& p, std::vector<std::string>* notes = nullptr) {
  onnx_counted r = compiling([&] { return count_onnx(m, p); });
  if (notes) *notes = std::move(r.layout.notes);
  return r.stats;
}

// Exact values across the boundary: a library Rational is a fractions.Fraction; a value given
// is a bool, an int, a float (exactly the binary fraction it is) or a Fraction.
py::object fraction_type() { return py::module_::import("fractions").attr("Fraction"); }
py::object to_fraction(const Rational& q, const py::object& fraction) { return fraction(big_int(q.get_num()), big_int(q.get_den())); }

Rational to_rational(const py::handle& h, const py::object& fraction, const std::string& what) {
  if (py::isinstance<py::bool_>(h)) return Rational(h.cast<bool>() ? 1 : 0);
  if (py::isinstance<py::int_>(h)) return Rational(to_mpz(h, what));
  if (py::isinstance<py::float_>(h)) {
    const double d = h.cast<double>();
    if (!std::isfinite(d)) throw std::invalid_argument(what + " is " + std::string(py::str(h)) + ", not a finite number");
    Rational q;
    mpq_set_d(q.get_mpq_t(), d);  // exact: a double is a binary fraction
    return q;
  }
  if (py::isinstance(h, fraction)) {
    Rational q(to_mpz(h.attr("numerator"), what), to_mpz(h.attr("denominator"), what));
    q.canonicalize();
    return q;
  }
  // numpy scalars (in object arrays): integers by their index, floats of up to 64 bits exactly
  const std::string type = py::str(h.get_type().attr("__name__"));
  if (type == "bool_") return Rational(h.attr("__bool__")().cast<bool>() ? 1 : 0);
  if (type == "float16" || type == "float32" || type == "float64") return to_rational(py::float_(py::reinterpret_borrow<py::object>(h)), fraction, what);
  if (PyIndex_Check(h.ptr())) {
    const py::object i = py::reinterpret_steal<py::object>(PyNumber_Index(h.ptr()));
    if (!i) throw py::error_already_set();
    return Rational(to_mpz(i, what));
  }
  throw py::type_error(what + ": expected a number (int, float of up to 64 bits or Fraction), got " + type);
}

// What an element's wires can stand for, for the message when a value is not one of them.
std::string values_text(const onnx_io& io) {
  if (io.kind == onnx_io::bit) return "0 or 1";
  if (io.kind == onnx_io::sign) return "-1 or +1";
  const mpz_class lo = io.is_signed ? -(mpz_class(1) << (io.width - 1)) : mpz_class(0);
  const mpz_class hi = (mpz_class(1) << (io.is_signed ? io.width - 1 : io.width)) - 1;
  const std::string range = lo.get_str() + ".." + hi.get_str();
  if (io.scale == 1 && io.offset == 0) return "an integer in " + range;
  return io.value_text() + " for an integer W in " + range;
}

// The double nearest to q, ties to even, as Python's float(Fraction) gives (GMP's get_d truncates).
double nearest_double(const Rational& q) {
  const double t = q.get_d();
  if (!std::isfinite(t) || Rational(t) == q) return t;
  const double away = std::nextafter(t, sgn(q) > 0 ? HUGE_VAL : -HUGE_VAL);
  if (!std::isfinite(away)) return t;
  const Rational et = abs(q - Rational(t)), ea = abs(Rational(away) - q);
  if (et != ea) return et < ea ? t : away;
  std::uint64_t bits;
  std::memcpy(&bits, &t, sizeof bits);
  return bits & 1 ? away : t;
}

// The wires of one element for a double, without GMP where the layout allows: bits, signs and
// plain integer words (scale 1, offset 0). nullopt: take the exact path.
std::optional<bool> encode_fast(const onnx_io& io, double d, std::uint8_t* w) {
  if (io.quantizer) return std::nullopt;
  if (io.kind == onnx_io::bit || io.kind == onnx_io::sign) {
    const double lo = io.kind == onnx_io::bit ? 0.0 : -1.0;
    if (d != lo && d != 1.0) return false;
    w[0] = d == 1.0;
    return true;
  }
  if (io.scale != 1 || io.offset != 0 || io.width > 62 || !(std::abs(d) < 0x1p62)) return std::nullopt;
  if (std::floor(d) != d) return false;
  const std::int64_t v = static_cast<std::int64_t>(d), top = std::int64_t(1) << (io.is_signed ? io.width - 1 : io.width);
  if (io.is_signed ? (v < -top || v >= top) : (v < 0 || v >= top)) return false;
  const std::uint64_t u = static_cast<std::uint64_t>(v);
  for (std::uint32_t k = 0; k < io.width; ++k) w[k] = (u >> k) & 1u;
  return true;
}

// layout.encode's core: one flat sequence of values per graph input (patterns * elements each, in
// the layout's order) to a (patterns, input_bits) array of wires. A sequence is a list of Python
// numbers or a float64 array (numbers that a double holds exactly: numpy's fast path). An input
// read by a leading QuantizeLinear takes any real value and is quantized as that node does.
py::array_t<std::uint8_t> encode_values(const onnx_layout& l, const std::vector<py::object>& values, std::size_t patterns) {
  if (values.size() != l.inputs.size()) throw std::invalid_argument("encode: the model has " + std::to_string(l.inputs.size()) + " inputs");
  py::array_t<std::uint8_t> out({patterns, static_cast<std::size_t>(l.input_bits)});
  std::uint8_t* w = out.mutable_data();
  std::fill(w, w + patterns * l.input_bits, std::uint8_t(0));
  const py::object fraction = fraction_type();
  for (std::size_t k = 0; k < l.inputs.size(); ++k) {
    const onnx_io& io = l.inputs[k];
    const std::uint64_t n = io.elements();
    const bool doubles = py::isinstance<py::array>(values[k]);
    const auto arr = doubles ? values[k].cast<py::array_t<double, py::array::c_style | py::array::forcecast>>()
                             : py::array_t<double, py::array::c_style | py::array::forcecast>();
    const py::list list = doubles ? py::list() : values[k].cast<py::list>();
    if ((doubles ? static_cast<std::size_t>(arr.size()) : list.size()) != patterns * n)
      throw std::invalid_argument("encode: input '" + io.tensor + "' has " + std::to_string(n) + " elements per pattern");
    for (std::size_t p = 0; p < patterns; ++p)
      for (std::uint64_t e = 0; e < n; ++e) {
        std::uint8_t* wires = w + p * l.input_bits + io.first_wire + e * io.width;
        auto what = [&] { return "input '" + io.tensor + "' element " + std::to_string(e) + (patterns > 1 ? " of pattern " + std::to_string(p) : ""); };
        auto given = [&] { return doubles ? fmt::format("{}", arr.data()[p * n + e]) : std::string(py::str(list[p * n + e])); };
        std::optional<bool> done;
        Rational q;
        if (doubles) {
          const double d = arr.data()[p * n + e];
          if (!std::isfinite(d)) throw std::invalid_argument(what() + " is " + given() + ", not a finite number");
          done = encode_fast(io, d, wires);
          if (!done) mpq_set_d(q.get_mpq_t(), d);  // exact
        } else {
          q = to_rational(list[p * n + e], fraction, what());
        }
        if (!done) done = io.encode(io.quantize(q), wires);
        if (!*done)
          throw std::invalid_argument("encode: " + what() + " is " + given() + "; its wires stand for " + values_text(io) + " (" +
                                      (io.how.empty() ? "the layout" : io.how) + ")");
      }
  }
  return out;
}

// What decode gives for an output element: the ONNX type's Python kind.
enum class value_kind { boolean, integer, real };
value_kind kind_of(const onnx_io& io) {
  if (io.type == ElemType::boolean) return value_kind::boolean;
  const bool integral = io.scale.get_den() == 1 && io.offset.get_den() == 1;
  return is_integer_type(io.type) && integral && io.width <= 62 ? value_kind::integer : value_kind::real;
}

// layout.decode's core: a (patterns, output_bits) array of wires to one flat array per graph
// output (patterns * elements): bool, int64 or float64 (the nearest double) by the tensor's type;
// with `exact`, a list of Python ints or Fractions. Words of up to 16 wires decode by a table.
py::list decode_values(const onnx_layout& l, const py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>& bits, bool exact) {
  if (bits.ndim() != 2 || bits.shape(1) != static_cast<py::ssize_t>(l.output_bits))
    throw std::invalid_argument("decode: expected output bits of shape (patterns, " + std::to_string(l.output_bits) + ")");
  const std::size_t patterns = bits.shape(0);
  const std::uint8_t* w = bits.data();
  const py::object fraction = exact ? fraction_type() : py::object();
  py::list outs;
  for (const onnx_io& io : l.outputs) {
    const std::uint64_t n = io.elements(), count = patterns * n;
    const value_kind kind = kind_of(io);
    auto at = [&](std::uint64_t i) { return w + (i / n) * l.output_bits + io.first_wire + (i % n) * io.width; };
    if (exact) {
      py::list vals;
      for (std::uint64_t i = 0; i < count; ++i) {
        const Rational v = io.decode(at(i));
        vals.append(kind == value_kind::real ? to_fraction(v, fraction) : py::object(big_int(v.get_num())));
      }
      outs.append(vals);
      continue;
    }
    // Each element's value, converted: from a table of every word's value when the words are
    // short (up to 16 wires) and many, else decoded one by one.
    auto fill = [&](auto convert) {
      using T = decltype(convert(Rational()));
      py::array_t<T> vals(static_cast<py::ssize_t>(count));
      T* out = vals.mutable_data();
      if (io.width <= 16 && count >= (std::uint64_t(1) << io.width) / 8) {
        std::vector<T> table;
        std::vector<std::uint8_t> word(io.width);
        for (std::uint32_t u = 0; u < (1u << io.width); ++u) {
          for (std::uint32_t k = 0; k < io.width; ++k) word[k] = (u >> k) & 1u;
          table.push_back(convert(io.decode(word.data())));
        }
        for (std::uint64_t i = 0; i < count; ++i) {
          const std::uint8_t* x = at(i);
          std::uint32_t u = 0;
          for (std::uint32_t k = 0; k < io.width; ++k) u |= std::uint32_t(x[k] & 1u) << k;
          out[i] = table[u];
        }
      } else {
        for (std::uint64_t i = 0; i < count; ++i) out[i] = convert(io.decode(at(i)));
      }
      outs.append(vals);
    };
    if (kind == value_kind::boolean) fill([](const Rational& v) { return sgn(v) != 0; });
    else if (kind == value_kind::integer) fill([](const Rational& v) { return static_cast<std::int64_t>(v.get_num().get_si()); });
    else fill([](const Rational& v) { return nearest_double(v); });
  }
  return outs;
}


}  // namespace

void bind_onnx(py::module_& m) {
  py::class_<onnx_io>(m, "TensorLayout", "One graph input or output tensor as circuit wires (docs/onnx.md, the layout).")
      .def_property_readonly("tensor", [](const onnx_io& io) { return io.tensor; }, "the tensor's name in the model")
      .def_property_readonly("shape", [](const onnx_io& io) { return py::tuple(py::cast(io.shape)); })
      .def_property_readonly("type", [](const onnx_io& io) { return std::string(elem_type_name(io.type)); }, "the ONNX element type")
      .def_property_readonly("kind", [](const onnx_io& io) { return to_json(io)["kind"].get<std::string>(); },
                             "'bit' (0/1), 'sign' (wire 1 is +1, 0 is -1) or 'word' (integer W, value = scale * W + offset)")
      .def_property_readonly("width", [](const onnx_io& io) { return io.width; }, "wires per element")
      .def_property_readonly("signed", [](const onnx_io& io) { return io.is_signed; }, "a word in two's complement")
      .def_property_readonly("scale", [](const onnx_io& io) { return to_fraction(io.scale, fraction_type()); })
      .def_property_readonly("offset", [](const onnx_io& io) { return to_fraction(io.offset, fraction_type()); })
      .def_property_readonly("wires", [](const onnx_io& io) {
            return py::module_::import("builtins").attr("range")(io.first_wire, io.first_wire + io.elements() * io.width);
          }, "the circuit input or output positions it occupies; element e at wires[e * width : (e + 1) * width], least significant first")
      .def_property_readonly("how", [](const onnx_io& io) { return in_python_words(io.how); }, "for inputs: what fixed the encoding")
      .def_property_readonly("quantizer", [](const onnx_io& io) { return io.quantizer; },
                             "an input read by a leading QuantizeLinear: encode quantizes real values as it does")
      .def("__repr__", [](const onnx_io& io) {
        return fmt::format("<TensorLayout {} {} {} {}{}>", io.tensor, shape_text(io.shape), to_json(io)["kind"].get<std::string>(),
                           io.width, io.kind == onnx_io::word ? fmt::format(" x {}", io.scale.get_str()) : "");
      });
  py::class_<onnx_layout>(m, "OnnxLayout",
                          "What a compiled ONNX model's wires mean: circuit.layout. encode() turns tensor values into input wires, "
                          "decode() output wires into values, exactly.")
      .def_property_readonly("inputs", [](const onnx_layout& l) { return l.inputs; })
      .def_property_readonly("outputs", [](const onnx_layout& l) { return l.outputs; })
      .def_property_readonly("input_bits", [](const onnx_layout& l) { return l.input_bits; })
      .def_property_readonly("output_bits", [](const onnx_layout& l) { return l.output_bits; })
      .def_property_readonly("notes", [](const onnx_layout& l) {
            std::vector<std::string> notes;
            for (const std::string& n : l.notes) notes.push_back(in_python_words(n));
            return notes;
          }, "operators replaced (softmax='argmax')")
      .def_property_readonly("input", [](const onnx_layout& l) { return input_text(l.input); }, "the input= it was compiled with")
      .def_property_readonly("softmax", [](const onnx_layout& l) { return std::string(l.softmax_argmax ? "argmax" : "refuse"); },
                             "the softmax= it was compiled with")
      .def("to_dict", [](const onnx_layout& l) { return to_python(to_json(l)); }, "the layout as `tcx compile --layout` writes it")
      .def_static("from_dict", [](const py::object& d) {
            nlohmann::json j;
            try {
              j = from_python(d);
            } catch (const py::value_error& e) {  // past 64 bits, nested too deeply: not a layout
              throw std::invalid_argument(std::string("from_dict: ") + e.what());
            }
            return layout_from_json(j);
          }, py::arg("d"),
                  "a layout from to_dict() or a `tcx compile --layout` file (json.load): UsageError naming a bad field")
      .def(py::pickle([](const onnx_layout& l) { return to_json(l).dump(); },
                      [](const std::string& text) { return layout_from_json(nlohmann::json::parse(text)); }))
      .def("__str__", [](const onnx_layout& l) {
        std::string t = in_python_words(l.text());
        if (!t.empty() && t.back() == '\n') t.pop_back();
        return t;
      })
      .def("__repr__", [](const onnx_layout& l) {
        return fmt::format("<OnnxLayout {} input wires, {} output wires>", l.input_bits, l.output_bits);
      })
      .def("_encode", &encode_values)
      .def("_decode", &decode_values);
  // source: the file's path (str) or the model's bytes.
  m.def("_compile_onnx", [](const py::object& source, const std::string& label, const std::string& input, bool check,
                            std::uint32_t exhaustive_bits, std::uint64_t random, std::uint64_t seed, const std::string& softmax) {
    const onnx_compile_params p = compile_params(parse_onnx_input(input, "input"), softmax);
    if (exhaustive_bits > 30) throw std::invalid_argument("exhaustive_bits must be in 0..30");
    const bool is_path = !py::isinstance<py::bytes>(source);
    const std::string data = source.cast<std::string>();
    auto [circuit, layout, checked] = run_long([&] {
      const OnnxModel model = load_model(is_path, data, label);
      onnx_compiled r = compiling([&] { return compile_onnx(model, p); });
      nlohmann::json j;
      if (check) {
        onnx_check_params cp;
        cp.max_exhaustive_bits = exhaustive_bits;
        cp.random_inputs = random;
        cp.seed = seed;
        const onnx_check_result cr = compiling([&] { return check_onnx(model, r.layout, r.circuit, cp); });
        j = to_json(cr);
      }
      return std::make_tuple(std::move(r.circuit), std::move(r.layout), j);
    });
    return py::make_tuple(py::cast(std::move(circuit)), py::cast(std::move(layout)), to_python(checked));
  });
  // tcx verify CIRCUIT --model MODEL.onnx --json
  m.def("_verify_onnx", [](const Circuit& c, const std::string& path, const std::string& input, const std::string& softmax,
                           std::uint32_t exhaustive_bits, std::uint64_t random, std::uint64_t seed, double time_limit) {
    if (exhaustive_bits > 30) throw std::invalid_argument("exhaustive_bits must be in 0..30");
    const onnx_compile_params p = compile_params(parse_onnx_input(input, "input"), softmax);
    const nlohmann::json j = run_long([&] {
      const OnnxModel model = load_model(path);
      onnx_check_params cp;
      cp.max_exhaustive_bits = exhaustive_bits;
      cp.random_inputs = random;
      cp.seed = seed;
      cp.time_limit_s = time_limit;
      nlohmann::json r{{"model", path}};
      try {
        r.update(compiling([&] { return verify_onnx(model, c, p, cp); }).to_json());
      } catch (const BudgetExceeded& e) {
        r.update({{"verdict", "unknown"}, {"how", std::string("stopped: ") + e.what()}, {"stopped", e.what()}});
      }
      return r;
    });
    return to_python(j);
  });
  // tcx depth MODEL.onnx --json: the figures, the model and the operators replaced.
  m.def("_depth_onnx", [](const std::string& path, const std::string& input, const std::string& softmax, double time_limit) {
    if (!(time_limit >= 0)) throw std::invalid_argument("time_limit must be >= 0");
    const onnx_compile_params p = compile_params(parse_onnx_input(input, "input"), softmax);
    const nlohmann::json j = run_long([&] {
      const auto t0 = std::chrono::steady_clock::now();
      default_builder_params().time_limit_s = time_limit;
      std::vector<std::string> notes;
      const circuit_stats s = count_figures(load_model(path), p, &notes);
      nlohmann::json j = to_json(s);
      j.erase("critical_path");
      j["model"] = path;
      j["substitutions"] = notes;
      j["seconds"] = cli::seconds_since(t0);
      return j;
    });
    return to_python(j);
  });
  // tcx family 'mlp_{n}.onnx' --n A..B --json: one exported model per size, counted.
  m.def("_family_onnx", [](const std::string& pattern, const std::vector<std::int64_t>& ns, double time_limit) {
    if (ns.empty()) throw std::invalid_argument("family: no sizes");
    if (!(time_limit >= 0)) throw std::invalid_argument("time_limit must be >= 0");
    if (pattern.find("{n}") == std::string::npos) throw std::invalid_argument("an ONNX family is a file pattern with {n}, e.g. 'mlp_{n}.onnx'");
    const nlohmann::json j = run_long([&] {
      return sweep(pattern, "counted", ns, time_limit, [&](std::int64_t n) {
        return count_figures(load_model(file_for_size(pattern, n)), compile_params(onnx_input_spec{}, "refuse"));
      });
    });
    return to_python(j);
  });
}

}  // namespace tcx::py

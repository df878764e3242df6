// tcx._core: the Python binding's entry point. Exceptions of the libraries become the Python
// package's exception classes (tcx/_errors.py) with the messages the command line prints.
#include <pybind11/pybind11.h>

#include <cctype>
#include <new>
#include <string_view>

#include "circuits/io/file.hpp"
#include "compilers/models/model.hpp"
#include "provers/sat.hpp"
#include "python/src/common.hpp"
#include "tcx/version.hpp"

namespace tcx::py {

py::object to_python(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return py::none();
    case nlohmann::json::value_t::boolean: return py::bool_(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return py::int_(j.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned: return py::int_(j.get<std::uint64_t>());
    case nlohmann::json::value_t::number_float: return py::float_(j.get<double>());
    case nlohmann::json::value_t::string: return py::str(j.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      py::list l;
      for (const auto& v : j) l.append(to_python(v));
      return l;
    }
    case nlohmann::json::value_t::object: {
      py::dict d;
      for (auto it = j.begin(); it != j.end(); ++it) d[py::str(it.key())] = to_python(it.value());
      return d;
    }
    default: return py::none();
  }
}

namespace {
// A library message in Python's words: each command-line option replaced by its keyword.
std::string keywords(std::string what, std::initializer_list<std::pair<std::string_view, std::string_view>> names) {
  for (auto [flag, keyword] : names)
    for (auto at = what.find(flag); at != std::string::npos; at = what.find(flag, at + keyword.size())) what.replace(at, flag.size(), keyword);
  return what;
}

// A usage message in Python's words: the state options as their keywords with values, --param
// as params, and any other --flag-name as flag_name (the keyword of every option the library
// names in its messages).
std::string python_keywords(const std::string& what) {
  std::string s = keywords(what, {{"--state ", "state="}, {"--resume", "resume=True"}, {"--restart", "restart=True"},
                                  {"--force", "force=True"}, {"--param ", "params "}});
  std::string out;
  for (std::size_t k = 0; k < s.size(); ++k) {
    const bool flag = s.compare(k, 2, "--") == 0 && k + 2 < s.size() && std::islower(static_cast<unsigned char>(s[k + 2])) &&
                      (k == 0 || std::string_view(" ('`\"").find(s[k - 1]) != std::string_view::npos);
    if (!flag) {
      out += s[k];
      continue;
    }
    for (k += 2; k < s.size() && (std::isalnum(static_cast<unsigned char>(s[k])) || s[k] == '-'); ++k) out += s[k] == '-' ? '_' : s[k];
    --k;
  }
  return out;
}

// Nesting past this is refused (a value built in code can nest deeper than the stack allows).
constexpr int max_json_depth = 512;
nlohmann::json from_python_at(const py::handle& h, int depth);
}  // namespace

nlohmann::json from_python(const py::handle& h) { return from_python_at(h, 0); }

namespace {
nlohmann::json from_python_at(const py::handle& h, int depth) {
  if (depth > max_json_depth) throw py::value_error("a value nested more than " + std::to_string(max_json_depth) + " levels deep");
  if (h.is_none()) return nullptr;
  if (py::isinstance<py::bool_>(h)) return h.cast<bool>();
  if (py::isinstance<py::int_>(h)) {
    // Beyond 64 bits: the decimal text, as the model format takes big integers.
    try {
      return h.cast<std::int64_t>();
    } catch (const py::cast_error&) {
      throw py::value_error("integer out of the 64-bit range in a JSON value");
    }
  }
  if (py::isinstance<py::float_>(h)) return h.cast<double>();
  if (py::isinstance<py::str>(h)) return h.cast<std::string>();
  if (py::isinstance<py::dict>(h)) {
    nlohmann::json j = nlohmann::json::object();
    for (auto kv : h.cast<py::dict>()) {
      if (!py::isinstance<py::str>(kv.first)) throw py::type_error("JSON object keys must be strings");
      j[kv.first.cast<std::string>()] = from_python_at(kv.second, depth + 1);
    }
    return j;
  }
  if (py::isinstance<py::list>(h) || py::isinstance<py::tuple>(h)) {
    nlohmann::json j = nlohmann::json::array();
    for (auto v : h) j.push_back(from_python_at(v, depth + 1));
    return j;
  }
  throw py::type_error("cannot put a " + type_name(h) + " into JSON");
}
}  // namespace

std::string type_name(const py::handle& h) { return py::str(h.get_type().attr("__name__")); }

void wrong_type(const py::handle& h, const std::string& what, const std::string& expected) {
  throw py::type_error(what + " must be " + expected + ", not " + type_name(h));
}

namespace {
// Python's bool or numpy's (bool_, named bool in numpy 2): both have __index__, but True is not a size.
bool is_bool(const py::handle& h) {
  if (PyBool_Check(h.ptr())) return true;
  if (PyLong_Check(h.ptr())) return false;  // a Python int, the common case: no look at the type's name
  const std::string t = type_name(h);
  return t == "bool_" || t == "bool";
}
}  // namespace

// An int is what has __index__ (numpy's integers too).
std::int64_t int_arg(const py::handle& h, const std::string& what, std::int64_t lo, std::int64_t hi) {
  if (is_bool(h) || !PyIndex_Check(h.ptr())) wrong_type(h, what, "an int");
  const py::int_ v = py::reinterpret_steal<py::int_>(PyNumber_Index(h.ptr()));
  if (!v) throw py::error_already_set();
  int overflow = 0;
  const long long x = PyLong_AsLongLongAndOverflow(v.ptr(), &overflow);
  if (overflow != 0 || x < lo || x > hi)
    throw std::invalid_argument(what + " = " + std::string(py::str(py::handle(v))) + " is out of range (" + std::to_string(lo) + ".." +
                                std::to_string(hi) + ")");
  return x;
}

// A bool, or an int read as a truth value (Lit(3, 1) was taken before these checks, and still is).
bool bool_arg(const py::handle& h, const std::string& what) {
  if (!is_bool(h) && !PyIndex_Check(h.ptr())) wrong_type(h, what, "a bool");
  const int truth = PyObject_IsTrue(h.ptr());
  if (truth < 0) throw py::error_already_set();
  return truth == 1;
}

std::string str_arg(const py::handle& h, const std::string& what, const std::string& expected) {
  if (!py::isinstance<py::str>(h)) wrong_type(h, what, expected);
  return h.cast<std::string>();
}

std::optional<std::string> optional_str_arg(const py::handle& h, const std::string& what) {
  if (h.is_none()) return std::nullopt;
  return str_arg(h, what, "a str or None");
}

Settings& settings() {
  static Settings s;
  return s;
}

namespace {

// Raises errors.NAME(args...) as the current Python exception.
void raise(const char* name, const py::tuple& args) {
  py::object cls = py::module_::import("tcx._errors").attr(name);
  PyErr_SetObject(cls.ptr(), cls(*args).ptr());
}

}  // namespace

}  // namespace tcx::py

PYBIND11_MODULE(_core, m) {
  namespace py = pybind11;
  using namespace tcx::py;
  m.doc() = "tcx._core: the C++ libraries of tcx (use the tcx package, not this module)";
  m.attr("__version__") = tcx::version;
  m.attr("_default_solver") = tcx::sat_solver_name(tcx::default_sat_solver);
  {  // the module's bound for Builders on every thread, as the command line's --max-wires
    tcx::builder_params p = tcx::default_builder_params();
    p.max_wires = settings().max_wires;
    tcx::set_default_builder_params(p);
  }

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const tcx::ParseError& e) {
      raise("ParseError", py::make_tuple(e.what(), e.file, e.line, e.col, e.message));
    } catch (const FileParseFailure& e) {
      raise("ParseError", py::make_tuple(e.what(), e.file, py::none(), py::none(), e.message));  // a file with no line or column (ONNX)
    } catch (const ModelFailure& e) {
      raise("ModelError", py::make_tuple(e.what(), e.path));
    } catch (const tcx::ModelError& e) {
      raise("ModelError", py::make_tuple(e.what(), e.path));
    } catch (const tcx::IoError& e) {
      raise("IoError", py::make_tuple(e.what()));
    } catch (const tcx::BudgetExceeded& e) {
      raise("BudgetError", py::make_tuple(e.what()));
    } catch (const std::length_error& e) {
      // The library names the command line's bound; Python sets it with tcx.set_limits.
      raise("LimitError", py::make_tuple(keywords(e.what(), {{"tcx --max-wires", "tcx.set_limits(max_wires=...)"}, {"--max-wires", "max_wires"}})));
    } catch (const std::invalid_argument& e) {
      // The library's messages name the command line's options: Python's keywords instead.
      raise("UsageError", py::make_tuple(python_keywords(e.what())));
    } catch (const std::out_of_range& e) {
      raise("UsageError", py::make_tuple(e.what()));
    } catch (const std::bad_alloc&) {
      PyErr_SetString(PyExc_MemoryError, "out of memory");
    } catch (const py::builtin_exception& e) {
      e.set_error();
    } catch (const py::error_already_set& e) {
      throw;
    } catch (const std::exception& e) {
      raise("Error", py::make_tuple(e.what()));
    }
  });

  m.def("_set_max_wires", [](std::uint64_t w) {
    if (w < 1 || w > (std::uint64_t(1) << 34)) throw std::invalid_argument("max_wires must be in 1..2^34");
    settings().max_wires = w;
    tcx::builder_params p = tcx::default_builder_params();  // process-wide: Builders on the library's worker threads too
    p.max_wires = w;
    tcx::set_default_builder_params(p);
  });
  m.def("_max_wires", [] { return settings().max_wires; });
  // For the tests: a call that runs until interrupted (or `seconds` pass), through run_long.
  m.def("_sleep_interruptible", [](double seconds) {
    return run_long([&] {
      const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
      while (std::chrono::steady_clock::now() < end && !tcx::interrupted())
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return tcx::interrupted();
    });
  });

  bind_circuit(m);
  bind_commands(m);
  bind_facts(m);
#ifdef TCX_PYTHON_ONNX
  bind_onnx(m);
#endif
}

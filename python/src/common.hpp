#pragma once
// Shared pieces of the Python binding: JSON to Python objects, running long library calls off
// the interpreter's lock with Ctrl-C turned into an interrupt the library polls, and the
// exceptions the Python package raises.
#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "circuits/interrupt.hpp"
#include "circuits/io/file.hpp"
#include "tasks/task.hpp"

namespace tcx::py {

namespace py = pybind11;

// Python ints and GMP: any size (circuit.cpp); to_mpz refuses non-ints (TypeError) and more than
// the library's 100,000 decimal digits (`what` names the value).
py::int_ big_int(const mpz_class& x);
mpz_class to_mpz(const py::handle& h, const std::string& what);

// A nlohmann::json value as the Python object json.loads would give.
py::object to_python(const nlohmann::json& j);
// A Python object (dict, list, str, int, float, bool, None) as JSON; TypeError for others.
nlohmann::json from_python(const py::handle& h);

// Arguments read here instead of by pybind11's overload matching, whose TypeError lists the C++
// signatures and what was passed. A binding takes such an argument as a py::object (pybind11
// accepts anything) and converts it with these, in the words of the package's Python-side checks
// (tcx/_api.py _int): a wrong type is "WHAT must be EXPECTED, not TYPE" (TypeError), an int out
// of range "WHAT = V is out of range (LO..HI)" (std::invalid_argument: tcx.UsageError).
std::string type_name(const py::handle& h);
[[noreturn]] void wrong_type(const py::handle& h, const std::string& what, const std::string& expected);
std::int64_t int_arg(const py::handle& h, const std::string& what, std::int64_t lo, std::int64_t hi);
bool bool_arg(const py::handle& h, const std::string& what);
std::string str_arg(const py::handle& h, const std::string& what, const std::string& expected = "a str");
std::optional<std::string> optional_str_arg(const py::handle& h, const std::string& what);  // None or a str

// Settings that a Python session applies to every library call (tcx.set_limits).
struct Settings {
  std::uint64_t max_wires = std::uint64_t(1) << 27;  // as the command line's --max-wires default
};
Settings& settings();

// An invalid model, with the file as the command line prints it and the JSON pointer apart.
struct ModelFailure : std::runtime_error {
  ModelFailure(const std::string& what, std::string path) : std::runtime_error(what), path(std::move(path)) {}
  std::string path;
};

// A file that is not what it should be, where the reader gives no line and column (an ONNX
// model: protobuf does not say where): tcx.ParseError with the file apart, line and column 0.
struct FileParseFailure : std::runtime_error {
  FileParseFailure(const std::string& what, std::string file, std::string message)
      : std::runtime_error(what), file(std::move(file)), message(std::move(message)) {}
  std::string file, message;
};

// Calls f(); the library's IoErrors name the command line's --force, which Python spells
// force=True (Circuit.save, tcx.reproduce).
template <class F>
auto with_force_keyword(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const IoError& e) {
    std::string what = e.what();
    if (const auto at = what.find("--force"); at != std::string::npos) what.replace(at, 7, "force=True");
    throw IoError(what);
  }
}

// Runs f() on a worker thread with the GIL released, while this thread checks for Python
// signals every 50 ms. On Ctrl-C (or any signal handler that raises) the library is asked to
// stop (circuits/interrupt.hpp: the Builder, SAT calls and equivalence by simulation poll it),
// the worker is joined, and the Python exception (KeyboardInterrupt) is raised here.
template <class F>
auto run_long(F&& f) -> decltype(f()) {
  using R = decltype(f());
  std::optional<R> result;
  std::exception_ptr error;
  bool done = false;
  std::mutex m;
  std::condition_variable cv;
  builder_params defaults = default_builder_params();
  defaults.max_wires = settings().max_wires;
  PyObject *type = nullptr, *value = nullptr, *trace = nullptr;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      default_builder_params() = defaults;  // this thread's copy, with the call's time limit
      try {
        result.emplace(f());
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(m);
      done = true;
      cv.notify_all();
    });
    bool stopping = false;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(m);
        if (cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) break;
      }
      if (!stopping) {
        py::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() != 0) {
          PyErr_Fetch(&type, &value, &trace);
          stopping = true;
        }
      }
      // Asked again on every tick: a solver starting just after the first request hears it too.
      if (stopping) request_interrupt();
    }
    worker.join();
    if (stopping) clear_interrupt();
  }
  if (type) {
    PyErr_Restore(type, value, trace);
    throw py::error_already_set();
  }
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

// The figures of one family sweep over ns, as tcx family --json prints them (commands.cpp). A
// time limit stops the sweep, and so does an error at a size after the first (the size bound):
// the rows measured are kept and "stopped" says why, as the command does.
nlohmann::json sweep(const std::string& name, const std::string& mode, const std::vector<std::int64_t>& ns, double time_limit,
                     const std::function<circuit_stats(std::int64_t)>& measure);

// The module's parts.
// Task parameters from a dict of ints (bools refused: True is not a size); TypeError otherwise.
TaskParams params_from(const py::dict& d);

void bind_circuit(py::module_& m);
void bind_commands(py::module_& m);
void bind_facts(py::module_& m);
void bind_onnx(py::module_& m);  // when built with the ONNX importer (TCX_PYTHON_ONNX)

}  // namespace tcx::py

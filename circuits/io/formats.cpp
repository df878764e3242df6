#include "circuits/io/formats.hpp"

#include <cctype>
#include <stdexcept>
#include <string>

#include "circuits/io/aiger.hpp"
#include "circuits/io/blif.hpp"
#include "circuits/io/dot_format.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/json_format.hpp"
#include "circuits/io/tc_format.hpp"
#include "circuits/io/th_format.hpp"

namespace tcx {

std::optional<CircuitFormat> format_from_name(std::string_view n) {
  if (n == "tc") return CircuitFormat::tc;
  if (n == "json") return CircuitFormat::json;
  if (n == "dot") return CircuitFormat::dot;
  if (n == "aag") return CircuitFormat::aag;
  if (n == "aig") return CircuitFormat::aig;
  if (n == "blif") return CircuitFormat::blif;
  if (n == "v" || n == "verilog") return CircuitFormat::verilog;
  if (n == "th") return CircuitFormat::th;
  return std::nullopt;
}

std::optional<CircuitFormat> format_from_path(std::string_view path) {
  std::size_t dot = path.rfind('.');
  std::size_t slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return std::nullopt;
  // Extensions in any case: OUT.AIG is AIGER (not .tc text under an .AIG name), IN.Blif is read as BLIF.
  std::string ext(path.substr(dot + 1));
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return format_from_name(ext);
}

std::string format_extension(std::string_view path) {
  std::string ext(path.substr(path.rfind('.') + 1));
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return ext;
}

bool format_needs_and_network(CircuitFormat f) {
  return f == CircuitFormat::aag || f == CircuitFormat::aig || f == CircuitFormat::blif || f == CircuitFormat::verilog;
}

bool format_readable(CircuitFormat f) {
  return f == CircuitFormat::tc || f == CircuitFormat::json || f == CircuitFormat::aag || f == CircuitFormat::aig ||
         f == CircuitFormat::blif || f == CircuitFormat::th;
}

Circuit read_circuit_file(const std::string& path) {
  auto f = format_from_path(path);
  if (!f || !format_readable(*f))
    throw IoError(path + ": unknown circuit file type (expected .tc, .json, .aag, .aig, .blif or .th)");
  if (*f == CircuitFormat::tc) return read_tc_file(path);
  if (*f == CircuitFormat::json)
    return read_json_circuit(read_file(path, max_json_circuit_bytes, [&](std::string_view head) { require_text_head(head, path); }), path);
  // The head is checked before the rest is read: /dev/zero or a blob fails at once.
  std::string data = read_file(path, default_max_file_bytes, [&](std::string_view head) {
    if (*f == CircuitFormat::aag || *f == CircuitFormat::aig) {
      const char* magic = *f == CircuitFormat::aag ? "aag " : "aig ";
      if (head.substr(0, 4) != magic && head.substr(0, 4) != (*f == CircuitFormat::aag ? "aig " : "aag "))
        throw ParseError(path, 1, 1, "not an AIGER file (expected 'aag' or 'aig' header)");
    } else {
      require_text_head(head, path);
    }
  });
  switch (*f) {
    case CircuitFormat::aag:
    case CircuitFormat::aig: return read_aiger(data, path);
    case CircuitFormat::blif: return read_blif(data, path);
    default: return read_th(data, path);
  }
}

std::string write_circuit(const Circuit& c, CircuitFormat f) {
  switch (f) {
    case CircuitFormat::tc: return write_tc(c);
    case CircuitFormat::json: return to_json(c).dump(1) + "\n";
    case CircuitFormat::dot: return write_dot(c);
    case CircuitFormat::aag: return write_aiger(c, false);
    case CircuitFormat::aig: return write_aiger(c, true);
    case CircuitFormat::blif: return write_blif(c);
    case CircuitFormat::verilog: return write_verilog(c);
    case CircuitFormat::th: return write_th(c);
  }
  throw std::logic_error("unreachable");
}

}  // namespace tcx

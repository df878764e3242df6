#pragma once
// One entry point for every circuit file format, chosen by name or file extension.
#include <optional>
#include <string>
#include <string_view>

#include "circuits/circuit.hpp"

namespace tcx {

enum class CircuitFormat { tc, json, dot, aag, aig, blif, verilog, th };

// "tc", "json", "dot", "aag", "aig", "blif", "v" (or "verilog"), "th".
std::optional<CircuitFormat> format_from_name(std::string_view name);
// By extension: .tc .json .dot .aag .aig .blif .v .th
std::optional<CircuitFormat> format_from_path(std::string_view path);
// The extension of a path that format_from_path recognizes, in lower case ("aig" for OUT.AIG).
std::string format_extension(std::string_view path);
bool format_needs_and_network(CircuitFormat f);  // aag, aig, blif, verilog
bool format_readable(CircuitFormat f);           // tc, aag, aig, blif, th

// Reads a circuit, the format from the extension. Throws ParseError / IoError.
Circuit read_circuit_file(const std::string& path);
// Text (or bytes, for aig) of the circuit in a format; formats that need an AND
// network throw std::invalid_argument for other circuits.
std::string write_circuit(const Circuit& c, CircuitFormat f);

}  // namespace tcx

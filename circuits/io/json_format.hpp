#pragma once
// JSON export of a circuit (for scripts and notebooks). Weights and thresholds are
// JSON numbers when |x| <= 2^53 and decimal strings beyond, so no value is rounded.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "circuits/circuit.hpp"

namespace tcx {

// The JSON layout's own version (a JSON document cannot be cut short unnoticed, so the .tc
// format's `end` line of version 2 has no counterpart here).
inline constexpr int json_circuit_version = 1;

nlohmann::json to_json(const Circuit& c);

// A whole JSON document; ParseError "file:line:col: invalid JSON: ..." at the byte where the
// parser stopped (for every JSON input tcx reads: circuits here, models in compilers/models).
nlohmann::json parse_json_text(const std::string& text, const std::string& path);

// The circuit to_json wrote (its text), read back through the Builder (so gates may be merged
// or normalized: the same function). ParseError (file:line:col) for text that is not JSON,
// IoError naming the JSON pointer of a value that does not fit the format.
Circuit read_json_circuit(const std::string& text, const std::string& path);

// JSON circuits are parsed whole into a document several times their size: files above this
// are refused (the other formats allow default_max_file_bytes).
inline constexpr std::uint64_t max_json_circuit_bytes = std::uint64_t(1) << 28;

}  // namespace tcx

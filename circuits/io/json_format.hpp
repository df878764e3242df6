#pragma once
// JSON export of a circuit (for scripts and notebooks). Weights and thresholds are
// JSON numbers when |x| <= 2^53 and decimal strings beyond, so no value is rounded.
#include <nlohmann/json.hpp>

#include "circuits/circuit.hpp"

namespace tcx {

nlohmann::json to_json(const Circuit& c);

}  // namespace tcx

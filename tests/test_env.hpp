#pragma once
// What the test run is: scripts/sanitize exports TCX_SANITIZE=1 before running the suite under
// AddressSanitizer and UndefinedBehaviorSanitizer, which run the code 10-20 times slower. The
// slowest tests then take lighter sizes (smaller n, fewer random inputs) and still run every
// kind of check on every model and cell; normal runs keep the full sizes.
#include <cstdlib>
#include <string_view>

namespace tcx::testing {

inline bool sanitized() {
  const char* v = std::getenv("TCX_SANITIZE");
  return v != nullptr && *v != '\0' && std::string_view(v) != "0";
}

// `full` in a normal run, `light` under the sanitizers.
template <class T>
T full_or_light(T full, T light) {
  return sanitized() ? light : full;
}

}  // namespace tcx::testing

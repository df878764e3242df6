// libFuzzer harness for the model JSON reader (parse_model) and the family resolution at a
// few sizes (shape_at): answers are a Model or a ModelError / ParseError. tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "circuits/io/file.hpp"
#include "compilers/models/model.hpp"
#include "fuzz_common.hpp"

#ifdef TCX_LIBFUZZER
#define TCX_FUZZ_ENTRY LLVMFuzzerTestOneInput
#else
#define TCX_FUZZ_ENTRY tcx_fuzz_model
#endif

extern "C" int TCX_FUZZ_ENTRY(const std::uint8_t* data, std::size_t size) {
  using namespace tcx;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const Model m = parse_model(text, "fuzz.json");
    for (std::int64_t n : {1, 4, 7}) {
      try {
        (void)shape_at(m, n);
      } catch (const ModelError&) {
      }
    }
  } catch (const ParseError&) {
  } catch (const ModelError&) {
  } catch (const std::bad_alloc&) {
    fuzz::bug("bad_alloc: an allocation the input's size does not bound");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    fuzz::bug("an exception other than ParseError / ModelError escaped the model reader");
  }
  return 0;
}

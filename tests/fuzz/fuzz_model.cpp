// libFuzzer harness for the model JSON reader (parse_model), the family resolution at a few
// sizes (shape_at) and, for what resolves, the compiler against the reference interpreter
// (differential: a disagreement is a bug). Answers are a Model or a ModelError / ParseError; the
// compiler is bounded (memory, time) like a command. tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "circuits/builder.hpp"
#include "circuits/io/file.hpp"
#include "compilers/models/check.hpp"
#include "compilers/models/compile.hpp"
#include "compilers/models/model.hpp"
#include "fuzz_common.hpp"

#ifdef TCX_LIBFUZZER
#define TCX_FUZZ_ENTRY LLVMFuzzerTestOneInput
#else
#define TCX_FUZZ_ENTRY tcx_fuzz_model
#endif

namespace {

// Compiles the model at one size into a small bounded Builder and checks it against the
// interpreter on a few inputs. The bound's std::length_error and the budget are answers.
void compile_and_check(const tcx::Model& m, const tcx::ModelShape& shape) {
  using namespace tcx;
  builder_params p = fuzz::bounded_builder_params();
  Builder b(p);
  try {
    compile_model(m, shape, b);
  } catch (const std::length_error&) {
    return;
  } catch (const BudgetExceeded&) {
    return;
  }
  const Circuit c = std::move(b).build();
  if (c.num_gates() > 20000 || shape.input_bits > 64) return;
  model_check_params q;
  q.max_exhaustive_bits = 8;
  q.random_inputs = 16;
  q.threads = 1;
  const model_check_result r = check_model(m, shape, c, q);
  if (!r.agree) fuzz::bug("the compiled circuit and the reference interpreter differ");
}

}  // namespace

extern "C" int TCX_FUZZ_ENTRY(const std::uint8_t* data, std::size_t size) {
  using namespace tcx;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const Model m = parse_model(text, "fuzz.json");
    for (std::int64_t n : {1, 4, 7}) {
      try {
        compile_and_check(m, shape_at(m, n));
      } catch (const ModelError&) {
      }
    }
  } catch (const ParseError&) {
  } catch (const ModelError&) {
  } catch (const std::bad_alloc&) {
    fuzz::bug("bad_alloc: an allocation the input's size does not bound");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    fuzz::bug("an exception other than ParseError / ModelError escaped the model reader or compiler");
  }
  return 0;
}

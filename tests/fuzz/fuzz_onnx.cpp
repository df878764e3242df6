// libFuzzer harness for the ONNX reader (parse_onnx) and, for what it accepts, the compiler
// (bounded in memory and time like a command) against the exact interpreter (differential: a
// disagreement is a bug). Answers are a model or an OnnxError. tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "circuits/builder.hpp"
#include "compilers/onnx/onnx.hpp"
#include "fuzz_common.hpp"

#ifdef TCX_LIBFUZZER
#define TCX_FUZZ_ENTRY LLVMFuzzerTestOneInput
#else
#define TCX_FUZZ_ENTRY tcx_fuzz_onnx
#endif

extern "C" int TCX_FUZZ_ENTRY(const std::uint8_t* data, std::size_t size) {
  using namespace tcx;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    const OnnxModel m = parse_onnx(bytes, "fuzz.onnx");
    // The input encoding varies with the input's size, so each is tried on some inputs.
    onnx_compile_params cp;
    cp.input = parse_onnx_input(size % 3 == 0 ? "bits" : size % 3 == 1 ? "signs" : "int:3");
    cp.softmax_argmax = size % 2 == 0;
    Builder b(fuzz::bounded_builder_params());
    onnx_layout layout;
    try {
      layout = compile_onnx(m, b, cp);
    } catch (const std::length_error&) {
      return 0;
    } catch (const BudgetExceeded&) {
      return 0;
    }
    const Circuit c = std::move(b).build();
    if (c.num_gates() > 20000 || layout.input_bits > 64) return 0;
    onnx_check_params q;
    q.max_exhaustive_bits = 8;
    q.random_inputs = 16;
    const onnx_check_result r = check_onnx(m, layout, c, q);
    if (!r.agree) {
      std::fprintf(stderr, "%s: circuit %s, reference %s\n", r.where.c_str(), r.circuit_value.c_str(), r.reference_value.c_str());
      fuzz::bug("the compiled circuit and the exact interpreter differ");
    }
  } catch (const OnnxError&) {
  } catch (const std::bad_alloc&) {
    fuzz::bug("bad_alloc: an allocation the input's size does not bound");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    fuzz::bug("an exception other than OnnxError escaped the ONNX reader or compiler");
  }
  return 0;
}

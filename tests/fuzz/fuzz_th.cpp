// Fuzz harness of the th reader (tests/fuzz/README.md).
#define TCX_FUZZ_FORMAT 3
#ifdef TCX_LIBFUZZER
#define TCX_FUZZ_ENTRY LLVMFuzzerTestOneInput
#else
#define TCX_FUZZ_ENTRY tcx_fuzz_th
#endif
#include "fuzz_circuits.inc"

// Fuzz harness of the aiger reader (tests/fuzz/README.md).
#define TCX_FUZZ_FORMAT 1
#ifdef TCX_LIBFUZZER
#define TCX_FUZZ_ENTRY LLVMFuzzerTestOneInput
#else
#define TCX_FUZZ_ENTRY tcx_fuzz_aiger
#endif
#include "fuzz_circuits.inc"

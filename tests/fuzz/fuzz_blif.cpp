// Fuzz harness of the blif reader (tests/fuzz/README.md).
#define TCX_FUZZ_FORMAT 2
#ifdef TCX_LIBFUZZER
#define TCX_FUZZ_ENTRY LLVMFuzzerTestOneInput
#else
#define TCX_FUZZ_ENTRY tcx_fuzz_blif
#endif
#include "fuzz_circuits.inc"

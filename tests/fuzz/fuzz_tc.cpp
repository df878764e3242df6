// Fuzz harness of the tc reader (tests/fuzz/README.md).
#define TCX_FUZZ_FORMAT 0
#ifdef TCX_LIBFUZZER
#define TCX_FUZZ_ENTRY LLVMFuzzerTestOneInput
#else
#define TCX_FUZZ_ENTRY tcx_fuzz_tc
#endif
#include "fuzz_circuits.inc"

// The harnesses without libFuzzer: `tcx_fuzz_replay CORPUS` runs each harness on every file of
// CORPUS/<format>/ (tc, aiger, blif, th, model, onnx). The ordinary test suite runs it on the kept
// corpus, so the inputs that once found bugs stay tests (tests/fuzz/README.md).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int tcx_fuzz_tc(const std::uint8_t*, std::size_t);
extern "C" int tcx_fuzz_aiger(const std::uint8_t*, std::size_t);
extern "C" int tcx_fuzz_blif(const std::uint8_t*, std::size_t);
extern "C" int tcx_fuzz_th(const std::uint8_t*, std::size_t);
extern "C" int tcx_fuzz_model(const std::uint8_t*, std::size_t);
extern "C" int tcx_fuzz_onnx(const std::uint8_t*, std::size_t);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc != 2) {
    std::fprintf(stderr, "usage: tcx_fuzz_replay CORPUS_DIR\n");
    return 2;
  }
  using Entry = int (*)(const std::uint8_t*, std::size_t);
  const std::pair<const char*, Entry> harnesses[] = {
      {"tc", tcx_fuzz_tc}, {"aiger", tcx_fuzz_aiger}, {"blif", tcx_fuzz_blif}, {"th", tcx_fuzz_th}, {"model", tcx_fuzz_model}, {"onnx", tcx_fuzz_onnx}};
  std::size_t total = 0;
  for (const auto& [name, entry] : harnesses) {
    const fs::path dir = fs::path(argv[1]) / name;
    std::vector<fs::path> files;
    if (fs::is_directory(dir))
      for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& p : files) {
      std::ifstream in(p, std::ios::binary);
      const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      entry(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    }
    std::printf("%s: %zu inputs\n", name, files.size());
    total += files.size();
  }
  std::printf("replayed %zu inputs: no crash, no unexpected exception, every accepted circuit round-trips\n", total);
  return total ? 0 : 1;
}

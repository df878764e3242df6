#include "cli/common.hpp"

#include "circuits/io/file.hpp"
#include "circuits/io/tc_format.hpp"

namespace tcx::cli {

namespace {
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

Circuit load_circuit(const std::string& path) {
  if (ends_with(path, ".tc") || path == "-") return read_tc_file(path == "-" ? "/dev/stdin" : path);
  throw IoError(path + ": unknown circuit file type (expected .tc)");
}

void add_output_options(CLI::App& cmd, OutputOptions& o) {
  cmd.add_option("-o,--output", o.path, "output file ('-' for standard output)");
  cmd.add_flag("--force", o.force, "replace the output file if it exists");
}

void write_output(const OutputOptions& o, const std::string& content) { write_file(o.path, content, o.force); }

}  // namespace tcx::cli

#include "cli/common.hpp"

#include "circuits/io/file.hpp"
#include "circuits/io/formats.hpp"

namespace tcx::cli {

Circuit load_circuit(const std::string& path) { return read_circuit_file(path); }

void add_output_options(CLI::App& cmd, OutputOptions& o) {
  cmd.add_option("-o,--output", o.path, "output file ('-' for standard output)");
  cmd.add_flag("--force", o.force, "replace the output file if it exists");
}

void write_output(const OutputOptions& o, const std::string& content) { write_file(o.path, content, o.force); }

}  // namespace tcx::cli

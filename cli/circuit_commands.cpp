// Commands over one circuit file: stats, export, lower.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <iostream>
#include <optional>

#include "circuits/analysis.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/formats.hpp"
#include "circuits/lower.hpp"
#include "cli/common.hpp"

namespace tcx::cli {

namespace {
const std::vector<std::string> format_names{"tc", "json", "dot", "aag", "aig", "blif", "v", "th"};
}  // namespace

std::string output_format(const std::string& format_flag, const std::string& path) {
  std::optional<CircuitFormat> by_ext;
  std::string ext;
  if (!is_stdout_path(path) && (by_ext = format_from_path(path))) ext = format_extension(path);
  if (format_flag.empty()) return by_ext ? ext : "tc";
  const auto by_flag = format_from_name(format_flag);
  if (!by_flag) throw std::invalid_argument("unknown --format '" + format_flag + "'");
  if (by_ext && *by_ext != *by_flag)
    throw std::invalid_argument("--format " + format_flag + " contradicts the extension of " + path +
                                " (drop --format, or name the file ." + format_flag + ")");
  return format_flag;
}

void refuse_existing_output(const OutputOptions& o) {
  if (is_input_file(o.path)) throw IoError(o.path + ": is an input of this command; not replaced, even with --force");
  if (o.path.empty() || is_stdout_path(o.path) || is_stderr_path(o.path)) return;
  // A folder that cannot take the file is found out now, not after minutes of work.
  const std::filesystem::path target(o.path);
  const std::string folder = target.has_parent_path() ? target.parent_path().string() : std::string(".");
  if (::access(folder.c_str(), W_OK | X_OK) != 0) throw IoError(o.path + ": cannot write in " + folder + ": " + std::strerror(errno));
  if (o.force) return;
  struct stat st {};
  if (::lstat(o.path.c_str(), &st) == 0 && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode))) {
    if (S_ISLNK(st.st_mode) && (::stat(o.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))) return;
    throw IoError(o.path + (S_ISDIR(st.st_mode) ? ": is a directory" : ": file exists (use --force to replace it)"));
  }
}

std::string render_circuit(const Circuit& c, const std::string& format) {
  CircuitFormat f = *format_from_name(format);
  if (format_needs_and_network(f) && !is_and_network(c)) {
    Circuit l = lower_to_and_network(c);
    std::cerr << "tcx: note: lowered to an AND/NOT network of " << l.num_gates() << " AND gates for " << format << "\n";
    return write_circuit(l, f);
  }
  return write_circuit(c, f);
}

void add_circuit_commands(CLI::App& app) {
  {
    struct Opts {
      std::string file;
      bool json = false;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("stats", "size, depth and weight statistics of a circuit");
    cmd->add_option("file", o->file, "circuit file (.tc .aag .aig .blif .th)")->required();
    cmd->add_flag("--json", o->json, "print JSON instead of a table");
    cmd->callback([o] {
      circuit_stats s = analyze(load_circuit(o->file));
      if (o->json) std::cout << to_json(s).dump(2) << "\n";
      else std::cout << to_table(s);
    });
  }
  {
    struct Opts {
      std::string file;
      std::string format;
      OutputOptions out;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand(
        "export", "write a circuit in another format (aag, aig, blif and v lower it to AND/NOT first)");
    cmd->add_option("file", o->file, "circuit file (.tc .aag .aig .blif .th)")->required();
    cmd->add_option("--format", o->format, "tc | json | dot | aag | aig | blif | v | th (default: from the -o extension, else tc)")
        ->check(CLI::IsMember(format_names));
    add_output_options(*cmd, o->out);
    cmd->callback([o] {
      const std::string format = output_format(o->format, o->out.path);
      refuse_existing_output(o->out);
      write_output(o->out, render_circuit(load_circuit(o->file), format));
    });
  }
  {
    struct Opts {
      std::string file;
      std::string format;
      OutputOptions out;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("lower", "lower a threshold circuit to an equivalent AND/NOT network");
    cmd->add_option("file", o->file, "circuit file (.tc .aag .aig .blif .th)")->required();
    cmd->add_option("--format", o->format, "output format: tc | aag | aig | blif | v | th | json | dot (default: from the -o extension, else tc)")
        ->check(CLI::IsMember(format_names));
    add_output_options(*cmd, o->out);
    cmd->callback([o] {
      const std::string format = output_format(o->format, o->out.path);
      refuse_existing_output(o->out);
      Circuit c = load_circuit(o->file);
      lower_stats st;
      Circuit l = lower_to_and_network(c, &st);
      std::cerr << "tcx: lowered " << c.num_gates() << " gates (" << st.threshold_gates << " by adder trees, "
                << st.and_or_gates << " as AND/OR chains) to " << l.num_gates() << " AND gates, depth " << l.depth()
                << "\n";
      write_output(o->out, write_circuit(l, *format_from_name(format)));
    });
  }
}

}  // namespace tcx::cli

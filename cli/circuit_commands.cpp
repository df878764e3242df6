// Commands over one circuit file: stats, export, lower.
#include <iostream>

#include "circuits/analysis.hpp"
#include "circuits/io/formats.hpp"
#include "circuits/lower.hpp"
#include "cli/common.hpp"

namespace tcx::cli {

namespace {
const std::vector<std::string> format_names{"tc", "json", "dot", "aag", "aig", "blif", "v", "th"};
}  // namespace

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
      std::string format = "tc";
      OutputOptions out;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand(
        "export", "write a circuit in another format (aag, aig, blif and v lower it to AND/NOT first)");
    cmd->add_option("file", o->file, "circuit file (.tc .aag .aig .blif .th)")->required();
    cmd->add_option("--format", o->format, "tc | json | dot | aag | aig | blif | v | th")
        ->check(CLI::IsMember(format_names));
    add_output_options(*cmd, o->out);
    cmd->callback([o] { write_output(o->out, render_circuit(load_circuit(o->file), o->format)); });
  }
  {
    struct Opts {
      std::string file;
      std::string format = "tc";
      OutputOptions out;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("lower", "lower a threshold circuit to an equivalent AND/NOT network");
    cmd->add_option("file", o->file, "circuit file (.tc .aag .aig .blif .th)")->required();
    cmd->add_option("--format", o->format, "output format: tc | aag | aig | blif | v | th | json | dot")
        ->check(CLI::IsMember(format_names));
    add_output_options(*cmd, o->out);
    cmd->callback([o] {
      Circuit c = load_circuit(o->file);
      lower_stats st;
      Circuit l = lower_to_and_network(c, &st);
      std::cerr << "tcx: lowered " << c.num_gates() << " gates (" << st.threshold_gates << " by adder trees, "
                << st.and_or_gates << " as AND/OR chains) to " << l.num_gates() << " AND gates, depth " << l.depth()
                << "\n";
      write_output(o->out, write_circuit(l, *format_from_name(o->format)));
    });
  }
}

}  // namespace tcx::cli

// Commands over one circuit file: stats, export.
#include <iostream>

#include "circuits/analysis.hpp"
#include "circuits/io/dot_format.hpp"
#include "circuits/io/json_format.hpp"
#include "circuits/io/tc_format.hpp"
#include "cli/common.hpp"

namespace tcx::cli {

void add_circuit_commands(CLI::App& app) {
  {
    struct Opts {
      std::string file;
      bool json = false;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("stats", "size, depth and weight statistics of a circuit");
    cmd->add_option("file", o->file, "circuit file (.tc)")->required();
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
    auto* cmd = app.add_subcommand("export", "write a circuit in another format");
    cmd->add_option("file", o->file, "circuit file (.tc)")->required();
    cmd->add_option("--format", o->format, "tc | json | dot")
        ->check(CLI::IsMember({"tc", "json", "dot"}));
    add_output_options(*cmd, o->out);
    cmd->callback([o] {
      Circuit c = load_circuit(o->file);
      std::string text;
      if (o->format == "tc") text = write_tc(c);
      else if (o->format == "json") text = to_json(c).dump(1) + "\n";
      else text = write_dot(c);
      write_output(o->out, text);
    });
  }
}

}  // namespace tcx::cli

// Commands over the arithmetic cell library: cells, cell.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "circuits/analysis.hpp"
#include "circuits/interrupt.hpp"
#include "circuits/io/formats.hpp"
#include "circuits/io/tc_format.hpp"
#include "cli/common.hpp"
#include "cli/dist_options.hpp"
#include "compilers/arith/catalog.hpp"
#include "compilers/arith/small_weights.hpp"

namespace tcx::cli {

namespace {
// build() and the circuit's text in `format`, all under --time-limit: past it, exit 3 and nothing
// written. The gates are not all the work: ge_residues at 64 bits has its votes in 0.7 s and then
// spent 11 s more, unbounded, most of it rendering 466 MB of text.
template <class Build>
std::string render_within_limit(const std::string& command, double seconds, const std::string& format, Build&& build) {
  return within_time_limit(command, seconds, [&] {
    const Circuit c = build();
    std::string text = format == "tc" ? write_tc(c, {.stop_on_interrupt = true}) : render_circuit(c, format);
    // Writers that do not poll the limit end past it all the same: then nothing is written.
    if (interrupted()) throw_interrupted("rendering the circuit");
    return text;
  });
}
}  // namespace

void add_cell_commands(CLI::App& app) {
  {
    struct Opts {
      std::string file, format, method = "adders";
      std::uint32_t max_bits = 8, prime_bits = 0, weight_bits = 0;
      std::uint64_t max_gates = 10'000'000;
      double time_limit = 0;
      OutputOptions out;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand(
        "reweight", "rewrite gates whose weights need more than --max-bits bits as small-weight logic "
                    "(polynomial size; +7 levels per rewritten gate with adders, +1 with residues); prints the blow-up");
    cmd->add_option("file", o->file, "circuit file")->required();
    cmd->add_option("--max-bits", o->max_bits, "largest weight and threshold width kept as is (from 2: the adders' own weights are up to 2)")
        ->check(int_range(2, 4096));
    cmd->add_option("--method", o->method, "adders (modest size, +7 levels) or residues (one extra level, large)")
        ->check(CLI::IsMember({"adders", "residues"}));
    cmd->add_option("--weight-bits", o->weight_bits,
                    "residues: primes, so weights, below 2^this (0: the least width that fits the primes, "
                    "from the bits of 4 x fan-in x weight bits up)")
        ->check(int_range(0, 40));
    cmd->add_option("--prime-bits", o->prime_bits, "residues: primes of at least this many bits (0: chosen)")
        ->check(int_range(0, 40));
    cmd->add_option("--max-gates", o->max_gates, "residues: refuse a gate whose rewrite needs more first-layer gates")
        ->check(int_range(std::uint64_t(1), std::uint64_t(1) << 40));
    cmd->add_option("--format", o->format, "output format (default: from the -o extension, else tc)")
        ->check(CLI::IsMember({"tc", "json", "dot", "aag", "aig", "blif", "v", "th"}));
    cmd->add_option("--time-limit", o->time_limit,
                    "give up after this many seconds: unknown, exit 3, nothing written (default 0 = none; "
                    "thousands of weight bits take minutes)")
        ->check(seconds_check());
    add_output_options(*cmd, o->out);
    cmd->callback([o] {
      const std::string format = output_format(o->format, o->out.path);
      refuse_existing_output(o->out);
      small_weights_params p;
      p.max_bits = o->max_bits;
      p.method = o->method == "residues" ? reweight_method::residues : reweight_method::adders;
      p.residues.min_prime_bits = o->prime_bits;
      p.residues.max_weight_bits = o->weight_bits;
      p.residues.max_gates = o->max_gates;
      small_weights_stats st;
      const Circuit in = load_circuit(o->file);
      const std::string text = render_within_limit("reweight", o->time_limit, format, [&] { return to_small_weights(in, p, &st); });
      std::cerr << fmt::format(
          "tcx: rewrote {} gates: depth {} -> {}, gates {} -> {}, wires {} -> {}, max weight bits {} -> {}\n",
          st.gates_replaced, st.depth_before, st.depth_after, st.gates_before, st.gates_after, st.wires_before,
          st.wires_after, st.max_weight_bits_before, st.max_weight_bits_after);
      // The residue method keeps its primes' width (docs/cells.md): say so when it is above --max-bits.
      if (st.max_weight_bits_after > o->max_bits)
        std::cerr << fmt::format("tcx: note: the weights keep {} bits, above --max-bits {}: --method residues sets the width by "
                                 "its primes (--prime-bits, --weight-bits); --method adders meets --max-bits (docs/cells.md)\n",
                                 st.max_weight_bits_after, o->max_bits);
      write_output(o->out, text);
    });
  }
  {
    auto json = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("cells", "list the arithmetic cells with their depth and size formulas");
    cmd->add_flag("--json", *json, "print JSON");
    cmd->callback([json] {
      if (*json) {
        nlohmann::json j = nlohmann::json::array();
        for (const CellInfo& c : cell_catalog())
          j.push_back({{"name", c.name}, {"description", c.description}, {"depth", c.depth_formula},
                       {"gates", c.gates_formula}, {"uses_count", c.uses_count}, {"default_count", c.default_count}});
        std::cout << j.dump(2) << "\n";
        return;
      }
      // Depth notes in parentheses go to a second line, to keep the table narrow.
      std::cout << fmt::format("{:<12} {:<6} {:<26} {}\n", "cell", "depth", "gates", "what it computes");
      for (const CellInfo& c : cell_catalog()) {
        std::string depth = c.depth_formula, note;
        if (auto p = depth.find(" ("); p != std::string::npos) {
          note = depth.substr(p + 1);
          depth = depth.substr(0, p) + "*";
        }
        std::cout << fmt::format("{:<12} {:<6} {:<26} {}\n", c.name, depth, c.gates_formula, c.description);
        if (!note.empty()) std::cout << fmt::format("{:<12} * depth {}\n", "", note);
      }
    });
  }
  {
    struct Opts {
      std::string name, format;
      std::uint32_t bits = 8, count = 0;
      double time_limit = 0;
      OutputOptions out;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("cell", "write one arithmetic cell as a circuit (see tcx cells)");
    cmd->add_option("name", o->name, "cell name")->required();
    cmd->add_option("--bits", o->bits, "operand width k")->check(int_range(1, 4096));
    cmd->add_option("--count", o->count, "number of operands m, or the cell's parameter (default: the cell's)")
        ->check(int_range(1, 4096));
    cmd->add_option("--format", o->format, "tc | json | dot | th (aag, aig, blif, v lower first; default: from the -o extension, else tc)")
        ->check(CLI::IsMember({"tc", "json", "dot", "aag", "aig", "blif", "v", "th"}));
    cmd->add_option("--time-limit", o->time_limit,
                    "give up after this many seconds (wall clock) of building, analysing and rendering the circuit: "
                    "unknown, exit 3, nothing written (default 0 = none)")
        ->check(seconds_check());
    add_progress_flag(*cmd);
    cmd->get_option("--progress")
        ->description("report ge_residues's votes done / total, rate and time left on stderr, even when stderr is not a "
                      "terminal (the other cells report nothing)");
    add_output_options(*cmd, o->out);
    cmd->callback([o] {
      const std::string format = output_format(o->format, o->out.path);
      refuse_existing_output(o->out);
      const CellInfo* c = find_cell(o->name);
      if (!c) throw std::invalid_argument("unknown cell '" + o->name + "' (tcx cells lists them)");
      const std::uint32_t count = o->count ? o->count : c->default_count;
      if (o->name == "lut" && o->bits > 24) throw std::invalid_argument("lut: at most 24 bits (the table has 2^k rows)");
      if (std::uint64_t(o->bits) * count > (1u << 20))
        throw std::invalid_argument("bits x count is above 2^20 inputs; choose smaller sizes");
      circuit_stats s;
      const std::string text = render_within_limit("cell", o->time_limit, format, [&] {
        Circuit circuit = c->build(o->bits, count);
        s = analyze(circuit);
        return circuit;
      });
      std::cerr << fmt::format("tcx: {} bits={} count={}: depth {} (formula {}), {} gates, {} wires, max weight {} bits\n",
                               c->name, o->bits, count, s.depth, c->depth(o->bits, count), s.gates, s.wires,
                               s.max_weight_bits);
      write_output(o->out, text);
    });
  }
}

}  // namespace tcx::cli

// Commands that evaluate circuits: eval, truth, equiv.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <iostream>
#include <sstream>

#include "circuits/evaluate.hpp"
#include "circuits/io/file.hpp"
#include "circuits/passes.hpp"
#include "circuits/simulate.hpp"
#include "cli/common.hpp"
#include "cli/sat_options.hpp"
#include "cli/dist_options.hpp"
#include "dist/state.hpp"
#include "provers/equiv.hpp"
#include "provers/synth_json.hpp"

namespace tcx::cli {

void add_verify_commands(CLI::App& app) {
  {
    struct Opts {
      std::string file, inputs;
      bool json = false;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("eval", "evaluate a circuit on one input; prints the outputs as bits, output 0 leftmost "
                                             "(truth, by contrast, prints row 0 rightmost: it writes a table as a number)");
    cmd->add_option("file", o->file, "circuit file")->required();
    cmd->add_option("--inputs", o->inputs,
                    "input bits, input 0 first (leftmost character), e.g. 0110; '_' and spaces are ignored")
        ->required();
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->callback([o] {
      Circuit c = load_circuit(o->file);
      std::vector<std::uint8_t> in;
      for (char ch : o->inputs) {
        if (ch == '_' || ch == ' ') continue;
        if (ch != '0' && ch != '1') throw std::invalid_argument("--inputs takes only 0 and 1, found '" + std::string(1, ch) + "'");
        in.push_back(ch == '1');
      }
      if (in.size() != c.num_inputs())
        throw std::invalid_argument(fmt::format("--inputs has {} bits; the circuit has {} inputs", in.size(), c.num_inputs()));
      std::vector<std::uint8_t> out = evaluate(c, in);
      if (o->json) {
        nlohmann::json j = nlohmann::json::array();
        for (std::uint32_t k = 0; k < out.size(); ++k)
          j.push_back({{"output", k}, {"name", c.outputs()[k].name}, {"value", out[k]}});
        std::cout << nlohmann::json{{"inputs", o->inputs}, {"outputs", j}}.dump(2) << "\n";
      } else {
        std::cout << bits_text(out) << "\n";
      }
    });
  }
  {
    struct Opts {
      std::string file;
      std::uint32_t max_inputs = 24;
      std::uint32_t threads = 0;
      bool json = false;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand(
        "truth", "print each output's truth table in hex: bit p is the output on row p, where input i = bit i of p; "
                 "so row 0 is the lowest bit of the rightmost digit (eval, by contrast, prints output 0 leftmost)");
    cmd->add_option("file", o->file, "circuit file")->required();
    cmd->add_option("--max-inputs", o->max_inputs, "refuse circuits with more inputs (the table has 2^n bits)")
        ->check(int_range(0, 32));
    cmd->add_option("--threads", o->threads, "worker threads (0 = all)")->check(int_range(0u, max_threads));
    cmd->add_flag("--json", o->json, "print JSON: one object per output with its hex table");
    cmd->callback([o] {
      Circuit c = load_circuit(o->file);
      if (c.num_inputs() > o->max_inputs)
        throw std::invalid_argument(fmt::format("the circuit has {} inputs; the table would have 2^{} rows (raise --max-inputs)",
                                                c.num_inputs(), c.num_inputs()));
      auto tables = truth_tables(c, sim_params{0, o->threads});
      if (o->json) {
        nlohmann::json j = nlohmann::json::array();
        for (std::uint32_t k = 0; k < c.num_outputs(); ++k)
          j.push_back({{"output", k}, {"name", c.outputs()[k].name}, {"hex", to_hex(tables[k])}});
        std::cout << nlohmann::json{{"inputs", c.num_inputs()}, {"row_convention", "bit p is the output on row p; input i = bit i of p"},
                                    {"tables", j}}.dump(2) << "\n";
        return;
      }
      for (std::uint32_t k = 0; k < c.num_outputs(); ++k) {
        const std::string& name = c.outputs()[k].name;
        std::cout << (name.empty() ? "out" + std::to_string(k) : name) << " " << to_hex(tables[k])
                  << "\n";
      }
    });
  }
  {
    struct Opts {
      std::string a, b;
      equiv_params p;
      bool json = false;
      bool sat = false, random = false;
      std::string encoding = "auto", dimacs;
      std::uint64_t conflicts = 0;
      bool force = false;
      bool time_limit_given = false;
      SatOptions so;
      DistOptions dist;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand(
        "equiv",
        "decide whether two circuits compute the same outputs, by a proof by default: exhaustive simulation up to "
        "--max-exhaustive inputs (32), a SAT miter beyond (within --time-limit, default 300 s; if the budget runs "
        "out, random patterns as a labelled fallback). --sat: SAT for any input count; --random: random patterns "
        "beyond the exhaustive limit (a difference is certain, none found is evidence). "
        "Exit status: 0 equal, 1 different, 2 error, 3 unknown");
    cmd->add_option("a", o->a, "first circuit");
    cmd->add_option("b", o->b, "second circuit");
    cmd->add_option("--max-exhaustive", o->p.max_exhaustive_inputs, "largest input count simulated exhaustively")
        ->check(int_range(0, 40));
    cmd->add_flag("--random", o->random, "random patterns beyond the exhaustive limit instead of SAT (evidence, not a proof)");
    cmd->add_option("--patterns", o->p.random_patterns, "random patterns (--random, or the fallback after SAT)")
        ->check(int_range(std::uint64_t(1), std::uint64_t(1) << 40));
    cmd->add_option("--seed", o->p.seed, "seed of the random patterns");
    cmd->add_option("--time-limit", o->p.time_limit_s, "seconds before answering unknown (0 = none)")->check(seconds_check());
    cmd->add_option("--threads", o->p.sim.threads, "worker threads (0 = all)")->check(int_range(0u, max_threads));
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->add_flag("--sat", o->sat, "decide with a SAT miter (CryptoMiniSat) instead of simulation");
    cmd->add_option("--encoding", o->encoding, "--sat: CNF encoding of threshold gates: auto, bdd or adder")
        ->check(CLI::IsMember({"auto", "bdd", "adder"}));
    cmd->add_option("--conflicts", o->conflicts, "--sat: conflict budget (0 = none)");
    cmd->add_option("--dimacs", o->dimacs, "--sat: also write the miter as DIMACS CNF to this file");
    cmd->add_flag("--force", o->force, "replace the --dimacs and --proof files if they exist");
    add_sat_options(*cmd, o->so, false, false);
    add_dist_options(*cmd, o->dist, true);
    cmd->preparse_callback([](std::size_t) { error_status = 2; });
    cmd->callback([o, cmd] {
      o->time_limit_given = cmd->count("--time-limit") > 0;
      if (o->a.empty() || o->b.empty()) throw std::invalid_argument("equiv needs two circuit files: tcx equiv A B");
      Circuit a = load_circuit(o->a), b = load_circuit(o->b);
      if (!o->sat && (!o->dimacs.empty() || o->conflicts || o->encoding != "auto" || cmd->count("--solver") ||
                      o->so.cross_check || !o->so.proof_file.empty() || o->so.certify || o->so.text_proof))
        throw std::invalid_argument("--encoding, --conflicts, --dimacs, --solver, --cross-check, --proof, --certify and --text-proof need --sat");
      o->so.force = o->force;
      if (o->sat && !o->dist.state.empty()) throw std::invalid_argument("--state is for simulation; a SAT miter is one solver call");
      if (o->sat && o->random) throw std::invalid_argument("--sat and --random exclude each other");
      // Beyond the exhaustive limit the default is a SAT proof within a budget, not random evidence.
      const bool auto_sat = !o->sat && !o->random && a.num_inputs() > o->p.max_exhaustive_inputs;
      if (!o->dist.state.empty() && a.num_inputs() > o->p.max_exhaustive_inputs)
        throw std::invalid_argument("--state is for exhaustive simulation (at most --max-exhaustive inputs, here " +
                                    std::to_string(o->p.max_exhaustive_inputs) + "); beyond, " +
                                    (auto_sat ? "a SAT miter is one solver call" : "random patterns are a quick sample"));
      // Inputs and outputs are matched by position; say so when the names suggest another order.
      for (std::uint32_t i = 0; i < std::min(a.num_inputs(), b.num_inputs()); ++i) {
        auto na = a.name(a.input_node(i)), nb = b.name(b.input_node(i));
        if (!na.empty() && !nb.empty() && na != nb) {
          std::cerr << "tcx: note: input " << i << " is '" << na << "' in A and '" << nb
                    << "' in B (inputs are matched by position)\n";
          break;
        }
      }
      // Joined over shared inputs, identical circuits become one: equal without a pattern or a solver
      // call (tcx equiv A A used to simulate every pattern). --sat asks for the solver's answer.
      if (!o->sat && same_by_structure(a, b)) {
        if (o->json) std::cout << equiv_structural_json().dump(2) << "\n";
        else std::cout << "equal (structural: joined over shared inputs, every output pair is the same gate; a proof for all "
                       << a.num_inputs() << " inputs)\n";
        throw Exit{0};
      }
      if (o->sat || auto_sat) {
        sat_equiv_params sp;
        sp.encoding.encoding = parse_gate_encoding(o->encoding);
        // A SAT query always has a budget: 300 CPU seconds unless --time-limit says otherwise.
        sp.sat.time_limit_s = o->time_limit_given ? o->p.time_limit_s : 300;
        sp.sat.conflicts = o->conflicts;
        sp.sat.solver = o->so.chosen();
        sp.sat.cross_check = o->so.cross_check;
        sp.proof = o->so.proof();
        sp.query = "equiv-miter";
        if (!o->dimacs.empty()) {
          std::ostringstream text;
          write_dimacs(text, miter_cnf(a, b, sp.encoding),
                       {"tcx equiv miter of " + o->a + " and " + o->b + ": satisfiable iff some output differs",
                        "variable 1 is the constant true; inputs follow"});
          write_file(o->dimacs, text.str(), o->force);
        }
        sat_equiv_result r = equivalent_by_sat(a, b, sp);
        // --certify: equal only with a checked proof (a checker timeout leaves the answer unknown).
        if (o->so.certify && r.verdict == sat_equiv_result::equal && !r.proof.verified) r.verdict = sat_equiv_result::unknown;
        std::string figures = r.encoding_cut
                                  ? fmt::format("while encoding the miter, before the solver: gates encoded as bdd {}, adder {}; {:.3f} s wall",
                                                r.encoded.bdd_gates, r.encoded.adder_gates, r.seconds)
                                  : fmt::format("{} variables, {} clauses; gates encoded as bdd {}, adder {}; {:.3f} s wall", r.vars,
                                                r.clauses, r.encoded.bdd_gates, r.encoded.adder_gates, r.seconds);
        if (r.has_proof) {
          if (!r.proof.drat_path.empty()) figures += fmt::format("; DRAT proof {} ({} bytes), CNF {}", r.proof.drat_path, r.proof.proof_bytes, r.proof.cnf_path);
          if (r.proof.verified) figures += fmt::format("; certified: the proof was checked by tcx's DRAT checker in {:.3f} s", r.proof.check_seconds);
        }
        if (o->json && !(auto_sat && r.verdict == sat_equiv_result::unknown)) {
          std::cout << equiv_sat_json(r, o->so.solver).dump(2) << "\n";
        } else if (r.verdict == sat_equiv_result::equal) {
          std::cout << "equal (SAT: the miter is unsatisfiable, a proof for all " << a.num_inputs() << " inputs; " << figures << ")\n";
        } else if (r.verdict == sat_equiv_result::different) {
          std::cout << "different (SAT; the counterexample was re-checked by simulation)\n  inputs    " << bits_text(r.inputs)
                    << "  (input 0 first)\n  outputs A " << bits_text(r.outputs_a) << "\n  outputs B " << bits_text(r.outputs_b)
                    << "\n";
        } else if (!auto_sat) {
          std::cout << "unknown: the SAT budget ran out (" << figures << ")\n";
        }
        if (!auto_sat || r.verdict != sat_equiv_result::unknown)
          throw Exit{r.verdict == sat_equiv_result::equal ? 0 : r.verdict == sat_equiv_result::different ? 1 : 3};
        std::cerr << "tcx: note: the SAT budget ran out (" << figures << "); falling back to random patterns\n";
      }
      // Pattern ranges over the runner: one process, or the ranks of mpirun (dist/work.hpp). The
      // state's key: the files and the patterns (the random ones' count and seed only when not
      // exhaustive; earlier keys held them always).
      const bool exhaustive = a.num_inputs() <= o->p.max_exhaustive_inputs;
      auto random_only = [&](auto v) { return exhaustive ? nlohmann::json() : nlohmann::json(v); };
      const std::string digest_a = dist::file_digest(o->a), digest_b = dist::file_digest(o->b);
      const std::vector<dist::key_field> key{
          {"circuit_a", digest_a, digest_a},
          {"circuit_b", digest_b, digest_b},
          {"max_exhaustive", random_only(o->p.max_exhaustive_inputs), std::to_string(o->p.max_exhaustive_inputs)},
          {"random_patterns", random_only(o->p.random_patterns), std::to_string(o->p.random_patterns)},
          {"seed", random_only(o->p.seed), std::to_string(o->p.seed)}};
      equiv_result r = dist::equivalent_by_simulation(
          a, b, o->p,
          run_options(o->dist, "tcx equiv", key));
      if (o->json) {
        std::cout << equiv_simulation_json(r, r.exhaustive ? "exhaustive" : auto_sat ? "random after the SAT budget" : "random").dump(2) << "\n";
      } else if (r.verdict == equiv_result::equal) {
        std::cout << "equal (exhaustive: all " << r.patterns_checked << " input patterns)\n";
      } else if (r.verdict == equiv_result::different) {
        std::cout << (auto_sat ? "different (random patterns, after the SAT budget ran out)" : "different") << "\n  inputs    " << bits_text(r.inputs) << "  (input 0 first)\n  outputs A "
                  << bits_text(r.outputs_a) << "\n  outputs B " << bits_text(r.outputs_b) << "\n";
      } else {
        std::cout << "unknown: " << (auto_sat ? "the SAT budget ran out, then " : "") << r.reason << "\n";
      }
      throw Exit{r.verdict == equiv_result::equal ? 0 : r.verdict == equiv_result::different ? 1 : 3};
    });
  }
}

}  // namespace tcx::cli

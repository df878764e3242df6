// Diffusion samplers: tcx diffusion (one size) and tcx diffusion-family (the demonstration).
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>

#include "compilers/family/growth.hpp"
#include "circuits/io/formats.hpp"
#include "cli/common.hpp"
#include "compilers/diffusion/diffusion.hpp"
#include "compilers/diffusion/options.hpp"

namespace tcx::cli {

namespace {

using SamplerOptions = sampler_options;  // compilers/diffusion/options.hpp

void add_sampler_options(CLI::App& cmd, SamplerOptions& o) {
  cmd.add_option("--backbone", o.backbone, "majority, parity, compare (exact-score backbones) or a model .json with one output bit")->required();
  cmd.add_option("--steps", o.steps, "denoising steps T, or auto: the smallest T with c d (ln T)^3 / T < margin / 4 (default auto)");
  cmd.add_option("--margin", o.margin, "accuracy margin for --steps auto (default: the target's, 2 Phi(sqrt(d) center/sigma) - 1)")
      ->check(real_range(0.0, 1.0, true));
  cmd.add_option("--c", o.c, "the constant of the Li-Yan bound c d (ln T)^3 / T (default 0.2)")->check(real_range(0.0, 1e6, true));
  cmd.add_option("--copies", o.copies, "copies K that vote, or auto: Hoeffding with a union bound over all inputs (default auto)");
  cmd.add_option("--error", o.error, "--copies auto: allowed chance that a noise draw fails some input (default 0.5)")
      ->check(real_range(1e-12, 0.999999));
  cmd.add_option("--dim", o.dim, "token dimension d (default 1)")->check(int_range(1, 4096));
  cmd.add_option("--frac", o.frac, "fractional bits p of y, score, noise and constants, or auto: max(5, ceil(log2 T) - 2) (default auto)");
  cmd.add_option("--bits", o.bits, "fixed-point width W (two's complement), or auto: p + 3, the range [-4, 4) (default auto)");
  cmd.add_option("--center", o.center, "token centers at +-center (default 1)")->check(real_range(0.0, 100.0, true));
  cmd.add_option("--sigma", o.sigma, "target standard deviation (default 0.5)")->check(real_range(0.01, 100.0, true));
  cmd.add_option("--noise", o.noise, "seed: noise fixed at compile time (advice); inputs: noise bits as circuit inputs (default seed)")
      ->check(CLI::IsMember({"seed", "inputs"}));
  cmd.add_option("--noise-bits", o.noise_bits, "--noise inputs: bits per Gaussian draw (a centred binomial; default 16)")->check(int_range(1, 64));
  cmd.add_option("--seed", o.seed, "first noise seed (default 1)");
  cmd.add_option("--search-draws", o.search_draws, "advice search: seeds to try before giving up (default 1000)")->check(int_range(1, 1000000));
  cmd.add_option("--exhaustive-bits", o.exhaustive_bits, "check every prefix up to this many prefix bits (default 12)")->check(int_range(0, 30));
  cmd.add_option("--random", o.random, "otherwise check this many seeded random prefixes (default 1000; at most 2^24; 0: no check)")
      ->check(int_range(0, std::int64_t(1) << 24));
}

diffusion_params base_params(const SamplerOptions& o) { return sampler_params(o, "--"); }
diffusion_plan_params plan_options(const SamplerOptions& o) { return sampler_plan(o, "--"); }
diffusion_check_params check_options(const SamplerOptions& o) { return sampler_check(o); }

std::string check_text(const diffusion_run& r) {
  if (!r.built) return "not built (counted: past --max-wires)";
  if (!r.unchecked.empty()) return "not run (" + r.unchecked + ")";
  std::string s = fmt::format("{} {}", r.check.exhaustive ? "all" : "random", r.check.checked);
  s += r.check.reference_mismatches ? fmt::format(", {} DIFFER from the reference", r.check.reference_mismatches) : ", = reference";
  s += r.check.wrong_answers ? fmt::format(", {} wrong answers", r.check.wrong_answers) : ", all right";
  return s;
}

// K and where it came from: Hoeffding (auto), --copies, or a row that fixes it (and why).
std::string copies_text(const diffusion_plan& p, std::uint32_t input_bits, double error) {
  const std::string hoeffding = fmt::format("gamma = margin/4 = {:.4f}, {} input bits, error {}", p.gamma, input_bits, error);
  switch (p.copies_from) {
    case diffusion_plan::CopiesFrom::hoeffding: return fmt::format("K = {} (auto: Hoeffding, {})", p.params.copies, hoeffding);
    case diffusion_plan::CopiesFrom::option:
      return fmt::format("K = {} (given by --copies; Hoeffding would take {}: {})", p.params.copies,
                         p.hoeffding_copies ? fmt::format("K = {}", p.hoeffding_copies) : "more than 10^6 copies", hoeffding);
    case diffusion_plan::CopiesFrom::row: break;
  }
  return fmt::format("K = {} (set by the row in place of --copies {}: {})", p.params.copies,
                     p.copies_option ? std::to_string(*p.copies_option) : "auto", p.copies_why);
}

}  // namespace

void add_diffusion_commands(CLI::App& app) {
  {
    struct Opts {
      SamplerOptions s;
      std::int64_t n = 0;
      OutputOptions out;
      bool json = false, hardwire = false;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("diffusion", "unroll a diffusion sampler with an exact-score backbone into a threshold circuit: "
                                                "T steps, K voting copies; check it against the fixed-point reference sampler");
    add_sampler_options(*cmd, o->s);
    cmd->add_option("--n", o->n, "prefix size n")->required();
    cmd->add_option("-o,--output", o->out.path, "write the circuit (.tc; other formats by extension)");
    cmd->add_flag("--force", o->out.force, "overwrite the output file");
    cmd->add_flag("--hardwire", o->hardwire,
                  "-o writes the circuit with the advice hard-wired (inputs: the prefix only) instead of on advice inputs");
    cmd->add_flag("--json", o->json, "print the report as JSON (with the advice input bits)");
    cmd->preparse_callback([](std::size_t) { error_status = 2; });  // 1 is an answer: a difference found
    cmd->callback([o, cmd] {
      if (cmd->count("--output") && is_stdout_path(o->out.path))
        throw std::invalid_argument("diffusion: -o " + o->out.path + " would mix the circuit with the report on standard output; "
                                    "give -o FILE");
      if (o->hardwire && (is_stdout_path(o->out.path) || o->s.noise != "seed"))
        throw std::invalid_argument(is_stdout_path(o->out.path) ? "diffusion: --hardwire chooses what -o FILE writes; give -o FILE"
                                                                 : "diffusion: --hardwire needs --noise seed (with --noise inputs the "
                                                                   "noise is on input wires, nothing to hard-wire)");
      // Refuse an existing output before the work, not after it.
      refuse_existing_output(o->out);
      const Backbone bb = parse_backbone(o->s.backbone);
      const diffusion_run r = run_diffusion("T*", bb, o->n, base_params(o->s), plan_options(o->s), check_options(o->s), !is_stdout_path(o->out.path));
      if (!is_stdout_path(o->out.path)) {
        std::string format = "tc";
        if (auto f = format_from_path(o->out.path)) format = format_extension(o->out.path);
        diffusion_params wired = r.plan.params;
        wired.advice_inputs = false;
        if (o->hardwire && wired.noise == diffusion_params::Noise::seed) write_output(o->out, render_circuit(compile_diffusion(bb, o->n, wired), format));
        else if (r.circuit) write_output(o->out, render_circuit(*r.circuit, format));
        else throw std::invalid_argument("the circuit is past --max-wires; nothing written");
      }
      const diffusion_plan& p = r.plan;
      if (o->json) {
        nlohmann::json j = to_json(r);
        if (r.plan.params.noise == diffusion_params::Noise::seed) j["advice_bits"] = bits_text(advice_bits(r.plan.params));
        std::cout << j.dump(2) << "\n";
      } else {
        std::cout << fmt::format("diffusion sampler: backbone {}, n = {}, d = {}, format {} bits ({} fractional), noise {}\n",
                                 bb.name, o->n, p.params.dim, p.params.format.bits, p.params.format.frac, o->s.noise);
        std::cout << fmt::format("  target: right answer with probability {:.4f} (margin {:.4f})\n", p.target, p.margin);
        std::cout << fmt::format("  steps: T = {}{}; the bound c d (ln T)^3 / T with c = {} gives T* = {} (bound at T: {:.4f}, margin/4 = {:.4f})\n",
                                 p.params.steps, o->s.steps == "auto" ? " (auto)" : "", o->s.c, p.bound_steps, p.bound_at_steps, p.margin / 4);
        std::cout << fmt::format("  double-precision sampler: right with probability {:.4f} at T; within 0.005 of the target from T = {}\n",
                                 p.accuracy_at_steps, p.empirical_steps ? std::to_string(p.empirical_steps) : "(not by 4096)");
        std::cout << fmt::format("  fixed-point sampler: one copy right in {:.4f} of {} seeded draws\n", p.fixed_accuracy, p.fixed_draws);
        std::cout << "  copies: " << copies_text(p, bb.prefix_bits(o->n), o->s.error) << "\n";
        if (p.advice)
          std::cout << (p.advice->found ? fmt::format("  advice: seed {} after {} draw(s), right on {} {}{} prefixes\n", p.advice->seed,
                                                      p.advice->draws, p.advice->exhaustive ? "all" : "the", p.advice->prefixes,
                                                      p.advice->exhaustive ? "" : " random")
                                        : fmt::format("  advice: no seed right on {} {} prefixes in {} draws\n",
                                                      p.advice->exhaustive ? "all" : "the", p.advice->prefixes, p.advice->draws));
        std::cout << fmt::format("  circuit: depth {}, {} gates, {} wires, {} inputs\n", r.stats.depth, r.stats.gates, r.stats.wires,
                                 r.stats.inputs);
        std::cout << "  check: " << check_text(r) << "\n";
        if (r.wired_stats && !r.wired_unchecked.empty())
          std::cout << fmt::format("  advice hard-wired: depth {}, {} gates; check not run ({})\n", r.wired_stats->depth, r.wired_stats->gates,
                                   r.wired_unchecked);
        else if (r.wired_stats)
          std::cout << fmt::format("  advice hard-wired: depth {}, {} gates; {} {}, {}, {} (the exact score reads the prefix only "
                                   "through the answer, so with constant noise the Builder folds the whole chain)\n",
                                   r.wired_stats->depth, r.wired_stats->gates, r.wired_check.exhaustive ? "all" : "random",
                                   r.wired_check.checked, r.wired_check.reference_mismatches ? "DIFFERS from the reference" : "= reference",
                                   r.wired_check.wrong_answers ? std::to_string(r.wired_check.wrong_answers) + " wrong answers" : "all right");
      }
      if (!r.ok()) throw Exit{1};
    });
  }
  {
    struct Opts {
      SamplerOptions s;
      std::string range, step = "x2", looped;
      bool contrast = false, json = false, quiet = false;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("diffusion-family", "the diffusion theorem made concrete: the unrolled sampler's depth over a range of n "
                                                       "(constant), beside contrasts that grow (T = n, d = ceil(log2 n), a looped backbone)");
    add_sampler_options(*cmd, o->s);
    cmd->add_option("--n", o->range, "sizes A..B")->required();
    cmd->add_option("--step", o->step, "xK multiplies n by K (default x2); +K adds K");
    cmd->add_flag("--contrast", o->contrast, "add the contrast rows: T = n, and d = ceil(log2 n)");
    cmd->add_option("--looped", o->looped, "add contrast rows with this (looped) model .json as the backbone");
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->add_flag("--quiet", o->quiet, "no progress on stderr");
    cmd->preparse_callback([](std::size_t) { error_status = 2; });  // 1 is an answer: a check failed
    cmd->callback([o] {
      const Backbone bb = parse_backbone(o->s.backbone);
      const std::vector<std::int64_t> ns = size_range(o->range, o->step);
      const diffusion_params base = base_params(o->s);
      const diffusion_plan_params pp = plan_options(o->s);
      // Every row is planned before the first one runs, so that one too large (or with no prefix
      // to check its advice on) is refused before minutes of work on the others.
      struct Spec {
        std::string label;
        const Backbone* bb;
        std::int64_t n;
        diffusion_params p;
        diffusion_plan_params pp;
      };
      std::vector<Spec> specs;
      for (std::int64_t n : ns) specs.push_back({"T*", &bb, n, base, pp});
      if (o->contrast) {
        for (std::int64_t n : ns) {
          Spec s{"T = n", &bb, n, base, pp};
          s.pp.steps = static_cast<std::uint32_t>(n);
          specs.push_back(s);
        }
        for (std::int64_t n : ns) {
          Spec s{"d = log2 n", &bb, n, base, pp};
          dim_contrast_row(n, s.p, s.pp);
          specs.push_back(s);
        }
      }
      std::optional<Backbone> lb;
      if (!o->looped.empty()) {
        lb = parse_backbone(o->looped);
        for (std::int64_t n : ns) specs.push_back({"looped", &*lb, n, base, pp});
      }
      for (const Spec& s : specs) plan_choices(*s.bb, s.n, s.p, s.pp);
      std::vector<diffusion_run> rows;
      for (const Spec& s : specs) {
        diffusion_run r = run_diffusion(s.label, *s.bb, s.n, s.p, s.pp, check_options(o->s));
        if (!o->quiet)
          std::cerr << fmt::format("tcx diffusion-family: {} n = {}: depth {}, {} gates ({:.2f} s)\n", r.label, r.n, r.stats.depth,
                                   r.stats.gates, r.seconds);
        rows.push_back(std::move(r));
      }
      // One fit per kind of row.
      std::vector<std::string> labels;
      for (const diffusion_run& r : rows)
        if (std::find(labels.begin(), labels.end(), r.label) == labels.end()) labels.push_back(r.label);
      nlohmann::json fits = nlohmann::json::object();
      std::string verdicts;
      for (const std::string& l : labels) {
        std::vector<growth_point> pts;
        for (const diffusion_run& r : rows)
          if (r.label == l) pts.push_back({r.n, r.stats.depth, r.stats.gates, r.stats.wires});
        const growth_fit f = fit_growth(pts);
        fits[l] = to_json(f);
        verdicts += fmt::format("  {:<11} depth {}{}\n", l + ":", f.depth_kind,
                                f.depth_kind == "constant" ? fmt::format(" ({})", f.constant_depth) : std::string());
      }
      bool ok = true;
      for (const diffusion_run& r : rows) ok = ok && r.ok();
      if (o->json) {
        nlohmann::json j{{"backbone", bb.name}, {"copies", pp.copies ? nlohmann::json(*pp.copies) : nlohmann::json("auto")},
                         {"rows", nlohmann::json::array()}, {"fits", fits}};
        for (const diffusion_run& r : rows) j["rows"].push_back(to_json(r));
        std::cout << j.dump(2) << "\n";
      } else {
        std::cout << fmt::format("diffusion family: backbone {}, format {}, noise {}, c = {}, K {}\n", bb.name,
                                 pp.auto_precision ? std::string("auto (p from T)")
                                                   : fmt::format("{} bits ({} fractional)", base.format.bits, base.format.frac),
                                 o->s.noise, o->s.c, pp.copies ? fmt::format("= {} (--copies)", *pp.copies) : "auto (Hoeffding)");
        std::cout << fmt::format("{:<11} {:>5} {:>3} {:>6} {:>5} {:>3} {:>7} {:>10} {:>6} {:>7} {:>7} {:>7}  {}\n", "sampler", "n", "d", "T", "K",
                                 "p", "depth", "gates", "wired", "double", "fixed", "seconds", "check");
        for (const diffusion_run& r : rows)
          std::cout << fmt::format("{:<11} {:>5} {:>3} {:>6} {:>5} {:>3} {:>7} {:>10} {:>6} {:>7.4f} {:>7.4f} {:>7.2f}  {}\n", r.label, r.n,
                                   r.plan.params.dim, r.plan.params.steps,
                                   fmt::format("{}{}", r.plan.params.copies, r.plan.copies_from == diffusion_plan::CopiesFrom::row ? "*" : ""),
                                   r.plan.params.format.frac, r.stats.depth,
                                   r.stats.gates, r.wired_stats ? std::to_string(r.wired_stats->depth) : "-", r.plan.accuracy_at_steps,
                                   r.plan.fixed_accuracy, r.seconds, check_text(r));
        std::cout << "\nT: steps; K: voting copies; p: fractional bits; depth: the unrolled sampler with its advice on input wires;\n"
                     "wired: its depth with the advice hard-wired (folded); double / fixed: one copy's accuracy in double precision\n"
                     "(exact) and in the fixed-point format (4000 seeded draws); check: the circuit against the reference sampler and the answers.\n";
        // A K the row set, not --copies or Hoeffding: say so, once per row kind.
        std::vector<std::string> overridden;
        for (const diffusion_run& r : rows)
          if (r.plan.copies_from == diffusion_plan::CopiesFrom::row &&
              std::find(overridden.begin(), overridden.end(), r.label) == overridden.end()) {
            overridden.push_back(r.label);
            std::cout << fmt::format("K*: on the {} rows K = {} in place of --copies {}: {}.\n", r.label, r.plan.params.copies,
                                     r.plan.copies_option ? std::to_string(*r.plan.copies_option) : "auto (Hoeffding)", r.plan.copies_why);
          }
        std::cout << "\ndepth over n (fitted; a finite range is evidence, not proof):\n" << verdicts;
        // Past T*, more steps buy depth and no answer: compare T = n rows beyond T* with the T* row.
        for (const diffusion_run& r : rows) {
          if (r.label != "T = n" || r.plan.params.steps <= r.plan.bound_steps || !r.built) continue;
          for (const diffusion_run& s : rows)
            if (s.label == "T*" && s.n == r.n && s.built)
              std::cout << fmt::format("beyond T*: at n = {}, T = {} > T* = {}: depth {} instead of {}; wrong answers on the checked "
                                       "prefixes {} vs {}; double-precision accuracy {:.4f} vs {:.4f}\n",
                                       r.n, r.plan.params.steps, s.plan.params.steps, r.stats.depth, s.stats.depth,
                                       r.check.wrong_answers, s.check.wrong_answers, r.plan.accuracy_at_steps, s.plan.accuracy_at_steps);
        }
      }
      if (!ok) throw Exit{1};
    });
  }
}

}  // namespace tcx::cli

#include "dist/synth_run.hpp"

#include <stdexcept>

#include "dist/runner.hpp"
#include "dist/work.hpp"

namespace tcx::dist {

std::vector<key_field> with_care(std::vector<key_field> key, const std::string& care) {
  key.push_back({"care", care, care != "all" ? std::optional<std::string>("care " + care) : std::nullopt});
  return key;
}

namespace {

run_options units_of(const synth_run_params& r, const std::vector<key_field>& key) {
  run_options o;
  o.state = r.state;
  o.label = r.label;
  o.key = named_key(key);
  o.state.earlier_keys.push_back(word_key(key));
  return o;
}

// The weights method's cube question: the function's digest, the shape, every option that changes
// a cube; the budgets only in the word key of earlier tcx (a cube left unknown is asked again on
// resume, with the budget given then).
std::vector<key_field> weights_cubes_key(const multi_truth_table& truth, const synth_params& p, const synth_run_params& r,
                                         std::uint32_t cubes) {
  std::string table_text;
  for (const truth_table& t : truth) {  // one byte 0/1 per row: the key of state files written before truth_table
    for (std::uint64_t q = 0; q < t.num_bits(); ++q) table_text += static_cast<char>(get_bit(t, q));
    table_text += '|';
  }
  auto budget = [](std::string word) { return key_field{"", nullptr, std::move(word)}; };
  const std::string function = text_digest(table_text);
  const bool no_symmetry = !p.symmetry_breaking;
  return with_care({{"function", function, function},
                    {"widths", r.widths_text, r.widths_text},
                    {"skip", p.shape.skip, std::to_string(p.shape.skip)},
                    {"max_fanin", p.shape.max_fanin, std::to_string(p.shape.max_fanin)},
                    {"max_weight", p.shape.max_weight, std::to_string(p.shape.max_weight)},
                    {"no_symmetry", no_symmetry, std::to_string(no_symmetry)},
                    budget(std::to_string(p.time_limit_s)),
                    budget(std::to_string(p.conflicts)),
                    {"seed", p.seed, std::to_string(p.seed)},
                    {"cubes", cubes, std::to_string(cubes)}},
                   r.care);
}

}  // namespace

synth_result synthesize_run(std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p, const synth_run_params& r) {
  const bool has_state = !r.state.path.empty();
  const bool cubes_given = r.cubes.has_value();
  if (p.method == synth_method::descent && cubes_given && *r.cubes)
    throw std::invalid_argument("synth: --cubes splits a SAT question; not for --method descent");
  if (has_state && p.method == synth_method::descent)
    throw std::invalid_argument("synth: --state records the cubes of a SAT question; not for --method descent");
  // tt's own cubes (--tt-cubes) as units: with a state file, or spread over mpirun's ranks. Each
  // is then asked alone, with the time limit per cube. Certified under mpirun only with a state
  // file: a question whose solver adds symmetry clauses with later patterns is certified whole
  // (on rank 0), never cube by cube.
  const synth_shape& s = p.shape;
  const bool tt_method = p.method == synth_method::tt || (p.method == synth_method::automatic && !s.max_weight && !s.max_fanin &&
                                                          !s.majority_of && !(p.descent.time_limit_s > 0));
  if (tt_method && !cubes_given && (has_state || (size() > 1 && !p.proof.wanted()))) {
    if (!p.proof.file.empty() || !p.proof.dir.empty())
      throw std::invalid_argument("synth: with --state, or under mpirun, tt's cubes are separate units and keep no proof files; "
                                  "--certify checks each cube's proof (--proof and --proof-dir: one process, without --state)");
    synth_params tp = p;
    tp.method = synth_method::tt;
    return synthesize_tt_by_cubes(inputs, truth, tp, r.threads, units_of(r, {}));
  }
  // The weights method's cubes fix weight signs. Under mpirun the default splits only a question
  // that method answers anyway (--method weights, or auto with a weight or fan-in bound).
  const bool weights_method = p.method == synth_method::weights || (p.method == synth_method::automatic && (s.max_weight || s.max_fanin));
  const std::uint32_t cubes = cubes_given ? *r.cubes : s.majority_of || !weights_method ? 0 : default_cube_depth(inputs);
  // Each cube is a CNF of its own and no proof joins them (tt's cubes are joined: --tt-cubes).
  if (cubes && p.proof.wanted())
    throw std::invalid_argument("synth: --cubes (or mpirun's default cubes for the weights method) with --certify, --proof or "
                                "--proof-dir: the cubes' proofs are not joined into one; use --method tt (its --tt-cubes are), "
                                "or --cubes 0");
  if (has_state && !cubes)
    throw std::invalid_argument("synth: --state records cubes: tt's (--method tt) or the weights method's (--cubes K)");
  if (!cubes) return synthesize(inputs, truth, p);
  return synthesize_by_cubes(inputs, truth, p, cubes, units_of(r, weights_cubes_key(truth, p, r, cubes)));
}

}  // namespace tcx::dist

#include "provers/equiv.hpp"

#include <stdexcept>

#include "circuits/evaluate.hpp"

namespace tcx {

Cnf miter_cnf(const Circuit& a, const Circuit& b, const encode_params& p, circuit_cnf* ca, circuit_cnf* cb,
              encode_stats* stats) {
  if (a.num_inputs() != b.num_inputs() || a.num_outputs() != b.num_outputs())
    throw std::invalid_argument("the circuits differ in their numbers of inputs or outputs");
  Cnf cnf;
  circuit_cnf ea = encode_circuit(cnf, a, {}, p, stats);
  circuit_cnf eb = encode_circuit(cnf, b, ea.inputs, p, stats);
  std::vector<CnfLit> some_differs;
  for (std::size_t k = 0; k < ea.outputs.size(); ++k) some_differs.push_back(cnf.define_xor(ea.outputs[k], eb.outputs[k]));
  cnf.add(some_differs);  // an empty clause when there are no outputs: equal, trivially
  if (ca) *ca = std::move(ea);
  if (cb) *cb = std::move(eb);
  return cnf;
}

sat_equiv_result equivalent_by_sat(const Circuit& a, const Circuit& b, const sat_equiv_params& p) {
  sat_equiv_result r;
  circuit_cnf ca, cb;
  const Cnf cnf = miter_cnf(a, b, p.encoding, &ca, &cb, &r.encoded);
  r.vars = cnf.num_vars();
  r.clauses = cnf.num_clauses();
  const sat_result s = solve_cnf(cnf, p.sat);
  r.seconds = s.seconds;
  if (s.answer == sat_result::unsat) {
    r.verdict = sat_equiv_result::equal;
  } else if (s.answer == sat_result::sat) {
    for (CnfLit l : ca.inputs) r.inputs.push_back(s.value(l) ? 1 : 0);
    r.outputs_a = evaluate(a, r.inputs);
    r.outputs_b = evaluate(b, r.inputs);
    if (r.outputs_a == r.outputs_b)
      throw std::logic_error("internal error: the SAT model is not a counterexample when simulated (an encoding bug)");
    r.verdict = sat_equiv_result::different;
  }
  return r;
}

}  // namespace tcx

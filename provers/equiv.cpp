#include "provers/equiv.hpp"

#include <chrono>
#include <stdexcept>

#include "circuits/builder.hpp"
#include "circuits/evaluate.hpp"
#include "circuits/passes.hpp"

namespace tcx {

Cnf miter_cnf(const Circuit& a, const Circuit& b, const encode_params& p, circuit_cnf* ca, circuit_cnf* cb,
              encode_stats* stats) {
  if (a.num_inputs() != b.num_inputs() || a.num_outputs() != b.num_outputs())
    throw std::invalid_argument("the circuits differ in their numbers of inputs or outputs");
  // Both circuits in one Builder over the same inputs first: structural hashing merges the gates
  // they share, so identical parts cost the solver nothing. An output pair that becomes one
  // literal is equal without search, and only the other pairs' cones are encoded (a circuit
  // checked against itself is no CNF at all, not millions of clauses).
  joined_circuits joint = join_circuits(a, b);
  const std::vector<Lit>&oa = joint.a_outputs, &ob = joint.b_outputs;
  for (std::size_t k = 0; k < oa.size(); ++k)
    if (oa[k] != ob[k]) {
      joint.builder.add_output(oa[k]);
      joint.builder.add_output(ob[k]);
    }
  const Circuit both = remove_unreachable(std::move(joint.builder).build());
  Cnf cnf;
  const circuit_cnf e = encode_circuit(cnf, both, {}, p, stats);
  std::vector<CnfLit> some_differs;
  circuit_cnf ea{e.inputs, {}}, eb{e.inputs, {}};
  for (std::size_t k = 0; 2 * k < e.outputs.size(); ++k) {
    ea.outputs.push_back(e.outputs[2 * k]);
    eb.outputs.push_back(e.outputs[2 * k + 1]);
    some_differs.push_back(cnf.define_xor(e.outputs[2 * k], e.outputs[2 * k + 1]));
  }
  cnf.add(some_differs);  // empty when every pair merged (or there are no outputs): equal, trivially
  if (ca) *ca = std::move(ea);
  if (cb) *cb = std::move(eb);
  return cnf;
}

sat_equiv_result equivalent_by_sat(const Circuit& a, const Circuit& b, const sat_equiv_params& p) {
  sat_equiv_result r;
  circuit_cnf ca, cb;
  // The budget covers the encoding too: what it takes is not the solver's.
  const auto start = std::chrono::steady_clock::now();
  auto spent = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  encode_params ep = p.encoding;
  ep.time_limit_s = p.sat.time_limit_s;
  Cnf cnf;
  try {
    cnf = miter_cnf(a, b, ep, &ca, &cb, &r.encoded);
  } catch (const BudgetExceeded&) {
    r.seconds = spent();
    r.encoding_cut = true;
    return r;  // unknown
  }
  r.vars = cnf.num_vars();
  r.clauses = cnf.num_clauses();
  sat_params sp = p.sat;
  if (sp.query.empty()) sp.query = p.query;
  if (sp.time_limit_s > 0) {
    if (spent() >= sp.time_limit_s) {
      r.seconds = spent();
      r.encoding_cut = true;
      return r;
    }
    sp.time_limit_s -= spent();
  }
  sat_result s;
  if (p.proof.wanted()) {
    r.proof = prove_unsat(cnf, p.query, p.proof, sp, &s);
    r.has_proof = s.answer == sat_result::unsat;
  } else {
    s = solve_cnf(cnf, sp);
  }
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

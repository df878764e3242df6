#include "provers/cnf.hpp"

namespace tcx {

namespace {
bool is_const(CnfLit a) { return a == Cnf::true_lit() || a == Cnf::false_lit(); }
}  // namespace

CnfLit Cnf::define_and(CnfLit a, CnfLit b) {
  if (a == false_lit() || b == false_lit() || a == -b) return false_lit();
  if (a == true_lit()) return b;
  if (b == true_lit() || a == b) return a;
  const CnfLit y = new_var();
  add({-y, a});
  add({-y, b});
  add({y, -a, -b});
  return y;
}

CnfLit Cnf::define_xor(CnfLit a, CnfLit b) {
  if (is_const(a)) return a == true_lit() ? -b : b;
  if (is_const(b)) return b == true_lit() ? -a : a;
  if (a == b) return false_lit();
  if (a == -b) return true_lit();
  const CnfLit y = new_var();
  add({-y, a, b});
  add({-y, -a, -b});
  add({y, -a, b});
  add({y, a, -b});
  return y;
}

CnfLit Cnf::define_ite(CnfLit c, CnfLit t, CnfLit e) {
  if (c == true_lit()) return t;
  if (c == false_lit()) return e;
  if (t == e) return t;
  if (t == true_lit()) return define_or(c, e);
  if (t == false_lit()) return define_and(-c, e);
  if (e == true_lit()) return define_or(-c, t);
  if (e == false_lit()) return define_and(c, t);
  const CnfLit y = new_var();
  add({-c, -t, y});
  add({-c, t, -y});
  add({c, -e, y});
  add({c, e, -y});
  add({-t, -e, y});  // redundant, but they let unit propagation see through c
  add({t, e, -y});
  return y;
}

CnfLit Cnf::define_majority(CnfLit a, CnfLit b, CnfLit c) {
  if (is_const(a)) return a == true_lit() ? define_or(b, c) : define_and(b, c);
  if (is_const(b)) return b == true_lit() ? define_or(a, c) : define_and(a, c);
  if (is_const(c)) return c == true_lit() ? define_or(a, b) : define_and(a, b);
  const CnfLit y = new_var();
  add({-a, -b, y});
  add({-a, -c, y});
  add({-b, -c, y});
  add({a, b, -y});
  add({a, c, -y});
  add({b, c, -y});
  return y;
}

CnfLit Cnf::define_xor3(CnfLit a, CnfLit b, CnfLit c) { return define_xor(define_xor(a, b), c); }

void write_dimacs(std::ostream& out, const Cnf& cnf, const std::vector<std::string>& comments) {
  for (const std::string& c : comments) out << "c " << c << "\n";
  out << "p cnf " << cnf.num_vars() << " " << cnf.num_clauses() << "\n";
  bool start = true;
  for (CnfLit l : cnf.literals()) {
    if (!start) out << ' ';
    out << l;
    start = l == 0;
    if (start) out << '\n';
  }
}

}  // namespace tcx

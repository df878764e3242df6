#include "provers/cnf.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "circuits/bits.hpp"
#include "circuits/builder.hpp"

namespace tcx {

Cnf::Cnf() : max_literals_(default_builder_params().max_wires / 2) { add({true_lit()}); }

void Cnf::too_large() const {
  throw std::length_error("the CNF would exceed the memory bound of " + std::to_string(default_builder_params().max_wires) +
                          " (tcx --max-wires, units of 8 bytes; a literal takes 16 with the solver's copy) at " +
                          std::to_string(lits_.size()) + " literals");
}

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

CnfLit Cnf::define_or_all(std::span<const CnfLit> x) {
  std::vector<CnfLit> live;
  for (CnfLit l : x) {
    if (l == true_lit()) return true_lit();
    if (l != false_lit()) live.push_back(l);
  }
  if (live.empty()) return false_lit();
  if (live.size() == 1) return live[0];
  const CnfLit y = new_var();
  for (CnfLit l : live) add({-l, y});
  live.push_back(-y);
  add(live);
  return y;
}

CnfLit Cnf::define_xor3(CnfLit a, CnfLit b, CnfLit c) { return define_xor(define_xor(a, b), c); }

std::vector<CnfLit> sum_columns(Cnf& cnf, std::vector<std::vector<CnfLit>> cols) {
  std::size_t most = 0;
  for (const auto& c : cols) most = std::max(most, c.size());
  const std::size_t extra = bits_for_value(most);  // carries reach at most log2(most) + 1 columns further
  cols.resize(cols.size() + extra + 1);
  std::vector<CnfLit> sum;
  for (std::size_t b = 0; b + 1 < cols.size(); ++b) {
    std::vector<CnfLit>& col = cols[b];
    std::size_t k = 0;  // take three (or two), put the sum back, carry to the next column
    while (col.size() - k > 1) {
      const CnfLit a = col[k], c1 = col[k + 1];
      if (col.size() - k >= 3) {
        const CnfLit c2 = col[k + 2];
        col.push_back(cnf.define_xor3(a, c1, c2));
        cols[b + 1].push_back(cnf.define_majority(a, c1, c2));
        k += 3;
      } else {
        col.push_back(cnf.define_xor(a, c1));
        cols[b + 1].push_back(cnf.define_and(a, c1));
        k += 2;
      }
    }
    sum.push_back(col.size() > k ? col[k] : Cnf::false_lit());
  }
  while (!sum.empty() && sum.back() == Cnf::false_lit()) sum.pop_back();
  return sum;
}

CnfLit ge_words(Cnf& cnf, std::span<const CnfLit> a, std::span<const CnfLit> b) {
  // From the low bit up: ge_i = (a_i and not b_i) or ((a_i == b_i) and ge_(i-1)); ge_(-1) = true.
  CnfLit ge = Cnf::true_lit();
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const CnfLit x = i < a.size() ? a[i] : Cnf::false_lit(), y = i < b.size() ? b[i] : Cnf::false_lit();
    ge = cnf.define_ite(cnf.define_xor(x, y), x, ge);  // where they differ, a's bit decides
  }
  return ge;
}

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

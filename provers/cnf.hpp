#pragma once
// A CNF formula built by tcx's own encoders, kept flat: clauses are runs of DIMACS literals
// (+v or -v, v >= 1) each ended by 0, so writing DIMACS is a copy and a solver reads it in one pass.
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace tcx {

using CnfLit = std::int32_t;

class Cnf {
public:
  // Variable 1 is the constant true (one unit clause), so encoders can name constants.
  Cnf();  // out of line: GCC 12 warns falsely about the inlined first insert
  static constexpr CnfLit true_lit() { return 1; }
  static constexpr CnfLit false_lit() { return -1; }

  CnfLit new_var() { return static_cast<CnfLit>(++vars_); }
  std::uint32_t num_vars() const { return vars_; }
  std::uint64_t num_clauses() const { return clauses_; }
  const std::vector<CnfLit>& literals() const { return lits_; }  // 0-terminated clauses

  void add(std::initializer_list<CnfLit> clause) { add(std::span<const CnfLit>(clause.begin(), clause.size())); }
  void add(std::span<const CnfLit> clause) {
    if (lits_.size() + clause.size() >= max_literals_) too_large();
    lits_.insert(lits_.end(), clause.begin(), clause.end());
    lits_.push_back(0);
    ++clauses_;
  }

  // Tseitin definitions: the new literal equals the function of its arguments.
  CnfLit define_and(CnfLit a, CnfLit b);
  CnfLit define_or(CnfLit a, CnfLit b) { return -define_and(-a, -b); }
  CnfLit define_xor(CnfLit a, CnfLit b);
  CnfLit define_ite(CnfLit c, CnfLit t, CnfLit e);   // c ? t : e
  CnfLit define_majority(CnfLit a, CnfLit b, CnfLit c);
  CnfLit define_or_all(std::span<const CnfLit> x);  // one variable, clauses linear in |x|
  CnfLit define_xor3(CnfLit a, CnfLit b, CnfLit c);

private:
  // The memory bound (tcx --max-wires, units of 8 bytes) counts a literal as 16 bytes: its 4 here
  // and a solver's copy with its watches. Past it, std::length_error, as for a circuit.
  [[noreturn]] void too_large() const;
  std::uint64_t max_literals_;
  std::uint32_t vars_ = 1;
  std::uint64_t clauses_ = 0;
  std::vector<CnfLit> lits_;
};

// Binary arithmetic over literals (LSB first), for the adder encoding and synthesis.
// The sum of columns of bits (column b has weight 2^b), by full and half adders.
std::vector<CnfLit> sum_columns(Cnf& cnf, std::vector<std::vector<CnfLit>> columns);
// [a >= b] for two unsigned words (the shorter one zero-extended).
CnfLit ge_words(Cnf& cnf, std::span<const CnfLit> a, std::span<const CnfLit> b);

// DIMACS CNF ("p cnf V C" and the clauses), each comment line prefixed with "c ".
void write_dimacs(std::ostream& out, const Cnf& cnf, const std::vector<std::string>& comments = {});

}  // namespace tcx

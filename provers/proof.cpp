#include "provers/proof.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "circuits/io/file.hpp"
#include "provers/drat/drat.hpp"

namespace tcx {

namespace fs = std::filesystem;

std::string proof_file_stem(const std::string& query) {
  std::string s = query.empty() ? std::string("query") : query;
  for (char& ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '_' && ch != '-') ch = '_';
  return s;
}

namespace {

// Whether unit propagation over `clauses` from the branch's literals meets a falsified clause.
bool propagation_refutes(const Cnf& clauses, const std::vector<CnfLit>& branch) {
  std::size_t top = 0;
  for (CnfLit l : clauses.literals()) top = std::max<std::size_t>(top, std::size_t(std::abs(l)));
  for (CnfLit l : branch) top = std::max<std::size_t>(top, std::size_t(std::abs(l)));
  std::vector<std::int8_t> val(top + 1, 0);
  auto value = [&](CnfLit l) { const std::int8_t v = val[std::size_t(std::abs(l))]; return l > 0 ? v : std::int8_t(-v); };
  for (CnfLit l : branch) {
    if (value(l) < 0) return true;
    val[std::size_t(std::abs(l))] = l > 0 ? 1 : -1;
  }
  const std::vector<CnfLit>& lits = clauses.literals();
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t b = 0, e = 0; e < lits.size(); ++e) {
      if (lits[e] != 0) continue;
      CnfLit open = 0;
      int unknown = 0;
      bool satisfied = false;
      for (std::size_t j = b; j < e && !satisfied; ++j) {
        const std::int8_t v = value(lits[j]);
        satisfied = v > 0;
        if (v == 0) ++unknown, open = lits[j];
      }
      b = e + 1;
      if (satisfied || unknown > 1) continue;
      if (unknown == 0) return true;
      val[std::size_t(std::abs(open))] = open > 0 ? 1 : -1;
      changed = true;
    }
  }
  return false;
}

// The cubes left on one branch (every literal of the branch dropped from them, the cubes it
// falsifies gone): settled when one cube is empty, uncovered when none is left. Otherwise split
// on a variable of the first cube; both halves settled, "not this branch" is RUP from theirs.
// With `cover` (clauses of the CNF) a branch no cube is left on is settled when unit propagation
// over them refutes it ("not this branch" is then RUP from the CNF itself), else split further
// on the cubes' variables it leaves open.
bool cover_rest(const std::vector<std::vector<CnfLit>>& cubes, std::vector<CnfLit>& branch, std::string* why,
                std::vector<std::vector<CnfLit>>* joins, const Cnf* cover, const std::vector<CnfLit>& vars) {
  auto join = [&] {
    if (!joins) return;
    std::vector<CnfLit> no;
    for (CnfLit l : branch) no.push_back(-l);
    joins->push_back(std::move(no));
  };
  for (const auto& c : cubes)
    if (c.empty()) return true;
  CnfLit v = 0;  // the variable to split on
  if (!cubes.empty()) {
    v = std::abs(cubes.front().front());
  } else if (cover) {
    if (propagation_refutes(*cover, branch)) {
      join();
      return true;
    }
    for (CnfLit x : vars)
      if (!v && std::find(branch.begin(), branch.end(), x) == branch.end() && std::find(branch.begin(), branch.end(), -x) == branch.end())
        v = x;
  }
  if (!v) {
    if (why) {
      *why = "no cube holds under";
      for (CnfLit l : branch) *why += " " + std::to_string(l);
    }
    return false;
  }
  for (const CnfLit l : {v, -v}) {
    std::vector<std::vector<CnfLit>> rest;
    for (const auto& c : cubes) {
      if (std::find(c.begin(), c.end(), -l) != c.end()) continue;
      std::vector<CnfLit> d;
      for (CnfLit x : c)
        if (x != l) d.push_back(x);
      rest.push_back(std::move(d));
    }
    branch.push_back(l);
    const bool ok = cover_rest(rest, branch, why, joins, cover, vars);
    branch.pop_back();
    if (!ok) return false;
  }
  join();
  return true;
}

void refuse_existing(const std::string& path, bool force) {
  if (!force && fs::exists(path)) throw std::invalid_argument(path + " exists (use --force to replace it)");
  if (is_input_file(path)) throw std::invalid_argument(path + " is an input of this command; not replaced, even with --force");
}

}  // namespace

bool cubes_cover(const std::vector<std::vector<CnfLit>>& cubes, std::string* why, std::vector<std::vector<CnfLit>>* joins,
                 const Cnf* cover) {
  std::vector<CnfLit> vars;  // every variable of the cubes, in first-seen order
  for (const auto& c : cubes)
    for (CnfLit l : c) {
      if (l == 0) throw std::invalid_argument("cubes: a literal 0");
      if (cover && std::find(vars.begin(), vars.end(), std::abs(l)) == vars.end()) vars.push_back(std::abs(l));
    }
  std::vector<CnfLit> branch;
  if (joins) joins->clear();
  return cover_rest(cubes, branch, why, joins, cover, vars);
}

proof_record prove_unsat(const Cnf& cnf, const std::string& query, const proof_params& pp, const sat_params& sp,
                         sat_result* result, const std::vector<std::vector<CnfLit>>& cubes, const Cnf* cover) {
  // "Unsat in every cube" is unsat only if the cubes leave no assignment out: checked on the list
  // itself, whatever split the caller meant to make (and again by the checker, through the joins).
  std::vector<std::vector<CnfLit>> joins;
  if (!cubes.empty()) {
    for (const auto& c : cubes)
      for (CnfLit l : c)
        if (l == 0 || static_cast<std::uint32_t>(std::abs(l)) > cnf.num_vars())
          throw certification_error("internal error: " + query + ": a cube literal is not a variable of the CNF");
    std::string gap;
    if (!cubes_cover(cubes, &gap, &joins, cover))
      throw certification_error("internal error: " + query + ": the cubes do not cover every assignment (" + gap + ")");
  }
  proof_record rec;
  rec.query = query;
  std::string temp_dir;
  if (!pp.file.empty()) {
    rec.drat_path = pp.file;
    rec.cnf_path = pp.file + ".cnf";
  } else {
    std::string dir = pp.dir;
    if (dir.empty()) {
      // Only --certify: temporary files, removed once checked.
      std::string tmpl = (fs::temp_directory_path() / "tcx-proof-XXXXXX").string();
      if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot make a temporary directory for a proof");
      dir = temp_dir = tmpl;
    } else {
      std::error_code ec;  // portfolio threads may race to make it: only its absence afterwards is an error
      fs::create_directories(dir, ec);
      if (!fs::is_directory(dir))
        throw std::runtime_error("cannot make the proof directory " + dir + (ec ? ": " + ec.message() : std::string()));
    }
    const std::string stem = (fs::path(dir) / proof_file_stem(query)).string();
    rec.drat_path = stem + ".drat";
    rec.cnf_path = stem + ".cnf";
  }
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      if (!dir.empty()) fs::remove_all(dir, ec);
    }
  } cleanup{temp_dir};
  refuse_existing(rec.drat_path, pp.force);
  refuse_existing(rec.cnf_path, pp.force);
  {
    std::ofstream out(rec.cnf_path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + rec.cnf_path);
    write_dimacs(out, cnf, {"tcx: " + query + " (unsatisfiable: the claim; " + rec.drat_path + " is its DRAT proof)"});
    if (!out) throw std::runtime_error("cannot write " + rec.cnf_path);
  }
  sat_params traced = sp;
  traced.drat_path = rec.drat_path;
  traced.drat_binary = pp.binary;
  traced.query = query;
  const sat_result s = cubes.empty() ? solve_cnf(cnf, traced) : solve_cubes_traced(cnf, cubes, joins, traced);
  if (result) *result = s;
  rec.solve_seconds = s.seconds;
  std::error_code ec;
  rec.proof_bytes = fs::file_size(rec.drat_path, ec);
  if (s.answer != sat_result::unsat) {
    // No claim to certify: leave no proof file behind that could be mistaken for one.
    fs::remove(rec.cnf_path, ec);
    fs::remove(rec.drat_path, ec);
    rec.cnf_path.clear();
    rec.drat_path.clear();
    rec.proof_bytes = 0;
    rec.message = s.answer == sat_result::sat ? "satisfiable: no proof" : "no proof: CaDiCaL did not finish within the budget";
  } else {
    rec.unsat = true;
    rec.message = "proof written, not checked";
  }
  if (rec.unsat && pp.certify) {
    drat::check_params cp;
    cp.time_limit_s = pp.check_time_limit_s;
    const drat::check_result c = drat::check_files(rec.cnf_path, rec.drat_path, cp);
    rec.checked = true;
    rec.check_seconds = c.parse_seconds + c.check_seconds;
    rec.lemmas = c.lemmas;
    rec.core_lemmas = c.core_lemmas;
    rec.verified = c.verdict == drat::check_result::verified;
    rec.message = rec.verified ? "certified: the DRAT proof was verified by tcx's checker" : c.message;
    if (c.verdict == drat::check_result::rejected || c.verdict == drat::check_result::error)
      throw certification_error("internal error: the proof of " + query + " was rejected by the checker: " + c.message);
  }
  if (!temp_dir.empty()) rec.cnf_path.clear(), rec.drat_path.clear();
  return rec;
}

}  // namespace tcx

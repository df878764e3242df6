#include "provers/proof.hpp"

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

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

void refuse_existing(const std::string& path, bool force) {
  if (!force && fs::exists(path)) throw std::invalid_argument(path + " exists (use --force to replace it)");
}

}  // namespace

proof_record prove_unsat(const Cnf& cnf, const std::string& query, const proof_params& pp, const sat_params& sp,
                         sat_result* result) {
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
  const sat_result s = solve_cnf(cnf, traced);
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

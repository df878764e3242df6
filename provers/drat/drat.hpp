#pragma once
// An independent DRAT proof checker. It shares no code with tcx's encoders or solver glue (this
// folder links nothing of tcx), so a certified answer does not rest on the code that produced it.
//
// Input: a CNF in DIMACS and a DRAT proof, text ("1 -2 0", "d 1 -2 0") or binary ('a'/'d' then
// variable-length literals 2v+sign, 0 ends a clause), detected automatically: a proof is binary
// when its first byte is 'a', or a NUL byte appears in its first 64 KiB (text never has one).
//
// Method (as drat-trim): a forward pass adds lemmas and applies deletions, propagating units at
// the root, until the root propagation conflicts (or an empty lemma is met); then a backward pass
// checks, newest first, only the lemmas the final conflict depends on (the core), each against
// the clauses present when it was added: RUP (its negation propagates to a conflict, core clauses
// first) or else RAT on its first literal. Deletions of unit clauses and of clauses that are the
// reason of a root-level assignment are ignored (as drat-trim does): keeping a clause only makes
// the checked formula stronger, so the verdict stays sound.
#include <cstdint>
#include <string>
#include <string_view>

namespace tcx::drat {

struct check_params {
  double time_limit_s = 0;                        // 0: none; else the verdict is timeout when it runs out
  std::uint64_t max_literals = std::uint64_t(1) << 30;  // literals stored (CNF + proof): 4 GiB of arena
  std::uint32_t max_var = std::uint32_t(1) << 26;       // largest variable index accepted
};

struct check_result {
  enum Verdict { verified, rejected, error, timeout } verdict = error;
  std::string message;              // rejected: the failing lemma and why; error: file:line:col: what
  // rejected: the first failing lemma (1-based among the proof's additions) and where it starts:
  // the line (text proof) or byte offset (binary proof).
  std::uint64_t lemma = 0, where = 0;
  bool binary = false;
  std::uint32_t vars = 0;
  std::uint64_t clauses = 0;        // of the CNF
  std::uint64_t lemmas = 0, deletions = 0;   // read from the proof (up to the conflict)
  std::uint64_t core_lemmas = 0, rat_lemmas = 0;  // checked (the core), of which by RAT
  std::uint64_t ignored_deletions = 0;       // of unit or reason clauses, or of clauses not present
  std::uint64_t proof_bytes = 0;
  double parse_seconds = 0, check_seconds = 0;
};

// The texts as read from files; the names are used in error messages.
check_result check(std::string_view cnf, std::string_view proof, const check_params& p = {},
                   const std::string& cnf_name = "cnf", const std::string& proof_name = "proof");
// Reads both files (an unreadable file is an error result, never an exception).
check_result check_files(const std::string& cnf_path, const std::string& proof_path, const check_params& p = {});

}  // namespace tcx::drat

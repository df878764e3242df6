#include "drat.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string_view>
#include <limits>
#include <vector>

namespace tcx::drat {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

struct ParseFailure {
  std::string message;
};

// A literal's index into per-literal arrays: 2v for v, 2v+1 for -v.
inline std::uint32_t code(std::int32_t l) { return l > 0 ? 2u * std::uint32_t(l) : 2u * std::uint32_t(-l) + 1u; }
inline std::uint32_t var_of(std::int32_t l) { return l > 0 ? std::uint32_t(l) : std::uint32_t(-l); }

// One proof step: a lemma added, or a deletion of an earlier clause (resolved when read).
struct Step {
  std::uint32_t clause;
  bool deletion;
  std::uint64_t where;  // line (text) or byte offset (binary)
};

struct Watch {
  std::uint32_t clause;
  std::int32_t blocker;  // a literal of the clause: true means the clause needs no visit
};

enum : std::uint8_t { f_active = 1, f_core = 2, f_lemma = 4 };

class Checker {
public:
  explicit Checker(const check_params& p) : params_(p) {}

  // ---- reading -------------------------------------------------------------------------------
  void read_cnf(std::string_view text, const std::string& name);
  void read_proof(std::string_view bytes, const std::string& name);
  check_result run();

  check_result result;

private:
  const check_params& params_;
  // Clauses: literals in one arena, per-clause data in parallel arrays (no per-clause objects).
  std::vector<std::int32_t> arena_;
  std::vector<std::uint64_t> start_;
  std::vector<std::uint32_t> size_, hash_, next_;
  std::vector<std::uint8_t> flags_;
  std::vector<std::uint32_t> buckets_;  // hash chains of active clauses, for matching deletions
  std::uint64_t live_ = 0;
  std::vector<std::uint8_t> mark_;      // per literal, scratch
  std::uint32_t max_var_ = 0, cnf_clauses_ = 0;
  std::vector<Step> steps_;
  bool cnf_has_empty_ = false;
  bool proof_has_empty_ = false;

  // Assignment: val_ per literal (1 true, -1 false, 0 unassigned), a trail, reasons per variable.
  std::vector<std::int8_t> val_;
  std::vector<std::uint32_t> reason_;
  std::vector<std::int32_t> trail_;
  std::size_t head_core_ = 0, head_all_ = 0;
  std::vector<std::vector<Watch>> watches_;
  std::vector<std::uint32_t> units_;    // clauses of size 1
  std::vector<std::uint8_t> seen_;      // per variable, scratch of the analysis
  std::uint32_t root_conflict_ = none;
  Clock::time_point t0_;

  std::int32_t* lits(std::uint32_t c) { return arena_.data() + start_[c]; }
  std::uint32_t add_clause(const std::vector<std::int32_t>& lits, bool lemma);
  std::uint32_t find_and_unlink(const std::vector<std::int32_t>& lits);
  void link(std::uint32_t c);
  void grow_vars(std::uint32_t v);

  std::int8_t value(std::int32_t l) const { return val_[code(l)]; }
  void assign(std::int32_t l, std::uint32_t reason) {
    val_[code(l)] = 1;
    val_[code(-l)] = -1;
    reason_[var_of(l)] = reason;
    trail_.push_back(l);
  }
  void backtrack(std::size_t to) {
    while (trail_.size() > to) {
      const std::int32_t l = trail_.back();
      trail_.pop_back();
      val_[code(l)] = val_[code(-l)] = 0;
      reason_[var_of(l)] = none;
    }
    head_core_ = std::min(head_core_, to);
    head_all_ = std::min(head_all_, to);
  }
  std::uint32_t visit(std::int32_t false_lit, bool core);
  std::uint32_t propagate();
  void watch(std::uint32_t c);
  void unwatch(std::uint32_t c);
  std::uint32_t attach(std::uint32_t c);  // at the root; returns a conflict clause or none
  std::uint32_t rebuild();
  void analyze(std::uint32_t conflict, std::int32_t implied = 0);
  bool rup(std::uint32_t c, std::uint32_t candidate, std::int32_t pivot, bool& tautology);
  bool check_lemma(std::uint32_t c);
  bool out_of_time() const {
    return params_.time_limit_s > 0 && std::chrono::duration<double>(Clock::now() - t0_).count() > params_.time_limit_s;
  }
};

std::uint32_t clause_hash(const std::int32_t* lits, std::size_t n) {
  // Order-independent: a sum, a product and an xor of per-literal mixes.
  std::uint32_t sum = 0, prod = 1, x = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::int32_t l = lits[k];
    std::uint32_t h = code(l) * 0x9E3779B1u;
    h ^= h >> 15;
    sum += h;
    prod *= (h | 1u);
    x ^= h * 0x85EBCA77u;
  }
  return sum ^ (prod * 0xC2B2AE3Du) ^ x;
}

void Checker::grow_vars(std::uint32_t v) {
  if (v <= max_var_) return;
  max_var_ = v;
  if (mark_.size() < 2 * std::size_t(v) + 2) mark_.resize(std::max<std::size_t>(2 * std::size_t(v) + 2, mark_.size() * 2), 0);
}

void Checker::link(std::uint32_t c) {
  if (live_ * 2 >= buckets_.size()) {
    std::vector<std::uint32_t> b(std::max<std::size_t>(1024, buckets_.size() * 2), none);
    for (std::uint32_t old : buckets_)
      for (std::uint32_t k = old; k != none;) {
        const std::uint32_t nx = next_[k];
        std::uint32_t& slot = b[hash_[k] & (b.size() - 1)];
        next_[k] = slot;
        slot = k;
        k = nx;
      }
    buckets_ = std::move(b);
  }
  std::uint32_t& slot = buckets_[hash_[c] & (buckets_.size() - 1)];
  next_[c] = slot;
  slot = c;
  ++live_;
}

std::uint32_t Checker::add_clause(const std::vector<std::int32_t>& in, bool lemma) {
  if (arena_.size() + in.size() > params_.max_literals)
    throw ParseFailure{"more than " + std::to_string(params_.max_literals) + " literals in the CNF and proof (the checker's memory bound)"};
  if (start_.size() >= none - 1) throw ParseFailure{"too many clauses"};
  const std::uint32_t c = static_cast<std::uint32_t>(start_.size());
  start_.push_back(arena_.size());
  // Duplicate literals dropped (the clause is a set), first occurrence kept: the pivot stays first.
  std::uint32_t n = 0;
  for (std::int32_t l : in) {
    if (mark_[code(l)]) continue;
    mark_[code(l)] = 1;
    arena_.push_back(l);
    ++n;
  }
  for (std::int32_t l : in) mark_[code(l)] = 0;
  size_.push_back(n);
  flags_.push_back(static_cast<std::uint8_t>(f_active | (lemma ? f_lemma : 0)));
  hash_.push_back(clause_hash(arena_.data() + arena_.size() - n, n));
  next_.push_back(none);
  link(c);
  return c;
}

// The active clause with exactly these literals (as a set), removed from its chain; none if absent.
std::uint32_t Checker::find_and_unlink(const std::vector<std::int32_t>& in) {
  if (buckets_.empty()) return none;
  std::vector<std::int32_t> set;
  for (std::int32_t l : in)
    if (!mark_[code(l)]) {
      mark_[code(l)] = 1;
      set.push_back(l);
    }
  const std::uint32_t h = clause_hash(set.data(), set.size());
  std::uint32_t found = none;
  for (std::uint32_t* link = &buckets_[h & (buckets_.size() - 1)]; *link != none; link = &next_[*link]) {
    const std::uint32_t c = *link;
    if (hash_[c] != h || size_[c] != set.size()) continue;
    bool same = true;
    for (std::uint32_t k = 0; k < size_[c] && same; ++k) same = mark_[code(lits(c)[k])];
    if (same) {
      *link = next_[c];
      --live_;
      found = c;
      break;
    }
  }
  for (std::int32_t l : set) mark_[code(l)] = 0;
  return found;
}

// A small cursor over a text, counting lines and columns for messages.
struct TextCursor {
  std::string_view s;
  const std::string& name;
  std::size_t pos = 0, line = 1, line_start = 0;
  [[noreturn]] void fail(const std::string& what) const {
    throw ParseFailure{name + ":" + std::to_string(line) + ":" + std::to_string(pos - line_start + 1) + ": " + what};
  }
  // Skips blanks and newlines; returns false at the end.
  bool skip_space() {
    while (pos < s.size()) {
      const char ch = s[pos];
      if (ch == '\n') {
        ++line;
        line_start = ++pos;
      } else if (ch == ' ' || ch == '\t' || ch == '\r') {
        ++pos;
      } else {
        return true;
      }
    }
    return false;
  }
  void skip_line() {
    while (pos < s.size() && s[pos] != '\n') ++pos;
  }
  // A signed decimal integer within [-limit, limit].
  std::int64_t integer(std::int64_t limit, const char* what) {
    const std::size_t begin = pos;
    bool neg = false;
    if (pos < s.size() && s[pos] == '-') {
      neg = true;
      ++pos;
    }
    if (pos >= s.size() || s[pos] < '0' || s[pos] > '9') {
      pos = begin;
      fail(std::string("expected ") + what);
    }
    std::int64_t v = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      v = v * 10 + (s[pos] - '0');
      if (v > limit) {
        pos = begin;
        fail(std::string(what) + " out of range (at most " + std::to_string(limit) + ")");
      }
      ++pos;
    }
    if (pos < s.size() && s[pos] != ' ' && s[pos] != '\t' && s[pos] != '\r' && s[pos] != '\n') fail("unexpected character");
    return neg ? -v : v;
  }
};

void Checker::read_cnf(std::string_view text, const std::string& name) {
  TextCursor t{text, name};
  std::int64_t vars = -1, clauses = -1;
  while (t.skip_space()) {
    if (text[t.pos] == 'c') {
      t.skip_line();
      continue;
    }
    if (text[t.pos] != 'p') t.fail("expected the header 'p cnf VARIABLES CLAUSES' before any clause");
    const std::size_t p = t.pos;
    if (text.substr(p, 5) != "p cnf" || p + 5 >= text.size() || (text[p + 5] != ' ' && text[p + 5] != '\t'))
      t.fail("expected 'p cnf VARIABLES CLAUSES'");
    t.pos += 5;
    t.skip_space();
    vars = t.integer(params_.max_var, "a variable count");
    t.skip_space();
    clauses = t.integer(std::int64_t(none) - 2, "a clause count");
    if (vars < 0 || clauses < 0) t.fail("negative count in the header");
    break;
  }
  if (vars < 0) t.fail("no 'p cnf' header");
  grow_vars(static_cast<std::uint32_t>(vars));
  std::vector<std::int32_t> clause;
  std::int64_t count = 0;
  std::size_t clause_line = 0, clause_col = 0;
  while (t.skip_space()) {
    if (text[t.pos] == 'c') {
      t.skip_line();
      continue;
    }
    if (clause.empty()) {
      clause_line = t.line;
      clause_col = t.pos - t.line_start + 1;
    }
    const std::int64_t l = t.integer(vars, "a literal within the header's variable count");
    if (l == 0) {
      if (count == clauses) t.fail("more clauses than the header's " + std::to_string(clauses));
      if (clause.empty()) cnf_has_empty_ = true;
      add_clause(clause, false);
      clause.clear();
      ++count;
    } else {
      clause.push_back(static_cast<std::int32_t>(l));
    }
  }
  if (!clause.empty())
    throw ParseFailure{name + ":" + std::to_string(clause_line) + ":" + std::to_string(clause_col) + ": the last clause has no terminating 0"};
  if (count != clauses)
    t.fail("the header announces " + std::to_string(clauses) + " clauses but there are " + std::to_string(count));
  cnf_clauses_ = static_cast<std::uint32_t>(count);
  result.vars = static_cast<std::uint32_t>(vars);
  result.clauses = static_cast<std::uint64_t>(count);
}

void Checker::read_proof(std::string_view bytes, const std::string& name) {
  result.proof_bytes = bytes.size();
  bool binary = !bytes.empty() && bytes[0] == 'a';
  if (!binary && bytes.substr(0, 65536).find('\0') != std::string_view::npos) binary = true;
  result.binary = binary;
  std::vector<std::int32_t> clause;
  auto finish = [&](bool deletion, std::uint64_t where) {
    if (deletion) {
      const std::uint32_t c = find_and_unlink(clause);
      if (c == none) ++result.ignored_deletions;  // not present: nothing to delete
      else steps_.push_back({c, true, where});
      ++result.deletions;
    } else {
      if (clause.empty()) proof_has_empty_ = true;
      steps_.push_back({add_clause(clause, true), false, where});
      ++result.lemmas;
    }
    clause.clear();
  };
  if (binary) {
    std::size_t pos = 0;
    while (pos < bytes.size()) {
      const std::size_t begin = pos;
      const char kind = bytes[pos++];
      if (kind != 'a' && kind != 'd')
        throw ParseFailure{name + ": byte " + std::to_string(begin) + ": expected 'a' or 'd' starting a binary DRAT record"};
      bool complete = false;
      while (pos < bytes.size()) {
        std::uint64_t u = 0;
        unsigned shift = 0;
        bool ended = false;
        while (pos < bytes.size()) {
          const auto b = static_cast<unsigned char>(bytes[pos++]);
          if (shift > 35) throw ParseFailure{name + ": byte " + std::to_string(pos - 1) + ": literal too long"};
          u |= std::uint64_t(b & 0x7fu) << shift;
          shift += 7;
          if (!(b & 0x80u)) {
            ended = true;
            break;
          }
        }
        if (!ended) break;  // cut inside a literal: the record is incomplete
        if (u == 0) {
          complete = true;
          break;
        }
        const std::uint64_t v = u >> 1;
        if (v > params_.max_var)
          throw ParseFailure{name + ": byte " + std::to_string(pos - 1) + ": variable " + std::to_string(v) + " beyond the limit " +
                             std::to_string(params_.max_var)};
        grow_vars(static_cast<std::uint32_t>(v));
        clause.push_back((u & 1u) ? -static_cast<std::int32_t>(v) : static_cast<std::int32_t>(v));
      }
      if (!complete) break;  // a truncated last record is left out; the proof then lacks its end
      finish(kind == 'd', begin);
    }
    clause.clear();
    return;
  }
  TextCursor t{bytes, name};
  bool deletion = false, in_clause = false;
  std::uint64_t where = 0;
  while (t.skip_space()) {
    const char ch = bytes[t.pos];
    if (ch == 'c' && !in_clause) {
      t.skip_line();
      continue;
    }
    if (ch == 'd' && !in_clause) {
      if (t.pos + 1 < bytes.size() && bytes[t.pos + 1] != ' ' && bytes[t.pos + 1] != '\t') t.fail("expected a space after 'd'");
      deletion = true;
      in_clause = true;
      where = t.line;
      ++t.pos;
      continue;
    }
    if (!in_clause) {
      in_clause = true;
      deletion = false;
      where = t.line;
    }
    const std::size_t before = t.pos;
    std::int64_t l = 0;
    try {
      l = t.integer(params_.max_var, "a literal");
    } catch (const ParseFailure&) {
      if (t.pos >= bytes.size() || before + 1 >= bytes.size()) break;
      throw;
    }
    if (l == 0) {
      finish(deletion, where);
      in_clause = false;
    } else {
      grow_vars(var_of(static_cast<std::int32_t>(l)));
      clause.push_back(static_cast<std::int32_t>(l));
    }
  }
  clause.clear();  // an unterminated last clause (a cut proof) is left out
}

// ---- propagation ----------------------------------------------------------------------------

void Checker::watch(std::uint32_t c) {
  const std::int32_t* l = lits(c);
  watches_[code(l[0])].push_back({c, l[1]});
  watches_[code(l[1])].push_back({c, l[0]});
}

// Watches are dropped lazily: a clause made inactive (deleted, or a lemma undone) keeps its
// entries until a visit meets them, which saves scanning two watch lists per deletion (a fifth of the
// checking CPU time on the 16-bit adder miter's proof). A visit drops entries of inactive clauses and entries
// whose literal is no longer one of the clause's two watched ones (left over when an inactive
// clause came back and was watched afresh).
void Checker::unwatch(std::uint32_t) {}

// Clauses watching `false_lit` (just made false), of one kind: core or not.
std::uint32_t Checker::visit(std::int32_t false_lit, bool core) {
  auto& ws = watches_[code(false_lit)];
  std::size_t i = 0, j = 0;
  const std::size_t n = ws.size();
  std::uint32_t conflict = none;
  for (; i < n; ++i) {
    Watch w = ws[i];
    if (conflict != none) {
      ws[j++] = w;
      continue;
    }
    const std::uint8_t fl = flags_[w.clause];
    if (!(fl & f_active)) continue;  // dropped lazily
    if (((fl & f_core) != 0) != core || value(w.blocker) > 0) {
      ws[j++] = w;
      continue;
    }
    std::int32_t* l = lits(w.clause);
    if (l[0] == false_lit) std::swap(l[0], l[1]);
    if (l[1] != false_lit) continue;  // stale: the clause is watched elsewhere now
    if (value(l[0]) > 0) {
      ws[j++] = {w.clause, l[0]};
      continue;
    }
    const std::uint32_t sz = size_[w.clause];
    bool moved = false;
    for (std::uint32_t k = 2; k < sz; ++k)
      if (value(l[k]) >= 0) {
        std::swap(l[1], l[k]);
        watches_[code(l[1])].push_back({w.clause, l[0]});
        moved = true;
        break;
      }
    if (moved) continue;
    ws[j++] = {w.clause, l[0]};
    if (value(l[0]) < 0) conflict = w.clause;
    else assign(l[0], w.clause);
  }
  ws.resize(j);
  return conflict;
}

// Core clauses first: the non-core watches of a literal are visited only when the core ones are
// done for every assigned literal, so conflicts are found through core clauses when possible and
// the core grows little.
std::uint32_t Checker::propagate() {
  for (;;) {
    if (head_core_ < trail_.size()) {
      const std::uint32_t c = visit(-trail_[head_core_++], true);
      if (c != none) return c;
      continue;
    }
    if (head_all_ < trail_.size()) {
      const std::uint32_t c = visit(-trail_[head_all_++], false);
      if (c != none) return c;
      continue;
    }
    return none;
  }
}

// Puts an active clause under watch at the root and propagates what it implies.
std::uint32_t Checker::attach(std::uint32_t c) {
  const std::uint32_t sz = size_[c];
  if (sz == 0) return c;
  if (sz == 1) {
    const std::int32_t l = lits(c)[0];
    if (root_conflict_ != none) return root_conflict_;
    if (value(l) < 0) return c;
    if (value(l) == 0) {
      assign(l, c);
      return propagate();
    }
    return none;
  }
  std::int32_t* l = lits(c);
  if (root_conflict_ == none) {
    // Non-false literals to the front (true first), so the watches see the clause's state.
    std::uint32_t front = 0;
    for (std::uint32_t k = 0; k < sz && front < 2; ++k)
      if (value(l[k]) > 0) std::swap(l[front++], l[k]);
    for (std::uint32_t k = front; k < sz && front < 2; ++k)
      if (value(l[k]) == 0) std::swap(l[front++], l[k]);
    if (front < 2 && value(l[0]) <= 0) {
      watch(c);
      if (front == 0) return c;  // every literal false
      assign(l[0], c);
      return propagate();
    }
  }
  watch(c);
  return none;
}

// The root assignment recomputed from scratch over the active clauses.
std::uint32_t Checker::rebuild() {
  backtrack(0);
  head_core_ = head_all_ = 0;
  for (std::uint32_t u : units_) {
    if (!(flags_[u] & f_active)) continue;
    const std::int32_t l = lits(u)[0];
    if (value(l) < 0) return u;
    if (value(l) == 0) assign(l, u);
  }
  return propagate();
}

// Marks as core the conflict clause and every reason the conflict depends on (`implied`: instead
// of a clause, a true literal whose negation is the conflict).
void Checker::analyze(std::uint32_t conflict, std::int32_t implied) {
  std::size_t pending = 0;
  auto see = [&](std::int32_t l) {
    const std::uint32_t v = var_of(l);
    if (!seen_[v]) {
      seen_[v] = 1;
      ++pending;
    }
  };
  if (conflict != none) {
    flags_[conflict] |= f_core;
    for (std::uint32_t k = 0; k < size_[conflict]; ++k) see(lits(conflict)[k]);
  } else {
    see(implied);
  }
  for (std::size_t i = trail_.size(); i-- > 0 && pending;) {
    const std::uint32_t v = var_of(trail_[i]);
    if (!seen_[v]) continue;
    seen_[v] = 0;
    --pending;
    const std::uint32_t r = reason_[v];
    if (r == none) continue;
    flags_[r] |= f_core;
    for (std::uint32_t k = 0; k < size_[r]; ++k)
      if (var_of(lits(r)[k]) != v) see(lits(r)[k]);
  }
}

// RUP of clause c (with `candidate`'s literals other than -pivot, for a RAT check) against the
// active clauses. tautology: the resolvent holds a literal and its negation (nothing to check).
bool Checker::rup(std::uint32_t c, std::uint32_t candidate, std::int32_t pivot, bool& tautology) {
  tautology = false;
  const std::size_t mark = trail_.size();
  std::int32_t implied = 0;
  // A literal of the clause already true: at the root (its derivation is the conflict) or by the
  // negation of another of its literals (a tautology, valid as it is).
  auto falsify = [&](std::int32_t l) {
    const std::int8_t v = value(l);
    if (v > 0) return false;
    if (v == 0) assign(-l, none);
    return true;
  };
  bool conflict_now = false;
  for (std::uint32_t k = 0; k < size_[c] && !conflict_now; ++k) {
    const std::int32_t l = lits(c)[k];
    if (!falsify(l)) {
      conflict_now = true;
      implied = l;
    }
  }
  if (candidate != none && !conflict_now) {
    for (std::uint32_t k = 0; k < size_[candidate] && !conflict_now; ++k) {
      const std::int32_t l = lits(candidate)[k];
      if (l == -pivot) continue;
      if (value(l) > 0) {
        // True: either set at the root (its reason gives the conflict) or by the lemma's negation
        // (then the lemma holds -l: the resolvent is a tautology).
        // (Root assignments all have reasons; those without are this check's own.)
        if (reason_[var_of(l)] == none) {
          tautology = true;
          backtrack(mark);
          return true;
        }
        conflict_now = true;
        implied = l;
      } else if (value(l) == 0) {
        assign(-l, none);
      }
    }
  }
  if (conflict_now) {
    // A literal of the clause is true already: its derivation is the conflict.
    const std::uint32_t v = var_of(implied);
    if (reason_[v] != none) analyze(none, implied);
    backtrack(mark);
    return true;
  }
  const std::uint32_t conflict = propagate();
  if (conflict != none) analyze(conflict);
  backtrack(mark);
  return conflict != none;
}

bool Checker::check_lemma(std::uint32_t c) {
  bool tautology = false;
  if (root_conflict_ != none) {
    analyze(root_conflict_);
    return true;
  }
  if (rup(c, none, 0, tautology)) return true;
  if (size_[c] == 0) return false;
  // RAT on the first literal: every resolvent with an active clause holding its negation is RUP.
  const std::int32_t pivot = lits(c)[0];
  std::vector<std::uint32_t> candidates;
  for (std::uint32_t d = 0; d < start_.size(); ++d) {
    if (!(flags_[d] & f_active) || d == c) continue;
    const std::int32_t* l = lits(d);
    for (std::uint32_t k = 0; k < size_[d]; ++k)
      if (l[k] == -pivot) {
        candidates.push_back(d);
        break;
      }
  }
  for (std::uint32_t d : candidates) {
    if (!rup(c, d, pivot, tautology)) return false;
    if (!tautology) flags_[d] |= f_core;
  }
  ++result.rat_lemmas;
  return true;
}

check_result Checker::run() {
  t0_ = Clock::now();
  const std::uint32_t nv = max_var_ + 1;
  val_.assign(2 * std::size_t(nv), 0);
  reason_.assign(nv, none);
  seen_.assign(nv, 0);
  watches_.resize(2 * std::size_t(nv));
  trail_.reserve(nv);
  buckets_.clear();
  buckets_.shrink_to_fit();
  next_.clear();
  next_.shrink_to_fit();
  // Which clauses are active at the start: the CNF's, minus nothing yet; lemmas come in order.
  for (std::uint32_t c = cnf_clauses_; c < start_.size(); ++c) flags_[c] &= static_cast<std::uint8_t>(~f_active);
  for (std::uint32_t c = 0; c < start_.size(); ++c)
    if (size_[c] == 1) units_.push_back(c);
  result.lemmas = result.deletions = 0;
  if (cnf_has_empty_) {
    result.verdict = check_result::verified;
    result.message = "the CNF holds the empty clause";
    return result;
  }
  // Forward: the CNF, then the proof up to the first root conflict (or empty lemma).
  for (std::uint32_t c = 0; c < cnf_clauses_ && root_conflict_ == none; ++c) root_conflict_ = attach(c);
  std::size_t end = 0;  // steps applied
  std::vector<std::uint8_t> ignored(steps_.size(), 0);
  std::uint64_t lemma_number = 0;
  std::vector<std::uint64_t> number(steps_.size(), 0);
  for (; end < steps_.size() && root_conflict_ == none; ++end) {
    const Step& s = steps_[end];
    if (s.deletion) {
      ++result.deletions;
      const std::uint32_t c = s.clause;
      const std::int32_t* l = lits(c);
      const bool reason = size_[c] > 0 && value(l[0]) > 0 && reason_[var_of(l[0])] == c;
      if (size_[c] <= 1 || reason) {
        ignored[end] = 1;
        ++result.ignored_deletions;
        continue;
      }
      unwatch(c);
      flags_[c] &= static_cast<std::uint8_t>(~f_active);
    } else {
      number[end] = ++lemma_number;
      ++result.lemmas;
      flags_[s.clause] |= f_active;
      if (size_[s.clause] == 0) {
        ++end;
        break;
      }
      root_conflict_ = attach(s.clause);
    }
    if ((end & 1023) == 0 && out_of_time()) {
      result.verdict = check_result::timeout;
      result.message = "the time limit ran out";
      return result;
    }
  }
  const bool empty_lemma = end > 0 && !steps_[end - 1].deletion && size_[steps_[end - 1].clause] == 0;
  if (root_conflict_ == none && !empty_lemma) {
    result.verdict = check_result::rejected;
    result.lemma = lemma_number;
    result.where = 0;
    result.message = cnf_clauses_ && steps_.empty()
                         ? "the proof is empty and unit propagation does not refute the CNF"
                         : "the proof ends without a conflict: no empty clause, and unit propagation over the CNF and all " +
                               std::to_string(lemma_number) + " lemmas does not conflict (a truncated or wrong proof)";
    return result;
  }
  if (root_conflict_ != none) analyze(root_conflict_);
  else flags_[steps_[end - 1].clause] |= f_core;
  // Backward: undo the steps newest first, checking each core lemma against what was present.
  for (std::size_t i = end; i-- > 0;) {
    const Step& s = steps_[i];
    const std::uint32_t c = s.clause;
    if (s.deletion) {
      if (ignored[i]) continue;
      flags_[c] |= f_active;
      if (size_[c] >= 2) {
        const std::uint32_t k = attach(c);
        if (root_conflict_ == none) root_conflict_ = k;
      }
      continue;
    }
    // Take the lemma out; when the root assignment may depend on it, recompute it.
    const bool reason = size_[c] > 0 && value(lits(c)[0]) > 0 && reason_[var_of(lits(c)[0])] == c;
    const bool core = flags_[c] & f_core;
    unwatch(c);
    flags_[c] &= static_cast<std::uint8_t>(~f_active);
    if ((root_conflict_ != none && core) || (root_conflict_ == none && reason)) root_conflict_ = rebuild();
    if (!core) continue;
    ++result.core_lemmas;
    if (!check_lemma(c)) {
      result.verdict = check_result::rejected;
      result.lemma = number[i];
      result.where = s.where;
      result.message = "lemma " + std::to_string(number[i]) + " (" + (result.binary ? "byte " : "line ") + std::to_string(s.where) +
                       " of the proof) is " + (size_[c] == 0 ? std::string("the empty clause, and unit propagation finds no conflict")
                                                             : std::string("neither RUP nor RAT on its first literal"));
      return result;
    }
    if ((result.core_lemmas & 255) == 0 && out_of_time()) {
      result.verdict = check_result::timeout;
      result.message = "the time limit ran out";
      return result;
    }
  }
  result.verdict = check_result::verified;
  result.message = "verified";
  return result;
}

// `head_error` sees the first block before anything more is read, so that /dev/zero or a binary
// blob is refused at once instead of read up to the limit (gigabytes).
std::string read_all(const std::string& path, std::uint64_t limit, std::string& error,
                     const std::function<std::string(std::string_view)>& head_error) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    error = path + ": cannot open: " + std::strerror(errno);
    return {};
  }
  std::string out;
  char buf[1 << 16];
  for (bool first = true;; first = false) {
    const std::size_t n = std::fread(buf, 1, sizeof buf, f);
    if (first && n > 0)
      if (std::string why = head_error(std::string_view(buf, n)); !why.empty()) {
        error = path + ":1:1: " + why;
        std::fclose(f);
        return {};
      }
    if (n == 0) break;
    if (out.size() + n > limit) {
      error = path + ": larger than the checker's limit of " + std::to_string(limit) + " bytes";
      std::fclose(f);
      return {};
    }
    out.append(buf, n);
  }
  if (std::ferror(f)) error = path + ": read error";
  std::fclose(f);
  return out;
}

}  // namespace

check_result check(std::string_view cnf, std::string_view proof, const check_params& p, const std::string& cnf_name,
                   const std::string& proof_name) {
  Checker k(p);
  const auto t0 = Clock::now();
  try {
    k.read_cnf(cnf, cnf_name);
    k.read_proof(proof, proof_name);
  } catch (const ParseFailure& e) {
    k.result.verdict = check_result::error;
    k.result.message = e.message;
    return k.result;
  } catch (const std::bad_alloc&) {
    k.result.verdict = check_result::error;
    k.result.message = "out of memory reading the CNF and proof";
    return k.result;
  }
  const auto t1 = Clock::now();
  check_result r;
  try {
    r = k.run();
  } catch (const std::bad_alloc&) {
    r = k.result;
    r.verdict = check_result::error;
    r.message = "out of memory while checking";
  }
  r.parse_seconds = std::chrono::duration<double>(t1 - t0).count();
  r.check_seconds = std::chrono::duration<double>(Clock::now() - t1).count();
  return r;
}

check_result check_files(const std::string& cnf_path, const std::string& proof_path, const check_params& p) {
  std::string error;
  const std::uint64_t limit = p.max_literals * 12 + (1u << 20);  // bytes: generous for text literals
  // A DIMACS CNF is text: no NUL byte. A DRAT proof is text (literals, 'd', comments) or binary,
  // whose every record starts with 'a' or 'd': a first byte that is neither cannot begin one.
  const auto cnf_head = [](std::string_view h) -> std::string {
    return h.find('\0') == std::string_view::npos ? "" : "a NUL byte: binary data, not a DIMACS CNF";
  };
  const auto proof_head = [](std::string_view h) -> std::string {
    const unsigned char c = static_cast<unsigned char>(h[0]);
    if (c == 'a' || c == 'd' || c == 'c' || c == '-' || std::isdigit(c) || std::isspace(c)) return "";
    return "not a DRAT proof: it starts with byte " + std::to_string(c) + " (text proofs start with a literal, 'd' or 'c'; binary ones with 'a' or 'd')";
  };
  const std::string cnf = read_all(cnf_path, limit, error, cnf_head);
  if (error.empty()) {
    const std::string proof = read_all(proof_path, limit, error, proof_head);
    if (error.empty()) return check(cnf, proof, p, cnf_path, proof_path);
  }
  check_result r;
  r.verdict = check_result::error;
  r.message = error;
  return r;
}

}  // namespace tcx::drat

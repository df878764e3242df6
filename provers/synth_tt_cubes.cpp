#include "provers/synth_tt_cubes.hpp"

#include <stdexcept>

#include "circuits/interrupt.hpp"

namespace tcx::synth_detail {

std::vector<tt_cube> tt_cubes(std::span<const CnfLit> split) {
  if (split.size() >= 32) throw std::invalid_argument("tt cubes: at most 31 split variables");
  std::vector<tt_cube> out(std::size_t(1) << split.size());
  for (std::size_t i = 0; i < out.size(); ++i)
    for (std::size_t b = 0; b < split.size(); ++b) out[i].push_back((i >> b) & 1u ? -split[b] : split[b]);
  return out;
}

TtCubeBoard::TtCubeBoard(std::size_t cubes, unsigned workers, double cpu_limit_s, const std::atomic<bool>* stop)
    : outcome_(cubes), caller_stop_(stop), cpu_limit_s_(cpu_limit_s), cpu_us_(workers) {
  for (auto& o : outcome_) o.store(Outcome::open);
  for (auto& c : cpu_us_) c.store(0);
}

std::optional<std::size_t> TtCubeBoard::take() {
  if (stop_all_.load()) return std::nullopt;
  const std::size_t i = next_.fetch_add(1);
  if (i >= outcome_.size()) return std::nullopt;
  return i;
}

void TtCubeBoard::finish(std::size_t cube, Outcome o) {
  outcome_[cube].store(o);
  if (o == Outcome::sat || o == Outcome::unknown) stop_all_.store(true);
}

double TtCubeBoard::cpu_seconds() const {
  std::int64_t us = 0;
  for (const auto& c : cpu_us_) us += c.load(std::memory_order_relaxed);
  return 1e-6 * static_cast<double>(us);
}

bool TtCubeBoard::poll(unsigned w, double cpu_s) {
  cpu_us_[w].store(static_cast<std::int64_t>(cpu_s * 1e6), std::memory_order_relaxed);
  if (stop_all_.load()) return true;
  if ((caller_stop_ && caller_stop_->load()) || interrupted() || (cpu_limit_s_ > 0 && cpu_seconds() >= cpu_limit_s_)) {
    stop_all_.store(true);
    return true;
  }
  return false;
}

void TtCubeBoard::share(unsigned from, std::span<const CnfLit> clauses) {
  if (clauses.empty()) return;
  std::size_t count = 0;
  for (CnfLit l : clauses) count += l == 0;
  const std::lock_guard<std::mutex> lock(lemma_mutex_);
  lemmas_.push_back({from, std::vector<CnfLit>(clauses.begin(), clauses.end()), count});
}

std::size_t TtCubeBoard::fetch(unsigned w, std::size_t& cursor, std::vector<CnfLit>& out) const {
  const std::lock_guard<std::mutex> lock(lemma_mutex_);
  std::size_t count = 0;
  for (; cursor < lemmas_.size(); ++cursor) {
    const Shared& s = lemmas_[cursor];
    if (s.from == w) continue;
    out.insert(out.end(), s.clauses.begin(), s.clauses.end());
    count += s.count;
  }
  return count;
}

}  // namespace tcx::synth_detail

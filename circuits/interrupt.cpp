#include "circuits/interrupt.hpp"

#include <map>
#include <mutex>
#include <string>

#include "circuits/builder.hpp"  // BudgetExceeded

namespace tcx {

namespace {
std::atomic<bool> flag{false};
std::mutex hooks_mutex;
std::uint64_t next_id = 0;
std::map<std::uint64_t, std::function<void()>>& hooks() {
  static std::map<std::uint64_t, std::function<void()>> h;
  return h;
}
}  // namespace

void request_interrupt() {
  flag.store(true, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(hooks_mutex);
  for (auto& [id, hook] : hooks()) hook();
}

void clear_interrupt() { flag.store(false, std::memory_order_relaxed); }

bool interrupted() { return flag.load(std::memory_order_relaxed); }

void throw_interrupted(std::string_view doing) { throw BudgetExceeded("interrupted while " + std::string(doing)); }

InterruptHook::InterruptHook(std::function<void()> hook) {
  std::lock_guard<std::mutex> lock(hooks_mutex);
  id_ = next_id++;
  hooks().emplace(id_, std::move(hook));
}

InterruptHook::~InterruptHook() {
  std::lock_guard<std::mutex> lock(hooks_mutex);
  hooks().erase(id_);
}

}  // namespace tcx

#pragma once
// A front end's request to stop long work (Python's Ctrl-C). Long loops poll interrupted() where
// they already check their time budgets (the Builder every 1024 gates, equivalence by simulation
// between chunks, SAT calls through a hook that interrupts the solver), and then answer as if
// their budget had run out. The flag is process-wide; the front end clears it when the work ended.
#include <atomic>
#include <cstdint>
#include <functional>

namespace tcx {

void request_interrupt();  // sets the flag and runs the registered hooks
void clear_interrupt();
bool interrupted();

// A hook run by request_interrupt() while the guard lives (for work that cannot poll, such as a
// SAT solver: the hook asks it to stop). Hooks run under a lock, so a guard's destructor waits for
// a running hook: the hook never sees a destroyed object.
class InterruptHook {
public:
  explicit InterruptHook(std::function<void()> hook);
  ~InterruptHook();
  InterruptHook(const InterruptHook&) = delete;
  InterruptHook& operator=(const InterruptHook&) = delete;

private:
  std::uint64_t id_;
};

}  // namespace tcx

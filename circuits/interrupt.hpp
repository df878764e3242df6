#pragma once
// A front end's request to stop long work (Python's Ctrl-C). Long loops poll interrupted() where
// they already check their time budgets (the Builder every 1024 gates, equivalence by simulation
// between chunks, SAT calls through a hook that interrupts the solver), and then answer as if
// their budget had run out; loops with no budget of their own use poll_interrupt below (the
// bit-parallel simulator's lowering and program, tables, reference runs). The flag is
// process-wide; the front end clears it when the work ended.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string_view>

namespace tcx {

void request_interrupt();  // sets the flag and runs the registered hooks
void clear_interrupt();
bool interrupted();

// For a long loop that adds no gates (a table, a list of inputs, a reference run), which the
// Builder's own check never reaches: call it on every iteration. One call in `every` (a power of
// two; 1 for iterations that take milliseconds) reads the flag, so the cost stays one test of a
// counter's low bits; on an interrupt it throws BudgetExceeded ("interrupted while <doing>"), as
// the Builder does.
[[noreturn]] void throw_interrupted(std::string_view doing);
inline void poll_interrupt(std::uint64_t iteration, std::string_view doing, std::uint64_t every = 4096) {
  if (iteration % every == 0 && interrupted()) throw_interrupted(doing);
}

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

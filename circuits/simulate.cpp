#include "circuits/simulate.hpp"

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

#include "circuits/bits.hpp"
#include "circuits/builder.hpp"
#include "circuits/evaluate.hpp"
#include "circuits/interrupt.hpp"
#include "circuits/weighted_sum.hpp"

namespace tcx {

namespace {

using Instr = BitSimulator::Instr;

// Emits word instructions for weighted_sum.hpp; a Bit is an operand 2*slot + negated.
struct InstrEmitter {
  using Bit = std::uint32_t;
  huge_vector<Instr>& code;
  std::uint32_t first_temp;  // slot of temporary 0
  std::uint32_t next_temp = 0;
  std::uint32_t max_temp = 0;

  std::uint32_t temp() {
    max_temp = std::max(max_temp, next_temp + 1);
    return first_temp + next_temp++;
  }
  Bit negate(Bit a) { return a ^ 1u; }
  Bit constant(bool v) { return v ? 1u : 0u; }  // slot 0 holds the constant false
  Bit half_add(Bit a, Bit b, Bit& carry) {
    std::uint32_t s = temp(), c = temp();
    code.push_back({Instr::half, s, c, a, b, 0});
    carry = 2 * c;
    return 2 * s;
  }
  Bit full_add(Bit a, Bit b, Bit c_in, Bit& carry) {
    std::uint32_t s = temp(), c = temp();
    code.push_back({Instr::full, s, c, a, b, c_in});
    carry = 2 * c;
    return 2 * s;
  }
  Bit and_not(Bit a, Bit b) {
    std::uint32_t d = temp();
    code.push_back({Instr::and2, d, 0, a ^ 1u, b, 0});
    return 2 * d;
  }
  Bit or_not(Bit a, Bit b) {
    std::uint32_t d = temp();
    code.push_back({Instr::or2, d, 0, a ^ 1u, b, 0});
    return 2 * d;
  }
};

inline std::uint64_t mask_of(std::uint32_t operand) { return 0 - static_cast<std::uint64_t>(operand & 1u); }

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

BitSimulator::BitSimulator(const Circuit& c) : num_inputs_(c.num_inputs()) {
  const std::uint32_t first_temp = c.num_nodes();
  std::uint32_t max_temp = 0;
  std::vector<std::uint32_t> ops;
  std::vector<std::uint64_t> mags;
  // Room for a few instructions per wire (a weighted gate becomes an adder tree; arithmetic
  // circuits take about 2.5 per wire): growing a program of tens of millions of instructions by
  // doubling copied and faulted in twice its size, most of the lowering time. Room never written
  // costs no memory.
  code_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(3 * c.num_wires() + c.num_gates(), std::uint64_t(1) << 27)));
  // The program is several times the circuit (a weighted gate becomes an adder tree over its
  // weights' bits, two to six instructions a wire): the program and one block of 4 words per
  // slot may take 4 times the memory bound a Builder has (so a circuit built near a quarter of
  // the bound or more can be simulated), never many GiB unasked.
  const std::uint64_t bound = default_builder_params().max_wires;
  const std::uint64_t max_words = bound > UINT64_MAX / 4 ? UINT64_MAX : 4 * bound;
  auto refuse = [&](std::uint64_t gates_done) {
    throw std::length_error(fmt::format("simulating the circuit would exceed 4 times the size bound of {} wires (tcx --max-wires: "
                                        "units of 8 bytes): its bit-parallel program passed {} instructions of {} bytes at gate {} of {}",
                                        bound, code_.size(), sizeof(Instr), gates_done, c.num_gates()));
  };
  // The program's 8-byte words, twice: an array being regrown is held together with its copy.
  auto program_words = [&] { return 2 * code_.size() * sizeof(Instr) / 8; };
  std::uint64_t gates_done = 0;
  for (gate_id g : c.gates()) {
    if ((++gates_done & 1023) == 0) {
      if (program_words() + 4 * std::uint64_t(c.num_nodes()) > max_words) refuse(gates_done);
      if (interrupted()) throw_interrupted("lowering the circuit to the simulator's program");  // seconds for millions of gates
    }
    const std::uint32_t dst = c.gate_node(g);
    // Sign-normalized terms: operand and magnitude (small gates without GMP).
    ops.clear();
    mags.clear();
    bool unit = true;
    mpz_class t;
    if (!c.is_big(g)) {
      auto f = c.fanins(g);
      auto w = c.small_weights(g);
      std::int64_t t64 = c.small_threshold(g);
      for (std::size_t k = 0; k < f.size(); ++k) {
        std::int64_t wk = w[k];
        bool neg = wk < 0;
        if (neg) t64 -= wk;  // cannot overflow: |t| and the sum of |w| are below 2^63
        ops.push_back(2 * f[k] + (neg ? 1u : 0u));
        mags.push_back(static_cast<std::uint64_t>(neg ? -wk : wk));
        unit = unit && mags.back() == 1;
      }
      t = mpz_class(static_cast<long>(t64));
    } else {
      unit = false;
    }
    const std::uint32_t k = static_cast<std::uint32_t>(ops.size());
    if (unit && (t == k || t == 1)) {  // plain AND / OR chain
      const auto op = t == k ? Instr::and2 : Instr::or2;
      code_.push_back({op, dst, 0, ops[0], ops[1], 0});
      for (std::uint32_t i = 2; i < k; ++i) code_.push_back({op, dst, 0, 2 * dst, ops[i], 0});
      continue;
    }
    InstrEmitter em{code_, first_temp};
    Columns<std::uint32_t> cols;
    if (!c.is_big(g)) {
      for (std::uint32_t i = 0; i < k; ++i) add_weighted(cols, ops[i], mags[i]);
    } else {
      t = positive_form(c, g, [&](node_id n, bool neg, const mpz_class& w) {
        add_weighted(cols, 2 * n + (neg ? 1u : 0u), w);
      });
    }
    const std::size_t before = code_.size();
    std::uint32_t r = compare_columns(em, cols, t);
    max_temp = std::max(max_temp, em.max_temp);
    // The result is usually the negation of the last instruction's output: rewrite that
    // instruction by De Morgan to write the gate's slot directly instead of copying.
    if (code_.size() > before && (r ^ 1u) == 2 * code_.back().dst &&
        (code_.back().op == Instr::and2 || code_.back().op == Instr::or2)) {
      Instr& last = code_.back();
      last.op = last.op == Instr::and2 ? Instr::or2 : Instr::and2;
      last.a ^= 1u;
      last.b ^= 1u;
      last.dst = dst;
    } else {
      code_.push_back({Instr::copy, dst, 0, r, 0, 0});
    }
  }
  num_slots_ = first_temp + max_temp;
  if (program_words() + 4 * std::uint64_t(num_slots_) > max_words) refuse(gates_done);
  for (const Output& o : c.outputs()) outputs_.push_back(o.lit.code());
}

std::uint32_t BitSimulator::words_for_budget(std::size_t bytes) const {
  std::size_t w = bytes / (std::size_t(num_slots_) * 8 + 1);
  std::uint32_t p = 1;
  while (p * 2 <= w && p < 256) p *= 2;
  return p;
}

std::uint32_t BitSimulator::default_words() const {
  return std::clamp<std::uint32_t>(words_for_budget(std::size_t(16) << 20), 4, 64);
}

void BitSimulator::run(const std::uint64_t* in, std::uint64_t* out, std::uint32_t W,
                       std::vector<std::uint64_t>& scratch) const {
  if (scratch.size() < std::size_t(num_slots_) * W) scratch.resize(std::size_t(num_slots_) * W);
  std::uint64_t* v = scratch.data();
  std::fill(v, v + W, 0);  // slot 0: constant false
  std::copy(in, in + std::size_t(num_inputs_) * W, v + W);
  // A program of millions of instructions runs for seconds: poll between stretches of it, outside
  // the loop over instructions, which stays as it was.
  constexpr std::size_t stretch = std::size_t(1) << 20;
  for (std::size_t from = 0; from < code_.size(); from += stretch) {
    if (from != 0 && interrupted()) throw_interrupted("simulating the circuit");
    for (const Instr& ins : std::span(code_).subspan(from, std::min(stretch, code_.size() - from))) {
      std::uint64_t* __restrict d = v + std::size_t(ins.dst) * W;
      const std::uint64_t* __restrict a = v + std::size_t(ins.a >> 1) * W;
      const std::uint64_t ma = mask_of(ins.a);
      switch (ins.op) {
        case Instr::and2: {
          const std::uint64_t* b = v + std::size_t(ins.b >> 1) * W;
          const std::uint64_t mb = mask_of(ins.b);
          for (std::uint32_t w = 0; w < W; ++w) d[w] = (a[w] ^ ma) & (b[w] ^ mb);
          break;
        }
        case Instr::or2: {
          const std::uint64_t* b = v + std::size_t(ins.b >> 1) * W;
          const std::uint64_t mb = mask_of(ins.b);
          for (std::uint32_t w = 0; w < W; ++w) d[w] = (a[w] ^ ma) | (b[w] ^ mb);
          break;
        }
        case Instr::half: {
          const std::uint64_t* __restrict b = v + std::size_t(ins.b >> 1) * W;
          std::uint64_t* __restrict d2 = v + std::size_t(ins.dst2) * W;
          const std::uint64_t mb = mask_of(ins.b);
          for (std::uint32_t w = 0; w < W; ++w) {
            std::uint64_t x = a[w] ^ ma, y = b[w] ^ mb;
            d[w] = x ^ y;
            d2[w] = x & y;
          }
          break;
        }
        case Instr::full: {
          const std::uint64_t* __restrict b = v + std::size_t(ins.b >> 1) * W;
          const std::uint64_t* __restrict c = v + std::size_t(ins.c >> 1) * W;
          std::uint64_t* __restrict d2 = v + std::size_t(ins.dst2) * W;
          const std::uint64_t mb = mask_of(ins.b), mc = mask_of(ins.c);
          for (std::uint32_t w = 0; w < W; ++w) {
            std::uint64_t x = a[w] ^ ma, y = b[w] ^ mb, z = c[w] ^ mc;
            std::uint64_t xy = x ^ y;
            d[w] = xy ^ z;
            d2[w] = (x & y) | (z & xy);
          }
          break;
        }
        case Instr::copy:
          for (std::uint32_t w = 0; w < W; ++w) d[w] = a[w] ^ ma;
          break;
      }
    }
  }
  for (std::size_t o = 0; o < outputs_.size(); ++o) {
    const std::uint64_t* s = v + std::size_t(outputs_[o] >> 1) * W;
    const std::uint64_t m = mask_of(outputs_[o]);
    for (std::uint32_t w = 0; w < W; ++w) out[o * W + w] = s[w] ^ m;
  }
}

void fill_inputs(PatternSet set, std::uint32_t n, std::uint64_t block, std::uint32_t W, std::uint64_t* in) {
  if (set.kind == PatternSet::random) {
    for (std::uint32_t w = 0; w < W; ++w) {
      const std::uint64_t word_index = block * W + w;  // independent of W: pattern p lives in word p/64
      for (std::uint32_t i = 0; i < n; ++i)
        in[std::size_t(i) * W + w] = splitmix64(set.seed * 0xd1342543de82ef95ULL + word_index * n + i);
    }
    return;
  }
  static constexpr std::uint64_t low[6] = {0xAAAAAAAAAAAAAAAAULL, 0xCCCCCCCCCCCCCCCCULL, 0xF0F0F0F0F0F0F0F0ULL,
                                           0xFF00FF00FF00FF00ULL, 0xFFFF0000FFFF0000ULL, 0xFFFFFFFF00000000ULL};
  const std::uint32_t lw = ceil_log2(W);
  for (std::uint32_t i = 0; i < n; ++i) {
    std::uint64_t* row = in + std::size_t(i) * W;
    for (std::uint32_t w = 0; w < W; ++w) {
      if (i < 6) row[w] = low[i];
      else if (i < 6 + lw) row[w] = ((w >> (i - 6)) & 1u) ? ~0ULL : 0;
      else row[w] = ((block >> (i - 6 - lw)) & 1u) ? ~0ULL : 0;
    }
  }
}

std::vector<std::uint8_t> pattern_inputs(PatternSet set, std::uint32_t n, std::uint64_t p) {
  std::vector<std::uint8_t> bits(n);
  if (set.kind == PatternSet::exhaustive) {
    for (std::uint32_t i = 0; i < n; ++i) bits[i] = i < 64 ? (p >> i) & 1u : 0;
    return bits;
  }
  std::vector<std::uint64_t> words(n);
  fill_inputs(set, n, p / 64, 1, words.data());
  for (std::uint32_t i = 0; i < n; ++i) bits[i] = (words[i] >> (p % 64)) & 1u;
  return bits;
}

namespace {

// Runs fn(block, state) for blocks [begin, end) in parallel; each thread has its own state.
template <class State, class Fn>
void parallel_blocks(std::uint64_t begin, std::uint64_t end, std::uint32_t threads,
                     tbb::enumerable_thread_specific<State>& states, Fn&& fn) {
  auto body = [&] {
    tbb::parallel_for(tbb::blocked_range<std::uint64_t>(begin, end, 1), [&](const auto& r) {
      State& s = states.local();
      for (std::uint64_t b = r.begin(); b != r.end(); ++b) fn(b, s);
    });
  };
  if (threads == 0) body();
  else tbb::task_arena(static_cast<int>(threads)).execute(body);
}

struct BlockState {
  std::vector<std::uint64_t> in, out, out2, scratch, scratch2;
};

// The lowest pattern index in [begin, end) that `find` reports, over blocks of 64*W patterns in
// parallel (UINT64_MAX: none). find(blk, state, lo, hi, lowest) returns the lowest offending
// pattern of block blk among [lo, hi), or UINT64_MAX; `lowest`, the best found so far, lets it
// stop early. The one search behind first_difference and first_disagreement.
template <class Find>
std::uint64_t lowest_pattern(std::uint64_t begin, std::uint64_t end, std::uint32_t W, std::uint32_t threads, Find&& find) {
  const std::uint64_t per_block = std::uint64_t(64) * W;
  tbb::enumerable_thread_specific<BlockState> states;
  std::atomic<std::uint64_t> lowest{UINT64_MAX};
  parallel_blocks(begin / per_block, (end + per_block - 1) / per_block, threads, states, [&](std::uint64_t blk, BlockState& s) {
    const std::uint64_t first = blk * per_block;
    if (first >= lowest.load()) return;  // a lower pattern is already known
    const std::uint64_t p = find(blk, s, std::max(begin, first), std::min(end, first + per_block), lowest);
    std::uint64_t cur = lowest.load();
    while (p < cur && !lowest.compare_exchange_weak(cur, p)) {
    }
  });
  return lowest.load();
}

std::uint64_t pattern_count(PatternSet set, std::uint32_t n) {
  if (set.kind == PatternSet::random) return set.count;
  if (n > 40) throw std::invalid_argument("exhaustive simulation of more than 40 inputs");
  return 1ull << n;
}

std::uint32_t choose_words(std::uint32_t requested, std::uint32_t default_words, std::uint64_t patterns) {
  std::uint32_t W = requested ? requested : default_words;
  if (W & (W - 1)) throw std::invalid_argument("sim_params.words must be a power of two");
  while (W > 1 && std::uint64_t(W) * 64 > patterns) W /= 2;  // no block larger than the set
  return W;
}

}  // namespace

void simulate_blocks(const Circuit& c, PatternSet set, const sim_params& params,
                     const std::function<void(std::uint64_t, std::uint32_t, const std::uint64_t*)>& on_block) {
  BitSimulator sim(c);
  const std::uint64_t total = pattern_count(set, c.num_inputs());
  const std::uint32_t W = choose_words(params.words, sim.default_words(), total);
  const std::uint64_t per_block = std::uint64_t(64) * W;
  const std::uint64_t blocks = (total + per_block - 1) / per_block;
  tbb::enumerable_thread_specific<BlockState> states;
  parallel_blocks(0, blocks, params.threads, states, [&](std::uint64_t b, BlockState& s) {
    s.in.resize(std::size_t(c.num_inputs()) * W);
    s.out.resize(std::size_t(c.num_outputs()) * W);
    fill_inputs(set, c.num_inputs(), b, W, s.in.data());
    sim.run(s.in.data(), s.out.data(), W, s.scratch);
    on_block(b * per_block, W, s.out.data());
  });
}

std::vector<std::vector<std::uint8_t>> simulate_patterns(const Circuit& c,
                                                         const std::vector<std::vector<std::uint8_t>>& patterns,
                                                         const sim_params& params) {
  const std::uint32_t n = c.num_inputs();
  for (const auto& p : patterns)
    if (p.size() != n) throw std::invalid_argument("simulate_patterns: a pattern has the wrong number of inputs");
  BitSimulator sim(c);
  const std::uint32_t W = choose_words(params.words, sim.default_words(), std::max<std::size_t>(patterns.size(), 1));
  const std::uint64_t per_block = std::uint64_t(64) * W;
  const std::uint64_t blocks = (patterns.size() + per_block - 1) / per_block;
  std::vector<std::vector<std::uint8_t>> result(patterns.size(), std::vector<std::uint8_t>(c.num_outputs()));
  tbb::enumerable_thread_specific<BlockState> states;
  parallel_blocks(0, blocks, params.threads, states, [&](std::uint64_t b, BlockState& s) {
    s.in.assign(std::size_t(n) * W, 0);
    s.out.resize(std::size_t(c.num_outputs()) * W);
    const std::uint64_t first = b * per_block;
    const std::uint64_t count = std::min<std::uint64_t>(per_block, patterns.size() - first);
    for (std::uint64_t k = 0; k < count; ++k)
      for (std::uint32_t i = 0; i < n; ++i)
        if (patterns[first + k][i]) s.in[std::size_t(i) * W + k / 64] |= 1ull << (k % 64);
    sim.run(s.in.data(), s.out.data(), W, s.scratch);
    for (std::uint64_t k = 0; k < count; ++k)
      for (std::uint32_t o = 0; o < c.num_outputs(); ++o)
        result[first + k][o] = (s.out[std::size_t(o) * W + k / 64] >> (k % 64)) & 1u;
  });
  return result;
}

multi_truth_table truth_tables(const Circuit& c, const sim_params& params) {
  if (c.num_inputs() > truth_table::max_vars) throw std::invalid_argument("truth tables need at most 32 inputs");
  multi_truth_table tables(c.num_outputs(), truth_table(c.num_inputs()));
  const std::uint64_t words = tables.empty() ? 0 : tables[0].num_words();
  simulate_blocks(c, PatternSet{PatternSet::exhaustive, 0, 0}, params,
                  [&](std::uint64_t first, std::uint32_t W, const std::uint64_t* out) {
                    for (std::uint32_t o = 0; o < c.num_outputs(); ++o) {
                      auto t = tables[o].words();
                      for (std::uint32_t w = 0; w < W && first / 64 + w < words; ++w) t[first / 64 + w] = out[std::size_t(o) * W + w];
                    }
                  });
  for (auto& t : tables) mask_tail(t);
  return tables;
}

std::uint64_t first_difference(const BitSimulator& sa, const BitSimulator& sb, PatternSet set, std::uint64_t begin,
                               std::uint64_t end, const sim_params& params) {
  if (sa.num_inputs() != sb.num_inputs() || sa.num_outputs() != sb.num_outputs())
    throw std::invalid_argument("first_difference: the circuits have different interfaces");
  const std::uint32_t n = sa.num_inputs(), outs = sa.num_outputs();
  end = std::min(end, set.count);
  if (begin >= end) return UINT64_MAX;
  const std::uint32_t W = choose_words(params.words, std::min(sa.default_words(), sb.default_words()), end - begin);
  return lowest_pattern(begin, end, W, params.threads, [&](std::uint64_t blk, BlockState& s, std::uint64_t lo, std::uint64_t hi, const auto&) {
    s.in.resize(std::size_t(n) * W);
    s.out.resize(std::size_t(outs) * W);
    s.out2.resize(std::size_t(outs) * W);
    fill_inputs(set, n, blk, W, s.in.data());
    sa.run(s.in.data(), s.out.data(), W, s.scratch);
    sb.run(s.in.data(), s.out2.data(), W, s.scratch2);
    for (std::uint32_t w = 0; w < W; ++w) {
      const std::uint64_t first = blk * 64 * W + std::uint64_t(w) * 64;
      if (first >= hi) break;
      if (first + 64 <= lo) continue;
      std::uint64_t diff = 0;
      for (std::uint32_t o = 0; o < outs; ++o) diff |= s.out[std::size_t(o) * W + w] ^ s.out2[std::size_t(o) * W + w];
      if (hi - first < 64) diff &= (1ull << (hi - first)) - 1;
      if (first < lo) diff &= ~0ull << (lo - first);  // patterns of the range only
      if (diff) return first + static_cast<std::uint64_t>(__builtin_ctzll(diff));
    }
    return UINT64_MAX;
  });
}

equiv_result equivalent_by_simulation(const Circuit& a, const Circuit& b, const equiv_params& params) {
  if (a.num_inputs() != b.num_inputs())
    throw std::invalid_argument("the circuits have different input counts (" + std::to_string(a.num_inputs()) +
                                " and " + std::to_string(b.num_inputs()) + ")");
  if (a.num_outputs() != b.num_outputs())
    throw std::invalid_argument("the circuits have different output counts (" + std::to_string(a.num_outputs()) +
                                " and " + std::to_string(b.num_outputs()) + ")");
  const std::uint32_t n = a.num_inputs();
  equiv_result r;
  r.exhaustive = n <= params.max_exhaustive_inputs;
  PatternSet set{r.exhaustive ? PatternSet::exhaustive : PatternSet::random, params.random_patterns, params.seed};
  const std::uint64_t total = pattern_count(set, n);
  set.count = total;
  BitSimulator sa(a), sb(b);
  const std::uint32_t W =
      choose_words(params.sim.words, std::min(sa.default_words(), sb.default_words()), total);
  const std::uint64_t per_block = std::uint64_t(64) * W;
  const std::uint64_t blocks = (total + per_block - 1) / per_block;
  const auto start = std::chrono::steady_clock::now();
  std::atomic<std::uint64_t> first_diff{UINT64_MAX};
  // Blocks go in chunks, in order: the first chunk with a difference holds the lowest
  // differing pattern, so the answer does not depend on thread timing.
  const std::uint64_t chunk = std::max<std::uint64_t>(8, std::uint64_t(tbb::info::default_concurrency()) * 8);
  for (std::uint64_t begin = 0; begin < blocks; begin += chunk) {
    const std::uint64_t end = std::min(blocks, begin + chunk);
    sim_params sp = params.sim;
    sp.words = W;
    first_diff = first_difference(sa, sb, set, begin * per_block, end * per_block, sp);
    r.patterns_checked = std::min(total, end * per_block);
    if (first_diff.load() != UINT64_MAX) break;
    if (interrupted() && end < blocks) {
      r.verdict = equiv_result::unknown;
      r.reason = "interrupted after " + std::to_string(r.patterns_checked) + " of " + std::to_string(total) + " patterns";
      return r;
    }
    if (params.time_limit_s > 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > params.time_limit_s &&
        end < blocks) {
      r.verdict = equiv_result::unknown;
      r.reason = "time limit reached after " + std::to_string(r.patterns_checked) + " of " + std::to_string(total) +
                 " patterns, no difference so far";
      return r;
    }
  }
  if (first_diff.load() != UINT64_MAX) {
    r.verdict = equiv_result::different;
    r.inputs = pattern_inputs(set, n, first_diff.load());
    // Confirm with the scalar evaluator: a disagreement would be a simulator bug.
    r.outputs_a = evaluate(a, r.inputs);
    r.outputs_b = evaluate(b, r.inputs);
    if (r.outputs_a == r.outputs_b)
      throw std::logic_error("internal error: bit-parallel and scalar simulation disagree");
    return r;
  }
  if (r.exhaustive) {
    r.verdict = equiv_result::equal;
  } else {
    r.verdict = equiv_result::unknown;
    r.reason = "no difference found in " + std::to_string(total) + " random patterns (evidence, not a proof)";
  }
  return r;
}

}  // namespace tcx

namespace tcx {

std::uint64_t first_disagreement(const BitSimulator& sim, PatternSet set, std::uint64_t begin, std::uint64_t end,
                                 const sim_params& params, const ReferenceFn& reference) {
  const std::uint32_t ni = sim.num_inputs(), no = sim.num_outputs();
  end = std::min(end, set.count);
  if (begin >= end) return UINT64_MAX;
  const std::uint32_t W = choose_words(params.words, sim.default_words(), end - begin);
  return lowest_pattern(begin, end, W, params.threads,
                        [&](std::uint64_t blk, BlockState& s, std::uint64_t lo, std::uint64_t hi, const std::atomic<std::uint64_t>& lowest) {
    s.in.resize(std::size_t(ni) * W);
    s.out.resize(std::size_t(no) * W);
    fill_inputs(set, ni, blk, W, s.in.data());
    sim.run(s.in.data(), s.out.data(), W, s.scratch);
    const std::uint64_t first = blk * 64 * W;
    std::vector<std::uint8_t> x(ni), y(no);
    for (std::uint64_t p = lo; p < hi; ++p) {
      if (p >= lowest.load()) break;  // a lower pattern already disagrees
      const std::uint64_t k = p - first;
      const std::uint32_t w = static_cast<std::uint32_t>(k / 64), bit = k % 64;
      for (std::uint32_t i = 0; i < ni; ++i) x[i] = (s.in[std::size_t(i) * W + w] >> bit) & 1u;
      for (std::uint32_t o = 0; o < no; ++o) y[o] = (s.out[std::size_t(o) * W + w] >> bit) & 1u;
      const std::vector<std::uint8_t> want = reference(x);
      if (!want.empty() && want != y) return p;  // empty: a don't-care
    }
    return UINT64_MAX;
  });
}

reference_check_result check_against_reference(const Circuit& c, PatternSet set, const sim_params& params,
                                               const ReferenceFn& reference) {
  const std::uint32_t ni = c.num_inputs();
  if (set.kind == PatternSet::exhaustive) {
    if (ni > 40) throw std::invalid_argument("check_against_reference: too many inputs for exhaustive patterns");
    set.count = std::uint64_t(1) << ni;
  }
  reference_check_result r;
  r.checked = set.count;
  const std::uint64_t first_bad = first_disagreement(BitSimulator(c), set, 0, set.count, params, reference);
  if (first_bad != UINT64_MAX) {
    r.agree = false;
    r.first_bad = first_bad;
    r.input = pattern_inputs(set, ni, first_bad);
    r.circuit_output = evaluate(c, r.input);  // the scalar evaluator confirms the simulator
    r.reference_output = reference(r.input);
  }
  return r;
}

reference_check_result check_exhaustive_or_random(const Circuit& c, const reference_check_params& params,
                                                  const ReferenceFn& reference) {
  const PatternSet set = exhaustive_or_random(c.num_inputs(), params.max_exhaustive_bits, params.random_inputs, params.seed);
  reference_check_result r = check_against_reference(c, set, params.sim, reference);
  r.exhaustive = set.kind == PatternSet::exhaustive;
  return r;
}

}  // namespace tcx

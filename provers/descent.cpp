#include "provers/descent.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "circuits/builder.hpp"
#include "provers/sat.hpp"
#include "provers/separable_float.hpp"
#include "provers/synth_cex.hpp"
#include "provers/synth_tt.hpp"

namespace tcx {

namespace {

// The shape as a flat network: gate g reads the features src[off[g]..off[g+1]) (feature i < n is
// input i, n + h is gate h) with the weights theta[off[g]..], and its bias is theta[bias0 + g].
// The last `outputs` gates are the outputs.
struct Net {
  std::uint32_t n = 0, gates = 0, outputs = 0;
  std::vector<std::uint32_t> off, src;
  std::size_t bias0 = 0;
  bool hidden(std::uint32_t g) const { return g + outputs < gates; }
};

Net make_net(std::uint32_t n, const synth_shape& shape) {
  Net net;
  net.n = n;
  net.outputs = shape.widths.back();
  net.off.push_back(0);
  std::uint32_t layer_start = 0;  // first gate of the previous layer
  for (std::size_t l = 0; l < shape.widths.size(); ++l) {
    const std::uint32_t first = net.gates;
    for (std::uint32_t k = 0; k < shape.widths[l]; ++k) {
      if (l == 0 || shape.skip)
        for (std::uint32_t i = 0; i < n; ++i) net.src.push_back(i);
      for (std::uint32_t h = (shape.skip ? 0 : layer_start); l > 0 && h < first; ++h) net.src.push_back(n + h);
      net.off.push_back(static_cast<std::uint32_t>(net.src.size()));
      ++net.gates;
    }
    layer_start = first;
  }
  net.bias0 = net.src.size();
  return net;
}

// At most this many near misses per restart are repaired: with thousands of patterns a repair
// question takes seconds (a count; descent_params::repair_cpu_ratio bounds their CPU too).
constexpr std::uint32_t repairs_per_restart = 2;
// A repair sets free only the likeliest wrong gates: repair_gates of the first repair_gates +
// repair_extra_suspects of them (Trainer::suspects).
constexpr std::uint32_t repair_extra_suspects = 2;

// The largest refit question (distinct rows times sources) the exact LP is tried on when the
// float LP has no checked answer; past it the refit counts as failed. Measured on S_3 with five
// elements in 50,1 (7,776 rows, 65 sources): the exact LPs there never finished, and with them
// (a 2 s leash each) a 120 s budget made 2 restarts instead of 4.
constexpr std::size_t refit_exact_max_entries = std::size_t(1) << 16;

// What every thread reads: the question, and the checks and rankings the exact steps use.
struct Question {
  std::uint32_t inputs;
  const multi_truth_table& truth;
  std::shared_ptr<const truth_table> care;  // null: every pattern
  const synth_shape& shape;
  synth_detail::Counterexamples cx;
  const std::vector<std::uint32_t>& sens;  // per pattern, how informative as a counterexample
};

class Trainer {
public:
  // budget_s: this thread's CPU seconds (0: none); found: set by any thread that found a circuit.
  Trainer(const Net& net, const Question& question, std::vector<std::uint64_t> patterns,
          std::vector<std::vector<std::uint8_t>> targets, const descent_params& p, double budget_s, const std::atomic<bool>& found)
      : net_(net), q_(question), patterns_(std::move(patterns)), targets_(std::move(targets)), p_(p), budget_s_(budget_s),
        found_(found) {
    P_ = patterns_.size();
    B_ = p_.batch == 0 ? (P_ <= descent_full_batch_max ? P_ : descent_default_batch) : std::min<std::size_t>(p_.batch, P_);
    hard_.assign(std::size_t(net_.n + net_.gates) * P_, 0.f);
    for (std::uint32_t i = 0; i < net_.n; ++i)
      for (std::size_t q = 0; q < P_; ++q) hard_[i * P_ + q] = ((patterns_[q] >> i) & 1u) ? 1.f : -1.f;
    if (B_ == P_) {  // every pattern, every step: the inputs' rows once
      act_ = hard_;
    } else {
      act_.assign(std::size_t(net_.n + net_.gates) * B_, 0.f);
      batch_.resize(B_);
      batch_targets_.assign(targets_.size(), std::vector<std::uint8_t>(B_));
    }
    dact_.assign(act_.size(), 0.f);
    z_.assign(P_, 0.f);
    theta_.assign(net_.bias0 + net_.gates, 0.f);
    grad_.assign(theta_.size(), 0.f);
    check_every_ = static_cast<std::uint32_t>(std::max<std::uint64_t>(1, (std::uint64_t(1) << 22) / (B_ * (net_.src.size() + 1))));
  }

  // Restart `index`: random weights drawn from (seed, index), `steps` Adam steps, and at each
  // checkpoint of a near miss the exact refit, then the repair. Returns the circuit found.
  std::optional<Circuit> restart(std::uint32_t index, descent_stats& stats, double cpu0) {
    std::seed_seq seq{std::uint32_t(p_.seed), std::uint32_t(p_.seed >> 32), index};
    rng_.seed(seq);
    std::normal_distribution<float> normal(0.f, 1.f);
    for (std::uint32_t g = 0; g < net_.gates; ++g) {
      const float scale = 1.f / std::sqrt(static_cast<float>(net_.off[g + 1] - net_.off[g]));
      for (std::uint32_t s = net_.off[g]; s < net_.off[g + 1]; ++s) theta_[s] = scale * normal(rng_);
      theta_[net_.bias0 + g] = normal(rng_);
    }
    m_.assign(theta_.size(), 0.f);
    v_.assign(theta_.size(), 0.f);
    std::uint32_t repairs_left = repairs_per_restart;
    for (std::uint32_t step = 1; step <= p_.steps; ++step) {
      // The slope grows linearly (1 at the start, about 11 after 3000 steps): the tanh units
      // first learn smoothly, then harden towards the threshold gates they stand for.
      const float beta = 1.f + static_cast<float>(step) / 300.f;
      if (B_ < P_) draw_batch();
      gradient(beta);
      adam(step);
      if (step % 500 == 0 || step == p_.steps) {
        const std::uint64_t errors = harden();
        if (trace_) std::fprintf(stderr, "descent: restart %u, step %u: %llu wrong\n", index, step, static_cast<unsigned long long>(errors));
        stats.best_errors = std::min(stats.best_errors, errors);
        if (errors <= refit_errors()) {
          ++stats.refits;
          if (std::optional<Circuit> c = refit(cpu0)) return c;
          if (repairs_left > 0) {
            --repairs_left;
            if (std::optional<Circuit> c = repair(stats, cpu0)) {
              stats.repaired = true;
              return c;
            }
          }
        }
      }
      // Also between checkpoints (at 16 inputs and wide shapes 500 steps can take minutes), about
      // every 4 million multiply-adds.
      if (step % check_every_ == 0 && out_of_time(cpu0)) return std::nullopt;
    }
    return std::nullopt;
  }

  bool out_of_time(double cpu0) const {
    return (budget_s_ > 0 && thread_cpu_seconds() - cpu0 >= budget_s_) || found_.load(std::memory_order_relaxed) ||
           (p_.stop && p_.stop->load(std::memory_order_relaxed));
  }

private:
  // A refit is an exact LP per gate; it is tried once the trained network is nearly right (an
  // output separable over the hidden gates' values is then likely), not on every checkpoint.
  std::uint64_t refit_errors() const { return std::max<std::uint64_t>(8, P_ / 32); }

  // A mini-batch: B_ cared patterns drawn at random (with replacement), their input rows and
  // targets. (Half of each batch among the patterns wrong at the last look, or a quarter among
  // the true ones, did not help: docs/perf.md.)
  void draw_batch() {
    std::uniform_int_distribution<std::size_t> pick(0, P_ - 1);
    for (std::size_t k = 0; k < B_; ++k) batch_[k] = pick(rng_);
    for (std::uint32_t i = 0; i < net_.n; ++i)
      for (std::size_t k = 0; k < B_; ++k) act_[i * B_ + k] = hard_[i * P_ + batch_[k]];
    for (std::size_t o = 0; o < targets_.size(); ++o)
      for (std::size_t k = 0; k < B_; ++k) batch_targets_[o][k] = targets_[o][batch_[k]];
  }

  // Forward with tanh units, then back: the gradient of the mean logistic loss of the outputs,
  // over the batch.
  void gradient(float beta) {
    const std::size_t B = B_;
    std::fill(grad_.begin(), grad_.end(), 0.f);
    std::fill(dact_.begin() + std::ptrdiff_t(net_.n * B), dact_.end(), 0.f);
    for (std::uint32_t g = 0; g < net_.gates; ++g) {
      if (!net_.hidden(g)) continue;
      pre_activation(act_, B, g);
      float* a = &act_[(net_.n + g) * B];
      for (std::size_t q = 0; q < B; ++q) a[q] = std::tanh(beta * z_[q]);
    }
    const float scale = 1.f / static_cast<float>(B);
    for (std::uint32_t g = net_.gates; g-- > 0;) {
      float* dz = &dact_[(net_.n + g) * B];  // becomes d(loss)/dz in place
      if (net_.hidden(g)) {
        const float* a = &act_[(net_.n + g) * B];
        for (std::size_t q = 0; q < B; ++q) dz[q] *= beta * (1.f - a[q] * a[q]);
      } else {
        pre_activation(act_, B, g);
        const std::vector<std::uint8_t>& y = (B_ == P_ ? targets_ : batch_targets_)[g + net_.outputs - net_.gates];
        for (std::size_t q = 0; q < B; ++q) {
          const float sign = y[q] ? 1.f : -1.f;
          // d/dz log(1 + exp(-sign * beta * z)) = -sign * beta * sigmoid(-sign * beta * z)
          dz[q] = -sign * beta * scale / (1.f + std::exp(sign * beta * z_[q]));
        }
      }
      float db = 0;
      for (std::size_t q = 0; q < B; ++q) db += dz[q];
      grad_[net_.bias0 + g] = db;
      for (std::uint32_t s = net_.off[g]; s < net_.off[g + 1]; ++s) {
        const std::uint32_t f = net_.src[s];
        const float* x = &act_[f * B];
        float gw = 0;
        for (std::size_t q = 0; q < B; ++q) gw += dz[q] * x[q];
        grad_[s] = gw;
        if (f >= net_.n) {
          float* dx = &dact_[f * B];
          const float w = theta_[s];
          for (std::size_t q = 0; q < B; ++q) dx[q] += w * dz[q];
        }
      }
    }
  }

  // Gate g's sums into z_[0..count): features holds `count` values per feature.
  void pre_activation(const std::vector<float>& features, std::size_t count, std::uint32_t g) {
    std::fill(z_.begin(), z_.begin() + std::ptrdiff_t(count), theta_[net_.bias0 + g]);
    for (std::uint32_t s = net_.off[g]; s < net_.off[g + 1]; ++s) {
      const float w = theta_[s];
      const float* x = &features[net_.src[s] * count];
      for (std::size_t q = 0; q < count; ++q) z_[q] += w * x[q];
    }
  }

  void adam(std::uint32_t step) {
    constexpr float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
    const float c1 = 1.f - std::pow(b1, static_cast<float>(step)), c2 = 1.f - std::pow(b2, static_cast<float>(step));
    const float lr = static_cast<float>(p_.learning_rate);
    for (std::size_t k = 0; k < theta_.size(); ++k) {
      m_[k] = b1 * m_[k] + (1 - b1) * grad_[k];
      v_[k] = b2 * v_[k] + (1 - b2) * grad_[k] * grad_[k];
      theta_[k] -= lr * (m_[k] / c1) / (std::sqrt(v_[k] / c2) + eps);
    }
  }

  // The hidden gates as threshold gates (value z >= 0, over their sources' hard values), in
  // hard_; returns how many cared patterns the trained outputs get wrong on them.
  std::uint64_t harden() {
    std::uint64_t errors = 0;
    wrong_.assign(P_, 0);
    for (std::uint32_t g = 0; g < net_.gates; ++g) {
      pre_activation(hard_, P_, g);
      if (net_.hidden(g)) {
        float* h = &hard_[(net_.n + g) * P_];
        for (std::size_t q = 0; q < P_; ++q) h[q] = z_[q] >= 0 ? 1.f : -1.f;
      } else {
        const std::vector<std::uint8_t>& y = targets_[g + net_.outputs - net_.gates];
        for (std::size_t q = 0; q < P_; ++q) wrong_[q] |= static_cast<std::uint8_t>((z_[q] >= 0) != (y[q] != 0));
      }
    }
    for (std::uint8_t w : wrong_) errors += w;
    return errors;
  }

  // Every gate fitted exactly on the rows its sources take (hidden gates: their hard values;
  // outputs: the function). Null when an output is not separable there.
  std::optional<Circuit> refit(double cpu0) {
    std::vector<separability_result> fit(net_.gates);
    // A refit not made is only a restart that goes on (descent proves nothing either way); the
    // exact LP stops with the budget (before it could, one refit on S_3 with five elements ran
    // ten minutes past a 600 s budget).
    const auto give_up = [&] { return out_of_time(cpu0); };
    for (std::uint32_t k = 0; k < net_.gates; ++k) {
      const std::uint32_t g = net_.gates - 1 - k;  // outputs first: they are the ones that can fail
      const std::uint32_t dims = net_.off[g + 1] - net_.off[g];
      std::vector<std::uint8_t> points, labels;
      std::unordered_set<std::string> seen;  // distinct rows (row + label): the LP's size
      std::string key(dims + 1, '\0');
      for (std::size_t q = 0; q < P_; ++q) {
        for (std::uint32_t s = 0; s < dims; ++s) key[s] = hard_[net_.src[net_.off[g] + s] * P_ + q] > 0 ? '1' : '0';
        key[dims] = net_.hidden(g) ? (hard_[(net_.n + g) * P_ + q] > 0 ? '1' : '0')
                                   : (targets_[g + net_.outputs - net_.gates][q] ? '1' : '0');
        if (!seen.insert(key).second) continue;
        for (std::uint32_t s = 0; s < dims; ++s) points.push_back(key[s] == '1');
        labels.push_back(key[dims] == '1');
      }
      // The float LP proposes and its answer is checked exactly; the exact LP decides the rest.
      if (!float_separable(points, dims, labels, fit[g])) {
        if (labels.size() * dims > refit_exact_max_entries) return std::nullopt;
        fit[g] = check_separable(points, dims, labels, give_up);
      }
      if (!fit[g].decided || !fit[g].separable) return std::nullopt;
    }
    Builder b;
    std::vector<Lit> feature;
    for (std::uint32_t i = 0; i < net_.n; ++i) feature.push_back(b.add_input("x" + std::to_string(i)));
    for (std::uint32_t g = 0; g < net_.gates; ++g) {
      std::vector<Lit> in;
      for (std::uint32_t s = net_.off[g]; s < net_.off[g + 1]; ++s) in.push_back(feature[net_.src[s]]);
      feature.push_back(b.add_gate(in, fit[g].weights, fit[g].threshold));
    }
    for (std::uint32_t o = 0; o < net_.outputs; ++o) b.add_output(feature[net_.n + net_.gates - net_.outputs + o], "y" + std::to_string(o));
    Circuit c = std::move(b).build();
    if (!q_.cx.wrong(c, 1).empty()) return std::nullopt;  // cannot happen if every fit holds; checked anyway
    return c;
  }

  // The hidden gates, the likeliest wrong first: a wrong pattern votes for the gate whose sum is
  // nearest its threshold there (relative to the gate's weights), the gate whose value a small
  // change would flip; ties go to the smaller total distance over the wrong patterns.
  std::vector<std::uint32_t> suspects() {
    std::vector<std::uint32_t> hidden;
    for (std::uint32_t g = 0; g < net_.gates; ++g)
      if (net_.hidden(g)) hidden.push_back(g);
    std::vector<std::uint32_t> votes(hidden.size(), 0);
    std::vector<double> distance(hidden.size(), 0);
    std::vector<float> margins(hidden.size() * P_);
    for (std::size_t k = 0; k < hidden.size(); ++k) {
      const std::uint32_t g = hidden[k];
      pre_activation(hard_, P_, g);
      float norm = 0;
      for (std::uint32_t s = net_.off[g]; s < net_.off[g + 1]; ++s) norm += theta_[s] * theta_[s];
      norm = std::sqrt(norm) + 1e-12f;
      for (std::size_t q = 0; q < P_; ++q) margins[k * P_ + q] = std::fabs(z_[q]) / norm;
    }
    for (std::size_t q = 0; q < P_; ++q) {
      if (!wrong_[q]) continue;
      std::size_t nearest = 0;
      for (std::size_t k = 0; k < hidden.size(); ++k) {
        distance[k] += margins[k * P_ + q];
        if (margins[k * P_ + q] < margins[nearest * P_ + q]) nearest = k;
      }
      ++votes[nearest];
    }
    std::vector<std::size_t> order(hidden.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return votes[a] != votes[b] ? votes[a] > votes[b] : distance[a] < distance[b];
    });
    std::vector<std::uint32_t> ranked;
    for (std::size_t k : order) ranked.push_back(hidden[k]);
    return ranked;
  }

  // The near miss completed by SAT: all hidden gates but p_.repair_gates of them keep their
  // hard functions (threshold functions of their sources by construction) and the tt method
  // looks for the others and the outputs, for each choice among the first suspects in turn. The
  // tt method needs symmetry breaking off here: a kept gate is not normalized.
  std::optional<Circuit> repair(descent_stats& stats, double cpu0) {
    const std::uint32_t free = p_.repair_gates;
    if (free == 0 || free >= net_.gates - net_.outputs) return std::nullopt;  // nothing to keep: that is the whole question
    const std::vector<std::uint32_t> hidden = suspects();
    // Only the first few suspects are set free (each choice of `free` among them).
    const std::size_t pool = std::min<std::size_t>(hidden.size(), free + repair_extra_suspects);
    std::vector<truth_table> tables;  // hidden gate k's function on the cared patterns (0 elsewhere)
    for (std::uint32_t g : hidden) {
      truth_table t = make_truth_table(q_.inputs, [](std::uint64_t) { return false; });
      for (std::size_t q = 0; q < P_; ++q)
        if (hard_[(net_.n + g) * P_ + q] > 0) set_bit(t, patterns_[q]);
      tables.push_back(std::move(t));
    }
    synth_params sp;
    sp.shape = q_.shape;
    sp.method = synth_method::tt;
    sp.symmetry_breaking = false;
    sp.tt.cube_inputs = 0;
    sp.conflicts = p_.repair_conflicts;
    sp.care = q_.care;
    sp.stop = p_.stop;
    std::vector<std::uint32_t> chosen(free);  // indices into hidden, increasing: the gates set free
    for (std::uint32_t k = 0; k < free; ++k) chosen[k] = k;
    for (;;) {
      // The thread's repairs spend at most repair_cpu_ratio times what its training has (S_3 with
      // three elements in 12,1: 1 to 18 s a question against 0.5 s a restart).
      const double now = thread_cpu_seconds() - cpu0;
      const double allowance = std::isinf(p_.repair_cpu_ratio) ? p_.repair_cpu_ratio : p_.repair_cpu_ratio * (now - repair_cpu_) - repair_cpu_;
      if (out_of_time(cpu0) || !(allowance > 0)) return std::nullopt;
      const double left = budget_s_ > 0 ? budget_s_ - now : 0;  // 0: no limit
      sp.time_limit_s = std::isinf(allowance) ? left : left > 0 ? std::min(allowance, left) : allowance;
      if (!(sp.time_limit_s >= 0)) return std::nullopt;
      std::vector<const truth_table*> fixed(net_.gates, nullptr);
      for (std::size_t k = 0, c = 0; k < hidden.size(); ++k)
        if (c < free && chosen[c] == k) ++c;
        else fixed[hidden[k]] = &tables[k];
      ++stats.repairs;
      synth_result r = synth_detail::synthesize_tt(q_.inputs, q_.truth, q_.sens, sp, nullptr, fixed);
      repair_cpu_ += thread_cpu_seconds() - cpu0 - now;
      if (r.answer == synth_result::sat && q_.cx.wrong(r.circuit, 1).empty()) return std::move(r.circuit);
      // The next choice in lexicographic order.
      std::uint32_t k = free;
      while (k > 0 && chosen[k - 1] == pool - free + (k - 1)) --k;
      if (k == 0) return std::nullopt;
      ++chosen[k - 1];
      for (std::uint32_t j = k; j < free; ++j) chosen[j] = chosen[j - 1] + 1;
    }
  }

  const Net& net_;
  const Question& q_;
  std::vector<std::uint64_t> patterns_;              // the cared patterns, in order
  std::vector<std::vector<std::uint8_t>> targets_;   // [output][k]: the function on pattern k
  const descent_params& p_;
  const double budget_s_;
  const std::atomic<bool>& found_;
  std::mt19937_64 rng_;
  std::size_t P_ = 0;               // cared patterns
  std::size_t B_ = 0;               // patterns per step (P_: all of them, in order)
  std::vector<std::size_t> batch_;  // the step's patterns (indices into patterns_), when B_ < P_
  std::vector<std::vector<std::uint8_t>> batch_targets_;  // when B_ < P_, [output][k]: the function on the step's pattern k
  std::uint32_t check_every_ = 1;  // steps between budget checks
  const bool trace_ = std::getenv("TCX_DESCENT_TRACE") != nullptr;  // each checkpoint's wrong patterns, on stderr
  std::vector<float> act_, dact_;  // [feature * B + k]: the tanh network on the step's patterns
  std::vector<float> hard_;        // [feature * P + k]: the hard network on every cared pattern
  std::vector<float> z_;           // one gate's sums
  std::vector<float> theta_, grad_, m_, v_;
  std::vector<std::uint8_t> wrong_;  // per pattern: an output wrong at the last checkpoint
  double repair_cpu_ = 0;             // this thread's CPU seconds in repairs so far
};

}  // namespace

void check_descent_question(std::uint32_t inputs, const multi_truth_table& truth, const truth_table* care,
                            const synth_shape& shape, const descent_params& p) {
  if (shape.majority_of || shape.max_weight || shape.max_fanin)
    throw std::invalid_argument("descent: general threshold gates only (no --max-weight, --max-fanin or --majority)");
  if (inputs > descent_max_inputs) throw std::invalid_argument("descent: at most " + std::to_string(descent_max_inputs) + " inputs");
  if (shape.widths.empty() || std::find(shape.widths.begin(), shape.widths.end(), 0u) != shape.widths.end())
    throw std::invalid_argument("descent: every layer needs a gate");
  if (shape.widths.back() != truth.size()) throw std::invalid_argument("descent: the last layer's width must be the number of outputs");
  if (p.time_limit_s <= 0 && p.restarts == 0) throw std::invalid_argument("descent: needs a time limit or a number of restarts");
  if (p.jobs == 0 || p.jobs > 256) throw std::invalid_argument("descent: jobs must be in 1..256");
  if (!(p.repair_cpu_ratio > 0)) throw std::invalid_argument("descent: repair_cpu_ratio must be above 0");
  if (p.steps == 0 || !(p.learning_rate > 0)) throw std::invalid_argument("descent: needs at least one step and a positive step size");
  for (const truth_table& t : truth)
    if (t.num_vars() != inputs) throw std::invalid_argument("descent: a truth table needs 2^inputs rows");
  if (care && care->num_vars() != inputs) throw std::invalid_argument("descent: the care set needs 2^inputs rows");
  // Every cared pattern's hard values are kept, a float per input and gate (Trainer::hard_).
  const std::uint64_t patterns = care ? count_ones(*care) : std::uint64_t(1) << inputs;
  const std::uint64_t gates = std::accumulate(shape.widths.begin(), shape.widths.end(), std::uint64_t(0));
  const std::uint64_t bytes = patterns * (inputs + gates) * sizeof(float);
  if (bytes > descent_max_bytes)
    throw std::invalid_argument("descent: " + std::to_string(patterns) + " patterns times " + std::to_string(inputs + gates) +
                                " inputs and gates need " + std::to_string(bytes >> 20) + " MiB; at most " +
                                std::to_string(descent_max_bytes >> 20) + " MiB (fewer gates, or a care set)");

}

descent_result find_by_descent(std::uint32_t inputs, const multi_truth_table& truth, const truth_table* care,
                               const synth_shape& shape, const descent_params& p) {
  check_descent_question(inputs, truth, care, shape, p);
  const Net net = make_net(inputs, shape);
  std::vector<std::uint64_t> patterns;
  for (std::uint64_t q = 0; q < (std::uint64_t(1) << inputs); ++q)
    if (!care || get_bit(*care, q)) patterns.push_back(q);
  std::vector<std::vector<std::uint8_t>> targets(truth.size());
  for (std::size_t o = 0; o < truth.size(); ++o)
    for (std::uint64_t q : patterns) targets[o].push_back(get_bit(truth[o], q) ? 1 : 0);
  // One ranking of the patterns for the final checks and the repair's counterexamples (the
  // Counterexamples keep a reference to it: it lives as long as the search).
  const std::vector<std::uint32_t> sens = synth_detail::sensitivity(inputs, truth, care);
  const Question question{inputs, truth, care ? std::make_shared<const truth_table>(*care) : nullptr, shape,
                          synth_detail::Counterexamples(inputs, truth, care, sens), sens};

  // Each thread takes the next restart's index until the budget, the restarts or a find ends it.
  std::atomic<std::uint32_t> next{0};
  std::atomic<bool> found{false};
  std::mutex merge;
  descent_result r;
  auto work = [&] {
    const double cpu0 = thread_cpu_seconds();
    Trainer trainer(net, question, patterns, targets, p, p.time_limit_s / p.jobs, found);
    descent_stats st;
    std::optional<Circuit> c;
    std::uint32_t index = 0;
    while (!trainer.out_of_time(cpu0)) {
      index = next.fetch_add(1);
      if (p.restarts && index >= p.restarts) break;
      ++st.restarts;
      if ((c = trainer.restart(index, st, cpu0))) {
        found = true;
        break;
      }
    }
    const std::lock_guard<std::mutex> lock(merge);
    r.stats.restarts += st.restarts;
    r.stats.refits += st.refits;
    r.stats.repairs += st.repairs;
    r.stats.best_errors = std::min(r.stats.best_errors, st.best_errors);
    r.stats.seconds += thread_cpu_seconds() - cpu0;
    if (c && (!r.circuit || index < r.stats.found_by)) {  // two at once: the lower restart
      r.stats.found_by = index;
      r.stats.repaired = st.repaired;
      r.circuit = std::move(c);
    }
  };
  if (p.jobs == 1) {
    work();
    return r;
  }
  std::vector<std::thread> threads;
  std::exception_ptr failure;
  for (std::uint32_t t = 0; t < p.jobs; ++t)
    threads.emplace_back([&] {
      try {
        work();
      } catch (...) {
        found = true;  // ends the others
        const std::lock_guard<std::mutex> lock(merge);
        if (!failure) failure = std::current_exception();
      }
    });
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  return r;
}

}  // namespace tcx

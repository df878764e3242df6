// Families over a graph given in the input, whose natural circuits iterate a dynamic program
// step by step: reachability (frontier expansion), shortest paths (Bellman-Ford) and a
// deterministic finite-horizon MDP (backward value iteration).
#include <algorithm>

#include "circuits/builder.hpp"
#include "circuits/derived_gates.hpp"
#include "compilers/arith/select.hpp"
#include "compilers/arith/sort.hpp"
#include "compilers/arith/sum.hpp"
#include "tasks/family.hpp"

namespace tcx::tasks {

namespace {

// s-step reachability from vertex 0 to vertex v-1 in a directed graph given by its adjacency matrix.
struct Reachability {
  std::uint32_t v, steps;
  std::uint32_t input_bits() const { return v * v; }
  std::uint32_t output_bits() const { return 1; }
  Bits solve(const Bits& x) const {
    std::vector<int> dist(v, -1);  // breadth-first search
    std::vector<std::uint32_t> queue{0};
    dist[0] = 0;
    for (std::size_t h = 0; h < queue.size(); ++h)
      for (std::uint32_t j = 0; j < v; ++j)
        if (x[queue[h] * v + j] && dist[j] < 0) {
          dist[j] = dist[queue[h]] + 1;
          queue.push_back(j);
        }
    return Bits{dist[v - 1] >= 0 && dist[v - 1] <= static_cast<int>(steps)};
  }
  Circuit natural_circuit() const {
    Builder b;
    Word adj = add_input_word(b, v * v, "e");
    std::vector<Lit> reach(v, lit_false);
    reach[0] = lit_true;
    for (std::uint32_t s = 0; s < steps; ++s) {  // one frontier expansion per step
      std::vector<Lit> next(v);
      for (std::uint32_t j = 0; j < v; ++j) {
        std::vector<Lit> ways{reach[j]};
        for (std::uint32_t i = 0; i < v; ++i) ways.push_back(and2(b, reach[i], adj[i * v + j]));
        next[j] = or_all(b, ways);
      }
      reach = next;
    }
    b.add_output(reach[v - 1], "reachable");
    return std::move(b).build();
  }
};

// Shortest path from vertex 0 to v-1 using at most s edges (Bellman-Ford).
struct ShortestPath {
  std::uint32_t v, weight_bits, steps;
  std::uint32_t distance_bits() const { return weight_bits + ceil_log2(v) + 1; }
  std::uint32_t input_bits() const { return v * v * (1 + weight_bits); }
  std::uint32_t output_bits() const { return distance_bits() + 1; }
  Bits solve(const Bits& x) const {
    const std::int64_t inf = -1;
    std::vector<std::int64_t> d(v, inf);
    d[0] = 0;
    for (std::uint32_t s = 0; s < steps; ++s) {
      std::vector<std::int64_t> n = d;
      for (std::uint32_t i = 0; i < v; ++i)
        for (std::uint32_t j = 0; j < v; ++j) {
          std::size_t at = (std::size_t(i) * v + j) * (1 + weight_bits);
          if (!x[at] || d[i] == inf) continue;
          std::int64_t c = d[i] + static_cast<std::int64_t>(read_uint(x, at + 1, weight_bits));
          if (n[j] == inf || c < n[j]) n[j] = c;
        }
      d = n;
    }
    Bits out;
    write_uint(out, d[v - 1] == inf ? 0 : static_cast<std::uint64_t>(d[v - 1]), distance_bits());
    out.push_back(d[v - 1] == inf);
    return out;
  }
  Circuit natural_circuit() const {
    const std::uint32_t D = distance_bits();
    Builder b;
    std::vector<Lit> present(v * v);
    std::vector<Word> weight(v * v);
    for (std::uint32_t q = 0; q < v * v; ++q) {
      present[q] = b.add_input("e" + std::to_string(q));
      weight[q] = add_input_word(b, weight_bits, "w" + std::to_string(q));
    }
    // A distance is D+1 bits; the top bit means "infinite" and then every bit is 1.
    std::vector<Word> d(v, Word(D + 1, lit_true));
    d[0] = Word(D + 1, lit_false);
    for (std::uint32_t s = 0; s < steps; ++s) {
      std::vector<Word> n(v);
      for (std::uint32_t j = 0; j < v; ++j) {
        std::vector<Word> cands{d[j]};
        for (std::uint32_t i = 0; i < v; ++i) {
          Lit ok = and2(b, present[i * v + j], !d[i][D]);  // the edge exists and d_i is finite
          Word sum = add(b, Word(d[i].begin(), d[i].begin() + D), weight[i * v + j]);
          Word cand;
          for (std::uint32_t bit = 0; bit <= D; ++bit) {
            Lit sb = bit < sum.size() && bit < D ? sum[bit] : lit_false;
            cand.push_back(or2(b, sb, !ok));  // ok ? sum : all ones
          }
          cands.push_back(cand);
        }
        n[j] = min_word(b, cands);
      }
      d = n;
    }
    // Outputs: the distance (0 when infinite) and the infinity flag.
    const Lit unreachable = d[v - 1][D];
    for (std::uint32_t bit = 0; bit < D; ++bit) b.add_output(and2(b, d[v - 1][bit], !unreachable), "dist[" + std::to_string(bit) + "]");
    b.add_output(unreachable, "unreachable");
    return std::move(b).build();
  }
};

// Deterministic finite-horizon MDP: the optimal first action by backward value iteration.
struct Mdp {
  std::uint32_t S, A, rb, h;
  std::uint32_t state_bits() const { return std::max(1u, ceil_log2(S)); }
  std::uint32_t input_bits() const { return S * A * (state_bits() + rb); }
  std::uint32_t output_bits() const { return ceil_log2(A); }
  Bits solve(const Bits& x) const {
    const std::uint32_t sb = state_bits();
    std::vector<std::uint64_t> next(S * A), reward(S * A);
    for (std::uint32_t q = 0; q < S * A; ++q) {
      std::size_t at = std::size_t(q) * (sb + rb);
      next[q] = read_uint(x, at, sb);
      if (next[q] >= S) next[q] = 0;
      reward[q] = read_uint(x, at + sb, rb);
    }
    std::vector<std::uint64_t> V(S, 0);  // value with 0 steps to go
    for (std::uint32_t step = 1; step < h; ++step) {
      std::vector<std::uint64_t> W(S, 0);
      for (std::uint32_t s = 0; s < S; ++s)
        for (std::uint32_t a = 0; a < A; ++a) W[s] = std::max(W[s], reward[s * A + a] + V[next[s * A + a]]);
      V = W;
    }
    std::uint32_t best = 0;
    for (std::uint32_t a = 1; a < A; ++a)
      if (reward[a] + V[next[a]] > reward[best] + V[next[best]]) best = a;
    Bits out;
    write_uint(out, best, ceil_log2(A));
    return out;
  }
  Circuit natural_circuit() const {
    const std::uint32_t sb = state_bits();
    const std::uint32_t vb = rb + ceil_log2(h) + 1;  // values stay below h * 2^r
    Builder b;
    std::vector<Word> next(S * A), reward(S * A);
    for (std::uint32_t q = 0; q < S * A; ++q) {
      next[q] = add_input_word(b, sb, "next" + std::to_string(q));
      reward[q] = add_input_word(b, rb, "reward" + std::to_string(q));
    }
    auto q_value = [&](const std::vector<Word>& V, std::uint32_t q) {  // r(s,a) + V(next(s,a))
      Word v = add(b, reward[q], select(b, V, next[q]));               // index >= S selects 0 words: state 0 below
      v.resize(vb, lit_false);
      return v;
    };
    // An index >= S means state 0: fold it by making V cover all 2^sb indices.
    auto widen = [&](std::vector<Word> V) {
      while (V.size() < (std::size_t(1) << sb)) V.push_back(V[0]);
      return V;
    };
    std::vector<Word> V(S, Word(vb, lit_false));
    for (std::uint32_t step = 1; step < h; ++step) {
      std::vector<Word> Vw = widen(V), W(S);
      for (std::uint32_t s = 0; s < S; ++s) {
        std::vector<Word> qs;
        for (std::uint32_t a = 0; a < A; ++a) qs.push_back(q_value(Vw, s * A + a));
        W[s] = qs.size() == 1 ? qs[0] : max_word(b, qs);
      }
      V = W;
    }
    std::vector<Word> Vw = widen(V), first;
    for (std::uint32_t a = 0; a < A; ++a) first.push_back(q_value(Vw, a));
    if (A > 1) add_output_word(b, argmax_index(b, first), "action");
    return std::move(b).build();
  }
};

}  // namespace

Task reachability_task() {
  return make_task({"reachability", "is vertex v-1 reachable from vertex 0 in at most s steps",
                    "NL-complete (directed s-t reachability); serial in s for the natural circuit", true,
                    {{"v", 4, 2, 64, "vertices"}, {"steps", 3, 0, 64, "largest path length s"}},
                    "input i*v + j = edge i -> j (row-major adjacency matrix, self-loops allowed); output = [0 reaches v-1 "
                    "in <= s steps]"},
                   [](const TaskParams& p) { return Reachability{u32(p, "v"), u32(p, "steps")}; });
}

Task shortest_path_task() {
  return make_task({"shortest_path", "length of a shortest path from vertex 0 to v-1 with at most s edges",
                    "in NC (min-plus matrix powering); its natural circuit (Bellman-Ford) is serial in s", true,
                    {{"v", 3, 2, 16, "vertices"}, {"weight_bits", 2, 1, 8, "bits per edge weight w"}, {"steps", 2, 0, 16, "s"}},
                    "for each ordered pair (i, j), i major, in order: 1 presence bit and w weight bits (unsigned, LSB first) of "
                    "the edge i -> j; outputs = the distance in d = w + ceil(log2 v) + 1 bits followed by one bit that is 1 when "
                    "v-1 is not reachable in s edges (the distance bits are then 0)"},
                   [](const TaskParams& p) { return ShortestPath{u32(p, "v"), u32(p, "weight_bits"), u32(p, "steps")}; });
}

Task mdp_task() {
  return make_task({"mdp", "deterministic finite-horizon MDP: the optimal first action from state 0",
                    "finite-horizon MDPs are P-complete (Papadimitriou and Tsitsiklis 1987); this deterministic "
                    "version is in NC, but its natural circuit (value iteration) is serial in the horizon h",
                    true,
                    {{"states", 4, 1, 16, "states S"},
                     {"actions", 2, 1, 8, "actions A"},
                     {"reward_bits", 2, 1, 8, "bits per reward r"},
                     {"horizon", 3, 1, 64, "horizon h"}},
                    "for each state s and action a (s major), in order: the next state's index (ceil(log2 S) bits, LSB first; "
                    "an index >= S means state 0) and the reward (r bits, unsigned); the value of a policy is the sum of the "
                    "rewards of h steps; output = the first action of an optimal policy from state 0, ceil(log2 A) bits (ties: "
                    "the smallest action)"},
                   [](const TaskParams& p) {
                     return Mdp{u32(p, "states"), u32(p, "actions"), u32(p, "reward_bits"), u32(p, "horizon")};
                   });
}

}  // namespace tcx::tasks

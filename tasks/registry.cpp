#include <array>
#include <stdexcept>

#include "circuits/builder.hpp"
#include "compilers/arith/select.hpp"
#include "compilers/arith/sort.hpp"
#include "compilers/arith/sum.hpp"
#include "compilers/arith/symmetric.hpp"
#include "tasks/task.hpp"
#include "tasks/word_problem.hpp"

namespace tcx {

TaskParams Task::resolve(const TaskParams& given) const {
  TaskParams out;
  for (const auto& [k, v] : given) {
    bool known = false;
    for (const TaskParam& p : params) known = known || p.name == k;
    if (!known) throw std::invalid_argument("task " + name + " has no parameter '" + k + "'");
  }
  for (const TaskParam& p : params) {
    auto it = given.find(p.name);
    std::int64_t v = it == given.end() ? p.default_value : it->second;
    if (v < p.min || v > p.max)
      throw std::invalid_argument("task " + name + ": " + p.name + "=" + std::to_string(v) + " is outside [" +
                                  std::to_string(p.min) + ", " + std::to_string(p.max) + "]");
    out[p.name] = v;
  }
  return out;
}

namespace {

std::uint32_t t_input_bits(std::uint32_t m, std::uint32_t g, std::uint32_t ob) { return m + g * (2 + 2 * ob); }
std::uint32_t t_arith_bits(std::uint32_t k, std::uint32_t length) { return k + length * (2 + k); }

std::uint32_t get(const TaskParams& p, const char* k) { return static_cast<std::uint32_t>(p.at(k)); }

Bits uniform(std::uint32_t n, std::mt19937_64& rng) {
  Bits b(n);
  for (auto& x : b) x = rng() & 1u;
  return b;
}

// ---- helpers for natural circuits ----

Lit land(Builder& b, Lit x, Lit y) {
  Lit f[2] = {x, y};
  std::int64_t w[2] = {1, 1};
  return b.add_gate(f, w, 2);
}
Lit lor_all(Builder& b, const std::vector<Lit>& xs) {
  std::vector<std::int64_t> ones(xs.size(), 1);
  return b.add_gate(xs, ones, 1);
}
std::uint32_t ceil_log2(std::uint64_t v) {
  std::uint32_t l = 0;
  while ((1ull << l) < v) ++l;
  return l;
}
std::uint64_t read_uint(const Bits& x, std::size_t at, std::uint32_t bits) {
  std::uint64_t v = 0;
  for (std::uint32_t i = 0; i < bits; ++i) v |= std::uint64_t(x[at + i]) << i;
  return v;
}
void write_uint(Bits& out, std::uint64_t v, std::uint32_t bits) {
  for (std::uint32_t i = 0; i < bits; ++i) out.push_back((v >> i) & 1u);
}
Word slice(const Word& w, std::size_t at, std::size_t bits) { return Word(w.begin() + at, w.begin() + at + bits); }

// A task whose natural circuit is one arithmetic cell over `operands` words of k bits.
Task cell_task(std::string name, std::string desc, std::string cls, std::vector<TaskParam> params, std::string encoding,
               std::function<std::uint32_t(const TaskParams&)> in, std::function<std::uint32_t(const TaskParams&)> out,
               std::function<Bits(const TaskParams&, const Bits&)> solve, std::function<Circuit(const TaskParams&)> circ) {
  Task t;
  t.name = std::move(name);
  t.description = std::move(desc);
  t.complexity = std::move(cls);
  t.params = std::move(params);
  t.encoding = std::move(encoding);
  t.input_bits = std::move(in);
  t.output_bits = std::move(out);
  t.solve = std::move(solve);
  t.natural_circuit = std::move(circ);
  return t;
}

// ---- parallel (TC^0) tasks: their natural circuits are cells of compilers/arith ----

Task parity_task() {
  return cell_task(
      "parity", "XOR of n bits", "TC^0: depth 2, n+1 gates (symmetric-function construction); not in AC^0",
      {{"n", 8, 1, 4096, "number of bits"}}, "input i = bit x_i; output 0 = x_0 XOR ... XOR x_(n-1)",
      [](const TaskParams& p) { return get(p, "n"); }, [](const TaskParams&) { return 1u; },
      [](const TaskParams&, const Bits& x) {
        std::uint8_t v = 0;
        for (auto bit : x) v ^= bit;
        return Bits{v};
      },
      [](const TaskParams& p) {
        Builder b;
        Word x = add_input_word(b, get(p, "n"), "x");
        b.add_output(parity(b, x), "parity");
        return std::move(b).build();
      });
}

Task majority_task() {
  return cell_task(
      "majority", "are at least half of n bits 1", "TC^0: one threshold gate", {{"n", 9, 1, 4096, "number of bits"}},
      "input i = bit x_i; output 0 = [2 * (x_0 + ... + x_(n-1)) >= n]",
      [](const TaskParams& p) { return get(p, "n"); }, [](const TaskParams&) { return 1u; },
      [](const TaskParams&, const Bits& x) {
        std::size_t ones = 0;
        for (auto bit : x) ones += bit;
        return Bits{2 * ones >= x.size()};
      },
      [](const TaskParams& p) {
        Builder b;
        Word x = add_input_word(b, get(p, "n"), "x");
        b.add_output(majority(b, x), "majority");
        return std::move(b).build();
      });
}

Task addition_task() {
  return cell_task(
      "addition", "sum of two k-bit unsigned numbers", "TC^0: depth 2 (Alon and Bruck 1994)",
      {{"k", 8, 1, 1024, "bits per operand"}},
      "inputs 0..k-1 = a (LSB first), k..2k-1 = b; outputs 0..k = a + b (LSB first)",
      [](const TaskParams& p) { return 2 * get(p, "k"); }, [](const TaskParams& p) { return get(p, "k") + 1; },
      [](const TaskParams& p, const Bits& x) {
        const std::uint32_t k = get(p, "k");
        Bits s(k + 1);
        unsigned carry = 0;
        for (std::uint32_t i = 0; i < k; ++i) {  // schoolbook ripple addition
          unsigned v = x[i] + x[k + i] + carry;
          s[i] = v & 1u;
          carry = v >> 1;
        }
        s[k] = static_cast<std::uint8_t>(carry);
        return s;
      },
      [](const TaskParams& p) {
        Builder b;
        Word x = add_input_word(b, get(p, "k"), "a"), y = add_input_word(b, get(p, "k"), "b");
        add_output_word(b, add(b, x, y), "s");
        return std::move(b).build();
      });
}

// ---- serial tasks ----

// Elementary cellular automaton: cell i's next value is bit (4 l + 2 c + r) of the rule number.
Task eca_task() {
  Task t;
  t.name = "eca";
  t.description = "elementary cellular automaton: the row after t steps";
  t.complexity = "P-complete for rule 110 (Neary and Woods, ICALP 2006); serial";
  t.serial = true;
  t.params = {{"rule", 110, 0, 255, "Wolfram rule number"},
              {"cells", 8, 1, 4096, "row width c"},
              {"steps", 4, 0, 4096, "steps t"},
              {"periodic", 0, 0, 1, "1: cells wrap around; 0: fixed 0 beyond both ends"},
              {"cell", -1, -1, 4095, "output only this cell (-1: the whole row)"}};
  t.encoding =
      "input i = cell i of the initial row (cell 0 leftmost, its left neighbour is cell c-1 when periodic, "
      "else 0); next value of a cell = bit (4*left + 2*centre + right) of the rule number; outputs = the row "
      "after t steps (cell i = output i), or the one cell asked for";
  t.input_bits = [](const TaskParams& p) { return get(p, "cells"); };
  t.output_bits = [](const TaskParams& p) { return p.at("cell") < 0 ? get(p, "cells") : 1u; };
  t.solve = [](const TaskParams& p, const Bits& x) {
    const std::uint32_t c = get(p, "cells"), rule = get(p, "rule");
    const bool periodic = p.at("periodic") == 1;
    Bits row = x;
    for (std::uint32_t s = 0; s < get(p, "steps"); ++s) {
      Bits next(c);
      for (std::uint32_t i = 0; i < c; ++i) {
        unsigned l = i > 0 ? row[i - 1] : (periodic ? row[c - 1] : 0);
        unsigned r = i + 1 < c ? row[i + 1] : (periodic ? row[0] : 0);
        next[i] = (rule >> (4 * l + 2 * row[i] + r)) & 1u;
      }
      row = next;
    }
    if (p.at("cell") >= 0) {
      if (p.at("cell") >= c) throw std::invalid_argument("eca: cell must be below cells");
      return Bits{row[static_cast<std::size_t>(p.at("cell"))]};
    }
    return row;
  };
  t.natural_circuit = [](const TaskParams& p) {
    const std::uint32_t c = get(p, "cells"), rule = get(p, "rule");
    const bool periodic = p.at("periodic") == 1;
    Builder b;
    Word row = add_input_word(b, c, "x");
    std::vector<bool> table(8);
    for (unsigned v = 0; v < 8; ++v) table[v] = (rule >> v) & 1u;  // index bits: r = bit 0, c = 1, l = 2
    for (std::uint32_t s = 0; s < get(p, "steps"); ++s) {
      Word next;
      for (std::uint32_t i = 0; i < c; ++i) {
        Lit l = i > 0 ? row[i - 1] : (periodic ? row[c - 1] : lit_false);
        Lit r = i + 1 < c ? row[i + 1] : (periodic ? row[0] : lit_false);
        next.push_back(lookup(b, Word{r, row[i], l}, table));
      }
      row = next;
    }
    if (p.at("cell") >= 0) {
      if (p.at("cell") >= c) throw std::invalid_argument("eca: cell must be below cells");
      b.add_output(row[static_cast<std::size_t>(p.at("cell"))], "y");
    } else {
      add_output_word(b, row, "y");
    }
    return std::move(b).build();
  };
  return t;
}

// Word problem over maps of {0..4}: compose n of them. A permutation is stored as its five
// images of 3 bits; images 5, 6, 7 read as 0, 1, 2 (value mod 5), so every input is a map and
// on permutations this is the S_5 word problem.
Task s5_task() {
  Task t;
  t.name = "s5";
  t.description = "compose n permutations of 5 elements (S_5 word problem)";
  t.complexity = "NC^1-complete (Barrington 1989): outside TC^0 unless TC^0 = NC^1; serial";
  t.serial = true;
  t.params = {{"n", 4, 1, 1024, "number of permutations"}};
  t.encoding =
      "permutation j uses inputs 15j..15j+14: image of element e in bits 15j+3e .. 15j+3e+2 (LSB first), "
      "values 5..7 read mod 5; the product applies permutation 0 first; outputs = the five images of the "
      "product, 3 bits each (output 3e+b = bit b of the image of e)";
  t.input_bits = [](const TaskParams& p) { return 15 * get(p, "n"); };
  t.output_bits = [](const TaskParams&) { return 15u; };
  t.solve = [](const TaskParams& p, const Bits& x) {
    unsigned cur[5] = {0, 1, 2, 3, 4};
    for (std::uint32_t j = 0; j < get(p, "n"); ++j) {
      unsigned img[5];
      for (unsigned e = 0; e < 5; ++e) {
        std::size_t base = 15 * j + 3 * e;
        img[e] = (x[base] + 2u * x[base + 1] + 4u * x[base + 2]) % 5;
      }
      for (unsigned e = 0; e < 5; ++e) cur[e] = img[cur[e]];  // apply permutation j after the previous ones
    }
    Bits out(15);
    for (unsigned e = 0; e < 5; ++e)
      for (unsigned bit = 0; bit < 3; ++bit) out[3 * e + bit] = (cur[e] >> bit) & 1u;
    return out;
  };
  t.natural_circuit = [](const TaskParams& p) {
    Builder b;
    const std::uint32_t n = get(p, "n");
    std::vector<std::vector<Word>> raws(n), perms(n);  // perms[j][e] = image of e, 3 bits, reduced mod 5
    for (std::uint32_t j = 0; j < n; ++j)
      for (unsigned e = 0; e < 5; ++e) raws[j].push_back(add_input_word(b, 3, "p" + std::to_string(j) + "_" + std::to_string(e)));
    for (std::uint32_t j = 0; j < n; ++j)
      for (unsigned e = 0; e < 5; ++e) {
        const Word& raw = raws[j][e];
        // v mod 5 for v in 0..7, bit by bit, as lookup tables over the 3 bits
        Word red;
        for (unsigned bit = 0; bit < 3; ++bit) {
          std::vector<bool> table(8);
          for (unsigned v = 0; v < 8; ++v) table[v] = ((v % 5) >> bit) & 1u;
          red.push_back(lookup(b, raw, table));
        }
        perms[j].push_back(red);
      }
    // The straightforward circuit: compose left to right, one selection layer per permutation.
    std::vector<Word> cur;
    for (unsigned e = 0; e < 5; ++e) cur.push_back(constant_word(e, 3));
    for (std::uint32_t j = 0; j < n; ++j) {
      std::vector<Word> next;
      for (unsigned e = 0; e < 5; ++e) next.push_back(select(b, perms[j], cur[e]));  // perms[j][cur[e]]
      cur = next;
    }
    for (unsigned e = 0; e < 5; ++e) add_output_word(b, cur[e], "y" + std::to_string(e));
    return std::move(b).build();
  };
  return t;
}

Task multiplication_task() {
  return cell_task(
      "multiplication", "product of two k-bit unsigned numbers", "TC^0: depth 3 (Siu and Roychowdhury 1994)",
      {{"k", 6, 1, 256, "bits per operand"}}, "inputs 0..k-1 = a, k..2k-1 = b (LSB first); outputs 0..2k-1 = a*b",
      [](const TaskParams& p) { return 2 * get(p, "k"); }, [](const TaskParams& p) { return 2 * get(p, "k"); },
      [](const TaskParams& p, const Bits& x) {
        const std::uint32_t k = get(p, "k");
        // schoolbook: add a shifted by i for every set bit i of b, in a bit array
        Bits acc(2 * k, 0);
        for (std::uint32_t i = 0; i < k; ++i) {
          if (!x[k + i]) continue;
          unsigned carry = 0;
          for (std::uint32_t j = 0; j < 2 * k - i; ++j) {
            unsigned v = acc[i + j] + (j < k ? x[j] : 0) + carry;
            acc[i + j] = v & 1u;
            carry = v >> 1;
          }
        }
        return acc;
      },
      [](const TaskParams& p) {
        Builder b;
        Word x = add_input_word(b, get(p, "k"), "a"), y = add_input_word(b, get(p, "k"), "b");
        add_output_word(b, multiply(b, x, y), "p");
        return std::move(b).build();
      });
}

Task counting_task() {
  return cell_task(
      "counting", "number of 1s among n bits, in binary", "TC^0: depth 2", {{"n", 8, 1, 4096, "number of bits"}},
      "input i = x_i; outputs = x_0 + ... + x_(n-1) in binary, LSB first, floor(log2 n) + 1 bits",
      [](const TaskParams& p) { return get(p, "n"); },
      [](const TaskParams& p) { return ceil_log2(get(p, "n") + 1ull); },
      [](const TaskParams& p, const Bits& x) {
        std::uint64_t c = 0;
        for (auto b : x) c += b;
        Bits out;
        write_uint(out, c, ceil_log2(get(p, "n") + 1ull));
        return out;
      },
      [](const TaskParams& p) {
        Builder b;
        Word x = add_input_word(b, get(p, "n"), "x");
        add_output_word(b, popcount(b, x), "count");
        return std::move(b).build();
      });
}

Task sorting_task() {
  return cell_task(
      "sorting", "m unsigned k-bit numbers in descending order", "TC^0: depth 3 (Siu, Bruck, Kailath, Hofmeister 1993)",
      {{"m", 3, 1, 64, "how many numbers"}, {"k", 3, 1, 64, "bits per number"}},
      "number j is inputs jk..jk+k-1 (LSB first); output r*k..r*k+k-1 is the r-th largest",
      [](const TaskParams& p) { return get(p, "m") * get(p, "k"); },
      [](const TaskParams& p) { return get(p, "m") * get(p, "k"); },
      [](const TaskParams& p, const Bits& x) {
        const std::uint32_t m = get(p, "m"), k = get(p, "k");
        std::vector<std::uint64_t> v;
        for (std::uint32_t j = 0; j < m; ++j) v.push_back(read_uint(x, std::size_t(j) * k, k));
        std::sort(v.begin(), v.end(), std::greater<>());
        Bits out;
        for (auto e : v) write_uint(out, e, k);
        return out;
      },
      [](const TaskParams& p) {
        Builder b;
        std::vector<Word> xs;
        for (std::uint32_t j = 0; j < get(p, "m"); ++j) xs.push_back(add_input_word(b, get(p, "k"), "x" + std::to_string(j)));
        for (const Word& w : sort_words(b, xs)) add_output_word(b, w);
        return std::move(b).build();
      });
}

// Balanced AND/OR formula of depth d: 2^d leaf values, then one type bit per internal node.
Task formula_task() {
  Task t;
  t.name = "formula";
  t.description = "evaluate a balanced AND/OR formula of depth d";
  t.complexity = "in NC^1; evaluating formulas given as strings is NC^1-complete (Buss 1987); serial in d";
  t.serial = true;
  t.params = {{"depth", 3, 0, 12, "formula depth d (2^d leaves)"}};
  t.encoding =
      "inputs 0..2^d-1 = leaf values, left to right; then one bit per internal node, level by level from the "
      "leaves up (left to right), 1 = AND, 0 = OR; output = the root's value";
  t.input_bits = [](const TaskParams& p) { return (2u << get(p, "depth")) - 1; };
  t.output_bits = [](const TaskParams&) { return 1u; };
  t.solve = [](const TaskParams& p, const Bits& x) {
    const std::uint32_t d = get(p, "depth");
    std::vector<std::uint8_t> level(x.begin(), x.begin() + (1u << d));
    std::size_t type = 1u << d;
    while (level.size() > 1) {
      std::vector<std::uint8_t> up;
      for (std::size_t i = 0; i < level.size(); i += 2, ++type)
        up.push_back(x[type] ? (level[i] && level[i + 1]) : (level[i] || level[i + 1]));
      level = up;
    }
    return Bits{level[0]};
  };
  t.natural_circuit = [](const TaskParams& p) {
    const std::uint32_t d = get(p, "depth");
    Builder b;
    Word x = add_input_word(b, (2u << d) - 1, "x");
    std::vector<Lit> level(x.begin(), x.begin() + (1u << d));
    std::size_t type = 1u << d;
    while (level.size() > 1) {
      std::vector<Lit> up;
      for (std::size_t i = 0; i < level.size(); i += 2, ++type) {
        // AND when the type bit is 1, OR when 0: [a + b - type >= 1]
        Lit f[3] = {level[i], level[i + 1], x[type]};
        std::int64_t w[3] = {1, 1, -1};
        up.push_back(b.add_gate(f, w, 1));
      }
      level = up;
    }
    b.add_output(level[0], "value");
    return std::move(b).build();
  };
  return t;
}

// s-step reachability from vertex 0 to vertex v-1 in a directed graph given by its adjacency matrix.
Task reachability_task() {
  Task t;
  t.name = "reachability";
  t.description = "is vertex v-1 reachable from vertex 0 in at most s steps";
  t.complexity = "NL-complete (directed s-t reachability); serial in s for the natural circuit";
  t.serial = true;
  t.params = {{"v", 4, 2, 64, "vertices"}, {"steps", 3, 0, 64, "largest path length s"}};
  t.encoding = "input i*v + j = edge i -> j (row-major adjacency matrix, self-loops allowed); output = [0 reaches v-1 "
               "in <= s steps]";
  t.input_bits = [](const TaskParams& p) { return get(p, "v") * get(p, "v"); };
  t.output_bits = [](const TaskParams&) { return 1u; };
  t.solve = [](const TaskParams& p, const Bits& x) {
    const std::uint32_t v = get(p, "v");
    std::vector<int> dist(v, -1);  // breadth-first search
    std::vector<std::uint32_t> queue{0};
    dist[0] = 0;
    for (std::size_t h = 0; h < queue.size(); ++h)
      for (std::uint32_t j = 0; j < v; ++j)
        if (x[queue[h] * v + j] && dist[j] < 0) {
          dist[j] = dist[queue[h]] + 1;
          queue.push_back(j);
        }
    return Bits{dist[v - 1] >= 0 && dist[v - 1] <= static_cast<int>(get(p, "steps"))};
  };
  t.natural_circuit = [](const TaskParams& p) {
    const std::uint32_t v = get(p, "v");
    Builder b;
    Word adj = add_input_word(b, v * v, "e");
    std::vector<Lit> reach(v, lit_false);
    reach[0] = lit_true;
    for (std::uint32_t s = 0; s < get(p, "steps"); ++s) {  // one frontier expansion per step
      std::vector<Lit> next(v);
      for (std::uint32_t j = 0; j < v; ++j) {
        std::vector<Lit> ways{reach[j]};
        for (std::uint32_t i = 0; i < v; ++i) ways.push_back(land(b, reach[i], adj[i * v + j]));
        next[j] = lor_all(b, ways);
      }
      reach = next;
    }
    b.add_output(reach[v - 1], "reachable");
    return std::move(b).build();
  };
  return t;
}

// Circuit value problem: a straight-line program of g gates over m input values.
Task cvp_task() {
  Task t;
  t.name = "cvp";
  t.description = "circuit value: evaluate a straight-line Boolean program of g gates";
  t.complexity = "P-complete (Ladner 1975); serial";
  t.serial = true;
  t.params = {{"inputs", 2, 1, 64, "input values m"}, {"gates", 3, 1, 64, "gates g"}};
  t.encoding =
      "inputs 0..m-1 = the values w_0..w_(m-1); then per gate k (wire m+k), in order: 2 type bits "
      "(0 AND, 1 OR, 2 NAND, 3 NOR, LSB first) and two operand indices of b = ceil(log2(m+g)) bits each "
      "(LSB first); an operand index that is not an earlier wire reads 0; output = the last gate's value";
  auto operand_bits = [](const TaskParams& p) { return std::max(1u, ceil_log2(get(p, "inputs") + get(p, "gates"))); };
  t.input_bits = [operand_bits](const TaskParams& p) {
    return get(p, "inputs") + get(p, "gates") * (2 + 2 * operand_bits(p));
  };
  t.output_bits = [](const TaskParams&) { return 1u; };
  t.solve = [operand_bits](const TaskParams& p, const Bits& x) {
    const std::uint32_t m = get(p, "inputs"), g = get(p, "gates"), ob = operand_bits(p);
    std::vector<std::uint8_t> wire(x.begin(), x.begin() + m);
    std::size_t at = m;
    for (std::uint32_t k = 0; k < g; ++k) {
      unsigned type = static_cast<unsigned>(read_uint(x, at, 2));
      std::uint64_t ia = read_uint(x, at + 2, ob), ib = read_uint(x, at + 2 + ob, ob);
      at += 2 + 2 * ob;
      bool a = ia < wire.size() && wire[ia], bv = ib < wire.size() && wire[ib];
      bool v = type == 0 ? (a && bv) : type == 1 ? (a || bv) : type == 2 ? !(a && bv) : !(a || bv);
      wire.push_back(v);
    }
    return Bits{wire.back()};
  };
  t.natural_circuit = [operand_bits](const TaskParams& p) {
    const std::uint32_t m = get(p, "inputs"), g = get(p, "gates"), ob = operand_bits(p);
    Builder b;
    Word x = add_input_word(b, t_input_bits(m, g, ob), "x");
    std::vector<Word> wires;
    for (std::uint32_t i = 0; i < m; ++i) wires.push_back(Word{x[i]});
    std::size_t at = m;
    for (std::uint32_t k = 0; k < g; ++k) {
      Word type = slice(x, at, 2), ia = slice(x, at + 2, ob), ib = slice(x, at + 2 + ob, ob);
      at += 2 + 2 * ob;
      Lit a = select(b, wires, ia)[0], bv = select(b, wires, ib)[0];  // depth 2: the operands
      // the gate: a function of (a, b, type0, type1), a 16-entry table
      std::vector<bool> table(16);
      for (unsigned q = 0; q < 16; ++q) {
        bool qa = q & 1, qb = q & 2;
        unsigned ty = q >> 2;
        table[q] = ty == 0 ? (qa && qb) : ty == 1 ? (qa || qb) : ty == 2 ? !(qa && qb) : !(qa || qb);
      }
      wires.push_back(Word{lookup(b, Word{a, bv, type[0], type[1]}, table)});
    }
    b.add_output(wires.back()[0], "value");
    return std::move(b).build();
  };
  return t;
}

// Margolus billiard-ball model on a W x H torus: 2x2 blocks, the partition shifting by (1, 1)
// every other step; one particle crosses its block diagonally, two on a diagonal turn to the
// other diagonal, anything else stays.
Task billiard_task() {
  Task t;
  t.name = "billiard";
  t.description = "Margolus billiard-ball lattice gas on a W x H torus, t steps";
  t.complexity = "P-complete: it simulates conservative logic, hence the circuit value problem (Fredkin and Toffoli "
                 "1982, Margolus 1984); serial";
  t.serial = true;
  t.params = {{"width", 4, 2, 64, "W (even)"}, {"height", 4, 2, 64, "H (even)"}, {"steps", 2, 0, 256, "steps t"}};
  t.encoding =
      "input y*W + x = cell (x, y), 1 = a particle; step s uses the 2x2 blocks whose top-left corner has even "
      "coordinates (s even) or odd ones (s odd), wrapping around; in a block with corners a (top left), b (top "
      "right), c (bottom left), d (bottom right): one particle moves to the opposite corner, a+d becomes b+c and "
      "b+c becomes a+d, anything else is unchanged; outputs = the grid after t steps, same order";
  auto check = [](const TaskParams& p) {
    if (get(p, "width") % 2 || get(p, "height") % 2) throw std::invalid_argument("billiard: width and height must be even");
  };
  t.input_bits = [check](const TaskParams& p) { check(p); return get(p, "width") * get(p, "height"); };
  t.output_bits = [](const TaskParams& p) { return get(p, "width") * get(p, "height"); };
  // The block rule on (a, b, c, d) -> (a', b', c', d').
  auto rule = [](unsigned a, unsigned b, unsigned c, unsigned d) {
    unsigned n = a + b + c + d;
    std::array<unsigned, 4> out{a, b, c, d};
    if (n == 1) out = {d, c, b, a};                       // cross the block diagonally
    else if (n == 2 && a && d) out = {0, 1, 1, 0};        // head-on collision: turn
    else if (n == 2 && b && c) out = {1, 0, 0, 1};
    return out;
  };
  t.solve = [check, rule](const TaskParams& p, const Bits& x) {
    check(p);
    const std::uint32_t W = get(p, "width"), H = get(p, "height");
    Bits g = x;
    for (std::uint32_t s = 0; s < get(p, "steps"); ++s) {
      const std::uint32_t o = s % 2;
      Bits next = g;
      for (std::uint32_t by = o; by < H + o; by += 2)
        for (std::uint32_t bx = o; bx < W + o; bx += 2) {
          std::uint32_t x0 = bx % W, x1 = (bx + 1) % W, y0 = by % H, y1 = (by + 1) % H;
          auto r = rule(g[y0 * W + x0], g[y0 * W + x1], g[y1 * W + x0], g[y1 * W + x1]);
          next[y0 * W + x0] = r[0];
          next[y0 * W + x1] = r[1];
          next[y1 * W + x0] = r[2];
          next[y1 * W + x1] = r[3];
        }
      g = next;
    }
    return g;
  };
  t.natural_circuit = [check, rule](const TaskParams& p) {
    check(p);
    const std::uint32_t W = get(p, "width"), H = get(p, "height");
    Builder b;
    Word g = add_input_word(b, W * H, "cell");
    std::vector<bool> tables[4];  // corner k's new value as a function of (a, b, c, d) = bits 0..3
    for (auto& tb : tables) tb.resize(16);
    for (unsigned q = 0; q < 16; ++q) {
      auto r = rule(q & 1, (q >> 1) & 1, (q >> 2) & 1, (q >> 3) & 1);
      for (unsigned k = 0; k < 4; ++k) tables[k][q] = r[k];
    }
    for (std::uint32_t s = 0; s < get(p, "steps"); ++s) {
      const std::uint32_t o = s % 2;
      Word next = g;
      for (std::uint32_t by = o; by < H + o; by += 2)
        for (std::uint32_t bx = o; bx < W + o; bx += 2) {
          std::uint32_t idx[4] = {(by % H) * W + bx % W, (by % H) * W + (bx + 1) % W, ((by + 1) % H) * W + bx % W,
                                  ((by + 1) % H) * W + (bx + 1) % W};
          Word block{g[idx[0]], g[idx[1]], g[idx[2]], g[idx[3]]};
          for (unsigned k = 0; k < 4; ++k) next[idx[k]] = lookup(b, block, tables[k]);
        }
      g = next;
    }
    add_output_word(b, g, "cell");
    return std::move(b).build();
  };
  return t;
}

// Deterministic finite-horizon MDP: the optimal first action by backward value iteration.
Task mdp_task() {
  Task t;
  t.name = "mdp";
  t.description = "deterministic finite-horizon MDP: the optimal first action from state 0";
  t.complexity = "finite-horizon MDPs are P-complete (Papadimitriou and Tsitsiklis 1987); this deterministic "
                 "version is in NC, but its natural circuit (value iteration) is serial in the horizon h";
  t.serial = true;
  t.params = {{"states", 4, 1, 16, "states S"},
              {"actions", 2, 1, 8, "actions A"},
              {"reward_bits", 2, 1, 8, "bits per reward r"},
              {"horizon", 3, 1, 64, "horizon h"}};
  auto sb = [](const TaskParams& p) { return std::max(1u, ceil_log2(get(p, "states"))); };
  t.encoding =
      "for each state s and action a (s major), in order: the next state's index (ceil(log2 S) bits, LSB first; "
      "an index >= S means state 0) and the reward (r bits, unsigned); the value of a policy is the sum of the "
      "rewards of h steps; output = the first action of an optimal policy from state 0, ceil(log2 A) bits (ties: "
      "the smallest action)";
  t.input_bits = [sb](const TaskParams& p) {
    return get(p, "states") * get(p, "actions") * (sb(p) + get(p, "reward_bits"));
  };
  t.output_bits = [](const TaskParams& p) { return ceil_log2(get(p, "actions")); };
  t.solve = [sb](const TaskParams& p, const Bits& x) {
    const std::uint32_t S = get(p, "states"), A = get(p, "actions"), rb = get(p, "reward_bits"), h = get(p, "horizon");
    std::vector<std::uint64_t> next(S * A), reward(S * A);
    for (std::uint32_t q = 0; q < S * A; ++q) {
      std::size_t at = std::size_t(q) * (sb(p) + rb);
      next[q] = read_uint(x, at, sb(p));
      if (next[q] >= S) next[q] = 0;
      reward[q] = read_uint(x, at + sb(p), rb);
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
  };
  t.natural_circuit = [sb](const TaskParams& p) {
    const std::uint32_t S = get(p, "states"), A = get(p, "actions"), rb = get(p, "reward_bits"), h = get(p, "horizon");
    const std::uint32_t vb = rb + ceil_log2(h) + 1;  // values stay below h * 2^r
    Builder b;
    std::vector<Word> next(S * A), reward(S * A);
    for (std::uint32_t q = 0; q < S * A; ++q) {
      next[q] = add_input_word(b, sb(p), "next" + std::to_string(q));
      reward[q] = add_input_word(b, rb, "reward" + std::to_string(q));
    }
    auto q_value = [&](const std::vector<Word>& V, std::uint32_t q) {  // r(s,a) + V(next(s,a))
      Word v = add(b, reward[q], select(b, V, next[q]));               // index >= S selects 0 words: state 0 below
      v.resize(vb, lit_false);
      return v;
    };
    // An index >= S means state 0: fold it by making V cover all 2^sb indices.
    auto widen = [&](std::vector<Word> V) {
      while (V.size() < (std::size_t(1) << sb(p))) V.push_back(V[0]);
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
  };
  return t;
}

// Shortest path from vertex 0 to v-1 using at most s edges (Bellman-Ford).
Task shortest_path_task() {
  Task t;
  t.name = "shortest_path";
  t.description = "length of a shortest path from vertex 0 to v-1 with at most s edges";
  t.complexity = "in NC (min-plus matrix powering); its natural circuit (Bellman-Ford) is serial in s";
  t.serial = true;
  t.params = {{"v", 3, 2, 16, "vertices"}, {"weight_bits", 2, 1, 8, "bits per edge weight w"}, {"steps", 2, 0, 16, "s"}};
  auto db = [](const TaskParams& p) { return get(p, "weight_bits") + ceil_log2(get(p, "v")) + 1; };
  t.encoding =
      "for each ordered pair (i, j), i major, in order: 1 presence bit and w weight bits (unsigned, LSB first) of "
      "the edge i -> j; outputs = the distance in d = w + ceil(log2 v) + 1 bits followed by one bit that is 1 when "
      "v-1 is not reachable in s edges (the distance bits are then 0)";
  t.input_bits = [](const TaskParams& p) { return get(p, "v") * get(p, "v") * (1 + get(p, "weight_bits")); };
  t.output_bits = [db](const TaskParams& p) { return db(p) + 1; };
  t.solve = [db](const TaskParams& p, const Bits& x) {
    const std::uint32_t v = get(p, "v"), wb = get(p, "weight_bits");
    const std::int64_t inf = -1;
    std::vector<std::int64_t> d(v, inf);
    d[0] = 0;
    for (std::uint32_t s = 0; s < get(p, "steps"); ++s) {
      std::vector<std::int64_t> n = d;
      for (std::uint32_t i = 0; i < v; ++i)
        for (std::uint32_t j = 0; j < v; ++j) {
          std::size_t at = (std::size_t(i) * v + j) * (1 + wb);
          if (!x[at] || d[i] == inf) continue;
          std::int64_t c = d[i] + static_cast<std::int64_t>(read_uint(x, at + 1, wb));
          if (n[j] == inf || c < n[j]) n[j] = c;
        }
      d = n;
    }
    Bits out;
    write_uint(out, d[v - 1] == inf ? 0 : static_cast<std::uint64_t>(d[v - 1]), db(p));
    out.push_back(d[v - 1] == inf);
    return out;
  };
  t.natural_circuit = [db](const TaskParams& p) {
    const std::uint32_t v = get(p, "v"), wb = get(p, "weight_bits"), D = db(p);
    Builder b;
    std::vector<Lit> present(v * v);
    std::vector<Word> weight(v * v);
    for (std::uint32_t q = 0; q < v * v; ++q) {
      present[q] = b.add_input("e" + std::to_string(q));
      weight[q] = add_input_word(b, wb, "w" + std::to_string(q));
    }
    // A distance is D+1 bits; the top bit means "infinite" and then every bit is 1.
    std::vector<Word> d(v, Word(D + 1, lit_true));
    d[0] = Word(D + 1, lit_false);
    for (std::uint32_t s = 0; s < get(p, "steps"); ++s) {
      std::vector<Word> n(v);
      for (std::uint32_t j = 0; j < v; ++j) {
        std::vector<Word> cands{d[j]};
        for (std::uint32_t i = 0; i < v; ++i) {
          Lit ok = land(b, present[i * v + j], !d[i][D]);  // the edge exists and d_i is finite
          Word sum = add(b, Word(d[i].begin(), d[i].begin() + D), weight[i * v + j]);
          Word cand;
          for (std::uint32_t bit = 0; bit <= D; ++bit) {
            Lit sb = bit < sum.size() && bit < D ? sum[bit] : lit_false;
            Lit f[2] = {sb, !ok};  // ok ? sum : all ones
            std::int64_t w[2] = {1, 1};
            cand.push_back(b.add_gate(f, w, 1));
          }
          cands.push_back(cand);
        }
        n[j] = min_word(b, cands);
      }
      d = n;
    }
    // Outputs: the distance (0 when infinite) and the infinity flag.
    const Lit unreachable = d[v - 1][D];
    for (std::uint32_t bit = 0; bit < D; ++bit) b.add_output(land(b, d[v - 1][bit], !unreachable), "dist[" + std::to_string(bit) + "]");
    b.add_output(unreachable, "unreachable");
    return std::move(b).build();
  };
  return t;
}

// A straight-line program of L arithmetic steps on k-bit values, mod 2^k.
Task arithmetic_task() {
  Task t;
  t.name = "arithmetic";
  t.description = "math word problem as a straight-line program: v <- v op c, L times, mod 2^k";
  t.complexity = "evaluating arithmetic straight-line programs is P-hard in general (arithmetic circuit "
                 "evaluation); the natural circuit is serial in L";
  t.serial = true;
  t.params = {{"k", 4, 1, 32, "bits per value"}, {"length", 3, 0, 64, "steps L"}};
  t.encoding = "inputs 0..k-1 = the start value v; then per step: 2 op bits (0 add, 1 subtract, 2 multiply, 3 keep; "
               "LSB first) and the operand c (k bits); v <- v op c mod 2^k; outputs = v after L steps (LSB first)";
  t.input_bits = [](const TaskParams& p) { return get(p, "k") + get(p, "length") * (2 + get(p, "k")); };
  t.output_bits = [](const TaskParams& p) { return get(p, "k"); };
  t.solve = [](const TaskParams& p, const Bits& x) {
    const std::uint32_t k = get(p, "k");
    const std::uint64_t mask = k == 64 ? ~0ull : (1ull << k) - 1;
    std::uint64_t v = read_uint(x, 0, k);
    std::size_t at = k;
    for (std::uint32_t i = 0; i < get(p, "length"); ++i, at += 2 + k) {
      unsigned op = static_cast<unsigned>(read_uint(x, at, 2));
      std::uint64_t c = read_uint(x, at + 2, k);
      v = op == 0 ? v + c : op == 1 ? v - c : op == 2 ? v * c : v;
      v &= mask;
    }
    Bits out;
    write_uint(out, v, k);
    return out;
  };
  t.natural_circuit = [](const TaskParams& p) {
    const std::uint32_t k = get(p, "k");
    Builder b;
    Word x = add_input_word(b, t_arith_bits(k, get(p, "length")), "x");
    Word v = slice(x, 0, k);
    std::size_t at = k;
    for (std::uint32_t i = 0; i < get(p, "length"); ++i, at += 2 + k) {
      Word op = slice(x, at, 2), c = slice(x, at + 2, k);
      Word sum = add(b, v, c), diff = subtract(b, v, c), prod;
      sum.resize(k);
      std::vector<Term> terms;  // the low k bits of v * c
      for (std::uint32_t a = 0; a < k; ++a)
        for (std::uint32_t l = 0; a + l < k; ++l)
          terms.push_back(Term{land(b, v[a], c[l]), mpz_class(1) << (a + l)});
      prod = sum_bits(b, terms, 0, 0, k);
      std::vector<Word> results{sum, diff, prod, v};
      v = select(b, results, op);
    }
    add_output_word(b, v, "v");
    return std::move(b).build();
  };
  return t;
}

std::vector<Task> make_registry() {
  std::vector<Task> tasks{parity_task(),       majority_task(), counting_task(), addition_task(),
                          multiplication_task(), sorting_task(), formula_task(),   reachability_task(),
                          cvp_task(),          eca_task(),      billiard_task(), s5_task(),
                          mdp_task(),          shortest_path_task(), arithmetic_task(),
                          word_problem_task(3, false), word_problem_task(5, true), word_problem_task(5, false)};
  for (Task& t : tasks)
    if (!t.random_instance) {
      auto bits = t.input_bits;
      t.random_instance = [bits](const TaskParams& p, std::mt19937_64& rng) { return uniform(bits(p), rng); };
    }
  return tasks;
}

}  // namespace

const std::vector<Task>& task_registry() {
  static const std::vector<Task> tasks = make_registry();
  return tasks;
}

const Task* find_task(const std::string& name) {
  for (const Task& t : task_registry())
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace tcx

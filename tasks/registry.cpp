#include <stdexcept>

#include "circuits/builder.hpp"
#include "compilers/arith/select.hpp"
#include "compilers/arith/sum.hpp"
#include "compilers/arith/symmetric.hpp"
#include "tasks/task.hpp"

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

std::uint32_t get(const TaskParams& p, const char* k) { return static_cast<std::uint32_t>(p.at(k)); }

Bits uniform(std::uint32_t n, std::mt19937_64& rng) {
  Bits b(n);
  for (auto& x : b) x = rng() & 1u;
  return b;
}

// ---- parallel (TC^0) tasks: their natural circuits are cells of compilers/arith ----

Task parity_task() {
  Task t;
  t.name = "parity";
  t.description = "XOR of n bits";
  t.complexity = "TC^0: depth 2, n+1 gates (symmetric-function construction); not in AC^0";
  t.params = {{"n", 8, 1, 4096, "number of bits"}};
  t.encoding = "input i = bit x_i; output 0 = x_0 XOR ... XOR x_(n-1)";
  t.input_bits = [](const TaskParams& p) { return get(p, "n"); };
  t.output_bits = [](const TaskParams&) { return 1u; };
  t.solve = [](const TaskParams&, const Bits& x) {
    std::uint8_t v = 0;
    for (auto b : x) v ^= b;
    return Bits{v};
  };
  t.natural_circuit = [](const TaskParams& p) {
    Builder b;
    Word x = add_input_word(b, get(p, "n"), "x");
    b.add_output(parity(b, x), "parity");
    return std::move(b).build();
  };
  return t;
}

Task majority_task() {
  Task t;
  t.name = "majority";
  t.description = "are at least half of n bits 1";
  t.complexity = "TC^0: one threshold gate";
  t.params = {{"n", 9, 1, 4096, "number of bits"}};
  t.encoding = "input i = bit x_i; output 0 = [2 * (x_0 + ... + x_(n-1)) >= n]";
  t.input_bits = [](const TaskParams& p) { return get(p, "n"); };
  t.output_bits = [](const TaskParams&) { return 1u; };
  t.solve = [](const TaskParams&, const Bits& x) {
    std::size_t ones = 0;
    for (auto b : x) ones += b;
    return Bits{2 * ones >= x.size()};
  };
  t.natural_circuit = [](const TaskParams& p) {
    Builder b;
    Word x = add_input_word(b, get(p, "n"), "x");
    b.add_output(majority(b, x), "majority");
    return std::move(b).build();
  };
  return t;
}

Task addition_task() {
  Task t;
  t.name = "addition";
  t.description = "sum of two k-bit unsigned numbers";
  t.complexity = "TC^0: depth 2 (Alon and Bruck 1994)";
  t.params = {{"k", 8, 1, 1024, "bits per operand"}};
  t.encoding = "inputs 0..k-1 = a (LSB first), k..2k-1 = b; outputs 0..k = a + b (LSB first)";
  t.input_bits = [](const TaskParams& p) { return 2 * get(p, "k"); };
  t.output_bits = [](const TaskParams& p) { return get(p, "k") + 1; };
  t.solve = [](const TaskParams& p, const Bits& x) {
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
  };
  t.natural_circuit = [](const TaskParams& p) {
    Builder b;
    Word x = add_input_word(b, get(p, "k"), "a"), y = add_input_word(b, get(p, "k"), "b");
    add_output_word(b, add(b, x, y), "s");
    return std::move(b).build();
  };
  return t;
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

std::vector<Task> make_registry() {
  std::vector<Task> tasks{parity_task(), majority_task(), addition_task(), eca_task(), s5_task()};
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

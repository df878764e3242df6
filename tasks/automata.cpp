// Cellular automata: an elementary (one-dimensional) automaton and the Margolus billiard-ball
// lattice gas. Their natural circuits apply the local rule once per step, as lookup tables.
#include <array>
#include <optional>
#include <stdexcept>

#include "circuits/builder.hpp"
#include "compilers/arith/select.hpp"
#include "tasks/family.hpp"

namespace tcx::tasks {

namespace {

// Elementary cellular automaton: cell i's next value is bit (4 l + 2 c + r) of the rule number.
struct Eca {
  std::uint32_t rule, cells, steps;
  bool periodic;
  std::optional<std::uint32_t> cell;  // output only this cell
  std::uint32_t input_bits() const { return cells; }
  std::uint32_t output_bits() const { return cell ? 1u : cells; }
  Bits solve(const Bits& x) const {
    const std::uint32_t c = cells;
    Bits row = x;
    for (std::uint32_t s = 0; s < steps; ++s) {
      Bits next(c);
      for (std::uint32_t i = 0; i < c; ++i) {
        unsigned l = i > 0 ? row[i - 1] : (periodic ? row[c - 1] : 0);
        unsigned r = i + 1 < c ? row[i + 1] : (periodic ? row[0] : 0);
        next[i] = (rule >> (4 * l + 2 * row[i] + r)) & 1u;
      }
      row = next;
    }
    return cell ? Bits{row[*cell]} : row;
  }
  Circuit natural_circuit() const {
    const std::uint32_t c = cells;
    Builder b;
    Word row = add_input_word(b, c, "x");
    const truth_table table = make_truth_table(3, [&](std::uint64_t v) { return (rule >> v) & 1u; });  // index bits: r = bit 0, c = 1, l = 2
    for (std::uint32_t s = 0; s < steps; ++s) {
      Word next;
      for (std::uint32_t i = 0; i < c; ++i) {
        Lit l = i > 0 ? row[i - 1] : (periodic ? row[c - 1] : lit_false);
        Lit r = i + 1 < c ? row[i + 1] : (periodic ? row[0] : lit_false);
        next.push_back(lookup(b, Word{r, row[i], l}, table));
      }
      row = next;
    }
    if (cell) b.add_output(row[*cell], "y");
    else add_output_word(b, row, "y");
    return std::move(b).build();
  }
};

// Margolus billiard-ball model on a W x H torus: 2x2 blocks, the partition shifting by (1, 1)
// every other step; one particle crosses its block diagonally, two on a diagonal turn to the
// other diagonal, anything else stays.
struct Billiard {
  std::uint32_t W, H, steps;
  std::uint32_t input_bits() const { return W * H; }
  std::uint32_t output_bits() const { return W * H; }
  // The block rule on (a, b, c, d) -> (a', b', c', d').
  static std::array<unsigned, 4> rule(unsigned a, unsigned b, unsigned c, unsigned d) {
    unsigned n = a + b + c + d;
    std::array<unsigned, 4> out{a, b, c, d};
    if (n == 1) out = {d, c, b, a};                  // cross the block diagonally
    else if (n == 2 && a && d) out = {0, 1, 1, 0};   // head-on collision: turn
    else if (n == 2 && b && c) out = {1, 0, 0, 1};
    return out;
  }
  // The cells of the blocks of step s: top left, top right, bottom left, bottom right.
  template <class Visit>
  void blocks(std::uint32_t s, Visit visit) const {
    const std::uint32_t o = s % 2;
    for (std::uint32_t by = o; by < H + o; by += 2)
      for (std::uint32_t bx = o; bx < W + o; bx += 2)
        visit(std::array<std::uint32_t, 4>{(by % H) * W + bx % W, (by % H) * W + (bx + 1) % W,
                                           ((by + 1) % H) * W + bx % W, ((by + 1) % H) * W + (bx + 1) % W});
  }
  Bits solve(const Bits& x) const {
    Bits g = x;
    for (std::uint32_t s = 0; s < steps; ++s) {
      Bits next = g;
      blocks(s, [&](const std::array<std::uint32_t, 4>& idx) {
        auto r = rule(g[idx[0]], g[idx[1]], g[idx[2]], g[idx[3]]);
        for (unsigned k = 0; k < 4; ++k) next[idx[k]] = static_cast<std::uint8_t>(r[k]);
      });
      g = next;
    }
    return g;
  }
  Circuit natural_circuit() const {
    Builder b;
    Word g = add_input_word(b, W * H, "cell");
    truth_table tables[4] = {truth_table(4), truth_table(4), truth_table(4), truth_table(4)};  // corner k's new value as a function of (a, b, c, d) = bits 0..3
    for (unsigned q = 0; q < 16; ++q) {
      auto r = rule(q & 1, (q >> 1) & 1, (q >> 2) & 1, (q >> 3) & 1);
      for (unsigned k = 0; k < 4; ++k) set_bit(tables[k], q, r[k]);
    }
    for (std::uint32_t s = 0; s < steps; ++s) {
      Word next = g;
      blocks(s, [&](const std::array<std::uint32_t, 4>& idx) {
        Word block{g[idx[0]], g[idx[1]], g[idx[2]], g[idx[3]]};
        for (unsigned k = 0; k < 4; ++k) next[idx[k]] = lookup(b, block, tables[k]);
      });
      g = next;
    }
    add_output_word(b, g, "cell");
    return std::move(b).build();
  }
};

}  // namespace

Task eca_task() {
  return make_task({"eca", "elementary cellular automaton: the row after t steps",
                    "P-complete for rule 110 (Neary and Woods, ICALP 2006); serial", true,
                    // steps first: the parameter that plays n when none is named (tcx family --task eca)
                    {{"steps", 4, 0, 4096, "steps t"},
                     {"cells", 8, 1, 4096, "row width c"},
                     {"rule", 110, 0, 255, "Wolfram rule number"},
                     {"periodic", 0, 0, 1, "1: cells wrap around; 0: fixed 0 beyond both ends"},
                     {"cell", -1, -1, 4095, "output only this cell (-1: the whole row)"}},
                    "input i = cell i of the initial row (cell 0 leftmost, its left neighbour is cell c-1 when periodic, "
                    "else 0); next value of a cell = bit (4*left + 2*centre + right) of the rule number; outputs = the row "
                    "after t steps (cell i = output i), or the one cell asked for"},
                   [](const TaskParams& p) {
                     Eca e{u32(p, "rule"), u32(p, "cells"), u32(p, "steps"), p.at("periodic") == 1, std::nullopt};
                     if (p.at("cell") >= 0) {
                       if (p.at("cell") >= e.cells) throw std::invalid_argument("eca: cell must be below cells");
                       e.cell = u32(p, "cell");
                     }
                     return e;
                   });
}

Task billiard_task() {
  return make_task({"billiard", "Margolus billiard-ball lattice gas on a W x H torus, t steps",
                    "P-complete: it simulates conservative logic, hence the circuit value problem (Fredkin and Toffoli "
                    "1982, Margolus 1984); serial",
                    true, {{"width", 4, 2, 64, "W (even)"}, {"height", 4, 2, 64, "H (even)"}, {"steps", 2, 0, 256, "steps t"}},
                    "input y*W + x = cell (x, y), 1 = a particle; step s uses the 2x2 blocks whose top-left corner has even "
                    "coordinates (s even) or odd ones (s odd), wrapping around; in a block with corners a (top left), b (top "
                    "right), c (bottom left), d (bottom right): one particle moves to the opposite corner, a+d becomes b+c and "
                    "b+c becomes a+d, anything else is unchanged; outputs = the grid after t steps, same order"},
                   [](const TaskParams& p) {
                     if (u32(p, "width") % 2 || u32(p, "height") % 2)
                       throw std::invalid_argument("billiard: width and height must be even");
                     return Billiard{u32(p, "width"), u32(p, "height"), u32(p, "steps")};
                   });
}

}  // namespace tcx::tasks

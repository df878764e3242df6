#include "tasks/word_problem.hpp"

#include <algorithm>
#include <memory>
#include <numeric>
#include <string>

#include "circuits/bits.hpp"
#include "circuits/builder.hpp"
#include "circuits/derived_gates.hpp"
#include "compilers/arith/select.hpp"
#include "compilers/arith/word.hpp"
#include "tasks/family.hpp"

namespace tcx {

std::vector<std::vector<std::uint8_t>> group_elements(unsigned k, bool alternating) {
  std::vector<std::uint8_t> perm(k);
  std::iota(perm.begin(), perm.end(), std::uint8_t(0));
  std::vector<std::vector<std::uint8_t>> out;
  do {
    unsigned inversions = 0;
    for (unsigned i = 0; i < k; ++i)
      for (unsigned j = i + 1; j < k; ++j) inversions += perm[i] > perm[j];
    if (!alternating || inversions % 2 == 0) out.push_back(perm);
  } while (std::next_permutation(perm.begin(), perm.end()));
  return out;
}

namespace {

// n group elements, each an index of b bits.
struct WordProblem {
  std::shared_ptr<const std::vector<std::vector<std::uint8_t>>> elements;
  unsigned k;
  std::uint32_t b, n;
  std::uint32_t input_bits() const { return b * n; }
  std::uint32_t output_bits() const { return 1; }
  // Every element's code is below the group's order (the other codes read as the identity).
  bool valid(const Bits& x) const {
    for (std::uint32_t j = 0; j < n; ++j) {
      std::size_t idx = 0;
      for (std::uint32_t i = 0; i < b; ++i) idx |= std::size_t(x[static_cast<std::size_t>(j) * b + i]) << i;
      if (idx >= elements->size()) return false;
    }
    return true;
  }
  // The reference: decode each index to its permutation, compose, compare with the identity.
  Bits solve(const Bits& x) const {
    std::vector<unsigned> cur(k);
    std::iota(cur.begin(), cur.end(), 0u);
    for (std::uint32_t j = 0; j < n; ++j) {
      std::size_t idx = 0;
      for (std::uint32_t i = 0; i < b; ++i) idx |= std::size_t(x[static_cast<std::size_t>(j) * b + i]) << i;
      if (idx >= elements->size()) continue;  // the identity
      for (unsigned e = 0; e < k; ++e) cur[e] = (*elements)[idx][cur[e]];
    }
    bool identity = true;
    for (unsigned e = 0; e < k; ++e) identity = identity && cur[e] == e;
    return Bits{static_cast<std::uint8_t>(identity)};
  }
  // The natural circuit: each index decoded to its k images (lookup tables over the b bits),
  // the images composed one element at a time by selection, then every image compared with
  // its element.
  Circuit natural_circuit() const {
    const std::uint32_t ib = ceil_log2(k);  // bits of an image
    Builder bd;
    std::vector<Word> idx;
    for (std::uint32_t j = 0; j < n; ++j) idx.push_back(add_input_word(bd, b, "g" + std::to_string(j)));
    std::vector<Word> cur;
    for (unsigned e = 0; e < k; ++e) cur.push_back(constant_word(e, ib));
    for (std::uint32_t j = 0; j < n; ++j) {
      std::vector<Word> images;  // images[e] = image of e under element j
      for (unsigned e = 0; e < k; ++e) {
        Word w;
        for (std::uint32_t bit = 0; bit < ib; ++bit) {
          const truth_table table = make_truth_table(b, [&](std::uint64_t v) {
            const unsigned image = v < elements->size() ? (*elements)[v][e] : e;
            return (image >> bit) & 1u;
          });
          w.push_back(lookup(bd, idx[j], table));
        }
        images.push_back(std::move(w));
      }
      std::vector<Word> next;
      for (unsigned e = 0; e < k; ++e) next.push_back(select(bd, images, cur[e]));
      cur = std::move(next);
    }
    std::vector<Lit> same;
    for (unsigned e = 0; e < k; ++e)
      for (std::uint32_t bit = 0; bit < ib; ++bit) same.push_back((e >> bit) & 1u ? cur[e][bit] : !cur[e][bit]);
    bd.add_output(and_all(bd, same), "identity");
    return std::move(bd).build();
  }
};

// Word problem over maps of {0..4}: compose n of them. A permutation is stored as its five
// images of 3 bits; images 5, 6, 7 read as 0, 1, 2 (value mod 5), so every input is a map and
// on permutations this is the S_5 word problem.
struct S5 {
  std::uint32_t n;
  std::uint32_t input_bits() const { return 15 * n; }
  std::uint32_t output_bits() const { return 15; }
  Bits solve(const Bits& x) const {
    unsigned cur[5] = {0, 1, 2, 3, 4};
    for (std::uint32_t j = 0; j < n; ++j) {
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
  }
  Circuit natural_circuit() const {
    Builder b;
    std::vector<std::vector<Word>> raws(n), perms(n);  // perms[j][e] = image of e, 3 bits, reduced mod 5
    for (std::uint32_t j = 0; j < n; ++j)
      for (unsigned e = 0; e < 5; ++e) raws[j].push_back(add_input_word(b, 3, "p" + std::to_string(j) + "_" + std::to_string(e)));
    for (std::uint32_t j = 0; j < n; ++j)
      for (unsigned e = 0; e < 5; ++e) {
        const Word& raw = raws[j][e];
        // v mod 5 for v in 0..7, bit by bit, as lookup tables over the 3 bits
        Word red;
        for (unsigned bit = 0; bit < 3; ++bit) {
          const truth_table table = make_truth_table(3, [&](std::uint64_t v) { return ((v % 5) >> bit) & 1u; });
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
  }
};

}  // namespace

Task word_problem_task(unsigned k, bool alternating) {
  const std::string group_tex = std::string(alternating ? "A_" : "S_") + std::to_string(k);
  auto elements = std::make_shared<const std::vector<std::vector<std::uint8_t>>>(group_elements(k, alternating));
  const std::size_t order = elements->size();
  const std::uint32_t b = ceil_log2(order);
  const bool solvable = k <= 4;
  return tasks::make_task(
      {"word_" + std::string(alternating ? "a" : "s") + std::to_string(k),
       "word problem over " + group_tex + " (" + std::to_string(order) + " elements): is a product of n elements the identity?",
       solvable ? group_tex + " is solvable: its word problem is in ACC^0 (Barrington and Therien 1988); serial as written"
                : group_tex + " is non-solvable: its word problem is NC^1-complete (Barrington 1989), outside TC^0 "
                              "unless TC^0 = NC^1; serial",
       true,
       {{"n", 3, 1, 256, "number of group elements"}},
       "element j uses inputs " + std::to_string(b) + "j.." + std::to_string(b) + "j+" + std::to_string(b - 1) +
           ": its index (LSB first) among the " + std::to_string(order) + " elements of " + group_tex +
           " listed in lexicographic order of their image lists (index 0 = the identity); codes " + std::to_string(order) +
           ".." + std::to_string((1u << b) - 1) + " stand for the identity; output 0 = [the product is the identity], the product applying element 0 first "
           "(x -> g_(n-1)(...g_0(x)); the order matters from n = 3 on)"},
      [elements, k, b](const TaskParams& p) { return WordProblem{elements, k, b, tasks::u32(p, "n")}; });
}

namespace tasks {

Task s5_task() {
  return make_task({"s5", "compose n permutations of 5 elements (S_5 word problem)",
                    "NC^1-complete (Barrington 1989): outside TC^0 unless TC^0 = NC^1; serial", true,
                    {{"n", 4, 1, 1024, "number of permutations"}},
                    "permutation j uses inputs 15j..15j+14: image of element e in bits 15j+3e .. 15j+3e+2 (LSB first), "
                    "values 5..7 read mod 5; the product applies permutation 0 first; outputs = the five images of the "
                    "product, 3 bits each (output 3e+b = bit b of the image of e)"},
                   [](const TaskParams& p) { return S5{u32(p, "n")}; });
}

}  // namespace tasks

}  // namespace tcx

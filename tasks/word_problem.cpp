#include "tasks/word_problem.hpp"

#include <algorithm>
#include <numeric>
#include <string>

#include "circuits/builder.hpp"
#include "compilers/arith/select.hpp"
#include "compilers/arith/word.hpp"

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

std::uint32_t bits_for_order(std::size_t order) {
  std::uint32_t b = 0;
  while ((std::size_t(1) << b) < order) ++b;
  return b;
}

}  // namespace

Task word_problem_task(unsigned k, bool alternating) {
  const std::string group = std::string(alternating ? "A" : "S") + std::to_string(k);
  const std::string group_tex = std::string(alternating ? "A_" : "S_") + std::to_string(k);
  const auto elements = group_elements(k, alternating);
  const std::size_t order = elements.size();
  const std::uint32_t b = bits_for_order(order);
  Task t;
  t.name = "word_" + std::string(alternating ? "a" : "s") + std::to_string(k);
  t.description = "word problem over " + group_tex + " (" + std::to_string(order) + " elements): is a product of n elements the identity?";
  const bool solvable = k <= 4;
  t.complexity = solvable ? group_tex + " is solvable: its word problem is in ACC^0 (Barrington and Therien 1988); serial as written"
                          : group_tex + " is non-solvable: its word problem is NC^1-complete (Barrington 1989), outside TC^0 "
                                        "unless TC^0 = NC^1; serial";
  t.serial = true;
  t.params = {{"n", 3, 1, 256, "number of group elements"}};
  t.encoding = "element j uses inputs " + std::to_string(b) + "j.." + std::to_string(b) + "j+" + std::to_string(b - 1) +
               ": its index (LSB first) among the " + std::to_string(order) + " elements of " + group_tex +
               " listed in lexicographic order of their image lists (index 0 = the identity); codes " + std::to_string(order) +
               ".." + std::to_string((1u << b) - 1) + " stand for the identity; output 0 = [the product is the identity]";
  t.input_bits = [b](const TaskParams& p) { return b * static_cast<std::uint32_t>(p.at("n")); };
  t.output_bits = [](const TaskParams&) { return 1u; };
  // The reference: decode each index to its permutation, compose, compare with the identity.
  t.solve = [elements, b, k](const TaskParams& p, const Bits& x) {
    std::vector<unsigned> cur(k);
    std::iota(cur.begin(), cur.end(), 0u);
    for (std::int64_t j = 0; j < p.at("n"); ++j) {
      std::size_t idx = 0;
      for (std::uint32_t i = 0; i < b; ++i) idx |= std::size_t(x[static_cast<std::size_t>(j) * b + i]) << i;
      if (idx >= elements.size()) continue;  // the identity
      for (unsigned e = 0; e < k; ++e) cur[e] = elements[idx][cur[e]];
    }
    bool identity = true;
    for (unsigned e = 0; e < k; ++e) identity = identity && cur[e] == e;
    return Bits{static_cast<std::uint8_t>(identity)};
  };
  // The natural circuit: each index decoded to its k images (lookup tables over the b bits),
  // the images composed one element at a time by selection, then every image compared with
  // its element.
  t.natural_circuit = [elements, b, k](const TaskParams& p) {
    const std::uint32_t n = static_cast<std::uint32_t>(p.at("n"));
    const std::uint32_t ib = bits_for_order(k);  // bits of an image
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
          std::vector<bool> table(std::size_t(1) << b);
          for (std::size_t v = 0; v < table.size(); ++v) {
            const unsigned image = v < elements.size() ? elements[v][e] : e;
            table[v] = (image >> bit) & 1u;
          }
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
    std::vector<std::int64_t> ones(same.size(), 1);
    bd.add_output(bd.add_gate(same, ones, static_cast<std::int64_t>(same.size())), "identity");
    return std::move(bd).build();
  };
  return t;
}

}  // namespace tcx

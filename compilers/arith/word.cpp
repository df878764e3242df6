#include "compilers/arith/word.hpp"

namespace tcx {

Word add_input_word(Builder& b, std::uint32_t bits, const std::string& name) {
  Word w;
  for (std::uint32_t i = 0; i < bits; ++i)
    w.push_back(b.add_input(name.empty() ? std::string{} : name + "[" + std::to_string(i) + "]"));
  return w;
}

Word constant_word(std::uint64_t value, std::uint32_t bits) {
  Word w;
  for (std::uint32_t i = 0; i < bits; ++i) w.push_back(Lit::constant(i < 64 && ((value >> i) & 1u)));
  return w;
}

void add_output_word(Builder& b, const Word& w, const std::string& name) {
  for (std::size_t i = 0; i < w.size(); ++i)
    b.add_output(w[i], name.empty() ? std::string{} : name + "[" + std::to_string(i) + "]");
}

}  // namespace tcx

#pragma once
// Word: a multi-bit value in a circuit, a vector of literals, least significant bit
// first; two's complement when a cell says it is signed.
#include <cstdint>
#include <string>
#include <vector>

#include "circuits/builder.hpp"

namespace tcx {

using Word = std::vector<Lit>;

// `bits` new inputs named name[0], name[1], ... (LSB first); anonymous when name is empty.
Word add_input_word(Builder& b, std::uint32_t bits, const std::string& name = {});

// A word of constant literals holding the low `bits` bits of `value`.
Word constant_word(std::uint64_t value, std::uint32_t bits);

// Adds each bit as an output named name[i] (anonymous when name is empty).
void add_output_word(Builder& b, const Word& w, const std::string& name = {});

}  // namespace tcx

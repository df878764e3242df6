#pragma once
// Bit helpers written once: how many bits an index or a count needs (exact for every 64-bit
// argument: std::bit_width, no loops that could run off the end of a shift), the type of one
// assignment of bits, and a bit vector as the text every command prints.
#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace tcx {

// ceil(log2 v): the bits of an index into v items (0 for v <= 1).
constexpr std::uint32_t ceil_log2(std::uint64_t v) { return v <= 1 ? 0 : static_cast<std::uint32_t>(std::bit_width(v - 1)); }

// The bits that write the values 0..v in binary (at least 1): floor(log2 v) + 1.
constexpr std::uint32_t bits_for_value(std::uint64_t v) { return v == 0 ? 1 : static_cast<std::uint32_t>(std::bit_width(v)); }

static_assert(ceil_log2(0) == 0 && ceil_log2(1) == 0 && ceil_log2(2) == 1 && ceil_log2(5) == 3 && ceil_log2(8) == 3);
static_assert(ceil_log2(~0ull) == 64 && bits_for_value(0) == 1 && bits_for_value(7) == 3 && bits_for_value(8) == 4);

// One assignment of bits, one byte each (0 or 1), bit i first: an input pattern, or the outputs
// on one pattern. A value, not a function: the table of a function over all its patterns is a
// truth_table (circuits/truth_table.hpp). Bytes, not packed bits, because reference solvers and
// interpreters read and build them bit by bit, and evaluate() takes and returns them.
using Bits = std::vector<std::uint8_t>;

// Bits (one byte each, 0 or not) as a string of 0 and 1, bit 0 first.
inline std::string bits_text(std::span<const std::uint8_t> bits) {
  std::string s;
  s.reserve(bits.size());
  for (std::uint8_t b : bits) s += b ? '1' : '0';
  return s;
}

}  // namespace tcx

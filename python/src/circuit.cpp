// Circuits, literals and the Builder in Python; numpy evaluation on the bit-parallel simulator.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <limits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "circuits/bits.hpp"
#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/evaluate.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/formats.hpp"
#include "circuits/io/tc_format.hpp"
#include "circuits/lower.hpp"
#include "circuits/simulate.hpp"
#include "circuits/passes.hpp"
#include "provers/equiv.hpp"
#include "provers/synth_json.hpp"
#include "python/src/common.hpp"

namespace tcx::py {

// Python ints and GMP meet in hexadecimal: Python refuses decimal conversions of more than 4300
// digits (sys.set_int_max_str_digits), and a power-of-two base has no such limit.
py::int_ big_int(const mpz_class& x) {
  const std::string s = x.get_str(16);
  return py::reinterpret_steal<py::int_>(PyLong_FromString(s.c_str(), nullptr, 16));
}

// Weights and thresholds: any int up to the library's limit of 100,000 decimal digits (what a .tc
// file holds, docs/cli.md), so every circuit built can be saved and read back.
mpz_class to_mpz(const py::handle& h, const std::string& what) {
  if (!py::isinstance<py::int_>(h) || py::isinstance<py::bool_>(h)) wrong_type(h, what, "an int");
  const py::object text = py::reinterpret_steal<py::object>(PyNumber_ToBase(h.ptr(), 16));
  if (!text) throw py::error_already_set();
  const std::string hex = text.cast<std::string>();  // "0x1f" or "-0x1f"
  const bool negative = hex[0] == '-';
  mpz_class x(hex.substr(negative ? 3 : 2), 16);
  if (negative) x = -x;
  static const std::size_t max_digits = tc_reader_params{}.max_integer_digits;
  static const mpz_class bound = [] {
    mpz_class p;
    mpz_ui_pow_ui(p.get_mpz_t(), 10, max_digits);
    return p;
  }();
  if (abs(x) >= bound)
    throw std::invalid_argument(fmt::format("{} has more than {} decimal digits, the limit of weights and thresholds", what, max_digits));
  return x;
}

namespace {

constexpr const char* format_names = "tc, json, dot, aag, aig, blif, v, th";

// A format argument (Circuit.save, to_string): a wrong type names the formats, as a wrong name does.
std::string format_arg(const py::handle& h) { return str_arg(h, "format", fmt::format("a str ({})", format_names)); }

// A circuit in a format; formats that need an AND network get the lowered circuit (as the
// command line does, without its note).
std::string render(const Circuit& c, const std::string& format) {
  const auto f = format_from_name(format);
  if (!f) throw std::invalid_argument(fmt::format("unknown format '{}' ({})", format, format_names));
  if (format_needs_and_network(*f) && !is_and_network(c)) return write_circuit(lower_to_and_network(c), *f);
  return write_circuit(c, *f);
}

// 64 x 64 bit matrix transpose in place: afterwards a[j] bit k is the old a[k] bit j.
void transpose64(std::uint64_t a[64]) {
  std::uint64_t m = 0x00000000FFFFFFFFull;
  for (unsigned j = 32; j != 0; j >>= 1, m ^= m << j)
    for (unsigned k = 0; k < 64; k = ((k | j) + 1) & ~j) {
      const std::uint64_t t = ((a[k] >> j) ^ a[k | j]) & m;
      a[k] ^= t << j;
      a[k | j] ^= t;
    }
}

// Eight bytes (each 0 or 1) as eight bits, byte j -> bit j.
inline std::uint64_t gather8(const std::uint8_t* p, unsigned count) {
  std::uint64_t v = 0;
  std::memcpy(&v, p, count);
  return ((v & 0x0101010101010101ull) * 0x0102040810204080ull) >> 56;
}

// Eight bits as eight bytes 0 or 1, bit j -> byte j.
struct Spread {
  std::uint64_t bytes[256];
  constexpr Spread() : bytes{} {
    for (unsigned b = 0; b < 256; ++b)
      for (unsigned j = 0; j < 8; ++j) bytes[b] |= std::uint64_t((b >> j) & 1u) << (8 * j);
  }
};
constexpr Spread spread{};

inline void scatter8(std::uint8_t* p, unsigned bits, unsigned count) {
  const std::uint64_t v = spread.bytes[bits & 0xFFu];
  std::memcpy(p, &v, count);
}

#if defined(__SSE2__)
// 64 rows (patterns) x 16 byte columns <-> 16 words of 64 bits, with SSE2. A group of eight
// rows is folded into one register (row k shifted left by k within each byte: byte j then holds
// column j of those eight rows), and the eight registers are transposed as an 8 x 16 byte matrix
// by three rounds of unpacks. The way back runs the same steps in reverse.
constexpr bool sse2_rows = true;

// word[j] bit r = rows[r * n + i0 + j] & 1, for r < len and j < cols (<= 16); other bits 0.
// Bytes up to `end` may be read (columns past `cols` land in words that are not used).
void pack16(const std::uint8_t* rows, std::uint32_t n, unsigned len, std::uint32_t i0, unsigned cols, const std::uint8_t* end,
            std::uint64_t word[16]) {
  const __m128i ones = _mm_set1_epi8(1);
  alignas(16) std::uint8_t tmp[16] = {};
  __m128i v[8];
  for (unsigned q = 0; q < 8; ++q) {
    __m128i acc = _mm_setzero_si128();
    for (unsigned k = 0; k < 8 && 8 * q + k < len; ++k) {
      const std::uint8_t* p = rows + std::size_t(8 * q + k) * n + i0;
      __m128i x;
      if (cols == 16 || p + 16 <= end) {
        x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      } else {  // never read past the array's end
        std::memcpy(tmp, p, cols);
        x = _mm_load_si128(reinterpret_cast<const __m128i*>(tmp));
      }
      acc = _mm_or_si128(acc, _mm_sll_epi64(_mm_and_si128(x, ones), _mm_cvtsi32_si128(static_cast<int>(k))));
    }
    v[q] = acc;
  }
  const __m128i a0 = _mm_unpacklo_epi8(v[0], v[1]), a1 = _mm_unpackhi_epi8(v[0], v[1]);
  const __m128i a2 = _mm_unpacklo_epi8(v[2], v[3]), a3 = _mm_unpackhi_epi8(v[2], v[3]);
  const __m128i a4 = _mm_unpacklo_epi8(v[4], v[5]), a5 = _mm_unpackhi_epi8(v[4], v[5]);
  const __m128i a6 = _mm_unpacklo_epi8(v[6], v[7]), a7 = _mm_unpackhi_epi8(v[6], v[7]);
  const __m128i b0 = _mm_unpacklo_epi16(a0, a2), b1 = _mm_unpackhi_epi16(a0, a2);
  const __m128i b2 = _mm_unpacklo_epi16(a4, a6), b3 = _mm_unpackhi_epi16(a4, a6);
  const __m128i b4 = _mm_unpacklo_epi16(a1, a3), b5 = _mm_unpackhi_epi16(a1, a3);
  const __m128i b6 = _mm_unpacklo_epi16(a5, a7), b7 = _mm_unpackhi_epi16(a5, a7);
  __m128i* out = reinterpret_cast<__m128i*>(word);
  _mm_storeu_si128(out + 0, _mm_unpacklo_epi32(b0, b2));
  _mm_storeu_si128(out + 1, _mm_unpackhi_epi32(b0, b2));
  _mm_storeu_si128(out + 2, _mm_unpacklo_epi32(b1, b3));
  _mm_storeu_si128(out + 3, _mm_unpackhi_epi32(b1, b3));
  _mm_storeu_si128(out + 4, _mm_unpacklo_epi32(b4, b6));
  _mm_storeu_si128(out + 5, _mm_unpackhi_epi32(b4, b6));
  _mm_storeu_si128(out + 6, _mm_unpacklo_epi32(b5, b7));
  _mm_storeu_si128(out + 7, _mm_unpackhi_epi32(b5, b7));
}

// rows[r * m + o0 + j] = word[j] bit r, for r < len and j < cols (<= 16). A partial group may
// store 16 bytes when they end before `limit`: the bytes past the row's columns belong to later
// rows (or, for the last group, to the next row's first columns) that are written afterwards.
void unpack16(const std::uint64_t word[16], std::uint8_t* rows, std::uint32_t m, unsigned len, std::uint32_t o0, unsigned cols,
              const std::uint8_t* limit) {
  const __m128i ones = _mm_set1_epi8(1);
  __m128i P[16];
  for (unsigned j = 0; j < 16; ++j) P[j] = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(word + j));
  __m128i d[8], e[8], f[8], v[8];
  for (unsigned p = 0; p < 8; ++p) d[p] = _mm_unpacklo_epi8(P[2 * p], P[2 * p + 1]);
  e[0] = _mm_unpacklo_epi16(d[0], d[1]), e[1] = _mm_unpackhi_epi16(d[0], d[1]);
  e[2] = _mm_unpacklo_epi16(d[2], d[3]), e[3] = _mm_unpackhi_epi16(d[2], d[3]);
  e[4] = _mm_unpacklo_epi16(d[4], d[5]), e[5] = _mm_unpackhi_epi16(d[4], d[5]);
  e[6] = _mm_unpacklo_epi16(d[6], d[7]), e[7] = _mm_unpackhi_epi16(d[6], d[7]);
  f[0] = _mm_unpacklo_epi32(e[0], e[2]), f[1] = _mm_unpackhi_epi32(e[0], e[2]);
  f[2] = _mm_unpacklo_epi32(e[4], e[6]), f[3] = _mm_unpackhi_epi32(e[4], e[6]);
  f[4] = _mm_unpacklo_epi32(e[1], e[3]), f[5] = _mm_unpackhi_epi32(e[1], e[3]);
  f[6] = _mm_unpacklo_epi32(e[5], e[7]), f[7] = _mm_unpackhi_epi32(e[5], e[7]);
  v[0] = _mm_unpacklo_epi64(f[0], f[2]), v[1] = _mm_unpackhi_epi64(f[0], f[2]);
  v[2] = _mm_unpacklo_epi64(f[1], f[3]), v[3] = _mm_unpackhi_epi64(f[1], f[3]);
  v[4] = _mm_unpacklo_epi64(f[4], f[6]), v[5] = _mm_unpackhi_epi64(f[4], f[6]);
  v[6] = _mm_unpacklo_epi64(f[5], f[7]), v[7] = _mm_unpackhi_epi64(f[5], f[7]);
  alignas(16) std::uint8_t tmp[16];
  for (unsigned q = 0; q < 8; ++q)
    for (unsigned k = 0; k < 8 && 8 * q + k < len; ++k) {
      const __m128i x = _mm_and_si128(_mm_srl_epi64(v[q], _mm_cvtsi32_si128(static_cast<int>(k))), ones);
      std::uint8_t* p = rows + std::size_t(8 * q + k) * m + o0;
      if (cols == 16 || p + 16 <= limit) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(p), x);
      } else {
        _mm_store_si128(reinterpret_cast<__m128i*>(tmp), x);
        std::memcpy(p, tmp, cols);
      }
    }
}
#else
constexpr bool sse2_rows = false;
void pack16(const std::uint8_t*, std::uint32_t, unsigned, std::uint32_t, unsigned, const std::uint8_t*, std::uint64_t*) {}
void unpack16(const std::uint64_t*, std::uint8_t*, std::uint32_t, unsigned, std::uint32_t, unsigned, const std::uint8_t*) {}
#endif

// Patterns are rows of `in` (P x n bytes, 0 or 1); outputs rows of `out` (P x m bytes).
// Blocks of 64*W patterns are transposed into bit-sliced words, simulated and transposed back,
// in parallel over blocks: no per-pattern work outside these loops. Rows become words 64 x 64
// bits at a time (bytes packed eight at a time by a multiply, then a bit-matrix transpose), so
// the conversion costs about a nanosecond per 64 bits instead of one per bit.
void eval_rows(const Circuit& c, const std::uint8_t* in, std::uint8_t* out, std::uint64_t P, std::uint32_t threads) {
  const std::uint32_t n = c.num_inputs(), m = c.num_outputs();
  BitSimulator sim(c);
  std::uint32_t W = sim.default_words();
  while (W > 1 && std::uint64_t(64) * W / 2 >= P) W /= 2;
  const std::uint64_t per_block = std::uint64_t(64) * W, blocks = (P + per_block - 1) / per_block;
  const std::uint8_t* in_end = in + P * n;
  struct State {
    std::vector<std::uint64_t> in, out, scratch;
  };
  tbb::enumerable_thread_specific<State> states;
  auto body = [&](std::uint64_t b) {
    State& s = states.local();
    s.in.assign(std::size_t(n) * W, 0);
    s.out.resize(std::size_t(m) * W);
    const std::uint64_t first = b * per_block, count = std::min(per_block, P - first);
    alignas(64) std::uint64_t M[64];
    for (std::uint64_t k0 = 0; k0 < count; k0 += 64) {
      const std::uint64_t w = k0 / 64;
      const unsigned len = static_cast<unsigned>(std::min<std::uint64_t>(64, count - k0));
      const std::uint8_t* rows = in + (first + k0) * n;
      if (sse2_rows) {
        alignas(16) std::uint64_t words[16];
        for (std::uint32_t i0 = 0; i0 < n; i0 += 16) {
          const unsigned cols = std::min<std::uint32_t>(16, n - i0);
          pack16(rows, n, len, i0, cols, in_end, words);
          for (unsigned j = 0; j < cols; ++j) s.in[std::size_t(i0 + j) * W + w] = words[j];
        }
        continue;
      }
      if (n < 16) {  // narrow rows: bit by bit is cheaper than a 64 x 64 transpose
        std::uint64_t* col = s.in.data() + w;
        const std::uint8_t* row = rows;
        for (unsigned k = 0; k < len; ++k, row += n)
          for (std::uint32_t i = 0; i < n; ++i) col[std::size_t(i) * W] |= std::uint64_t(row[i] & 1u) << k;
        continue;
      }
      for (std::uint32_t i0 = 0; i0 < n; i0 += 64) {
        const unsigned cols = std::min<std::uint32_t>(64, n - i0);
        for (unsigned k = 0; k < 64; ++k) {
          std::uint64_t v = 0;
          if (k < len) {
            const std::uint8_t* row = rows + std::size_t(k) * n + i0;
            for (unsigned j = 0; j < cols; j += 8) v |= gather8(row + j, std::min(8u, cols - j)) << j;
          }
          M[k] = v;
        }
        transpose64(M);
        for (unsigned j = 0; j < cols; ++j) s.in[std::size_t(i0 + j) * W + w] = M[j];
      }
    }
    sim.run(s.in.data(), s.out.data(), W, s.scratch);
    for (std::uint64_t k0 = 0; k0 < count; k0 += 64) {
      const std::uint64_t w = k0 / 64;
      const unsigned len = static_cast<unsigned>(std::min<std::uint64_t>(64, count - k0));
      std::uint8_t* rows = out + (first + k0) * m;
      if (m == 1) {  // one output: its bytes are contiguous
        const std::uint64_t word = s.out[w];
        for (unsigned k = 0; k < len; k += 8) scatter8(rows + k, static_cast<unsigned>(word >> k), std::min(8u, len - k));
        continue;
      }
      if (sse2_rows) {
        alignas(16) std::uint64_t words[16];
        // The partial group first: full groups then overwrite what its wide stores spilled.
        const std::uint8_t* limit = rows + std::size_t(len) * m;  // this chunk's rows, no further
        for (std::uint32_t g = (m + 15) / 16; g-- > 0;) {
          const std::uint32_t o0 = 16 * g;
          const unsigned cols = std::min<std::uint32_t>(16, m - o0);
          for (unsigned j = 0; j < 16; ++j) words[j] = j < cols ? s.out[std::size_t(o0 + j) * W + w] : 0;
          unpack16(words, rows, m, len, o0, cols, limit);
        }
        continue;
      }
      if (m < 8) {
        for (std::uint32_t o = 0; o < m; ++o) {
          const std::uint64_t word = s.out[std::size_t(o) * W + w];
          for (unsigned k = 0; k < len; ++k) rows[std::size_t(k) * m + o] = (word >> k) & 1u;
        }
        continue;
      }
      for (std::uint32_t o0 = 0; o0 < m; o0 += 64) {
        const unsigned cols = std::min<std::uint32_t>(64, m - o0);
        for (unsigned j = 0; j < 64; ++j) M[j] = j < cols ? s.out[std::size_t(o0 + j) * W + w] : 0;
        transpose64(M);
        for (unsigned k = 0; k < len; ++k) {
          std::uint8_t* row = rows + std::size_t(k) * m + o0;
          for (unsigned j = 0; j < cols; j += 8) scatter8(row + j, static_cast<unsigned>(M[k] >> j), std::min(8u, cols - j));
        }
      }
    }
  };
  if (threads == 1 || blocks == 1) {
    for (std::uint64_t b = 0; b < blocks; ++b) body(b);
  } else {
    tbb::task_arena arena(threads ? static_cast<int>(threads) : tbb::task_arena::automatic);
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, blocks, 1), [&](const auto& r) {
        for (std::uint64_t b = r.begin(); b != r.end(); ++b) body(b);
      });
    });
  }
}

// Circuit.gate (tcx/_circuit.py) checks the index, negative ones and their message included;
// this check is for a direct call.
py::tuple gate_tuple(const Circuit& c, const py::object& i) {
  const std::int64_t index = int_arg(i, "gate index", 0, std::numeric_limits<std::int64_t>::max());
  if (static_cast<std::uint64_t>(index) >= c.num_gates())
    throw py::index_error(fmt::format("gate {} out of range: the circuit has {} gates", index, c.num_gates()));
  const gate_id g(index);
  py::list fanins, weights;
  for (node_id f : c.fanins(g)) fanins.append(f);
  py::object threshold;
  if (c.is_big(g)) {
    for (const mpz_class& w : c.big(g).weights) weights.append(big_int(w));
    threshold = big_int(c.big(g).threshold);
  } else {
    for (std::int32_t w : c.small_weights(g)) weights.append(w);
    threshold = py::int_(c.small_threshold(g));
  }
  const node_id node = c.gate_node(g);
  return py::make_tuple(node, fanins, weights, threshold, c.level(node), std::string(c.name(node)));
}

// A literal as Python holds it: the library's Lit and the Builder that made it (0 for none: the
// constants, Lit(node) written by hand, a Circuit's output literals), so that a Builder refuses
// another Builder's literal instead of reading its node id as one of its own.
struct PyLit {
  Lit lit;
  std::uint64_t owner = 0;
};

// The Builder as Python sees it: consumed by build(); `id` marks the literals it makes.
struct PyBuilder {
  std::optional<Builder> b;
  std::uint64_t id = 0;
  Builder& get() {
    if (!b) throw std::invalid_argument("this Builder was already built; start a new one");
    return *b;
  }
  PyLit own(Lit l) const { return PyLit{l, l.is_constant() ? 0 : id}; }  // the constants are every Builder's
  Lit check(const PyLit& l) {
    const Builder& builder = get();
    if (l.owner != 0 && l.owner != id)
      throw std::invalid_argument(fmt::format("literal {} was made by another Builder; a Builder takes its own literals only",
                                              lit_repr(l)));
    if (l.lit.node() >= builder.num_nodes())
      throw std::invalid_argument(fmt::format("literal {} refers to node {}, which this Builder does not have (its nodes are 0..{})",
                                              lit_repr(l), l.lit.node(), builder.num_nodes() - 1));
    return l.lit;
  }
  // A literal argument: a tcx.Lit of this Builder.
  Lit check(const py::handle& h, const std::string& what) {
    if (!py::isinstance<PyLit>(h)) wrong_type(h, what, "a tcx.Lit");
    return check(h.cast<const PyLit&>());
  }
  static std::string lit_repr(const PyLit& l) {
    return l.lit.node() == 0 ? std::string(l.lit.negated() ? "tcx.TRUE" : "tcx.FALSE")
                             : fmt::format("Lit({}{})", l.lit.node(), l.lit.negated() ? ", negated=True" : "");
  }
};

}  // namespace

void bind_circuit(py::module_& m) {
  py::class_<PyLit>(m, "Lit", "A literal: a node of a circuit, possibly negated (~lit). Lit(0) is the constant false.")
      .def(py::init([](const py::object& node, const py::object& negated) {
             return PyLit{Lit(static_cast<node_id>(int_arg(node, "node", 0, (std::int64_t(1) << 31) - 1)), bool_arg(negated, "negated"))};
           }),
           py::arg("node"), py::arg("negated") = false)
      .def_property_readonly("node", [](const PyLit& l) { return l.lit.node(); })
      .def_property_readonly("negated", [](const PyLit& l) { return l.lit.negated(); })
      .def("__invert__", [](const PyLit& l) { return PyLit{!l.lit, l.owner}; })
      .def("__eq__", [](const PyLit& a, const py::object& b) { return py::isinstance<PyLit>(b) && a.lit == b.cast<const PyLit&>().lit; })
      .def("__hash__", [](const PyLit& l) { return l.lit.code(); })
      .def("__repr__", &PyBuilder::lit_repr);

  // dynamic_attr: a compiled ONNX model's circuit carries its layout (tcx/_onnx.py).
  py::class_<Circuit>(m, "Circuit", py::dynamic_attr(),
                      "An immutable threshold circuit: inputs, gates [sum w_i x_i >= t] with exact integer weights, outputs.\n"
                      "Load one (Circuit.load), build one (tcx.Builder), or compile one (tcx.compile, tcx.cell, Task.circuit).")
      .def(py::init<>())
      .def_static("load", [](const std::string& path) { return read_circuit_file(path); }, py::arg("path"),
                  py::call_guard<py::gil_scoped_release>(),
                  "Reads a circuit file; the format from the extension: .tc .aag .aig .blif .th")
      // pickle and copy.deepcopy: the .tc text (exact, names kept) and the attributes set in
      // Python (a compiled model's layout).
      .def(py::pickle([](const py::object& self) { return py::make_tuple(py::bytes(write_tc(self.cast<const Circuit&>())), self.attr("__dict__")); },
                      [](const py::tuple& t) {
                        if (t.size() != 2) throw std::invalid_argument("Circuit: bad pickle state");
                        return std::make_pair(read_tc(t[0].cast<std::string>(), "<pickle>"), t[1].cast<py::dict>());
                      }))
      .def_static("from_tc", [](const py::object& text, const py::object& name) {
                    // bytes as well: the .tc text as read from a file opened in binary mode
                    const std::string t = py::isinstance<py::bytes>(text) ? text.cast<std::string>() : str_arg(text, "text", "a str or bytes");
                    return read_tc(t, str_arg(name, "name"));
                  },
                  py::arg("text"), py::arg("name") = "<string>", "Parses .tc text (docs/format.md)")
      .def("to_string", [](const Circuit& c, const py::object& format_given) -> py::object {
            const std::string format = format_arg(format_given);
            std::string s;
            {
              py::gil_scoped_release r;
              s = render(c, format);
            }
            if (format == "aig") return py::bytes(s);
            return py::str(s);
          }, py::arg("format") = "tc",
           "The circuit as text in a format (tc json dot th; aag aig blif v lower it to AND/NOT first). aig gives bytes.")
      .def("_save", [](const Circuit& c, const std::string& path, const py::object& format_given, bool force) {
        const std::string format = format_arg(format_given);
        py::gil_scoped_release r;
        with_force_keyword([&] { write_file(path, render(c, format), force); });
      })
      .def_property_readonly("inputs", &Circuit::num_inputs, "number of inputs")
      .def_property_readonly("outputs", &Circuit::num_outputs, "number of outputs")
      .def_property_readonly("gates", &Circuit::num_gates, "number of threshold gates")
      .def_property_readonly("wires", &Circuit::num_wires, "number of gate fan-in wires")
      .def_property_readonly("depth", &Circuit::depth, "the largest level of any output (threshold gates on the longest path)")
      .def("_stats", [](const Circuit& c) {
        circuit_stats s;
        {
          py::gil_scoped_release r;
          s = analyze(c);
        }
        return to_python(to_json(s));
      })
      .def("_gate", &gate_tuple)
      .def("_outputs", [](const Circuit& c) {
        py::list l;
        for (const Output& o : c.outputs()) l.append(py::make_tuple(o.lit.node(), o.lit.negated(), o.name));
        return l;
      })
      .def("_node_name", [](const Circuit& c, node_id n) {
        if (n >= c.num_nodes()) throw py::index_error(fmt::format("node {} out of range: the circuit has nodes 0..{}", n, c.num_nodes() - 1));
        return std::string(c.name(n));
      })
      .def("_truth_table", [](const Circuit& c, std::uint32_t max_inputs) {
        if (c.num_inputs() > max_inputs)
          throw std::invalid_argument(fmt::format("the circuit has {} inputs; the table would have 2^{} rows (raise max_inputs)",
                                                  c.num_inputs(), c.num_inputs()));
        const std::uint64_t rows = std::uint64_t(1) << c.num_inputs();
        const std::uint32_t m = c.num_outputs();
        py::array_t<std::uint8_t> out({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(m)});
        std::uint8_t* dst = out.mutable_data();
        {
          py::gil_scoped_release r;
          const auto tables = truth_tables(c);
          for (std::uint32_t o = 0; o < m; ++o)
            for (std::uint64_t p = 0; p < rows; ++p) dst[p * m + o] = get_bit(tables[o], p);
        }
        return out;
      })
      .def("_eval_u8", [](const Circuit& c, py::array_t<std::uint8_t, py::array::c_style> in, std::uint32_t threads) {
        if (in.ndim() != 2 || static_cast<std::uint64_t>(in.shape(1)) != c.num_inputs())
          throw std::invalid_argument("expected a (patterns, inputs) array");
        const std::uint64_t P = static_cast<std::uint64_t>(in.shape(0));
        py::array_t<std::uint8_t> out({static_cast<py::ssize_t>(P), static_cast<py::ssize_t>(c.num_outputs())});
        const std::uint8_t* src = in.data();
        std::uint8_t* dst = out.mutable_data();
        if (P > 0 && c.num_outputs() > 0) {
          py::gil_scoped_release r;
          eval_rows(c, src, dst, P, threads);
        }
        return out;
      })
      .def("_eval_one", [](const Circuit& c, const std::vector<std::uint8_t>& in) { return evaluate(c, in); })
      .def("lower", [](const Circuit& c) { return lower_to_and_network(c); }, py::call_guard<py::gil_scoped_release>(),
           "An equivalent AND/NOT network (every gate an AND of two literals), exact for any weights")
      .def("is_and_network", &is_and_network)
      .def("_equiv", [](const Circuit& a, const Circuit& b, bool sat, std::uint32_t max_exhaustive, std::uint64_t patterns,
                        std::uint64_t seed, std::optional<double> time_limit, const std::string& encoding, std::uint64_t conflicts,
                        std::uint32_t threads, const std::string& solver, bool cross_check) {
        nlohmann::json j = run_long([&] {
          if (sat) {
            sat_equiv_params sp;
            sp.encoding.encoding = parse_gate_encoding(encoding);
            sp.sat.solver = parse_sat_solver(solver);
            sp.sat.cross_check = cross_check;
            sp.query = "equiv-miter";
            sp.sat.time_limit_s = time_limit ? *time_limit : 300;  // as tcx equiv --sat
            sp.sat.conflicts = conflicts;
            const sat_equiv_result r = equivalent_by_sat(a, b, sp);
            return equiv_sat_json(r, solver);
          }
          if (same_by_structure(a, b)) return equiv_structural_json();  // as tcx equiv
          equiv_params p;
          p.max_exhaustive_inputs = max_exhaustive;
          p.random_patterns = patterns;
          p.seed = seed;
          p.time_limit_s = time_limit ? *time_limit : 0;
          p.sim.threads = threads;
          const equiv_result r = equivalent_by_simulation(a, b, p);
          return equiv_simulation_json(r, r.exhaustive ? "exhaustive" : "random");
        });
        return to_python(j);
      })
      .def("_simulate_random", [](const Circuit& c, std::uint64_t count, std::uint64_t seed, std::uint32_t threads) {
        // The library's own driver on seeded random patterns, outputs discarded: the simulator's
        // throughput, the baseline of bench/bench_python_eval.py.
        py::gil_scoped_release r;
        std::atomic<std::uint64_t> sink{0};
        sim_params sp;
        sp.threads = threads;
        simulate_blocks(c, PatternSet{PatternSet::random, count, seed}, sp,
                        [&](std::uint64_t, std::uint32_t W, const std::uint64_t* out) { sink.fetch_xor(out[0] ^ W, std::memory_order_relaxed); });
        return sink.load();
      })
      .def("_time_simulate_patterns", [](const Circuit& c, py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast> x,
                                          std::uint32_t threads) {
        // The library's explicit-pattern driver (simulate_patterns: rows in, rows out, as eval
        // does) on the same rows, converted to its input type before the clock starts: the
        // second baseline of bench/bench_python_eval.py. Returns seconds.
        if (x.ndim() != 2 || static_cast<std::uint32_t>(x.shape(1)) != c.num_inputs()) throw py::value_error("need (patterns, inputs)");
        std::vector<std::vector<std::uint8_t>> rows(static_cast<std::size_t>(x.shape(0)));
        for (std::size_t k = 0; k < rows.size(); ++k) rows[k].assign(x.data(k, 0), x.data(k, 0) + x.shape(1));
        py::gil_scoped_release r;
        sim_params sp;
        sp.threads = threads;
        const auto t0 = std::chrono::steady_clock::now();
        const auto out = simulate_patterns(c, rows, sp);
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return out.empty() && !rows.empty() ? -1.0 : secs;
      })
      .def("__eq__", [](const Circuit& a, const py::object& b) { return py::isinstance<Circuit>(b) && structurally_equal(a, b.cast<const Circuit&>()); })
      .def("__hash__", [](const Circuit&) -> py::int_ { throw py::type_error("Circuit is not hashable"); })
      .def("__repr__", [](const Circuit& c) {
        return fmt::format("<tcx.Circuit: {} inputs, {} outputs, {} gates, {} wires, depth {}>", c.num_inputs(), c.num_outputs(),
                           c.num_gates(), c.num_wires(), c.depth());
      });

  py::class_<PyBuilder>(m, "Builder",
                        "Builds a circuit gate by gate with the library's normalization: negations and constants folded,\n"
                        "fan-ins sorted and merged, weights divided by their gcd, identical gates shared.")
      .def(py::init([] {
        static std::atomic<std::uint64_t> builders{0};
        builder_params p = default_builder_params();
        p.max_wires = settings().max_wires;
        PyBuilder b;
        b.b.emplace(p);
        b.id = ++builders;
        return b;
      }))
      .def("input", [](PyBuilder& b, const py::object& name) { return b.own(b.get().add_input(optional_str_arg(name, "name").value_or(""))); },
           py::arg("name") = py::none(), "A new input (inputs come before the first gate)")
      .def("inputs", [](PyBuilder& b, const py::object& count_given) {
        const std::int64_t count = int_arg(count_given, "count", 0, std::int64_t(1) << 24);  // at most 2^24 at once
        std::vector<PyLit> l;
        for (std::int64_t i = 0; i < count; ++i) l.push_back(b.own(b.get().add_input()));
        return l;
      }, py::arg("count"), "count new anonymous inputs")
      .def("gate", [](PyBuilder& pb, const py::object& given, const py::object& weights, const py::object& threshold) {
        Builder& b = pb.get();
        // Sequences, not strings (a str is a sequence of strs).
        if (!py::isinstance<py::sequence>(given) || py::isinstance<py::str>(given)) wrong_type(given, "lits", "a sequence of tcx.Lit");
        if (!py::isinstance<py::sequence>(weights) || py::isinstance<py::str>(weights)) wrong_type(weights, "weights", "a sequence of ints");
        const py::sequence lit_seq = given.cast<py::sequence>();
        if (py::len(weights) != py::len(lit_seq))
          throw std::invalid_argument(fmt::format("{} literals but {} weights", py::len(lit_seq), py::len(weights)));
        std::vector<Lit> lits;
        for (auto l : lit_seq) lits.push_back(pb.check(l, fmt::format("lits[{}]", lits.size())));
        std::vector<mpz_class> big;
        big.reserve(lits.size());
        for (auto w : weights) big.push_back(to_mpz(w, fmt::format("weights[{}]", big.size())));
        const mpz_class t = to_mpz(threshold, "threshold");
        bool small = t.fits_slong_p();
        for (const mpz_class& w : big) small = small && w.fits_slong_p();
        if (small) {
          std::vector<std::int64_t> ws;
          for (const mpz_class& w : big) ws.push_back(w.get_si());
          return pb.own(b.add_gate(lits, ws, t.get_si()));
        }
        return pb.own(b.add_gate(lits, big, t));
      }, py::arg("lits"), py::arg("weights"), py::arg("threshold"),
           "[sum weights[i] * lits[i] >= threshold]; returns a literal equal to it (maybe an existing node, a negation or a constant)")
      .def("output", [](PyBuilder& b, const py::object& l, const py::object& name) {
        b.get().add_output(b.check(l, "lit"), optional_str_arg(name, "name").value_or(""));
      }, py::arg("lit"), py::arg("name") = py::none(), "Marks a literal as the next output")
      .def("build", [](PyBuilder& b) {
        Circuit c = std::move(b.get()).build();
        b.b.reset();
        return c;
      }, "The circuit; the Builder cannot be used afterwards")
      .def_property_readonly("num_inputs", [](PyBuilder& b) { return b.get().num_inputs(); })
      .def_property_readonly("num_gates", [](PyBuilder& b) { return b.get().num_gates(); })
      .def("level", [](PyBuilder& b, const py::object& l) { return b.get().level(b.check(l, "lit")); }, py::arg("lit"),
           "The level (depth) of a literal's node");
  m.attr("FALSE") = PyLit{lit_false};
  m.attr("TRUE") = PyLit{lit_true};
}

}  // namespace tcx::py

#pragma once
// N-dimensional arrays of any element type, and the data-movement operators of ONNX on them
// (broadcasting, transpose, reshape, concat, gather, slice, pads of windows). These are pure
// index arithmetic: the exact interpreter runs them on rationals and the circuit compiler on
// linear forms, so this header is the one piece the two share (the PyTorch tests check it from
// outside). Every arithmetic rule lives apart in interpret.cpp and compile.cpp.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tcx {

using Shape = std::vector<std::int64_t>;

// A shape that makes no sense for the operator at hand; the caller adds file and node.
class ShapeError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Elements of a shape, refusing negative dimensions and counts past 2^40.
inline std::uint64_t shape_size(const Shape& s) {
  std::uint64_t n = 1;
  for (std::int64_t d : s) {
    if (d < 0) throw ShapeError("negative dimension");
    if (d != 0 && n > (std::uint64_t(1) << 40) / std::uint64_t(d)) throw ShapeError("more than 2^40 elements");
    n *= std::uint64_t(d);
  }
  return n;
}

inline std::string shape_text(const Shape& s) {
  std::string t = "[";
  for (std::size_t k = 0; k < s.size(); ++k) t += (k ? "," : "") + std::to_string(s[k]);
  return t + "]";
}

// Row-major strides.
inline std::vector<std::uint64_t> strides_of(const Shape& s) {
  std::vector<std::uint64_t> st(s.size(), 1);
  for (std::size_t k = s.size(); k-- > 1;) st[k - 1] = st[k] * std::uint64_t(s[k]);
  return st;
}

// A negative axis counts from the end; checked against the rank.
inline std::size_t norm_axis(std::int64_t axis, std::size_t rank, const char* what = "axis") {
  const std::int64_t r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) throw ShapeError(std::string(what) + " " + std::to_string(axis) + " out of range for rank " + std::to_string(rank));
  return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

template <class T>
struct NdArray {
  Shape shape;
  std::vector<T> data;
  std::size_t size() const { return data.size(); }
  std::size_t rank() const { return shape.size(); }
};

// Multidirectional (numpy) broadcasting of two shapes.
inline Shape broadcast_shape(const Shape& a, const Shape& b) {
  const std::size_t r = std::max(a.size(), b.size());
  Shape out(r);
  for (std::size_t k = 0; k < r; ++k) {
    const std::int64_t da = k < r - a.size() ? 1 : a[k - (r - a.size())];
    const std::int64_t db = k < r - b.size() ? 1 : b[k - (r - b.size())];
    if (da != db && da != 1 && db != 1)
      throw ShapeError("shapes " + shape_text(a) + " and " + shape_text(b) + " do not broadcast");
    out[k] = da == 1 ? db : da;
  }
  return out;
}

// For each element of `out`, the flat index of the element of `in` broadcast to it.
inline std::vector<std::uint64_t> broadcast_map(const Shape& in, const Shape& out) {
  const std::uint64_t n = shape_size(out);
  std::vector<std::uint64_t> map(n);
  const std::size_t off = out.size() - in.size();
  const std::vector<std::uint64_t> in_st = strides_of(in);
  std::vector<std::int64_t> idx(out.size(), 0);
  for (std::uint64_t f = 0; f < n; ++f) {
    std::uint64_t src = 0;
    for (std::size_t k = 0; k < in.size(); ++k)
      if (in[k] != 1) src += std::uint64_t(idx[k + off]) * in_st[k];
    map[f] = src;
    for (std::size_t k = out.size(); k-- > 0;) {
      if (++idx[k] < out[k]) break;
      idx[k] = 0;
    }
  }
  return map;
}

template <class T>
NdArray<T> broadcast_to(const NdArray<T>& a, const Shape& out) {
  NdArray<T> r;
  r.shape = out;
  const std::vector<std::uint64_t> map = broadcast_map(a.shape, out);
  r.data.reserve(map.size());
  for (std::uint64_t m : map) r.data.push_back(a.data[m]);
  return r;
}

template <class T>
NdArray<T> transpose(const NdArray<T>& a, std::vector<std::int64_t> perm) {
  const std::size_t r = a.rank();
  if (perm.empty())
    for (std::size_t k = r; k-- > 0;) perm.push_back(static_cast<std::int64_t>(k));
  if (perm.size() != r) throw ShapeError("perm has " + std::to_string(perm.size()) + " entries for rank " + std::to_string(r));
  std::vector<bool> seen(r, false);
  Shape out(r);
  for (std::size_t k = 0; k < r; ++k) {
    const std::size_t p = norm_axis(perm[k], r, "perm entry");
    if (seen[p]) throw ShapeError("perm repeats an axis");
    seen[p] = true;
    perm[k] = static_cast<std::int64_t>(p);
    out[k] = a.shape[p];
  }
  const std::vector<std::uint64_t> st = strides_of(a.shape);
  NdArray<T> res;
  res.shape = out;
  res.data.reserve(a.size());
  std::vector<std::int64_t> idx(r, 0);
  for (std::uint64_t f = 0; f < a.size(); ++f) {
    std::uint64_t src = 0;
    for (std::size_t k = 0; k < r; ++k) src += std::uint64_t(idx[k]) * st[perm[k]];
    res.data.push_back(a.data[src]);
    for (std::size_t k = r; k-- > 0;) {
      if (++idx[k] < out[k]) break;
      idx[k] = 0;
    }
  }
  return res;
}

// Flatten's output shape: the axes before `axis` (negative: from the end, rank allowed) into
// one dimension, the rest into another.
inline Shape flatten_shape(const Shape& in, std::int64_t axis) {
  const std::int64_t r = static_cast<std::int64_t>(in.size());
  if (axis < -r || axis > r) throw ShapeError("axis out of range");
  if (axis < 0) axis += r;
  // Each side through shape_size (checked, within 2^40 elements): with a zero dimension the
  // whole is empty but the other side's plain product could overflow.
  const auto mid = in.begin() + axis;
  return {static_cast<std::int64_t>(shape_size(Shape(in.begin(), mid))),
          static_cast<std::int64_t>(shape_size(Shape(mid, in.end())))};
}

// Squeeze's output shape: the given axes removed (each must have size 1), or every axis of
// size 1 when none is given.
inline Shape squeeze_shape(const Shape& in, const std::vector<std::int64_t>& axes) {
  std::vector<bool> drop(in.size(), false);
  if (axes.empty())
    for (std::size_t k = 0; k < in.size(); ++k) drop[k] = in[k] == 1;
  for (auto a : axes) {
    const std::size_t ax = norm_axis(a, in.size());
    if (in[ax] != 1) throw ShapeError("squeezes an axis of size " + std::to_string(in[ax]));
    drop[ax] = true;
  }
  Shape s;
  for (std::size_t k = 0; k < in.size(); ++k)
    if (!drop[k]) s.push_back(in[k]);
  return s;
}

// Unsqueeze's: a dimension of size 1 at each given axis of the output.
inline Shape unsqueeze_shape(const Shape& in, const std::vector<std::int64_t>& axes) {
  const std::size_t r = in.size() + axes.size();
  std::vector<bool> add(r, false);
  for (auto a : axes) {
    const std::size_t ax = norm_axis(a, r);
    if (add[ax]) throw ShapeError("repeated axis");
    add[ax] = true;
  }
  Shape s;
  std::size_t j = 0;
  for (std::size_t k = 0; k < r; ++k) s.push_back(add[k] ? 1 : in[j++]);
  return s;
}

// Reshape's target: 0 copies the input dimension (unless allowzero), one -1 is inferred.
inline Shape reshape_target(const Shape& in, const std::vector<std::int64_t>& spec, bool allowzero) {
  Shape out(spec.size());
  std::int64_t infer = -1;
  std::uint64_t known = 1;
  for (std::size_t k = 0; k < spec.size(); ++k) {
    std::int64_t d = spec[k];
    if (d == 0 && !allowzero) {
      if (k >= in.size()) throw ShapeError("reshape: 0 copies a dimension the input does not have");
      d = in[k];
    }
    if (d == -1) {
      if (infer >= 0) throw ShapeError("reshape: more than one -1");
      infer = static_cast<std::int64_t>(k);
      continue;
    }
    if (d < 0) throw ShapeError("reshape: negative dimension " + std::to_string(d));
    out[k] = d;
    known *= std::uint64_t(d);
  }
  const std::uint64_t total = shape_size(in);
  if (infer >= 0) {
    if (known == 0 || total % known) throw ShapeError("reshape: cannot infer -1 for " + shape_text(in) + " into " + shape_text(spec));
    out[infer] = static_cast<std::int64_t>(total / known);
  }
  if (shape_size(out) != total) throw ShapeError("reshape: " + shape_text(in) + " has not as many elements as " + shape_text(out));
  return out;
}

template <class T>
NdArray<T> concat(const std::vector<const NdArray<T>*>& parts, std::int64_t axis_in) {
  if (parts.empty()) throw ShapeError("concat of nothing");
  const std::size_t r = parts[0]->rank();
  const std::size_t axis = norm_axis(axis_in, r);
  Shape out = parts[0]->shape;
  out[axis] = 0;
  for (const NdArray<T>* p : parts) {
    if (p->rank() != r) throw ShapeError("concat: ranks differ");
    for (std::size_t k = 0; k < r; ++k)
      if (k != axis && p->shape[k] != out[k]) throw ShapeError("concat: shapes " + shape_text(parts[0]->shape) + " and " + shape_text(p->shape) + " differ off the axis");
    out[axis] += p->shape[axis];
  }
  std::uint64_t outer = 1;
  for (std::size_t k = 0; k < axis; ++k) outer *= std::uint64_t(out[k]);
  NdArray<T> res;
  res.shape = out;
  res.data.reserve(shape_size(out));
  for (std::uint64_t o = 0; o < outer; ++o)
    for (const NdArray<T>* p : parts) {
      const std::uint64_t chunk = p->size() / (outer ? outer : 1);
      for (std::uint64_t k = 0; k < chunk; ++k) res.data.push_back(p->data[o * chunk + k]);
    }
  return res;
}

// Gather along an axis with constant indices (negative ones count from the end).
template <class T>
NdArray<T> gather(const NdArray<T>& a, const Shape& ishape, const std::vector<std::int64_t>& indices, std::int64_t axis_in) {
  const std::size_t axis = norm_axis(axis_in, a.rank());
  const std::int64_t dim = a.shape[axis];
  Shape out(a.shape.begin(), a.shape.begin() + axis);
  out.insert(out.end(), ishape.begin(), ishape.end());
  out.insert(out.end(), a.shape.begin() + axis + 1, a.shape.end());
  std::uint64_t outer = 1, inner = 1;
  for (std::size_t k = 0; k < axis; ++k) outer *= std::uint64_t(a.shape[k]);
  for (std::size_t k = axis + 1; k < a.rank(); ++k) inner *= std::uint64_t(a.shape[k]);
  NdArray<T> res;
  res.shape = out;
  res.data.reserve(shape_size(out));
  for (std::uint64_t o = 0; o < outer; ++o)
    for (std::int64_t ix : indices) {
      if (ix < -dim || ix >= dim) throw ShapeError("gather: index " + std::to_string(ix) + " out of range " + std::to_string(dim));
      const std::uint64_t i = std::uint64_t(ix < 0 ? ix + dim : ix);
      for (std::uint64_t k = 0; k < inner; ++k) res.data.push_back(a.data[(o * std::uint64_t(dim) + i) * inner + k]);
    }
  return res;
}

// A tensor of shape `out` whose elements, in row-major order, copy the elements of `a` at the
// flat index source(multi-index) returns, or `*fill` where it returns none: the one loop of the
// operators that only move data (slice, pad).
template <class T, class F>
NdArray<T> by_source(const NdArray<T>& a, const Shape& out, F&& source, const T* fill = nullptr) {
  NdArray<T> res;
  res.shape = out;
  const std::uint64_t n = shape_size(out);
  res.data.reserve(n);
  std::vector<std::int64_t> idx(out.size(), 0);
  for (std::uint64_t f = 0; f < n; ++f) {
    const std::optional<std::uint64_t> src = source(idx);
    res.data.push_back(src ? a.data[*src] : *fill);
    for (std::size_t k = out.size(); k-- > 0;) {
      if (++idx[k] < out[k]) break;
      idx[k] = 0;
    }
  }
  return res;
}

// Slice with ONNX's clamping rules.
template <class T>
NdArray<T> slice(const NdArray<T>& a, const std::vector<std::int64_t>& starts, const std::vector<std::int64_t>& ends,
                 std::vector<std::int64_t> axes, std::vector<std::int64_t> steps) {
  const std::size_t r = a.rank();
  if (axes.empty())
    for (std::size_t k = 0; k < starts.size(); ++k) axes.push_back(static_cast<std::int64_t>(k));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    throw ShapeError("slice: starts, ends, axes and steps differ in length");
  std::vector<std::int64_t> lo(r, 0), step(r, 1);
  Shape out = a.shape;
  for (std::size_t k = 0; k < starts.size(); ++k) {
    const std::size_t ax = norm_axis(axes[k], r);
    const std::int64_t d = a.shape[ax], s = steps[k];
    if (s == 0) throw ShapeError("slice: step 0");
    auto clampi = [&](std::int64_t v, std::int64_t lo_, std::int64_t hi_) { return v < lo_ ? lo_ : v > hi_ ? hi_ : v; };
    std::int64_t b = starts[k] < 0 ? starts[k] + d : starts[k];
    std::int64_t e = ends[k] < 0 ? ends[k] + d : ends[k];
    if (s > 0) {
      b = clampi(b, 0, d);
      e = clampi(e, 0, d);
      out[ax] = e > b ? (e - b + s - 1) / s : 0;
    } else {
      b = clampi(b, 0, d - 1);
      e = clampi(e, -1, d - 1);
      out[ax] = b > e ? (b - e + (-s) - 1) / (-s) : 0;
    }
    lo[ax] = b;
    step[ax] = s;
  }
  const std::vector<std::uint64_t> st = strides_of(a.shape);
  return by_source(a, out, [&](const std::vector<std::int64_t>& idx) {
    std::uint64_t src = 0;
    for (std::size_t k = 0; k < r; ++k) src += std::uint64_t(lo[k] + idx[k] * step[k]) * st[k];
    return std::optional<std::uint64_t>(src);
  });
}

// Pad: `pads` holds the amounts before every axis, then after every axis (negative ones crop).
// constant fills with `fill`; edge repeats the border element; reflect mirrors about it without
// repeating it (so a reflected pad must be shorter than its axis).
enum class PadMode { constant, reflect, edge };
inline PadMode pad_mode(const std::string& name) {
  if (name == "constant") return PadMode::constant;
  if (name == "reflect") return PadMode::reflect;
  if (name == "edge") return PadMode::edge;
  throw ShapeError("Pad mode '" + name + "' is not supported (constant, reflect, edge)");
}
// Pad-18's `axes`: pads given for those axes only, spread over all `rank` axes (others 0).
inline std::vector<std::int64_t> pads_on_axes(const std::vector<std::int64_t>& pads, const std::vector<std::int64_t>& axes, std::size_t rank) {
  if (pads.size() != 2 * axes.size()) throw ShapeError("pad: " + std::to_string(pads.size()) + " pads for " + std::to_string(axes.size()) + " axes");
  std::vector<std::int64_t> all(2 * rank, 0);
  for (std::size_t k = 0; k < axes.size(); ++k) {
    const std::size_t ax = norm_axis(axes[k], rank);
    all[ax] = pads[k], all[ax + rank] = pads[k + axes.size()];
  }
  return all;
}
// The padded shape, every pad checked (the caller bounds its size before pad() allocates).
inline Shape pad_shape(const Shape& in, const std::vector<std::int64_t>& pads, PadMode mode) {
  const std::size_t r = in.size();
  if (pads.size() != 2 * r)
    throw ShapeError("pad: " + std::to_string(pads.size()) + " pads for rank " + std::to_string(r) + " (expected " + std::to_string(2 * r) + ")");
  Shape out(r);
  for (std::size_t k = 0; k < r; ++k) {
    const std::int64_t d = in[k], before = pads[k], after = pads[k + r];
    if (before > (std::int64_t(1) << 40) || after > (std::int64_t(1) << 40) || before < -d || after < -d || d + before + after < 0)
      throw ShapeError("pad: pads " + std::to_string(before) + ", " + std::to_string(after) + " on an axis of " + std::to_string(d));
    out[k] = d + before + after;
    if (mode != PadMode::constant && (before > 0 || after > 0) && d == 0) throw ShapeError("pad: edge or reflect on an empty axis");
    if (mode == PadMode::reflect && (before >= d || after >= d) && (before > 0 || after > 0))
      throw ShapeError("pad: a reflected pad as long as its axis (" + std::to_string(d) + ")");
  }
  shape_size(out);
  return out;
}
template <class T>
NdArray<T> pad(const NdArray<T>& a, const std::vector<std::int64_t>& pads, PadMode mode, const T& fill) {
  const std::size_t r = a.rank();
  const Shape out = pad_shape(a.shape, pads, mode);
  const std::vector<std::uint64_t> st = strides_of(a.shape);
  return by_source(a, out, [&](const std::vector<std::int64_t>& idx) -> std::optional<std::uint64_t> {
    std::uint64_t src = 0;
    for (std::size_t k = 0; k < r; ++k) {
      const std::int64_t d = a.shape[k];
      std::int64_t i = idx[k] - pads[k];
      if (i < 0 || i >= d) {
        if (mode == PadMode::constant) return std::nullopt;
        i = mode == PadMode::edge ? (i < 0 ? 0 : d - 1) : (i < 0 ? -i : 2 * (d - 1) - i);
      }
      src += std::uint64_t(i) * st[k];
    }
    return src;
  }, &fill);
}

// The spatial windows of Conv / MaxPool / AveragePool over an N x C x H x W (or N x C x L)
// input: output size per spatial axis with explicit pads (auto_pad resolved by the caller).
struct Window {
  std::vector<std::int64_t> kernel, strides, pads, dilations;  // pads: begins then ends
  bool ceil_mode = false;
  std::vector<std::int64_t> out;  // output spatial sizes
  void resolve(const Shape& in_spatial) {
    const std::size_t d = in_spatial.size();
    if (kernel.size() != d) throw ShapeError("kernel_shape has " + std::to_string(kernel.size()) + " entries for " + std::to_string(d) + " spatial axes");
    if (strides.empty()) strides.assign(d, 1);
    if (dilations.empty()) dilations.assign(d, 1);
    if (pads.empty()) pads.assign(2 * d, 0);
    if (strides.size() != d || dilations.size() != d || pads.size() != 2 * d) throw ShapeError("strides, dilations or pads do not match the spatial rank");
    out.assign(d, 0);
    for (std::size_t k = 0; k < d; ++k) {
      if (kernel[k] < 1 || strides[k] < 1 || dilations[k] < 1 || pads[k] < 0 || pads[k + d] < 0)
        throw ShapeError("kernel, strides and dilations must be positive, pads nonnegative");
      // (so that the arithmetic below cannot overflow: no real window comes near)
      constexpr std::int64_t big = std::int64_t(1) << 31;
      if (kernel[k] > big || strides[k] > big || dilations[k] > big || pads[k] > big || pads[k + d] > big || in_spatial[k] > (std::int64_t(1) << 40))
        throw ShapeError("kernel, strides, dilations and pads must be at most 2^31");
      const std::int64_t span = (kernel[k] - 1) * dilations[k] + 1;
      const std::int64_t room = in_spatial[k] + pads[k] + pads[k + d] - span;
      if (room < 0) throw ShapeError("the window is larger than the padded input");
      out[k] = (ceil_mode ? (room + strides[k] - 1) / strides[k] : room / strides[k]) + 1;
      // ceil_mode: a last window that starts in the right padding is dropped (as in PyTorch)
      if (ceil_mode && (out[k] - 1) * strides[k] >= in_spatial[k] + pads[k]) --out[k];
    }
  }
};

}  // namespace tcx

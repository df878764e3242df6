// The exact ONNX interpreter: every tensor a tensor of rationals, every operator its definition
// applied element by element (docs/onnx.md). Slow and plain on purpose: it is the reference.
#include "compilers/onnx/interpret.hpp"

#include <algorithm>
#include <functional>

namespace tcx {

Rational truncated_quotient(const Rational& x, const Rational& y) {
  const Rational d = x / y;
  mpz_class q;
  mpz_tdiv_q(q.get_mpz_t(), d.get_num_mpz_t(), d.get_den_mpz_t());
  return Rational(q);
}

mpz_class round_half_even(const Rational& x) {
  mpz_class f;
  mpz_fdiv_q(f.get_mpz_t(), x.get_num_mpz_t(), x.get_den_mpz_t());  // floor
  const Rational frac = x - Rational(f);
  const int c = cmp(frac, Rational(1, 2));
  if (c > 0 || (c == 0 && mpz_odd_p(f.get_mpz_t()))) f += 1;
  return f;
}

namespace {

using T = NdArray<Rational>;

// sign(A + B sqrt(v)) for rationals A, B and v > 0, exactly.
int sign_surd(const Rational& A, const Rational& B, const Rational& v) {
  const int sa = sgn(A), sb = sgn(B);
  if (sa >= 0 && sb >= 0) return (sa || sb) ? 1 : 0;
  if (sa <= 0 && sb <= 0) return -1;
  const int c0 = cmp(Rational(A * A), Rational(B * B * v));  // |A| against |B| sqrt(v)
  const int c = (c0 > 0) - (c0 < 0);  // cmp() returns any int of the right sign
  return sa > 0 ? c : -c;
}

// The square root of a rational when it is a rational.
bool exact_sqrt(const Rational& v, Rational& r) {
  if (sgn(v) < 0) return false;
  mpz_class n, d;
  if (!mpz_perfect_square_p(v.get_num_mpz_t()) || !mpz_perfect_square_p(v.get_den_mpz_t())) return false;
  mpz_sqrt(n.get_mpz_t(), v.get_num_mpz_t());
  mpz_sqrt(d.get_mpz_t(), v.get_den_mpz_t());
  r = Rational(n, d);
  r.canonicalize();
  return true;
}

// A batch normalization whose sqrt(var + eps) is irrational: kept apart until a Sign reads it.
struct DeferredBn {
  T x;
  std::size_t channel_stride = 1, channels = 1;
  std::vector<Rational> gamma, beta, mean, v;  // v = var + epsilon
};

class Interp {
public:
  Interp(const OnnxModel& m, bool softmax_argmax) : m_(m), softmax_argmax_(softmax_argmax) {}

  std::vector<OnnxConst> run(const std::map<std::string, OnnxConst>& inputs) {
    for (const auto& [name, c] : m_.initializers) vals_[name] = &c;
    for (const OnnxValueInfo& in : m_.inputs) {
      auto it = inputs.find(in.name);
      if (it == inputs.end()) throw OnnxError(m_.file, "", "", "no value given for input '" + in.name + "'");
      if (it->second.value.shape != in.shape)
        throw OnnxError(m_.file, "", "", "input '" + in.name + "' has shape " + shape_text(it->second.value.shape) + ", the model declares " + shape_text(in.shape));
      vals_[in.name] = &it->second;
    }
    for (const OnnxNode& n : m_.nodes) {
      try {
        node(n);
      } catch (const ShapeError& e) {
        throw m_.error(n, e.what());
      }
    }
    std::vector<OnnxConst> out;
    for (const OnnxValueInfo& o : m_.outputs) {
      if (deferred_.count(o.name))
        throw OnnxError(m_.file, "", "", "output '" + o.name + "' is a batch normalization with an irrational sqrt(var + epsilon)");
      if (auto p = predicted_.find(o.name); p != predicted_.end()) out.push_back(p->second);
      else out.push_back(*vals_.at(o.name));
    }
    return out;
  }

private:
  const OnnxModel& m_;
  std::map<std::string, const OnnxConst*> vals_;  // initializers and inputs by pointer: not copied per run
  std::map<std::string, OnnxConst> owned_;        // computed tensors
  std::map<std::string, DeferredBn> deferred_;
  const OnnxNode* cur_ = nullptr;
  bool softmax_argmax_ = false;
  std::map<std::string, OnnxConst> predicted_;  // a Softmax graph output under --softmax argmax: the class

  [[noreturn]] void fail(const std::string& why) const { throw m_.error(*cur_, why); }

  const OnnxConst& in(std::size_t k) const {
    if (!cur_->has_input(k)) fail("input " + std::to_string(k) + " is missing");
    if (deferred_.count(cur_->inputs[k]))
      fail("reads '" + cur_->inputs[k] + "', a BatchNormalization whose sqrt(var + epsilon) is irrational: only Sign may read it exactly");
    return *vals_.at(cur_->inputs[k]);
  }
  void set(std::size_t k, ElemType t, T v) {
    if (k < cur_->outputs.size() && !cur_->outputs[k].empty()) {
      OnnxConst& c = owned_[cur_->outputs[k]];
      c = OnnxConst{t, std::move(v)};
      vals_[cur_->outputs[k]] = &c;
    }
  }
  std::int64_t iattr(const char* name, std::int64_t def) const { return cur_->int_attr(name, def); }
  std::vector<std::int64_t> ints_attr(const char* name) const { return cur_->ints_attr(name); }
  std::string sattr(const char* name, const std::string& def) const { return cur_->string_attr(name, def); }
  Rational fattr(const char* name, const Rational& def) const { return cur_->float_attr(name, def); }
  std::vector<std::int64_t> as_ints(const OnnxConst& c) const {
    std::vector<std::int64_t> r;
    for (const Rational& q : c.value.data) {
      if (q.get_den() != 1 || !mpz_fits_slong_p(q.get_num_mpz_t())) fail("expects integers, found " + q.get_str());
      r.push_back(q.get_num().get_si());
    }
    return r;
  }

  // Elementwise over broadcast inputs.
  T binary(const T& a, const T& b, const std::function<Rational(const Rational&, const Rational&)>& f) {
    T r;
    r.shape = broadcast_shape(a.shape, b.shape);
    const auto ma = broadcast_map(a.shape, r.shape), mb = broadcast_map(b.shape, r.shape);
    r.data.resize(ma.size());
    for (std::size_t k = 0; k < ma.size(); ++k) r.data[k] = f(a.data[ma[k]], b.data[mb[k]]);
    return r;
  }
  T unary(const T& a, const std::function<Rational(const Rational&)>& f) {
    T r;
    r.shape = a.shape;
    r.data.reserve(a.size());
    for (const Rational& x : a.data) r.data.push_back(f(x));
    return r;
  }
  // Integer types wrap? No: a result outside the type is an error (docs/onnx.md).
  void check_type(ElemType t, const T& v) const {
    if (!is_integer_type(t)) return;
    for (const Rational& q : v.data)
      if (q.get_den() != 1 || q < type_min(t) || q > type_max(t))
        fail("the result " + q.get_str() + " does not fit " + elem_type_name(t) + " (tcx never wraps silently)");
  }

  // Matrix product with numpy broadcasting of batch dimensions.
  T matmul(T a, T b) {
    const bool a1 = a.rank() == 1, b1 = b.rank() == 1;
    if (a.rank() == 0 || b.rank() == 0) fail("MatMul of a scalar");
    if (a1) a.shape.insert(a.shape.begin(), 1);
    if (b1) b.shape.push_back(1);
    const std::int64_t M = a.shape[a.rank() - 2], K = a.shape.back(), K2 = b.shape[b.rank() - 2], N = b.shape.back();
    if (K != K2) fail("MatMul: inner dimensions " + std::to_string(K) + " and " + std::to_string(K2) + " differ");
    const Shape ba(a.shape.begin(), a.shape.end() - 2), bb(b.shape.begin(), b.shape.end() - 2);
    const Shape batch = broadcast_shape(ba, bb);
    const auto ma = broadcast_map(ba, batch), mb = broadcast_map(bb, batch);
    T r;
    r.shape = batch;
    r.shape.push_back(M);
    r.shape.push_back(N);
    r.data.assign(shape_size(r.shape), Rational(0));
    for (std::size_t q = 0; q < ma.size(); ++q)
      for (std::int64_t i = 0; i < M; ++i)
        for (std::int64_t j = 0; j < N; ++j) {
          Rational s = 0;
          for (std::int64_t k = 0; k < K; ++k)
            s += a.data[(ma[q] * M + i) * K + k] * b.data[(mb[q] * K2 + k) * N + j];
          r.data[(q * M + i) * N + j] = s;
        }
    if (a1) r.shape.erase(r.shape.end() - 2);
    if (b1) r.shape.pop_back();
    return r;
  }

  // A per-tensor or per-axis parameter (scale, zero point) as a function of the flat index.
  std::function<const Rational&(std::size_t)> per_axis(const T& x, const T& p, std::int64_t axis_attr) {
    if (p.size() == 1) return [&p](std::size_t) -> const Rational& { return p.data[0]; };
    if (p.rank() != 1) fail("a quantization parameter must be a scalar or 1-D");
    const std::size_t axis = norm_axis(axis_attr, x.rank());
    if (p.shape[0] != x.shape[axis]) fail("a per-axis quantization parameter has " + std::to_string(p.shape[0]) + " entries for axis of " + std::to_string(x.shape[axis]));
    std::uint64_t inner = 1;
    for (std::size_t k = axis + 1; k < x.rank(); ++k) inner *= std::uint64_t(x.shape[k]);
    const std::uint64_t dim = std::uint64_t(x.shape[axis]);
    return [&p, inner, dim](std::size_t f) -> const Rational& { return p.data[(f / inner) % dim]; };
  }

  static Rational clamp(const Rational& v, const mpz_class& lo, const mpz_class& hi) {
    if (v < lo) return Rational(lo);
    if (v > hi) return Rational(hi);
    return v;
  }

  // Conv and pools share the window walk: for output position o of channel... each visits the
  // in-range input positions of one window. Apart from the compiler's copy on purpose (see
  // each_window): the interpreter is the compiler's independent check.
  Window window_of(const T& x, std::vector<std::int64_t> kernel) {
    if (x.rank() < 3) fail("expects N x C x spatial input, got " + shape_text(x.shape));
    Window w;
    w.kernel = std::move(kernel);
    w.strides = ints_attr("strides");
    w.dilations = ints_attr("dilations");
    w.pads = ints_attr("pads");
    w.ceil_mode = iattr("ceil_mode", 0) != 0;
    const Shape sp(x.shape.begin() + 2, x.shape.end());
    const std::string ap = sattr("auto_pad", "NOTSET");
    if (ap == "SAME_UPPER" || ap == "SAME_LOWER") {
      const std::size_t d = sp.size();
      std::vector<std::int64_t> st = w.strides.empty() ? std::vector<std::int64_t>(d, 1) : w.strides;
      std::vector<std::int64_t> dl = w.dilations.empty() ? std::vector<std::int64_t>(d, 1) : w.dilations;
      w.pads.assign(2 * d, 0);
      for (std::size_t k = 0; k < d && k < w.kernel.size() && k < st.size() && k < dl.size(); ++k) {
        const std::int64_t outk = (sp[k] + st[k] - 1) / st[k];
        const std::int64_t total = std::max<std::int64_t>(0, (outk - 1) * st[k] + (w.kernel[k] - 1) * dl[k] + 1 - sp[k]);
        w.pads[k] = ap == "SAME_UPPER" ? total / 2 : total - total / 2;
        w.pads[k + d] = total - w.pads[k];
      }
    } else if (ap == "VALID") {
      w.pads.clear();
    } else if (ap != "NOTSET") {
      fail("auto_pad '" + ap + "' is not supported");
    }
    w.resolve(sp);
    return w;
  }
  // Calls f(out_spatial_flat, in_spatial_flat or -1 for padding, kernel_flat) over each window.
  // Written apart from the compiler's window_members (and auto_pad above apart from its copy): the
  // interpreter is the compiler's reference, and no other test checks window geometry.
  template <class F>
  static void each_window(const Window& w, const Shape& sp, F&& f) {
    const std::size_t d = sp.size();
    std::uint64_t outs = 1, ks = 1;
    for (std::int64_t o : w.out) outs *= std::uint64_t(o);
    for (std::int64_t k : w.kernel) ks *= std::uint64_t(k);
    std::vector<std::int64_t> oi(d), ki(d);
    for (std::uint64_t o = 0; o < outs; ++o) {
      std::uint64_t rem = o;
      for (std::size_t k = d; k-- > 0;) {
        oi[k] = std::int64_t(rem % std::uint64_t(w.out[k]));
        rem /= std::uint64_t(w.out[k]);
      }
      for (std::uint64_t kf = 0; kf < ks; ++kf) {
        std::uint64_t r2 = kf;
        for (std::size_t k = d; k-- > 0;) {
          ki[k] = std::int64_t(r2 % std::uint64_t(w.kernel[k]));
          r2 /= std::uint64_t(w.kernel[k]);
        }
        std::int64_t flat = 0;
        bool inside = true;
        for (std::size_t k = 0; k < d; ++k) {
          const std::int64_t p = oi[k] * w.strides[k] + ki[k] * w.dilations[k] - w.pads[k];
          if (p < 0 || p >= sp[k]) inside = false;
          flat = flat * sp[k] + p;
        }
        f(o, inside ? flat : -1, kf);
      }
    }
  }

  void node(const OnnxNode& n) {
    cur_ = &n;
    const std::string& op = n.op;
    const bool qonnx = n.domain == "qonnx.custom_op.general" || n.domain == "finn.custom_op.general" || n.domain == "onnx.brevitas" ||
                       n.domain == "finn";
    if (!n.domain.empty() && !qonnx) fail("operator domain '" + n.domain + "' is not supported");
    if (qonnx) return custom(n);
    if (op == "Identity" || op == "Dropout") {
      const OnnxConst& x = in(0);
      return set(0, x.type, x.value);
    }
    if (op == "Constant") {
      const OnnxAttr* a = n.attr("value");
      if (a && a->kind == OnnxAttr::t) return set(0, a->tensor->type, a->tensor->value);
      if ((a = n.attr("value_float"))) return set(0, ElemType::float32, T{{}, {a->float_value}});
      if ((a = n.attr("value_int"))) return set(0, ElemType::int64, T{{}, {Rational(mpz_class(static_cast<long>(a->int_value)))}});
      if ((a = n.attr("value_ints"))) {
        T t{{static_cast<std::int64_t>(a->int_list.size())}, {}};
        for (auto v : a->int_list) t.data.emplace_back(mpz_class(static_cast<long>(v)));
        return set(0, ElemType::int64, t);
      }
      if ((a = n.attr("value_floats"))) return set(0, ElemType::float32, T{{static_cast<std::int64_t>(a->float_list.size())}, a->float_list});
      fail("Constant without a supported value attribute");
    }
    if (op == "ConstantOfShape") {
      const std::vector<std::int64_t> s = as_ints(in(0));
      OnnxConst v{ElemType::float32, T{{}, {Rational(0)}}};
      if (const OnnxAttr* a = n.attr("value"); a && a->kind == OnnxAttr::t) v = *a->tensor;
      if (v.value.size() != 1) fail("value must have one element");
      T r;
      r.shape = s;
      r.data.assign(shape_size(r.shape), v.value.data[0]);
      return set(0, v.type, r);
    }
    if (op == "Shape") {
      const OnnxConst& x = in(0);
      T r{{static_cast<std::int64_t>(x.value.rank())}, {}};
      for (auto d : x.value.shape) r.data.emplace_back(mpz_class(static_cast<long>(d)));
      return set(0, ElemType::int64, r);
    }
    if (op == "Cast") {
      const OnnxConst& x = in(0);
      const ElemType to = static_cast<ElemType>(iattr("to", 1));
      if (to == ElemType::string || type_bits(to) == 0) fail("Cast to an unsupported type");
      if (is_float_type(to)) return set(0, to, x.value);  // floats are exact rationals: no rounding
      // To an integer type: truncation toward zero, then the value must fit (tcx never wraps).
      T r = unary(x.value, [&](const Rational& q) {
        if (to == ElemType::boolean) return Rational(sgn(q) != 0 ? 1 : 0);
        mpz_class t;
        mpz_tdiv_q(t.get_mpz_t(), q.get_num_mpz_t(), q.get_den_mpz_t());
        return Rational(t);
      });
      check_type(to, r);
      return set(0, to, r);
    }
    if (op == "Reshape") {
      const OnnxConst& x = in(0);
      T r = x.value;
      r.shape = reshape_target(x.value.shape, as_ints(in(1)), iattr("allowzero", 0) != 0);
      return set(0, x.type, r);
    }
    if (op == "Flatten") {
      const OnnxConst& x = in(0);
      T v = x.value;
      v.shape = flatten_shape(x.value.shape, iattr("axis", 1));
      return set(0, x.type, v);
    }
    if (op == "Transpose") {
      const OnnxConst& x = in(0);
      return set(0, x.type, transpose(x.value, ints_attr("perm")));
    }
    if (op == "Squeeze" || op == "Unsqueeze") {
      const OnnxConst& x = in(0);
      std::vector<std::int64_t> axes = n.has_input(1) ? as_ints(in(1)) : ints_attr("axes");
      T v = x.value;
      v.shape = op == "Squeeze" ? squeeze_shape(v.shape, axes) : unsqueeze_shape(v.shape, axes);
      return set(0, x.type, v);
    }
    if (op == "Concat") {
      std::vector<const T*> parts;
      for (std::size_t k = 0; k < n.inputs.size(); ++k) parts.push_back(&in(k).value);
      return set(0, in(0).type, concat(parts, iattr("axis", 0)));
    }
    if (op == "Gather") {
      const OnnxConst& idx = in(1);
      return set(0, in(0).type, gather(in(0).value, idx.value.shape, as_ints(idx), iattr("axis", 0)));
    }
    if (op == "Pad") {
      const PadMode mode = pad_mode(sattr("mode", "constant"));
      std::vector<std::int64_t> pads = m_.opset < 11 ? ints_attr("pads") : as_ints(in(1));
      if (n.has_input(3)) pads = pads_on_axes(pads, as_ints(in(3)), in(0).value.rank());
      const Rational fill = m_.opset < 11 ? fattr("value", 0) : n.has_input(2) ? in(2).value.data.at(0) : Rational(0);
      return set(0, in(0).type, pad(in(0).value, pads, mode, fill));
    }
    if (op == "Slice") {
      if (m_.opset < 10) return set(0, in(0).type, slice(in(0).value, ints_attr("starts"), ints_attr("ends"), ints_attr("axes"), {}));
      return set(0, in(0).type,
                 slice(in(0).value, as_ints(in(1)), as_ints(in(2)), n.has_input(3) ? as_ints(in(3)) : std::vector<std::int64_t>{},
                       n.has_input(4) ? as_ints(in(4)) : std::vector<std::int64_t>{}));
    }
    if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
      const OnnxConst &a = in(0), &b = in(1);
      if (a.type != b.type) fail(std::string("inputs of types ") + elem_type_name(a.type) + " and " + elem_type_name(b.type));
      T r = binary(a.value, b.value, [&](const Rational& x, const Rational& y) -> Rational {
        if (op == "Add") return x + y;
        if (op == "Sub") return x - y;
        if (op == "Mul") return x * y;
        if (sgn(y) == 0) fail("division by zero");
        return is_integer_type(a.type) ? truncated_quotient(x, y) : x / y;
      });
      check_type(a.type, r);
      return set(0, a.type, r);
    }
    if (op == "Max" || op == "Min") {  // variadic, broadcast pairwise
      if (n.inputs.empty()) fail("needs at least one input");
      T r = in(0).value;
      for (std::size_t k = 1; k < n.inputs.size(); ++k) {
        if (in(k).type != in(0).type) fail(std::string("inputs of types ") + elem_type_name(in(0).type) + " and " + elem_type_name(in(k).type));
        r = binary(r, in(k).value, [&](const Rational& x, const Rational& y) { return (op == "Max" ? y > x : y < x) ? y : x; });
      }
      return set(0, in(0).type, r);
    }
    if (op == "Neg") {
      T r = unary(in(0).value, [](const Rational& x) { return Rational(-x); });
      check_type(in(0).type, r);
      return set(0, in(0).type, r);
    }
    if (op == "Relu") return set(0, in(0).type, unary(in(0).value, [](const Rational& x) { return sgn(x) > 0 ? x : Rational(0); }));
    if (op == "LeakyRelu") {
      const Rational alpha = fattr("alpha", Rational(static_cast<double>(0.01f)));  // ONNX's default is the float 0.01
      return set(0, in(0).type, unary(in(0).value, [&](const Rational& x) { return sgn(x) >= 0 ? x : Rational(alpha * x); }));
    }
    if (op == "Abs") return set(0, in(0).type, unary(in(0).value, [](const Rational& x) { return Rational(abs(x)); }));
    if (op == "Floor" || op == "Ceil" || op == "Round") {
      return set(0, in(0).type, unary(in(0).value, [&](const Rational& x) {
                   mpz_class q;
                   if (op == "Floor") mpz_fdiv_q(q.get_mpz_t(), x.get_num_mpz_t(), x.get_den_mpz_t());
                   else if (op == "Ceil") mpz_cdiv_q(q.get_mpz_t(), x.get_num_mpz_t(), x.get_den_mpz_t());
                   else q = round_half_even(x);
                   return Rational(q);
                 }));
    }
    if (op == "Sign") {
      if (deferred_.count(n.inputs[0])) return sign_of_bn(deferred_.at(n.inputs[0]));
      return set(0, in(0).type, unary(in(0).value, [](const Rational& x) { return Rational(sgn(x)); }));
    }
    if (op == "Clip") {
      const OnnxConst& x = in(0);
      std::optional<Rational> lo, hi;
      if (m_.opset < 11) {
        if (n.attr("min")) lo = fattr("min", 0);
        if (n.attr("max")) hi = fattr("max", 0);
      } else {
        if (n.has_input(1)) lo = in(1).value.data.at(0);
        if (n.has_input(2)) hi = in(2).value.data.at(0);
      }
      return set(0, x.type, unary(x.value, [&](const Rational& v) {
                   Rational r = v;
                   if (lo && r < *lo) r = *lo;
                   if (hi && r > *hi) r = *hi;
                   return r;
                 }));
    }
    if (op == "Gemm") {
      T a = in(0).value, b = in(1).value;
      if (a.rank() != 2 || b.rank() != 2) fail("Gemm needs 2-D A and B");
      if (iattr("transA", 0)) a = transpose(a, {1, 0});
      if (iattr("transB", 0)) b = transpose(b, {1, 0});
      const Rational alpha = fattr("alpha", 1), beta = fattr("beta", 1);
      T y = matmul(a, b);
      for (Rational& v : y.data) v *= alpha;
      if (n.has_input(2)) {
        const T c = broadcast_to(in(2).value, y.shape);
        for (std::size_t k = 0; k < y.size(); ++k) y.data[k] += beta * c.data[k];
      }
      return set(0, in(0).type, y);
    }
    if (op == "MatMul") return set(0, in(0).type, matmul(in(0).value, in(1).value));
    if (op == "MatMulInteger") {
      T a = in(0).value, b = in(1).value;
      if (n.has_input(2)) a = binary(a, in(2).value.rank() == 1 && a.rank() >= 2 ? column(in(2).value) : in(2).value, std::minus<Rational>());
      if (n.has_input(3)) b = binary(b, in(3).value, std::minus<Rational>());
      T y = matmul(a, b);
      check_type(ElemType::int32, y);
      return set(0, ElemType::int32, y);
    }
    if (op == "QLinearMatMul") {
      T a = binary(in(0).value, in(2).value.rank() == 1 && in(0).value.rank() >= 2 ? column(in(2).value) : in(2).value, std::minus<Rational>());
      T b = binary(in(3).value, in(5).value, std::minus<Rational>());
      T y = matmul(a, b);
      // real value (a - za) sa (b - zb) sb, requantized with y's scale and zero point
      const T sa = in(1).value, sb = in(4).value, sy = in(6).value, zy = in(7).value;
      if (sa.size() != 1 || sy.size() != 1 || zy.size() != 1) fail("only per-tensor a and y scales are supported");
      const ElemType to = in(7).type;
      for (std::size_t f = 0; f < y.size(); ++f) {
        const Rational& sbv = sb.size() == 1 ? sb.data[0] : sb.data[f % std::size_t(y.shape.back())];
        const Rational real = y.data[f] * sa.data[0] * sbv;
        y.data[f] = clamp(Rational(round_half_even(real / sy.data[0]) + zy.data[0].get_num()), type_min(to), type_max(to));
      }
      return set(0, to, y);
    }
    if (op == "QuantizeLinear") {
      const OnnxConst& x = in(0);
      const T& s = in(1).value;
      const ElemType to = n.has_input(2) ? in(2).type : ElemType::uint8;
      T zp = n.has_input(2) ? in(2).value : T{{}, {Rational(0)}};
      auto scale = per_axis(x.value, s, iattr("axis", 1));
      auto zero = per_axis(x.value, zp, iattr("axis", 1));
      T r;
      r.shape = x.value.shape;
      for (std::size_t f = 0; f < x.value.size(); ++f) {
        if (sgn(scale(f)) <= 0) fail("scale must be positive");
        r.data.push_back(clamp(Rational(round_half_even(x.value.data[f] / scale(f)) + zero(f).get_num()), type_min(to), type_max(to)));
      }
      return set(0, to, r);
    }
    if (op == "DequantizeLinear") {
      const OnnxConst& x = in(0);
      const T& s = in(1).value;
      T zp = n.has_input(2) ? in(2).value : T{{}, {Rational(0)}};
      auto scale = per_axis(x.value, s, iattr("axis", 1));
      auto zero = per_axis(x.value, zp, iattr("axis", 1));
      T r;
      r.shape = x.value.shape;
      for (std::size_t f = 0; f < x.value.size(); ++f) r.data.push_back((x.value.data[f] - zero(f)) * scale(f));
      return set(0, x.type == ElemType::int32 || is_integer_type(x.type) ? in(1).type : x.type, r);
    }
    if (op == "BatchNormalization") return batchnorm(n);
    if (op == "Conv") return conv(n);
    if (op == "MaxPool" || op == "AveragePool") return pool(n);
    if (op == "GlobalAveragePool" || op == "GlobalMaxPool") {
      const T& x = in(0).value;
      if (x.rank() < 3) fail("expects N x C x spatial input");
      const std::uint64_t nc = std::uint64_t(x.shape[0] * x.shape[1]), sp = x.size() / (nc ? nc : 1);
      T r;
      r.shape = {x.shape[0], x.shape[1]};
      for (std::size_t k = 2; k < x.rank(); ++k) r.shape.push_back(1);
      for (std::uint64_t c = 0; c < nc; ++c) {
        Rational acc = x.data[c * sp];
        for (std::uint64_t k = 1; k < sp; ++k) acc = op == "GlobalMaxPool" ? std::max(acc, x.data[c * sp + k]) : Rational(acc + x.data[c * sp + k]);
        if (op == "GlobalAveragePool") acc /= Rational(static_cast<unsigned long>(sp));
        r.data.push_back(acc);
      }
      return set(0, in(0).type, r);
    }
    if (op == "ArgMax" || op == "ArgMin") {
      const T& x = in(0).value;
      const std::size_t axis = norm_axis(iattr("axis", 0), x.rank());
      const bool last = iattr("select_last_index", 0) != 0, keep = iattr("keepdims", 1) != 0;
      std::uint64_t outer = 1, inner = 1;
      for (std::size_t k = 0; k < axis; ++k) outer *= std::uint64_t(x.shape[k]);
      for (std::size_t k = axis + 1; k < x.rank(); ++k) inner *= std::uint64_t(x.shape[k]);
      const std::int64_t dim = x.shape[axis];
      if (dim == 0) fail("ArgMax over an empty axis");
      T r;
      r.shape = x.shape;
      if (keep) r.shape[axis] = 1;
      else r.shape.erase(r.shape.begin() + axis);
      for (std::uint64_t o = 0; o < outer; ++o)
        for (std::uint64_t i = 0; i < inner; ++i) {
          std::int64_t best = 0;
          for (std::int64_t k = 1; k < dim; ++k) {
            const int c = cmp(x.data[(o * dim + k) * inner + i], x.data[(o * dim + best) * inner + i]);
            const int better = op == "ArgMax" ? c : -c;
            if (better > 0 || (better == 0 && last)) best = k;
          }
          r.data.emplace_back(mpz_class(static_cast<long>(best)));
        }
      return set(0, ElemType::int64, r);
    }
    if (op == "ReduceSum" || op == "ReduceMean" || op == "ReduceMax" || op == "ReduceMin") {
      const OnnxConst& x = in(0);
      // axes: an input from opset 13 (ReduceSum) or 18 (the others), an attribute before
      const bool axes_input = m_.opset >= (op == "ReduceSum" ? 13 : 18);
      if (axes_input && n.attr("axes")) fail("axes is an input from opset " + std::string(op == "ReduceSum" ? "13" : "18") + ", not an attribute");
      if (!axes_input && n.has_input(1)) fail("axes is an attribute before opset " + std::string(op == "ReduceSum" ? "13" : "18") + ", not an input");
      if (iattr("keepdims", 1) != 0 && iattr("keepdims", 1) != 1) fail("keepdims must be 0 or 1");
      std::vector<std::int64_t> axes = axes_input ? (n.has_input(1) ? as_ints(in(1)) : std::vector<std::int64_t>{}) : ints_attr("axes");
      const bool keep = iattr("keepdims", 1) != 0;
      if (axes.empty() && iattr("noop_with_empty_axes", 0)) return set(0, x.type, x.value);
      std::vector<bool> red(x.value.rank(), axes.empty());
      for (auto a : axes) red[norm_axis(a, x.value.rank())] = true;
      Shape out;
      for (std::size_t k = 0; k < x.value.rank(); ++k)
        if (!red[k]) out.push_back(x.value.shape[k]);
        else if (keep) out.push_back(1);
      T r;
      r.shape = out;
      r.data.assign(shape_size(out), Rational(0));
      std::vector<std::uint64_t> seen(r.data.size(), 0);
      const std::vector<std::uint64_t> st = strides_of(x.value.shape);
      for (std::uint64_t f = 0; f < x.value.size(); ++f) {
        std::uint64_t o = 0, rem = f;
        for (std::size_t k = 0; k < x.value.rank(); ++k) {
          const std::uint64_t i = rem / st[k];
          rem %= st[k];
          if (!red[k]) o = o * std::uint64_t(x.value.shape[k]) + i;
          else if (keep) o = o * 1;
        }
        const Rational& v = x.value.data[f];
        if (op == "ReduceMax") r.data[o] = seen[o] ? std::max(r.data[o], v) : v;
        else if (op == "ReduceMin") r.data[o] = seen[o] ? std::min(r.data[o], v) : v;
        else r.data[o] += v;
        ++seen[o];
      }
      if (op == "ReduceMean" && is_integer_type(x.type)) fail("an integer ReduceMean (a truncating division) is not supported");
      for (std::size_t o = 0; o < r.data.size(); ++o) {
        if (!seen[o] && (op == "ReduceMax" || op == "ReduceMin" || op == "ReduceMean"))
          fail(std::string(op) + " over an empty set of elements");
        if (op == "ReduceMean") r.data[o] /= Rational(static_cast<unsigned long>(seen[o]));
      }
      check_type(x.type, r);
      return set(0, x.type, r);
    }
    if (op == "Greater" || op == "GreaterOrEqual" || op == "Less" || op == "LessOrEqual" || op == "Equal") {
      return set(0, ElemType::boolean, binary(in(0).value, in(1).value, [&](const Rational& a, const Rational& b) {
                   const int c = cmp(a, b);
                   const bool v = op == "Greater" ? c > 0 : op == "GreaterOrEqual" ? c >= 0 : op == "Less" ? c < 0 : op == "LessOrEqual" ? c <= 0 : c == 0;
                   return Rational(v ? 1 : 0);
                 }));
    }
    if (op == "Not") return set(0, ElemType::boolean, unary(in(0).value, [](const Rational& x) { return Rational(sgn(x) == 0 ? 1 : 0); }));
    if (op == "Where") {
      const T& c = in(0).value;
      const T &a = in(1).value, &b = in(2).value;
      const Shape s = broadcast_shape(c.shape, broadcast_shape(a.shape, b.shape));
      const auto mc = broadcast_map(c.shape, s), ma = broadcast_map(a.shape, s), mb = broadcast_map(b.shape, s);
      T r;
      r.shape = s;
      for (std::size_t f = 0; f < mc.size(); ++f) r.data.push_back(sgn(c.data[mc[f]]) != 0 ? a.data[ma[f]] : b.data[mb[f]]);
      return set(0, in(1).type, r);
    }
    if (op == "Softmax" && softmax_argmax_) {
      // --softmax argmax: the readers (ArgMax along the axis) read the logits; a graph output is
      // the predicted class, the first index of a largest logit.
      const OnnxConst& x = in(0);
      std::size_t axis = 0;
      bool output = false;
      const std::string why = softmax_as_argmax(m_, n, x.value.rank(), axis, output);
      if (!why.empty()) fail("not exact even with --softmax argmax: " + why);
      if (output) {
        T r;
        r.shape = x.value.shape;
        r.shape.erase(r.shape.begin() + std::ptrdiff_t(axis));
        std::uint64_t outer = 1, inner = 1;
        for (std::size_t k = 0; k < axis; ++k) outer *= std::uint64_t(x.value.shape[k]);
        for (std::size_t k = axis + 1; k < x.value.rank(); ++k) inner *= std::uint64_t(x.value.shape[k]);
        const std::uint64_t dim = std::uint64_t(x.value.shape[axis]);
        if (dim == 0) fail("Softmax over an empty axis");
        for (std::uint64_t o = 0; o < outer; ++o)
          for (std::uint64_t i = 0; i < inner; ++i) {
            const Rational* best = &x.value.data[o * dim * inner + i];
            std::uint64_t at = 0;
            for (std::uint64_t k = 1; k < dim; ++k)
              if (x.value.data[(o * dim + k) * inner + i] > *best) best = &x.value.data[(o * dim + k) * inner + i], at = k;
            r.data.emplace_back(mpz_class(static_cast<unsigned long>(at)));
          }
        predicted_[n.outputs[0]] = OnnxConst{ElemType::int64, std::move(r)};
      }
      return set(0, x.type, x.value);
    }
    fail(unsupported_reason(op));
  }

  // A 1-D per-row zero point as a column for broadcasting against a matrix.
  static T column(const T& v) {
    T c = v;
    c.shape = {v.shape[0], 1};
    return c;
  }

  static std::string unsupported_reason(const std::string& op) {
    static const std::vector<std::string> inexact{"Softmax", "LogSoftmax", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Pow", "Erf",
                                                   "Gelu", "Elu", "Selu", "Softplus", "Softsign", "HardSigmoid", "HardSwish",
                                                   "Mish", "Cos", "Sin", "Reciprocal"};
    if (op == "Softmax")
      return "not exact: Softmax of a rational is in general irrational, so no threshold circuit computes it exactly "
             "(for the predicted class, --softmax argmax compiles ArgMax of its input: exact, softmax is increasing)";
    if (std::find(inexact.begin(), inexact.end(), op) != inexact.end())
      return "not exact: " + op + " of a rational is in general irrational, so no threshold circuit computes it exactly "
             "(quantize its input and output, or replace it: for example a hard argmax for a Softmax feeding ArgMax)";
    return "operator " + op + " is not supported (docs/onnx.md lists the supported ones)";
  }

  void batchnorm(const OnnxNode& n) {
    const OnnxConst& x = in(0);
    const T &g = in(1).value, &b = in(2).value, &mu = in(3).value, &var = in(4).value;
    if (iattr("training_mode", 0)) fail("training_mode BatchNormalization is not an inference graph");
    const Rational eps = fattr("epsilon", Rational(1, 100000));
    if (x.value.rank() < 2) fail("expects N x C x ... input");
    const std::size_t C = std::size_t(x.value.shape[1]);
    if (g.size() != C || b.size() != C || mu.size() != C || var.size() != C) fail("parameters do not have C entries");
    DeferredBn d;
    d.x = x.value;
    d.channels = C;
    d.channel_stride = 1;
    for (std::size_t k = 2; k < x.value.rank(); ++k) d.channel_stride *= std::size_t(x.value.shape[k]);
    bool rational = true;
    std::vector<Rational> root(C);
    for (std::size_t c = 0; c < C; ++c) {
      d.gamma.push_back(g.data[c]);
      d.beta.push_back(b.data[c]);
      d.mean.push_back(mu.data[c]);
      d.v.push_back(var.data[c] + eps);
      if (sgn(d.v.back()) <= 0) fail("var + epsilon must be positive");
      if (!exact_sqrt(d.v.back(), root[c])) rational = false;
    }
    if (!rational) {
      deferred_[n.outputs[0]] = std::move(d);
      return;
    }
    T r = x.value;
    for (std::size_t f = 0; f < r.size(); ++f) {
      const std::size_t c = (f / d.channel_stride) % C;
      r.data[f] = d.gamma[c] * (r.data[f] - d.mean[c]) / root[c] + d.beta[c];
    }
    set(0, x.type, r);
  }

  // Sign(gamma (x - mean) / sqrt(v) + beta) = sign(gamma (x - mean) + beta sqrt(v)).
  void sign_of_bn(const DeferredBn& d) {
    T r = d.x;
    for (std::size_t f = 0; f < r.size(); ++f) {
      const std::size_t c = (f / d.channel_stride) % d.channels;
      r.data[f] = sign_surd(d.gamma[c] * (d.x.data[f] - d.mean[c]), d.beta[c], d.v[c]);
    }
    set(0, ElemType::float32, r);
  }

  void conv(const OnnxNode& n) {
    const T& x = in(0).value;
    const T& w = in(1).value;
    if (w.rank() != x.rank()) fail("weights and input ranks differ");
    const std::int64_t N = x.shape[0], C = x.shape[1], M = w.shape[0], group = iattr("group", 1);
    if (group < 1 || C % group || M % group || w.shape[1] != C / group) fail("channels, group and weight shape disagree");
    std::vector<std::int64_t> kernel = ints_attr("kernel_shape");
    if (kernel.empty()) kernel.assign(w.shape.begin() + 2, w.shape.end());
    const Window win = window_of(x, kernel);
    const Shape sp(x.shape.begin() + 2, x.shape.end());
    const std::uint64_t insp = shape_size(sp), ks = shape_size(Shape(w.shape.begin() + 2, w.shape.end()));
    const std::uint64_t outsp = shape_size(win.out);
    T y;
    y.shape = {N, M};
    y.shape.insert(y.shape.end(), win.out.begin(), win.out.end());
    y.data.assign(shape_size(y.shape), Rational(0));
    const std::int64_t cg = C / group, mg = M / group;
    for (std::int64_t b = 0; b < N; ++b)
      for (std::int64_t m = 0; m < M; ++m) {
        const std::int64_t g = m / mg;
        for (std::int64_t c = 0; c < cg; ++c) {
          const std::int64_t ci = g * cg + c;
          each_window(win, sp, [&](std::uint64_t o, std::int64_t src, std::uint64_t kf) {
            if (src < 0) return;  // zero padding
            y.data[(std::uint64_t(b * M + m)) * outsp + o] +=
                w.data[(std::uint64_t(m * cg + c)) * ks + kf] * x.data[(std::uint64_t(b * C + ci)) * insp + std::uint64_t(src)];
          });
        }
        if (n.has_input(2)) {
          const Rational& bias = in(2).value.data.at(std::size_t(m));
          for (std::uint64_t o = 0; o < outsp; ++o) y.data[std::uint64_t(b * M + m) * outsp + o] += bias;
        }
      }
    set(0, in(0).type, y);
  }

  void pool(const OnnxNode& n) {
    if (n.outputs.size() > 1 && !n.outputs[1].empty()) fail("the Indices output of MaxPool is not supported");
    const T& x = in(0).value;
    const Window win = window_of(x, ints_attr("kernel_shape"));
    const bool maxp = n.op == "MaxPool", include_pad = iattr("count_include_pad", 0) != 0;
    const Shape sp(x.shape.begin() + 2, x.shape.end());
    const std::uint64_t insp = shape_size(sp);
    const std::uint64_t outsp = shape_size(win.out);
    const std::uint64_t nc = std::uint64_t(x.shape[0] * x.shape[1]);
    T y;
    y.shape = {x.shape[0], x.shape[1]};
    y.shape.insert(y.shape.end(), win.out.begin(), win.out.end());
    y.data.assign(nc * outsp, Rational(0));
    std::vector<std::optional<Rational>> acc(outsp);
    std::vector<std::uint64_t> count(outsp);
    for (std::uint64_t c = 0; c < nc; ++c) {
      std::fill(acc.begin(), acc.end(), std::nullopt);
      std::fill(count.begin(), count.end(), 0);
      each_window(win, sp, [&](std::uint64_t o, std::int64_t src, std::uint64_t) {
        if (src < 0) {
          // padding: ignored by MaxPool; AveragePool counts it (as 0) only with count_include_pad
          if (!maxp && include_pad) ++count[o];
          return;
        }
        const Rational& v = x.data[c * insp + std::uint64_t(src)];
        ++count[o];
        if (!acc[o]) acc[o] = v;
        else if (maxp) { if (v > *acc[o]) acc[o] = v; }
        else *acc[o] += v;
      });
      for (std::uint64_t o = 0; o < outsp; ++o) {
        if (!acc[o]) fail("a window lies entirely in the padding");
        y.data[c * outsp + o] = maxp ? *acc[o] : Rational(*acc[o] / Rational(static_cast<unsigned long>(count[o])));
      }
    }
    set(0, in(0).type, y);
  }

  // QONNX / FINN custom operators.
  void custom(const OnnxNode& n) {
    const std::string& op = n.op;
    if (op == "MultiThreshold") {
      const T& v = in(0).value;
      const T& th = in(1).value;
      const Rational out_scale = fattr("out_scale", 1), out_bias = fattr("out_bias", 0);
      const std::string layout = sattr("data_layout", "NCHW");
      if (th.rank() != 2) fail("thresholds must be 2-D (channels x steps)");
      // Channels are axis 1 of an NCHW tensor of rank >= 3, else the last axis (a 1-D input is one
      // row of channels); a scalar has none.
      if (v.rank() == 0) fail("the input has no channel axis (a scalar)");
      const std::size_t caxis = layout == "NCHW" && v.rank() > 2 ? 1 : v.rank() - 1;
      if (layout != "NCHW" && layout != "NHWC" && layout != "NC") fail("data_layout '" + layout + "' is not supported");
      std::uint64_t inner = 1;
      for (std::size_t k = caxis + 1; k < v.rank(); ++k) inner *= std::uint64_t(v.shape[k]);
      const std::uint64_t C = std::uint64_t(v.shape[caxis]);
      if (th.shape[0] != 1 && std::uint64_t(th.shape[0]) != C) fail("thresholds have " + std::to_string(th.shape[0]) + " rows for " + std::to_string(C) + " channels");
      const std::uint64_t steps = std::uint64_t(th.shape[1]);
      T r;
      r.shape = v.shape;
      for (std::uint64_t f = 0; f < v.size(); ++f) {
        const std::uint64_t c = th.shape[0] == 1 ? 0 : (f / inner) % C;
        std::uint64_t cnt = 0;
        for (std::uint64_t k = 0; k < steps; ++k) cnt += v.data[f] >= th.data[c * steps + k];
        r.data.push_back(out_bias + out_scale * Rational(static_cast<unsigned long>(cnt)));
      }
      return set(0, ElemType::float32, r);
    }
    if (op == "BipolarQuant") {
      const T& x = in(0).value;
      const T& s = in(1).value;
      if (s.size() != 1) fail("only a per-tensor scale is supported");
      return set(0, ElemType::float32, unary(x, [&](const Rational& v) { return sgn(v) >= 0 ? s.data[0] : Rational(-s.data[0]); }));
    }
    if (op == "Quant") {
      const T& x = in(0).value;
      const T &s = in(1).value, &z = in(2).value, &bw = in(3).value;
      if (bw.size() != 1 || bw.data[0].get_den() != 1 || bw.data[0] < 1 || bw.data[0] > 64) fail("bitwidth must be one integer in 1..64");
      const unsigned long bits = bw.data[0].get_num().get_ui();
      const bool sig = iattr("signed", 1) != 0, narrow = iattr("narrow", 0) != 0;
      const std::string mode = sattr("rounding_mode", "ROUND");
      mpz_class lo = sig ? mpz_class(-(mpz_class(1) << (bits - 1))) : mpz_class(0);
      mpz_class hi = sig ? mpz_class((mpz_class(1) << (bits - 1)) - 1) : mpz_class((mpz_class(1) << bits) - 1);
      if (narrow) (sig ? lo : hi) += sig ? 1 : -1;
      T sb = broadcast_to(s, x.shape), zb = broadcast_to(z, x.shape);
      T r;
      r.shape = x.shape;
      for (std::size_t f = 0; f < x.size(); ++f) {
        if (sgn(sb.data[f]) <= 0) fail("scale must be positive");
        const Rational v = x.data[f] / sb.data[f] + zb.data[f];
        mpz_class q;
        if (mode == "ROUND") q = round_half_even(v);
        else if (mode == "FLOOR") mpz_fdiv_q(q.get_mpz_t(), v.get_num_mpz_t(), v.get_den_mpz_t());
        else if (mode == "CEIL") mpz_cdiv_q(q.get_mpz_t(), v.get_num_mpz_t(), v.get_den_mpz_t());
        else if (mode == "ROUND_TO_ZERO") mpz_tdiv_q(q.get_mpz_t(), v.get_num_mpz_t(), v.get_den_mpz_t());
        else fail("rounding_mode '" + mode + "' is not supported");
        r.data.push_back((clamp(Rational(q), lo, hi) - zb.data[f]) * sb.data[f]);
      }
      return set(0, ElemType::float32, r);
    }
    fail("operator " + n.domain + ":" + op + " is not supported");
  }
};

}  // namespace

std::vector<OnnxConst> interpret_onnx(const OnnxModel& m, const std::map<std::string, OnnxConst>& inputs, bool softmax_argmax) {
  return Interp(m, softmax_argmax).run(inputs);
}

}  // namespace tcx

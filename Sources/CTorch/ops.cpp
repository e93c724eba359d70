// Elementwise maths, in-place updates, reductions, shape and indexing.
#include "bridge.hpp"

using namespace ctorch;

static at::Tensor unary(int op, const at::Tensor &a) {
  switch (op) {
    case CT_NEG: return at::neg(a);
    case CT_EXP: return at::exp(a);
    case CT_LOG: return at::log(a);
    case CT_SQRT: return at::sqrt(a);
    case CT_ABS: return at::abs(a);
    case CT_SIGMOID: return at::sigmoid(a);
    case CT_TANH: return at::tanh(a);
    case CT_RELU: return at::relu(a);
    case CT_RELU6: return at::hardtanh(a, 0.0, 6.0);
    case CT_GELU: return at::gelu(a);
    case CT_FLOOR: return at::floor(a);
    case CT_ROUND: return at::round(a);
    case CT_RECIPROCAL: return at::reciprocal(a);
  }
  throw std::invalid_argument("unknown unary op " + std::to_string(op));
}

template <typename B>
static at::Tensor binary(int op, const at::Tensor &a, const B &b) {
  switch (op) {
    case CT_ADD: return at::add(a, b);
    case CT_SUB: return at::sub(a, b);
    case CT_MUL: return at::mul(a, b);
    case CT_DIV: return at::div(a, b);
    case CT_POW: return at::pow(a, b);
    case CT_EQ: return at::eq(a, b);
    case CT_NE: return at::ne(a, b);
    case CT_LT: return at::lt(a, b);
    case CT_LE: return at::le(a, b);
    case CT_GT: return at::gt(a, b);
    case CT_GE: return at::ge(a, b);
  }
  throw std::invalid_argument("binary op " + std::to_string(op) + " is not defined for these operands");
}

extern "C" {

ct_tensor ct_unary(int op, ct_tensor a) { return tensor_call([&] { return unary(op, ref(a)); }); }

ct_tensor ct_binary(int op, ct_tensor a, ct_tensor b) {
  return tensor_call([&] {
    const auto &x = ref(a), &y = ref(b);
    switch (op) {
      case CT_MAXIMUM: return at::maximum(x, y);
      case CT_MINIMUM: return at::minimum(x, y);
      case CT_AND: return at::logical_and(x, y);
      case CT_RSUB: return at::sub(y, x);
      case CT_RDIV: return at::div(y, x);
      default: return binary(op, x, y);
    }
  });
}

ct_tensor ct_binary_scalar(int op, ct_tensor a, double s) {
  return tensor_call([&] {
    const auto &x = ref(a);
    at::Scalar v(s);
    switch (op) {
      case CT_MAXIMUM: return at::clamp_min(x, v);
      case CT_MINIMUM: return at::clamp_max(x, v);
      case CT_RSUB: return at::rsub(x, v);
      case CT_RDIV: return at::mul(at::reciprocal(x), v);
      default: return binary(op, x, v);
    }
  });
}

ct_tensor ct_where(ct_tensor cond, ct_tensor a, ct_tensor b) {
  return tensor_call([&] { return at::where(ref(cond), ref(a), ref(b)); });
}

ct_tensor ct_clamp(ct_tensor a, double lo, double hi, int has_lo, int has_hi) {
  return tensor_call([&] {
    c10::optional<at::Scalar> l = has_lo ? c10::optional<at::Scalar>(lo) : c10::nullopt;
    c10::optional<at::Scalar> h = has_hi ? c10::optional<at::Scalar>(hi) : c10::nullopt;
    return at::clamp(ref(a), l, h);
  });
}

int ct_unary_inplace(int op, ct_tensor a) {
  return status_call([&] {
    auto &x = a->t;
    switch (op) {
      case CT_RELU: at::relu_(x); break;
      case CT_RELU6: at::hardtanh_(x, 0.0, 6.0); break;
      case CT_SIGMOID: at::sigmoid_(x); break;
      default: throw std::invalid_argument("no in-place form of unary op " + std::to_string(op));
    }
  });
}

int ct_inplace(int op, ct_tensor t, ct_tensor other, double alpha) {
  return status_call([&] {
    auto &x = t->t;
    const auto &o = ref(other);
    switch (op) {
      case CT_IP_ADD: x.add_(o, alpha); break;
      case CT_IP_MUL: x.mul_(o); break;
      case CT_IP_COPY: x.copy_(o); break;
      case CT_IP_LERP: x.lerp_(o, alpha); break;
      default: throw std::invalid_argument("unknown in-place op " + std::to_string(op));
    }
  });
}

int ct_inplace_scalar(int op, ct_tensor t, double value) {
  return status_call([&] {
    auto &x = t->t;
    // Integer tensors (counters like num_batches_tracked) need an integer scalar.
    at::Scalar s = at::isIntegralType(x.scalar_type(), /*includeBool=*/true) ? at::Scalar(static_cast<int64_t>(value)) : at::Scalar(value);
    switch (op) {
      case CT_IP_ADD: x.add_(s); break;
      case CT_IP_MUL: x.mul_(s); break;
      case CT_IP_COPY: x.fill_(s); break;
      default: throw std::invalid_argument("unknown in-place scalar op " + std::to_string(op));
    }
  });
}

int ct_addcmul_(ct_tensor t, ct_tensor a, ct_tensor b, double value) {
  return status_call([&] { t->t.addcmul_(ref(a), ref(b), value); });
}

int ct_addcdiv_(ct_tensor t, ct_tensor a, ct_tensor b, double value) {
  return status_call([&] { t->t.addcdiv_(ref(a), ref(b), value); });
}

ct_tensor ct_reduce(int op, ct_tensor a, const int64_t *dp, int nd, int keepdim) {
  return tensor_call([&] {
    const auto &x = ref(a);
    std::vector<int64_t> all;
    if (nd == 0)
      for (int64_t i = 0; i < x.dim(); ++i) all.push_back(i);
    at::IntArrayRef d = nd == 0 ? at::IntArrayRef(all) : dims(dp, nd);
    bool k = keepdim != 0;
    switch (op) {
      case CT_SUM: return at::sum(x, d, k);
      case CT_MEAN: return at::mean(x, d, k);
      case CT_AMAX: return at::amax(x, d, k);
    }
    throw std::invalid_argument("unknown reduction " + std::to_string(op));
  });
}

ct_tensor ct_argmax(ct_tensor a, int64_t dim, int keepdim) {
  return tensor_call([&] { return at::argmax(ref(a), dim, keepdim != 0); });
}

int ct_max_dim(ct_tensor a, int64_t dim, int keepdim, ct_tensor *values, ct_tensor *indices) {
  return status_call([&] {
    auto [v, i] = at::max(ref(a), dim, keepdim != 0);
    *values = wrap(v);
    *indices = wrap(i);
  });
}

int ct_sort(ct_tensor a, int64_t dim, int descending, ct_tensor *values, ct_tensor *indices) {
  return status_call([&] {
    auto [v, i] = at::sort(ref(a), /*stable=*/true, dim, descending != 0);
    *values = wrap(v);
    *indices = wrap(i);
  });
}

ct_tensor ct_reshape(ct_tensor a, const int64_t *s, int n) { return tensor_call([&] { return ref(a).reshape(dims(s, n)); }); }
ct_tensor ct_permute(ct_tensor a, const int64_t *d, int n) { return tensor_call([&] { return ref(a).permute(dims(d, n)); }); }
ct_tensor ct_transpose(ct_tensor a, int64_t d0, int64_t d1) { return tensor_call([&] { return ref(a).transpose(d0, d1); }); }
ct_tensor ct_expand(ct_tensor a, const int64_t *s, int n) { return tensor_call([&] { return ref(a).expand(dims(s, n)); }); }
ct_tensor ct_squeeze(ct_tensor a, int64_t dim) { return tensor_call([&] { return ref(a).squeeze(dim); }); }
ct_tensor ct_unsqueeze(ct_tensor a, int64_t dim) { return tensor_call([&] { return ref(a).unsqueeze(dim); }); }
ct_tensor ct_flatten(ct_tensor a, int64_t s, int64_t e) { return tensor_call([&] { return ref(a).flatten(s, e); }); }
ct_tensor ct_flip(ct_tensor a, const int64_t *d, int n) { return tensor_call([&] { return ref(a).flip(dims(d, n)); }); }

ct_tensor ct_slice(ct_tensor a, int64_t dim, int64_t start, int64_t end, int64_t step) {
  return tensor_call([&] { return ref(a).slice(dim, start, end, step); });
}

static std::vector<at::Tensor> list(const ct_tensor *ts, int n) {
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int i = 0; i < n; ++i) v.push_back(ref(ts[i]));
  return v;
}

ct_tensor ct_cat(const ct_tensor *ts, int n, int64_t dim) { return tensor_call([&] { return at::cat(list(ts, n), dim); }); }
ct_tensor ct_stack(const ct_tensor *ts, int n, int64_t dim) { return tensor_call([&] { return at::stack(list(ts, n), dim); }); }

ct_tensor ct_index_select(ct_tensor a, int64_t dim, ct_tensor index) {
  return tensor_call([&] { return at::index_select(ref(a), dim, ref(index)); });
}

static c10::List<c10::optional<at::Tensor>> index_list(const ct_tensor *ts, int n) {
  c10::List<c10::optional<at::Tensor>> l;
  for (int i = 0; i < n; ++i) l.push_back(ts[i] ? c10::optional<at::Tensor>(ts[i]->t) : c10::nullopt);
  return l;
}

ct_tensor ct_index_tensor(ct_tensor a, const ct_tensor *ts, int n) {
  return tensor_call([&] { return at::index(ref(a), index_list(ts, n)); });
}

ct_tensor ct_scatter(ct_tensor a, int64_t dim, ct_tensor index, ct_tensor src, int add) {
  return tensor_call([&] {
    return add ? at::scatter_add(ref(a), dim, ref(index), ref(src)) : at::scatter(ref(a), dim, ref(index), ref(src));
  });
}

ct_tensor ct_pad(ct_tensor a, const int64_t *pads, int n, double value) {
  return tensor_call([&] { return at::constant_pad_nd(ref(a), dims(pads, n), value); });
}

}  // extern "C"

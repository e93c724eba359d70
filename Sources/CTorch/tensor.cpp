// Tensor creation, properties, host copies and autograd.
#include <cstring>

#include "bridge.hpp"

using namespace ctorch;

static at::TensorOptions options(int dtype, int dev) {
  return at::TensorOptions().dtype(scalar_type(dtype)).device(device(dev));
}

extern "C" {

void ct_free(ct_tensor t) { delete t; }

ct_tensor ct_from_data(const void *data, const int64_t *shape, int ndim, int dtype, int dev) {
  return tensor_call([&] {
    auto cpu = at::empty(dims(shape, ndim), options(dtype, CT_CPU));
    if (cpu.numel() > 0) std::memcpy(cpu.data_ptr(), data, cpu.nbytes());
    return dev == CT_CPU ? cpu : cpu.to(device(dev));
  });
}

ct_tensor ct_full(const int64_t *shape, int ndim, double value, int dtype, int dev) {
  return tensor_call([&] { return at::full(dims(shape, ndim), value, options(dtype, dev)); });
}

ct_tensor ct_rand(const int64_t *shape, int ndim, int normal, int dtype, int dev) {
  return tensor_call([&] {
    return normal ? at::randn(dims(shape, ndim), options(dtype, dev)) : at::rand(dims(shape, ndim), options(dtype, dev));
  });
}

ct_tensor ct_arange(double start, double end, double step, int dtype, int dev) {
  return tensor_call([&] { return at::arange(start, end, step, options(dtype, dev)); });
}

int ct_ndim(ct_tensor t) { return guarded<int>(-1, [&] { return static_cast<int>(ref(t).dim()); }); }

int ct_shape(ct_tensor t, int64_t *out) {
  return status_call([&] {
    auto sizes = ref(t).sizes();
    std::copy(sizes.begin(), sizes.end(), out);
  });
}

int ct_dtype_of(ct_tensor t) { return guarded<int>(-1, [&] { return dtype_code(ref(t).scalar_type()); }); }

int ct_device_of(ct_tensor t) { return guarded<int>(-2, [&] { return device_code(ref(t).device()); }); }

int64_t ct_numel(ct_tensor t) { return guarded<int64_t>(-1, [&] { return ref(t).numel(); }); }

int ct_copy_out(ct_tensor t, void *dst, size_t bytes) {
  return status_call([&] {
    auto host = ref(t).detach().to(at::kCPU).contiguous();
    if (host.nbytes() != bytes)
      throw std::invalid_argument("copy_out: buffer has " + std::to_string(bytes) + " bytes, tensor has " +
                                  std::to_string(host.nbytes()));
    if (bytes > 0) std::memcpy(dst, host.data_ptr(), bytes);
  });
}

int ct_item(ct_tensor t, double *out) {
  return status_call([&] { *out = ref(t).item<double>(); });
}

ct_tensor ct_to(ct_tensor t, int dtype, int dev) {
  return tensor_call([&] { return ref(t).to(device(dev), scalar_type(dtype)); });
}

ct_tensor ct_contiguous(ct_tensor t) { return tensor_call([&] { return ref(t).contiguous(); }); }
ct_tensor ct_clone(ct_tensor t) { return tensor_call([&] { return ref(t).clone(); }); }
ct_tensor ct_detach(ct_tensor t) { return tensor_call([&] { return ref(t).detach(); }); }

int ct_assign(ct_tensor dst, ct_tensor src) {
  return status_call([&] {
    if (dst == nullptr) throw std::invalid_argument("null tensor handle");
    dst->t = ref(src);
  });
}

int ct_set_requires_grad(ct_tensor t, int flag) {
  return status_call([&] { t->t.set_requires_grad(flag != 0); });
}

int ct_requires_grad(ct_tensor t) { return guarded<int>(-1, [&] { return ref(t).requires_grad() ? 1 : 0; }); }

int ct_grad(ct_tensor t, ct_tensor *out) {
  return status_call([&] {
    const auto &g = ref(t).grad();
    *out = g.defined() ? wrap(g) : nullptr;
  });
}

int ct_set_grad(ct_tensor t, ct_tensor grad) {
  return status_call([&] { t->t.mutable_grad() = grad ? grad->t : at::Tensor(); });
}

int ct_backward(ct_tensor t, ct_tensor grad, int retain_graph) {
  return status_call([&] {
    ref(t).backward(grad ? grad->t : at::Tensor(), retain_graph ? c10::optional<bool>(true) : c10::nullopt);
  });
}

}  // extern "C"

// Internal to the bridge: the handle type, conversions, and the guard that turns every C++ exception
// into a status plus a thread-local message (an exception crossing into Swift would kill the process).
#pragma once

#include <ATen/ATen.h>
#include <string>
#include <vector>

#include "ctorch.h"

struct ct_tensor_s {
  at::Tensor t;
};

namespace ctorch {

void set_error(const std::string &message);
void clear_error();

inline ct_tensor wrap(at::Tensor t) { return new ct_tensor_s{std::move(t)}; }
inline const at::Tensor &ref(ct_tensor h) {
  if (h == nullptr) throw std::invalid_argument("null tensor handle");
  return h->t;
}
inline c10::optional<at::Tensor> opt(ct_tensor h) {
  return h ? c10::optional<at::Tensor>(h->t) : c10::nullopt;
}
inline at::IntArrayRef dims(const int64_t *p, int n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

at::ScalarType scalar_type(int dtype);
int dtype_code(at::ScalarType type);
at::Device device(int code);
int device_code(const at::Device &d);
at::Reduction::Reduction reduction(int code);

// Runs `body`; on any exception records its message and returns `fail`.
template <typename R, typename F>
R guarded(R fail, F &&body) {
  try {
    return body();
  } catch (const c10::Error &e) {
    set_error(e.what_without_backtrace());
  } catch (const std::exception &e) {
    set_error(e.what());
  } catch (...) {
    set_error("unknown C++ exception in libtorch");
  }
  return fail;
}

// Tensor-returning call: NULL on failure.
template <typename F>
ct_tensor tensor_call(F &&body) {
  return guarded<ct_tensor>(nullptr, [&] { return wrap(body()); });
}

// Status call: 0 on success, -1 on failure.
template <typename F>
int status_call(F &&body) {
  return guarded<int>(-1, [&] {
    body();
    return 0;
  });
}

}  // namespace ctorch

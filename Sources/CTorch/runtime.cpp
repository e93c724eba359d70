// Errors, type/device mapping and process-wide settings.
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>

#include "bridge.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#if defined(__linux__)
#include <cerrno>
#include <cstring>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#ifdef CTORCH_CUDA
#include <c10/cuda/CUDAFunctions.h>
#endif

namespace ctorch {

static thread_local std::string last_error;

void set_error(const std::string &message) { last_error = message; }
void clear_error() { last_error.clear(); }

at::ScalarType scalar_type(int dtype) {
  switch (dtype) {
    case CT_F32: return at::kFloat;
    case CT_F64: return at::kDouble;
    case CT_F16: return at::kHalf;
    case CT_BF16: return at::kBFloat16;
    case CT_I64: return at::kLong;
    case CT_I32: return at::kInt;
    case CT_U8: return at::kByte;
    case CT_BOOL: return at::kBool;
  }
  throw std::invalid_argument("unknown dtype code " + std::to_string(dtype));
}

int dtype_code(at::ScalarType type) {
  switch (type) {
    case at::kFloat: return CT_F32;
    case at::kDouble: return CT_F64;
    case at::kHalf: return CT_F16;
    case at::kBFloat16: return CT_BF16;
    case at::kLong: return CT_I64;
    case at::kInt: return CT_I32;
    case at::kByte: return CT_U8;
    case at::kBool: return CT_BOOL;
    default: throw std::invalid_argument(std::string("unsupported dtype ") + c10::toString(type));
  }
}

at::Device device(int code) {
  if (code < 0) return at::Device(at::kCPU);
  return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(code));
}

int device_code(const at::Device &d) { return d.is_cuda() ? d.index() : CT_CPU; }

at::Reduction::Reduction reduction(int code) {
  switch (code) {
    case 0: return at::Reduction::None;
    case 1: return at::Reduction::Mean;
    case 2: return at::Reduction::Sum;
  }
  throw std::invalid_argument("unknown reduction code " + std::to_string(code));
}

}  // namespace ctorch

using namespace ctorch;

extern "C" {

const char *ct_last_error(void) { return last_error.c_str(); }

int ct_cuda_device_count(void) {
#ifdef CTORCH_CUDA
  return guarded<int>(0, [] { return static_cast<int>(c10::cuda::device_count()); });
#else
  return 0;
#endif
}

int ct_cuda_synchronize(int device) {
#ifdef CTORCH_CUDA
  return status_call([&] { c10::cuda::device_synchronize(); (void)device; });
#else
  (void)device;
  return 0;
#endif
}

void ct_manual_seed(uint64_t seed) {
  guarded<int>(0, [&] {
    at::manual_seed(seed);
    return 0;
  });
}

void ct_set_num_threads(int n) {
  guarded<int>(0, [&] {
    at::set_num_threads(n);
    return 0;
  });
}

int ct_get_num_threads(void) { return at::get_num_threads(); }

int ct_tune_allocator(void) {
#if defined(__GLIBC__)
  int ok = mallopt(M_ARENA_MAX, 1);
  ok &= mallopt(M_MMAP_THRESHOLD, 1 << 30);
  ok &= mallopt(M_TRIM_THRESHOLD, 0x7fffffff);
  ok &= mallopt(M_TOP_PAD, 256 << 20);
  return ok;
#else
  return 0;
#endif
}

int ct_set_thread_nice(int nice) {
#if defined(__linux__)
  auto tid = static_cast<id_t>(syscall(SYS_gettid));
  if (setpriority(PRIO_PROCESS, tid, nice) != 0) {
    ctorch::set_error(std::string("setpriority: ") + std::strerror(errno));
    return 1;
  }
  return 0;
#else
  (void)nice;
  ctorch::set_error("per-thread priorities are implemented for Linux only");
  return 1;
#endif
}

int ct_thread_nice(void) {
#if defined(__linux__)
  errno = 0;
  int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
  return errno == 0 ? nice : INT32_MIN;
#else
  return INT32_MIN;
#endif
}

int ct_set_grad_enabled(int enabled) {
  bool previous = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(enabled != 0);
  return previous ? 1 : 0;
}

int ct_is_grad_enabled(void) { return c10::GradMode::is_enabled() ? 1 : 0; }

}  // extern "C"

// A plain C API over libtorch. Handles are opaque; no C++ type or exception crosses this line.
// Every call that can fail returns NULL (tensor results) or non-zero (status results) and leaves a
// thread-local message in ct_last_error(). Tensor results are new handles the caller frees.
#ifndef CTORCH_H
#define CTORCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_tensor_s *ct_tensor;

/// Element types; the numbering is ours, mapped to c10::ScalarType inside the bridge.
typedef enum { CT_F32 = 0, CT_F64, CT_F16, CT_BF16, CT_I64, CT_I32, CT_U8, CT_BOOL } ct_dtype;

/// Devices are one integer: -1 is the CPU, n >= 0 is CUDA device n.
enum { CT_CPU = -1 };

const char *ct_last_error(void);

// Runtime
int ct_cuda_device_count(void);
void ct_manual_seed(uint64_t seed);
void ct_set_num_threads(int n);
int ct_get_num_threads(void);
int ct_set_grad_enabled(int enabled);  // returns the previous setting
int ct_is_grad_enabled(void);
int ct_cuda_synchronize(int device);
/// glibc allocator settings for a training process (see Torch.tuneAllocatorForTraining); 1 if all applied.
int ct_tune_allocator(void);
/// Sets the calling thread's nice value (Linux: nice is per thread, and threads it starts afterwards, such
/// as its libtorch OpenMP workers, inherit it). 0 on success. Raising it needs no privilege.
int ct_set_thread_nice(int nice);
/// The calling thread's nice value, or INT32_MIN where it cannot be read.
int ct_thread_nice(void);

// Creation and lifetime
void ct_free(ct_tensor t);
ct_tensor ct_from_data(const void *data, const int64_t *shape, int ndim, int dtype, int device);
ct_tensor ct_full(const int64_t *shape, int ndim, double value, int dtype, int device);
ct_tensor ct_rand(const int64_t *shape, int ndim, int normal, int dtype, int device);
ct_tensor ct_arange(double start, double end, double step, int dtype, int device);

// Properties and data
int ct_ndim(ct_tensor t);
int ct_shape(ct_tensor t, int64_t *out);  // out has ct_ndim entries
int ct_dtype_of(ct_tensor t);
int ct_device_of(ct_tensor t);
int64_t ct_numel(ct_tensor t);
int ct_copy_out(ct_tensor t, void *dst, size_t bytes);  // any device/layout -> dense host bytes
int ct_item(ct_tensor t, double *out);

// Conversion and autograd
ct_tensor ct_to(ct_tensor t, int dtype, int device);
ct_tensor ct_contiguous(ct_tensor t);
ct_tensor ct_clone(ct_tensor t);
ct_tensor ct_detach(ct_tensor t);
int ct_assign(ct_tensor dst, ct_tensor src);  // dst's handle now refers to src's tensor (moves, loads)
int ct_set_requires_grad(ct_tensor t, int flag);
int ct_requires_grad(ct_tensor t);
int ct_grad(ct_tensor t, ct_tensor *out);  // *out = NULL when no gradient exists
int ct_set_grad(ct_tensor t, ct_tensor grad_or_null);
int ct_backward(ct_tensor t, ct_tensor grad_or_null, int retain_graph);

// Elementwise
typedef enum {
  CT_NEG = 0, CT_EXP, CT_LOG, CT_SQRT, CT_ABS, CT_SIGMOID, CT_TANH, CT_RELU, CT_RELU6, CT_GELU,
  CT_FLOOR, CT_ROUND, CT_RECIPROCAL
} ct_unary_op;
typedef enum {
  CT_ADD = 0, CT_SUB, CT_MUL, CT_DIV, CT_POW, CT_MAXIMUM, CT_MINIMUM, CT_EQ, CT_NE, CT_LT, CT_LE,
  CT_GT, CT_GE, CT_AND, CT_RSUB, CT_RDIV
} ct_binary_op;
ct_tensor ct_unary(int op, ct_tensor a);
ct_tensor ct_binary(int op, ct_tensor a, ct_tensor b);
ct_tensor ct_binary_scalar(int op, ct_tensor a, double s);  // CT_RSUB: s - a, CT_RDIV: s / a
ct_tensor ct_where(ct_tensor cond, ct_tensor a, ct_tensor b);
ct_tensor ct_clamp(ct_tensor a, double lo, double hi, int has_lo, int has_hi);
/// In-place activation (CT_RELU, CT_RELU6, CT_SIGMOID) recorded by autograd like torch's
/// `inplace=True` modules: saves an allocation and a pass over memory per layer.
int ct_unary_inplace(int op, ct_tensor a);

// In place, for optimisers and state loading (callers disable grad)
typedef enum { CT_IP_ADD = 0, CT_IP_MUL, CT_IP_COPY, CT_IP_LERP } ct_inplace_op;
int ct_inplace(int op, ct_tensor t, ct_tensor other, double alpha);  // add: t += alpha*o; lerp: t += alpha*(o-t)
int ct_inplace_scalar(int op, ct_tensor t, double s);  // add: t += s; mul: t *= s; copy: fill
int ct_addcmul_(ct_tensor t, ct_tensor a, ct_tensor b, double value);
int ct_addcdiv_(ct_tensor t, ct_tensor a, ct_tensor b, double value);

// Reductions (ndims == 0 reduces everything)
typedef enum { CT_SUM = 0, CT_MEAN, CT_AMAX } ct_reduce_op;
ct_tensor ct_reduce(int op, ct_tensor a, const int64_t *dims, int ndims, int keepdim);
ct_tensor ct_argmax(ct_tensor a, int64_t dim, int keepdim);
int ct_max_dim(ct_tensor a, int64_t dim, int keepdim, ct_tensor *values, ct_tensor *indices);
int ct_sort(ct_tensor a, int64_t dim, int descending, ct_tensor *values, ct_tensor *indices);

// Shape and indexing
ct_tensor ct_reshape(ct_tensor a, const int64_t *shape, int ndim);
ct_tensor ct_permute(ct_tensor a, const int64_t *dims, int ndim);
ct_tensor ct_transpose(ct_tensor a, int64_t d0, int64_t d1);
ct_tensor ct_expand(ct_tensor a, const int64_t *shape, int ndim);
ct_tensor ct_squeeze(ct_tensor a, int64_t dim);
ct_tensor ct_unsqueeze(ct_tensor a, int64_t dim);
ct_tensor ct_flatten(ct_tensor a, int64_t start, int64_t end);
ct_tensor ct_flip(ct_tensor a, const int64_t *dims, int ndims);
ct_tensor ct_slice(ct_tensor a, int64_t dim, int64_t start, int64_t end, int64_t step);
ct_tensor ct_cat(const ct_tensor *ts, int n, int64_t dim);
ct_tensor ct_stack(const ct_tensor *ts, int n, int64_t dim);
ct_tensor ct_index_select(ct_tensor a, int64_t dim, ct_tensor index);
ct_tensor ct_index_tensor(ct_tensor a, const ct_tensor *indices, int n);  // a[i0, i1, ...]
ct_tensor ct_scatter(ct_tensor a, int64_t dim, ct_tensor index, ct_tensor src, int add);
ct_tensor ct_pad(ct_tensor a, const int64_t *pads, int npads, double value);

// Linear algebra and neural-network ops
ct_tensor ct_matmul(ct_tensor a, ct_tensor b);
ct_tensor ct_linear(ct_tensor x, ct_tensor w, ct_tensor b_or_null);
ct_tensor ct_conv2d(ct_tensor x, ct_tensor w, ct_tensor b_or_null, const int64_t *stride,
                    const int64_t *padding, const int64_t *dilation, int64_t groups);
ct_tensor ct_batch_norm(ct_tensor x, ct_tensor w, ct_tensor b, ct_tensor running_mean,
                        ct_tensor running_var, int training, double momentum, double eps);
ct_tensor ct_group_norm(ct_tensor x, int64_t groups, ct_tensor w, ct_tensor b, double eps);
ct_tensor ct_layer_norm(ct_tensor x, const int64_t *shape, int ndim, ct_tensor w, ct_tensor b, double eps);
ct_tensor ct_max_pool2d(ct_tensor x, const int64_t *kernel, const int64_t *stride, const int64_t *padding, int ceil_mode);
ct_tensor ct_adaptive_avg_pool2d(ct_tensor x, const int64_t *size);
ct_tensor ct_interpolate(ct_tensor x, const int64_t *size, int bilinear, int align_corners);
/* Bicubic (align_corners false), optionally antialiased as PyTorch's `antialias=True` (timm resamples ViT
   position embeddings this way). */
ct_tensor ct_interpolate_bicubic(ct_tensor x, const int64_t *size, int antialias);
ct_tensor ct_softmax(ct_tensor x, int64_t dim);
ct_tensor ct_dropout(ct_tensor x, double p, int training);
ct_tensor ct_sdpa(ct_tensor q, ct_tensor k, ct_tensor v, ct_tensor mask_or_null, int causal);

// Losses; reduction: 0 none, 1 mean, 2 sum
ct_tensor ct_cross_entropy(ct_tensor x, ct_tensor target, ct_tensor weight_or_null, int64_t ignore_index,
                           int reduction, double label_smoothing);
ct_tensor ct_bce_with_logits(ct_tensor x, ct_tensor target, ct_tensor weight_or_null,
                             ct_tensor pos_weight_or_null, int reduction);
ct_tensor ct_l1_loss(ct_tensor x, ct_tensor target, int reduction);

#ifdef __cplusplus
}
#endif

#endif

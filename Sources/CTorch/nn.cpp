// Neural-network layers and losses as single libtorch kernels (their fused backward included).
#include "bridge.hpp"

using namespace ctorch;

static at::IntArrayRef pair(const int64_t *p) { return at::IntArrayRef(p, 2); }

extern "C" {

ct_tensor ct_matmul(ct_tensor a, ct_tensor b) { return tensor_call([&] { return at::matmul(ref(a), ref(b)); }); }

ct_tensor ct_linear(ct_tensor x, ct_tensor w, ct_tensor b) {
  return tensor_call([&] { return at::linear(ref(x), ref(w), opt(b)); });
}

ct_tensor ct_conv2d(ct_tensor x, ct_tensor w, ct_tensor b, const int64_t *stride, const int64_t *padding,
                    const int64_t *dilation, int64_t groups) {
  return tensor_call([&] { return at::conv2d(ref(x), ref(w), opt(b), pair(stride), pair(padding), pair(dilation), groups); });
}

ct_tensor ct_batch_norm(ct_tensor x, ct_tensor w, ct_tensor b, ct_tensor rm, ct_tensor rv, int training,
                        double momentum, double eps) {
  return tensor_call([&] {
    return at::batch_norm(ref(x), opt(w), opt(b), opt(rm), opt(rv), training != 0, momentum, eps,
                          /*cudnn_enabled=*/true);
  });
}

ct_tensor ct_group_norm(ct_tensor x, int64_t groups, ct_tensor w, ct_tensor b, double eps) {
  return tensor_call([&] { return at::group_norm(ref(x), groups, opt(w), opt(b), eps); });
}

ct_tensor ct_layer_norm(ct_tensor x, const int64_t *shape, int n, ct_tensor w, ct_tensor b, double eps) {
  return tensor_call([&] { return at::layer_norm(ref(x), dims(shape, n), opt(w), opt(b), eps); });
}

ct_tensor ct_max_pool2d(ct_tensor x, const int64_t *k, const int64_t *s, const int64_t *p, int ceil_mode) {
  return tensor_call([&] { return at::max_pool2d(ref(x), pair(k), pair(s), pair(p), {1, 1}, ceil_mode != 0); });
}

ct_tensor ct_adaptive_avg_pool2d(ct_tensor x, const int64_t *size) {
  return tensor_call([&] { return at::adaptive_avg_pool2d(ref(x), pair(size)); });
}

ct_tensor ct_interpolate(ct_tensor x, const int64_t *size, int bilinear, int align_corners) {
  return tensor_call([&] {
    if (bilinear) return at::upsample_bilinear2d(ref(x), pair(size), align_corners != 0);
    return at::upsample_nearest2d(ref(x), pair(size));
  });
}

ct_tensor ct_interpolate_bicubic(ct_tensor x, const int64_t *size, int antialias) {
  return tensor_call([&] {
    if (antialias) return at::_upsample_bicubic2d_aa(ref(x), pair(size), false);
    return at::upsample_bicubic2d(ref(x), pair(size), false);
  });
}

ct_tensor ct_softmax(ct_tensor x, int64_t dim) { return tensor_call([&] { return at::softmax(ref(x), dim); }); }

ct_tensor ct_dropout(ct_tensor x, double p, int training) {
  return tensor_call([&] { return at::dropout(ref(x), p, training != 0); });
}

ct_tensor ct_sdpa(ct_tensor q, ct_tensor k, ct_tensor v, ct_tensor mask, int causal) {
  return tensor_call([&] { return at::scaled_dot_product_attention(ref(q), ref(k), ref(v), opt(mask), 0.0, causal != 0); });
}

ct_tensor ct_cross_entropy(ct_tensor x, ct_tensor target, ct_tensor weight, int64_t ignore_index, int red,
                           double label_smoothing) {
  return tensor_call([&] {
    return at::cross_entropy_loss(ref(x), ref(target), opt(weight), reduction(red), ignore_index, label_smoothing);
  });
}

ct_tensor ct_bce_with_logits(ct_tensor x, ct_tensor target, ct_tensor weight, ct_tensor pos_weight, int red) {
  return tensor_call([&] {
    return at::binary_cross_entropy_with_logits(ref(x), ref(target), opt(weight), opt(pos_weight), reduction(red));
  });
}

ct_tensor ct_l1_loss(ct_tensor x, ct_tensor t, int red) { return tensor_call([&] { return at::l1_loss(ref(x), ref(t), reduction(red)); }); }

}  // extern "C"

/*
 * image_codecs: JPEG and PNG to and from memory, over libjpeg-turbo and libpng16.
 *
 * No function here aborts, prints or lets a longjmp escape: every failure comes back as an
 * ic_status plus a NUL-terminated message written into the caller's buffer. Buffers handed out
 * (decoded pixels, encoded files) are malloc'd; release them with ic_free.
 */
#ifndef IMAGE_CODECS_H
#define IMAGE_CODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ic_status {
    IC_OK = 0,
    /** Not a valid file of the format, or truncated; the message says what the library saw. */
    IC_ERR_CORRUPT = 1,
    /** Declared width x height exceeds max_pixels; width and height of the ic_image are set. */
    IC_ERR_TOO_LARGE = 2,
    /** A valid file this decoder does not handle (e.g. an RGB PNG asked for as a label map). */
    IC_ERR_UNSUPPORTED = 3,
    IC_ERR_NO_MEMORY = 4,
    /** Bad arguments to an encoder (channel count, bit depth, zero size). */
    IC_ERR_INVALID_ARGUMENT = 5,
} ic_status;

/** Capacity of a message buffer that never truncates a library message. */
#define IC_MESSAGE_CAPACITY 256

/** A decoded image: rows top to bottom, samples interleaved, no row padding. */
typedef struct ic_image {
    void *pixels; /* malloc'd; free with ic_free */
    uint32_t width;
    uint32_t height;
    uint32_t channels;         /* 1 (grey), 3 (RGB) or 4 (RGBA); 1 for label maps */
    uint32_t bytes_per_sample; /* 1, or 2 (host-endian uint16) for label maps */
} ic_image;

/**
 * JPEG -> 8-bit grey (1 channel) or RGB (3). CMYK/YCCK files are converted to RGB (Adobe's
 * inverted CMYK convention when the Adobe marker is present). Truncated or corrupt entropy-coded
 * data is an error, not a warning.
 */
ic_status ic_jpeg_decode(const uint8_t *data, size_t size, uint64_t max_pixels, ic_image *out,
                         char *message, size_t message_capacity);

/**
 * PNG -> 8-bit grey (1), RGB (3) or RGBA (4). 16-bit samples are scaled to 8 bits, low bit depths
 * and palettes are expanded, transparency (tRNS) becomes an alpha channel, grey+alpha becomes
 * RGBA, interlaced files are de-interlaced. Gamma and colour profiles are not applied.
 */
ic_status ic_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels, ic_image *out,
                        char *message, size_t message_capacity);

/**
 * PNG label map -> one uint16 per pixel holding the stored value unchanged: grey samples of any
 * bit depth, or palette indices. Alpha is ignored. RGB(A) files are IC_ERR_UNSUPPORTED.
 */
ic_status ic_png_decode_labels(const uint8_t *data, size_t size, uint64_t max_pixels,
                               ic_image *out, char *message, size_t message_capacity);

/**
 * Encode interleaved pixels as PNG. channels: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.
 * bit_depth 8 (uint8 samples) or 16 (host-endian uint16 samples). compression_level 0...9.
 */
ic_status ic_png_encode(const void *pixels, uint32_t width, uint32_t height, uint32_t channels,
                        uint32_t bit_depth, int compression_level, uint8_t **out, size_t *out_size,
                        char *message, size_t message_capacity);

/**
 * Encode 8-bit interleaved pixels as baseline JPEG. channels: 1 grey, 3 RGB, or 4 CMYK stored
 * in Adobe's inverted convention (255 = no ink), with an Adobe marker. quality 1...100.
 */
ic_status ic_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                         int quality, uint8_t **out, size_t *out_size, char *message,
                         size_t message_capacity);

/** Release a buffer returned by this library. NULL is fine. */
void ic_free(void *buffer);

#ifdef __cplusplus
}
#endif

#endif

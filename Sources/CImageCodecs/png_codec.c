/*
 * PNG over libpng16. libpng reports errors through our error function, which records the message
 * and longjmps back to the setjmp in run_decode / run_encode. As in jpeg_codec.c, all state lives
 * in a job struct in the caller frame, so it is intact after the jump.
 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "codec_support.h"
#include "image_codecs.h"

typedef struct png_failure {
    ic_status status;
    char *message;
    size_t capacity;
} png_failure;

static void on_error(png_structp png, png_const_charp text) {
    png_failure *failure = png_get_error_ptr(png);
    if (failure->status == IC_OK) failure->status = IC_ERR_CORRUPT;
    ic_set_message(failure->message, failure->capacity, "%s", text);
    png_longjmp(png, 1);
}

/* Warnings (bad ancillary chunks, odd colour profiles) do not affect the pixels we return. */
static void on_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

/* ---- decode ---- */

typedef enum decode_mode { DECODE_PIXELS8, DECODE_LABELS } decode_mode;

typedef struct decode_job {
    const uint8_t *data;
    size_t size;
    size_t offset;
    uint64_t max_pixels;
    decode_mode mode;
    png_failure failure;
    png_structp png;
    png_infop info;
    uint8_t *pixels;
    png_bytep *rows;
    uint32_t width, height, channels, bytes_per_sample;
} decode_job;

static void read_from_memory(png_structp png, png_bytep destination, size_t count) {
    decode_job *job = png_get_io_ptr(png);
    if (count > job->size - job->offset) png_error(png, "unexpected end of file (truncated PNG)");
    memcpy(destination, job->data + job->offset, count);
    job->offset += count;
}

static void fail(decode_job *job, ic_status status, const char *text) {
    job->failure.status = status;
    png_error(job->png, text);
}

/* Ask libpng for 8-bit grey, RGB or RGBA, whatever the file stores. */
static void request_pixels8(decode_job *job, int color_type, int bit_depth) {
    png_structp png = job->png;
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    int transparent = png_get_valid(png, job->info, PNG_INFO_tRNS) != 0;
    if (transparent) png_set_tRNS_to_alpha(png);
    if (bit_depth == 16) png_set_scale_16(png); /* rounds; strip_16 would truncate */
    int alpha = transparent || (color_type & PNG_COLOR_MASK_ALPHA) != 0;
    if ((color_type & PNG_COLOR_MASK_COLOR) == 0 && alpha) png_set_gray_to_rgb(png);
    job->bytes_per_sample = 1;
}

/* Ask libpng for the stored values: grey samples or palette indices, never rescaled. */
static void request_labels(decode_job *job, int color_type, int bit_depth) {
    png_structp png = job->png;
    if (color_type != PNG_COLOR_TYPE_GRAY && color_type != PNG_COLOR_TYPE_GRAY_ALPHA &&
        color_type != PNG_COLOR_TYPE_PALETTE) {
        fail(job, IC_ERR_UNSUPPORTED, "a label map must be a greyscale or palette PNG, not colour");
    }
    if (bit_depth < 8) png_set_packing(png); /* one value per byte, not scaled like expand */
    if (color_type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_strip_alpha(png);
    if (bit_depth == 16) {
        const uint16_t probe = 1;
        if (*(const uint8_t *)&probe == 1) png_set_swap(png); /* PNG is big-endian */
        job->bytes_per_sample = 2;
    } else {
        job->bytes_per_sample = 1;
    }
}

/* Label maps come back as uint16 whatever their depth; widen 8-bit rows in place, back to front. */
static void widen_to_uint16(uint8_t *pixels, size_t count) {
    uint16_t *wide = (uint16_t *)(void *)pixels;
    for (size_t i = count; i-- > 0;) wide[i] = pixels[i];
}

static void run_decode(decode_job *job) {
    if (setjmp(png_jmpbuf(job->png))) return;
    png_structp png = job->png;
    png_set_read_fn(png, job, read_from_memory);
    /* Our max_pixels check below replaces libpng's default 1e6 x 1e6 side limit. */
    png_set_user_limits(png, 0x7fffffffu, 0x7fffffffu);
    png_read_info(png, job->info);

    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0;
    png_get_IHDR(png, job->info, &width, &height, &bit_depth, &color_type, NULL, NULL, NULL);
    job->width = width;
    job->height = height;
    if ((uint64_t)width * height > job->max_pixels) {
        job->failure.status = IC_ERR_TOO_LARGE;
        ic_set_message(job->failure.message, job->failure.capacity,
                       "%ux%u exceeds the limit of %llu pixels", width, height,
                       (unsigned long long)job->max_pixels);
        return;
    }
    if (job->mode == DECODE_PIXELS8) {
        request_pixels8(job, color_type, bit_depth);
    } else {
        request_labels(job, color_type, bit_depth);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, job->info);
    job->channels = png_get_channels(png, job->info);
    size_t stored = (size_t)job->channels * (png_get_bit_depth(png, job->info) / 8);
    if (stored != job->channels * job->bytes_per_sample || job->channels == 2) {
        fail(job, IC_ERR_UNSUPPORTED, "unexpected sample layout after conversion");
    }

    /* Label maps get 2 bytes per pixel even when 8-bit, so 8-bit rows can be widened in place. */
    size_t row_bytes = (size_t)width * job->channels * job->bytes_per_sample;
    size_t size = ic_buffer_size(width, height, job->channels,
                                 job->mode == DECODE_LABELS ? 2 : job->bytes_per_sample);
    job->pixels = size == 0 ? NULL : malloc(size);
    job->rows = malloc(sizeof(png_bytep) * height);
    if (job->pixels == NULL || job->rows == NULL) {
        fail(job, IC_ERR_NO_MEMORY, "cannot allocate the decoded image");
    }
    for (png_uint_32 y = 0; y < height; y++) job->rows[y] = job->pixels + (size_t)y * row_bytes;
    png_read_image(png, job->rows);
    /* Reads through IEND, checking CRCs: a file cut after the image data is still an error. */
    png_read_end(png, NULL);

    if (job->mode == DECODE_LABELS && job->bytes_per_sample == 1) {
        widen_to_uint16(job->pixels, (size_t)width * height);
        job->bytes_per_sample = 2;
    }
}

static ic_status decode(const uint8_t *data, size_t size, uint64_t max_pixels, decode_mode mode,
                        ic_image *out, char *message, size_t message_capacity) {
    ic_set_message(message, message_capacity, "%s", "");
    memset(out, 0, sizeof *out);
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        ic_set_message(message, message_capacity, "%s", "not a PNG signature");
        return IC_ERR_CORRUPT;
    }
    decode_job job;
    memset(&job, 0, sizeof job);
    job.data = data;
    job.size = size;
    job.max_pixels = max_pixels;
    job.mode = mode;
    job.failure = (png_failure){IC_OK, message, message_capacity};
    job.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &job.failure, on_error, on_warning);
    job.info = job.png == NULL ? NULL : png_create_info_struct(job.png);
    if (job.info == NULL) {
        png_destroy_read_struct(&job.png, NULL, NULL);
        ic_set_message(message, message_capacity, "%s", "cannot allocate a PNG reader");
        return IC_ERR_NO_MEMORY;
    }

    run_decode(&job);
    png_destroy_read_struct(&job.png, &job.info, NULL);
    free(job.rows);
    out->width = job.width;
    out->height = job.height;
    if (job.failure.status != IC_OK) {
        free(job.pixels);
        return job.failure.status;
    }
    out->pixels = job.pixels;
    out->channels = job.channels;
    out->bytes_per_sample = job.bytes_per_sample;
    return IC_OK;
}

ic_status ic_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels, ic_image *out,
                        char *message, size_t message_capacity) {
    return decode(data, size, max_pixels, DECODE_PIXELS8, out, message, message_capacity);
}

ic_status ic_png_decode_labels(const uint8_t *data, size_t size, uint64_t max_pixels,
                               ic_image *out, char *message, size_t message_capacity) {
    return decode(data, size, max_pixels, DECODE_LABELS, out, message, message_capacity);
}

/* ---- encode ---- */

typedef struct encode_job {
    const uint8_t *pixels;
    uint32_t width, height, channels, bit_depth;
    int compression_level;
    png_failure failure;
    png_structp png;
    png_infop info;
    ic_growable output;
} encode_job;

static void write_to_memory(png_structp png, png_bytep bytes, size_t count) {
    encode_job *job = png_get_io_ptr(png);
    if (!ic_growable_append(&job->output, bytes, count)) {
        job->failure.status = IC_ERR_NO_MEMORY;
        png_error(png, "out of memory while encoding PNG");
    }
}

static void flush_memory(png_structp png) { (void)png; }

static void run_encode(encode_job *job) {
    if (setjmp(png_jmpbuf(job->png))) return;
    png_structp png = job->png;
    static const int color_types[] = {PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                      PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
    png_set_write_fn(png, job, write_to_memory, flush_memory);
    png_set_compression_level(png, job->compression_level);
    png_set_IHDR(png, job->info, job->width, job->height, (int)job->bit_depth,
                 color_types[job->channels - 1], PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, job->info);
    if (job->bit_depth == 16) {
        const uint16_t probe = 1;
        if (*(const uint8_t *)&probe == 1) png_set_swap(png);
    }
    size_t row_bytes = (size_t)job->width * job->channels * (job->bit_depth / 8);
    for (uint32_t y = 0; y < job->height; y++) {
        png_write_row(png, (png_const_bytep)(job->pixels + (size_t)y * row_bytes));
    }
    png_write_end(png, NULL);
}

ic_status ic_png_encode(const void *pixels, uint32_t width, uint32_t height, uint32_t channels,
                        uint32_t bit_depth, int compression_level, uint8_t **out, size_t *out_size,
                        char *message, size_t message_capacity) {
    ic_set_message(message, message_capacity, "%s", "");
    *out = NULL;
    *out_size = 0;
    if (pixels == NULL || width == 0 || height == 0 || width > 0x7fffffffu ||
        height > 0x7fffffffu || channels < 1 || channels > 4 ||
        (bit_depth != 8 && bit_depth != 16) || compression_level < 0 || compression_level > 9) {
        ic_set_message(message, message_capacity,
                       "cannot encode %ux%u with %u channels of %u bits at level %d as PNG", width,
                       height, channels, bit_depth, compression_level);
        return IC_ERR_INVALID_ARGUMENT;
    }
    encode_job job;
    memset(&job, 0, sizeof job);
    job.pixels = pixels;
    job.width = width;
    job.height = height;
    job.channels = channels;
    job.bit_depth = bit_depth;
    job.compression_level = compression_level;
    job.failure = (png_failure){IC_OK, message, message_capacity};
    job.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &job.failure, on_error, on_warning);
    job.info = job.png == NULL ? NULL : png_create_info_struct(job.png);
    if (job.info == NULL) {
        png_destroy_write_struct(&job.png, NULL);
        ic_set_message(message, message_capacity, "%s", "cannot allocate a PNG writer");
        return IC_ERR_NO_MEMORY;
    }
    /* libpng's default 1e6 side limit also applies to writing; PNG itself allows 2^31 - 1. */
    png_set_user_limits(job.png, 0x7fffffffu, 0x7fffffffu);

    run_encode(&job);
    png_destroy_write_struct(&job.png, &job.info);
    if (job.failure.status != IC_OK) {
        free(job.output.bytes);
        return job.failure.status;
    }
    *out = job.output.bytes;
    *out_size = job.output.size;
    return IC_OK;
}

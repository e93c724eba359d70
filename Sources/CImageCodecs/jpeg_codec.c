/*
 * JPEG over libjpeg-turbo. libjpeg reports errors by calling error_exit, which by default prints
 * and calls exit(); ours formats the message and longjmps back to the entry point instead.
 *
 * Each public function keeps all its state in a job struct owned by the caller frame and runs the
 * library from a separate function that holds the setjmp. After a longjmp, C only guarantees
 * non-volatile locals of the function that called setjmp; the job lives one frame up, so its
 * fields (the buffers to free) stay valid.
 */
#include <setjmp.h>
#include <stdio.h> /* jpeglib.h needs FILE */
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

#include "codec_support.h"
#include "image_codecs.h"

typedef struct jpeg_failure {
    struct jpeg_error_mgr manager; /* first: libjpeg hands us a pointer to it */
    jmp_buf jump;
    ic_status status;
    char *message;
    size_t capacity;
} jpeg_failure;

static void fail_with_library_message(j_common_ptr cinfo) {
    jpeg_failure *failure = (jpeg_failure *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    ic_set_message(failure->message, failure->capacity, "%s", text);
    longjmp(failure->jump, 1);
}

static void on_error_exit(j_common_ptr cinfo) {
    jpeg_failure *failure = (jpeg_failure *)cinfo->err;
    failure->status =
        cinfo->err->msg_code == JERR_OUT_OF_MEMORY ? IC_ERR_NO_MEMORY : IC_ERR_CORRUPT;
    fail_with_library_message(cinfo);
}

/*
 * libjpeg only warns when data is missing or damaged (it pads with grey and carries on). A training
 * image with grey blocks teaches the model wrong things, so missing data is an error here; harmless
 * oddities (extraneous bytes between markers, unknown JFIF revisions) stay warnings.
 */
static void on_emit_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return; /* trace messages */
    switch (cinfo->err->msg_code) {
    case JWRN_JPEG_EOF:
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_MUST_RESYNC:
#if JPEG_LIB_VERSION >= 70
    case JWRN_ARITH_BAD_CODE:
#endif
        ((jpeg_failure *)cinfo->err)->status = IC_ERR_CORRUPT;
        fail_with_library_message(cinfo);
        break;
    default:
        cinfo->err->num_warnings++;
    }
}

static void on_output_message(j_common_ptr cinfo) { (void)cinfo; /* never print */ }

static void install_failure(jpeg_failure *failure, char *message, size_t capacity) {
    jpeg_std_error(&failure->manager);
    failure->manager.error_exit = on_error_exit;
    failure->manager.emit_message = on_emit_message;
    failure->manager.output_message = on_output_message;
    failure->status = IC_OK;
    failure->message = message;
    failure->capacity = capacity;
}

/* ---- decode ---- */

typedef struct decode_job {
    const uint8_t *data;
    size_t size;
    uint64_t max_pixels;
    struct jpeg_decompress_struct cinfo;
    jpeg_failure failure;
    uint8_t *pixels;
    uint32_t width, height, channels;
} decode_job;

/* Adobe writes CMYK inverted (255 = no ink), which makes the conversion a plain product. */
static void cmyk_row_to_rgb(const JSAMPLE *cmyk, uint8_t *rgb, uint32_t width, int inverted) {
    for (uint32_t x = 0; x < width; x++, cmyk += 4, rgb += 3) {
        unsigned k = inverted ? cmyk[3] : 255u - cmyk[3];
        for (int c = 0; c < 3; c++) {
            unsigned v = inverted ? cmyk[c] : 255u - cmyk[c];
            rgb[c] = (uint8_t)((v * k + 127u) / 255u);
        }
    }
}

static void run_decode(decode_job *job) {
    struct jpeg_decompress_struct *cinfo = &job->cinfo;
    if (setjmp(job->failure.jump)) return;
    jpeg_create_decompress(cinfo);
    jpeg_mem_src(cinfo, job->data, (unsigned long)job->size);
    jpeg_read_header(cinfo, TRUE);

    job->width = cinfo->image_width;
    job->height = cinfo->image_height;
    if ((uint64_t)job->width * job->height > job->max_pixels) {
        job->failure.status = IC_ERR_TOO_LARGE;
        ic_set_message(job->failure.message, job->failure.capacity,
                       "%ux%u exceeds the limit of %llu pixels", job->width, job->height,
                       (unsigned long long)job->max_pixels);
        return;
    }
    int cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
    if (cinfo->jpeg_color_space == JCS_GRAYSCALE) {
        cinfo->out_color_space = JCS_GRAYSCALE;
        job->channels = 1;
    } else if (cmyk) {
        cinfo->out_color_space = JCS_CMYK;
        job->channels = 3;
    } else {
        cinfo->out_color_space = JCS_RGB;
        job->channels = 3;
    }
    jpeg_start_decompress(cinfo);

    size_t size = ic_buffer_size(job->width, job->height, job->channels, 1);
    job->pixels = size == 0 ? NULL : malloc(size);
    if (job->pixels == NULL) {
        job->failure.status = IC_ERR_NO_MEMORY;
        ic_set_message(job->failure.message, job->failure.capacity,
                       "cannot allocate %ux%u pixels", job->width, job->height);
        return;
    }
    size_t stride = (size_t)job->width * job->channels;
    JSAMPARRAY cmyk_row = NULL;
    if (cmyk) {
        cmyk_row = (*cinfo->mem->alloc_sarray)((j_common_ptr)cinfo, JPOOL_IMAGE,
                                               (JDIMENSION)job->width * 4, 1);
    }
    while (cinfo->output_scanline < cinfo->output_height) {
        uint8_t *row = job->pixels + (size_t)cinfo->output_scanline * stride;
        if (cmyk) {
            jpeg_read_scanlines(cinfo, cmyk_row, 1);
            cmyk_row_to_rgb(cmyk_row[0], row, job->width, cinfo->saw_Adobe_marker);
        } else {
            JSAMPROW rows[1] = {row};
            jpeg_read_scanlines(cinfo, rows, 1);
        }
    }
    /* Reads up to EOI, so a file cut after the last scanline is still reported as truncated. */
    jpeg_finish_decompress(cinfo);
}

ic_status ic_jpeg_decode(const uint8_t *data, size_t size, uint64_t max_pixels, ic_image *out,
                         char *message, size_t message_capacity) {
    ic_set_message(message, message_capacity, "%s", "");
    memset(out, 0, sizeof *out);
    decode_job job;
    memset(&job, 0, sizeof job);
    job.data = data;
    job.size = size;
    job.max_pixels = max_pixels;
    install_failure(&job.failure, message, message_capacity);
    job.cinfo.err = &job.failure.manager;

    run_decode(&job);
    jpeg_destroy_decompress(&job.cinfo);
    out->width = job.width;
    out->height = job.height;
    if (job.failure.status != IC_OK) {
        free(job.pixels);
        return job.failure.status;
    }
    out->pixels = job.pixels;
    out->channels = job.channels;
    out->bytes_per_sample = 1;
    return IC_OK;
}

/* ---- encode ---- */

typedef struct encode_job {
    const uint8_t *pixels;
    uint32_t width, height, channels;
    int quality;
    struct jpeg_compress_struct cinfo;
    jpeg_failure failure;
    unsigned char *output; /* owned by jpeg_mem_dest until we take it */
    unsigned long output_size;
} encode_job;

static void run_encode(encode_job *job) {
    struct jpeg_compress_struct *cinfo = &job->cinfo;
    if (setjmp(job->failure.jump)) return;
    jpeg_create_compress(cinfo);
    jpeg_mem_dest(cinfo, &job->output, &job->output_size);
    cinfo->image_width = job->width;
    cinfo->image_height = job->height;
    cinfo->input_components = (int)job->channels;
    cinfo->in_color_space =
        job->channels == 1 ? JCS_GRAYSCALE : (job->channels == 3 ? JCS_RGB : JCS_CMYK);
    jpeg_set_defaults(cinfo); /* CMYK in gets a CMYK file with an Adobe marker */
    jpeg_set_quality(cinfo, job->quality, TRUE);
    jpeg_start_compress(cinfo, TRUE);
    size_t stride = (size_t)job->width * job->channels;
    while (cinfo->next_scanline < cinfo->image_height) {
        JSAMPROW rows[1] = {(JSAMPROW)(job->pixels + (size_t)cinfo->next_scanline * stride)};
        jpeg_write_scanlines(cinfo, rows, 1);
    }
    jpeg_finish_compress(cinfo);
}

ic_status ic_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                         int quality, uint8_t **out, size_t *out_size, char *message,
                         size_t message_capacity) {
    ic_set_message(message, message_capacity, "%s", "");
    *out = NULL;
    *out_size = 0;
    if (pixels == NULL || width == 0 || height == 0 || width > JPEG_MAX_DIMENSION ||
        height > JPEG_MAX_DIMENSION || (channels != 1 && channels != 3 && channels != 4) ||
        quality < 1 || quality > 100) {
        ic_set_message(message, message_capacity,
                       "cannot encode %ux%u with %u channels at quality %d as JPEG (sides "
                       "1...%ld, 1, 3 or 4 channels, quality 1...100)",
                       width, height, channels, quality, JPEG_MAX_DIMENSION);
        return IC_ERR_INVALID_ARGUMENT;
    }
    encode_job job;
    memset(&job, 0, sizeof job);
    job.pixels = pixels;
    job.width = width;
    job.height = height;
    job.channels = channels;
    job.quality = quality;
    install_failure(&job.failure, message, message_capacity);
    job.cinfo.err = &job.failure.manager;

    run_encode(&job);
    jpeg_destroy_compress(&job.cinfo);
    if (job.failure.status != IC_OK) {
        free(job.output);
        return job.failure.status;
    }
    *out = job.output;
    *out_size = job.output_size;
    return IC_OK;
}

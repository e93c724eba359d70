#include "codec_support.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_codecs.h"

void ic_set_message(char *message, size_t capacity, const char *format, ...) {
    if (message == NULL || capacity == 0) return;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, capacity, format, arguments);
    va_end(arguments);
}

size_t ic_buffer_size(uint64_t width, uint64_t height, uint64_t channels,
                      uint64_t bytes_per_sample) {
    if (width == 0 || height == 0 || channels == 0 || bytes_per_sample == 0) return 0;
    uint64_t per_row = width * channels * bytes_per_sample; /* each factor < 2^32: no overflow */
    if (per_row / width != channels * bytes_per_sample) return 0;
    if (height > SIZE_MAX / per_row) return 0;
    return (size_t)(per_row * height);
}

int ic_growable_append(ic_growable *buffer, const uint8_t *bytes, size_t count) {
    if (count > SIZE_MAX - buffer->size) return 0;
    size_t needed = buffer->size + count;
    if (needed > buffer->capacity) {
        size_t capacity = buffer->capacity < 4096 ? 4096 : buffer->capacity;
        while (capacity < needed) capacity = capacity > SIZE_MAX / 2 ? needed : capacity * 2;
        uint8_t *grown = realloc(buffer->bytes, capacity);
        if (grown == NULL) return 0;
        buffer->bytes = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->bytes + buffer->size, bytes, count);
    buffer->size = needed;
    return 1;
}

void ic_free(void *buffer) { free(buffer); }

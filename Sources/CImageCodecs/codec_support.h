/* Helpers shared by the JPEG and PNG codecs; not part of the public header. */
#ifndef IMAGE_CODECS_SUPPORT_H
#define IMAGE_CODECS_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/** printf into the caller's message buffer, always NUL-terminated, silently truncated. */
void ic_set_message(char *message, size_t capacity, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/** width * height * channels * bytes_per_sample as size_t; 0 on overflow or a zero factor. */
size_t ic_buffer_size(uint64_t width, uint64_t height, uint64_t channels,
                      uint64_t bytes_per_sample);

/** A byte buffer that grows by doubling: the PNG encoder's memory destination. */
typedef struct ic_growable {
    uint8_t *bytes;
    size_t size;
    size_t capacity;
} ic_growable;

/** Append; returns 0 when memory runs out (the buffer is left as it was). */
int ic_growable_append(ic_growable *buffer, const uint8_t *bytes, size_t count);

#endif

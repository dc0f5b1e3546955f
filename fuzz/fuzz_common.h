/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What mod_hsts's libFuzzer targets share: one APR pool per input, the
 * input as a NUL-terminated copy of its own (so ASan sees a read past the
 * terminator), NUL-separated fields, and a check that aborts with the
 * invariant that broke (libFuzzer then saves the input).
 */
#ifndef HSTS_FUZZ_COMMON_H
#define HSTS_FUZZ_COMMON_H

#include <apr_general.h>
#include <apr_pools.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond, ...) do {                                         \
        if (!(cond)) {                                                     \
            fprintf(stderr, "INVARIANT FAILED at %s:%d: %s\n  ",           \
                    __FILE__, __LINE__, #cond);                            \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
            abort();                                                       \
        }                                                                  \
    } while (0)

static apr_pool_t *fuzz_root_pool;

/* A pool for one input; destroy it at the end of the input. */
static inline apr_pool_t *fuzz_pool(void)
{
    apr_pool_t *p;

    if (!fuzz_root_pool) {
        apr_initialize();
        apr_pool_create(&fuzz_root_pool, NULL);
    }
    apr_pool_create(&p, fuzz_root_pool);
    return p;
}

/* A malloc'ed copy of data with a NUL after it. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (!s) {
        abort();
    }
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/*
 * The next NUL-separated field of [*pos, end): a malloc'ed string of its
 * own (free it), or NULL when no byte is left.
 */
static inline char *fuzz_field(const uint8_t *data, size_t size, size_t *pos)
{
    const uint8_t *start, *nul;
    size_t len;

    if (*pos > size) {
        return NULL;
    }
    start = data + *pos;
    nul = memchr(start, '\0', size - *pos);
    len = nul ? (size_t)(nul - start) : size - *pos;
    *pos += len + 1;
    return fuzz_strndup(start, len);
}

/* A printable rendering of bytes for a failure message. */
static inline const char *fuzz_shown(apr_pool_t *p, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    char *out = apr_palloc(p, 4 * len + 1), *o = out;
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            *o++ = (char)c;
        }
        else {
            *o++ = '\\';
            *o++ = 'x';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 0x0f];
        }
    }
    *o = '\0';
    return out;
}

#endif /* HSTS_FUZZ_COMMON_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal TAP producer for the unit tests of mod_hsts's pure parts.
 * Each test program prints "ok N - name" lines and a plan, and exits
 * non-zero when any test failed.
 */
#ifndef HSTS_TAP_H
#define HSTS_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_run, tap_failed;

/* A test's name on its one line: control characters written as C escapes
 * and '#' escaped, as TAP requires, so that a name quoting a hostile
 * header value neither breaks the line nor reads as a directive. */
static void tap_name(const char *name)
{
    for (; *name; name++) {
        unsigned char c = (unsigned char)*name;

        if (c == '\n' || c == '\r' || c == '\t')
            printf("\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
        else if (c < 0x20 || c == 0x7f)
            printf("\\x%02x", c);
        else if (c == '#')
            fputs("\\#", stdout);
        else
            putchar(c);
    }
}

static int tap_ok(int pass, const char *name, const char *file, int line)
{
    tap_run++;
    printf("%sok %d - ", pass ? "" : "not ", tap_run);
    tap_name(name);
    putchar('\n');
    if (!pass) {
        tap_failed++;
        printf("#   Failed test at %s line %d\n", file, line);
    }
    return pass;
}

#define ok(cond, name) tap_ok((cond) != 0, (name), __FILE__, __LINE__)

#define is_str(got, want, name) do {                                      \
        const char *g_ = (got), *w_ = (want);                             \
        if (!tap_ok(g_ && w_ ? !strcmp(g_, w_) : g_ == w_, (name),        \
                    __FILE__, __LINE__)) {                                \
            printf("#   got:      '%s'\n#   expected: '%s'\n",            \
                   g_ ? g_ : "(null)", w_ ? w_ : "(null)");               \
        }                                                                 \
    } while (0)

#define is_num(got, want, name) do {                                      \
        unsigned long long g_ = (unsigned long long)(got);                \
        unsigned long long w_ = (unsigned long long)(want);               \
        if (!tap_ok(g_ == w_, (name), __FILE__, __LINE__)) {              \
            printf("#   got:      %llu\n#   expected: %llu\n", g_, w_);   \
        }                                                                 \
    } while (0)

static int tap_done(void)
{
    printf("1..%d\n", tap_run);
    return tap_failed ? 1 : 0;
}

#endif /* HSTS_TAP_H */

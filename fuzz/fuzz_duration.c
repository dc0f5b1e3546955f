/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the duration parser (hsts_duration_parse), which reads
 * HSTSMaxAge.
 *
 * Invariants:
 * - it accepts exactly what the contract allows, decimal digits with at
 *   most one unit letter s, m, h, d, w or y, and only when digits * unit
 *   fits in 64 bits; the reference below computes that in 128 bits;
 * - an accepted value is digits * unit, and a rejected one comes with a
 *   sentence and leaves the output alone;
 * - an accepted value, as the max-age of a formatted policy, reads back
 *   as the same number.
 */
#include "fuzz_common.h"
#include "hsts_policy.h"

#include <apr_strings.h>

#include <inttypes.h>

/* 1 and the value when text is digits*unit within 64 bits, else 0. */
static int reference(const char *text, uint64_t *out)
{
    size_t len = strlen(text), digits = 0, i;
    unsigned __int128 value = 0, unit = 1;

    while (digits < len && text[digits] >= '0' && text[digits] <= '9') {
        digits++;
    }
    if (digits == 0 || len - digits > 1) {
        return 0;
    }
    if (len - digits == 1) {
        switch (text[digits]) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 60 * 60; break;
        case 'd': unit = 24 * 60 * 60; break;
        case 'w': unit = 7 * 24 * 60 * 60; break;
        case 'y': unit = 365 * 24 * 60 * 60; break;
        default: return 0;
        }
    }
    for (i = 0; i < digits; i++) {
        value = value * 10 + (unsigned)(text[i] - '0');
        if (value > UINT64_MAX) {
            return 0; /* leading zeros aside, it only grows */
        }
    }
    value *= unit;
    if (value > UINT64_MAX) {
        return 0;
    }
    *out = (uint64_t)value;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    char *text = fuzz_strndup(data, size);
    const char *shown = fuzz_shown(p, text, strlen(text));
    apr_uint64_t got = 0x5a5a5a5a5a5a5a5aULL;
    uint64_t want = 0;
    const char *err = hsts_duration_parse(text, &got);
    int ok = reference(text, &want);

    if (ok) {
        FUZZ_CHECK(err == NULL, "'%s' (= %" PRIu64 ") rejected: %s", shown,
                   want, err);
        FUZZ_CHECK(got == want, "'%s' read as %" APR_UINT64_T_FMT
                   ", not %" PRIu64, shown, got, want);
    }
    else {
        FUZZ_CHECK(err != NULL && *err, "'%s' accepted as %" APR_UINT64_T_FMT,
                   shown, got);
        FUZZ_CHECK(got == 0x5a5a5a5a5a5a5a5aULL,
                   "'%s' rejected but the output was changed", shown);
    }

    if (!err) {
        hsts_policy_t policy = { 1, got, 0, 0 }, back;
        apr_array_header_t *issues = apr_array_make(p, 1,
                                                    sizeof(hsts_issue_t));
        const char *header = hsts_policy_format(p, &policy);

        FUZZ_CHECK(hsts_policy_parse(p, header, &back, issues) == 0
                   && issues->nelts == 0 && back.has_max_age
                   && back.max_age == got,
                   "'%s': header '%s' does not read back", shown, header);
    }

    free(text);
    apr_pool_destroy(p);
    return 0;
}

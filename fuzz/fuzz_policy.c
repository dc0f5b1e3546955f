/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the Strict-Transport-Security value parser
 * (hsts_policy_parse), which reads HSTSPolicy values and the values
 * mod_headers is configured to send.
 *
 * Invariants:
 * - the policy and the issue codes, in order, are those of a plain
 *   transcription of the preload checker's rules
 *   (shared/reference/hsts-preload-rules.md), written independently below;
 * - the return value is the number of error-class issues it appended;
 *   every issue has a code of the table (hsts_code_name and
 *   hsts_code_from_name agree on it), the class the rules give that
 *   code, and a message; issues already in the array neither count nor
 *   stop a "reported once" issue;
 * - a policy with a max-age, formatted (hsts_policy_format) and parsed
 *   again, gives the same policy and no issue at all, and the formatted
 *   value has the contract's exact form;
 * - the preload requirements (hsts_policy_check_preloadable) report
 *   exactly the codes the rules call for, with the rules' classes.
 *
 * The reference names codes as the checker does ("header.parse.empty");
 * the issues' enum codes are compared through hsts_code_name.
 */
#include "fuzz_common.h"
#include "hsts_policy.h"

#include <apr_strings.h>

#include <ctype.h>
#include <inttypes.h>
#include <strings.h>

#define MAX_CODES 4096

typedef struct {
    const char *codes[MAX_CODES];
    int error[MAX_CODES];
    int n;
    int errors;
    int truncated;
    hsts_policy_t policy;
} ref_result_t;

static void ref_add(ref_result_t *r, const char *code, int error)
{
    if (r->n == MAX_CODES) {
        r->truncated = 1;
        return;
    }
    r->error[r->n] = error;
    r->codes[r->n++] = code;
    r->errors += error;
}

static void ref_add_once(ref_result_t *r, const char *code, int error)
{
    int i;

    for (i = 0; i < r->n; i++) {
        if (!strcmp(r->codes[i], code)) {
            return;
        }
    }
    ref_add(r, code, error);
}

static int ref_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f'
           || c == '\r';
}

static int ref_starts(const char *d, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && !strncasecmp(d, prefix, n);
}

static int ref_is(const char *d, size_t len, const char *name)
{
    return len == strlen(name) && !strncasecmp(d, name, len);
}

/* The checker's rules, one step at a time as the reference states them. */
static void ref_parse(const char *value, ref_result_t *r)
{
    const char *piece = value;
    size_t total = strlen(value), k;
    int only_space = 1;

    memset(r, 0, sizeof(*r));
    for (k = 0; k < total; k++) {
        if (!ref_space(value[k])) {
            only_space = 0;
        }
    }
    if (only_space) {
        ref_add(r, "header.parse.empty", 0);
        return;
    }
    for (;;) {
        const char *semi = strchr(piece, ';');
        size_t len = semi ? (size_t)(semi - piece) : strlen(piece);
        const char *d = piece;

        while (len && ref_space(*d)) {
            d++;
            len--;
        }
        while (len && ref_space(d[len - 1])) {
            len--;
        }
        if (ref_is(d, len, "preload")) {
            if (r->policy.preload) {
                ref_add_once(r, "header.parse.repeated.preload", 0);
            }
            r->policy.preload = 1;
        }
        else if (ref_starts(d, len, "preload")) {
            ref_add_once(r, "header.parse.invalid.preload", 0);
        }
        else if (ref_is(d, len, "includeSubDomains")) {
            if (r->policy.include_subdomains) {
                ref_add_once(r, "header.parse.repeated.include_sub_domains",
                             0);
            }
            r->policy.include_subdomains = 1;
        }
        else if (ref_starts(d, len, "includeSubDomains")) {
            ref_add_once(r, "header.parse.invalid.include_sub_domains", 0);
        }
        else if (ref_starts(d, len, "max-age=")) {
            const char *v = d + 8;
            size_t vlen = len - 8, i;
            int bad = 0;
            unsigned __int128 n = 0;

            if (vlen > 1 && v[0] == '0') {
                ref_add(r, "header.parse.max_age.leading_zero", 0);
            }
            for (i = 0; i < vlen; i++) {
                if (v[i] < '0' || v[i] > '9') {
                    ref_add(r, "header.parse.max_age.non_digit_characters", 1);
                    bad = 1;
                    break;
                }
            }
            if (!bad) {
                for (i = 0; i < vlen && n <= UINT64_MAX; i++) {
                    n = n * 10 + (unsigned)(v[i] - '0');
                }
                if (vlen == 0 || n > UINT64_MAX) {
                    ref_add(r, "header.parse.max_age.parse_int_error", 1);
                    bad = 1;
                }
            }
            if (!bad) {
                if (r->policy.has_max_age) {
                    ref_add_once(r, "header.parse.repeated.max_age", 0);
                }
                else {
                    r->policy.has_max_age = 1;
                    r->policy.max_age = (apr_uint64_t)n;
                }
            }
        }
        else if (ref_starts(d, len, "max-age")) {
            ref_add_once(r, "header.parse.invalid.max_age.no_value", 1);
        }
        else if (len == 0) {
            ref_add_once(r, "header.parse.empty_directive", 0);
        }
        else {
            ref_add(r, "header.parse.unknown_directive", 0);
        }
        if (!semi) {
            break;
        }
        piece = semi + 1;
    }
}

static int same_policy(const hsts_policy_t *a, const hsts_policy_t *b)
{
    return a->has_max_age == b->has_max_age
           && (!a->has_max_age || a->max_age == b->max_age)
           && a->include_subdomains == b->include_subdomains
           && a->preload == b->preload;
}

static const char *policy_text(apr_pool_t *p, const hsts_policy_t *x)
{
    return apr_psprintf(p, "{has_max_age %d, max_age %" APR_UINT64_T_FMT
                        ", include %d, preload %d}", x->has_max_age,
                        x->max_age, x->include_subdomains, x->preload);
}

/* The name of an issue's code, or "(no such code)". */
static const char *code_of(const hsts_issue_t *is)
{
    if ((int)is->code < 0 || (int)is->code >= HSTS_CODE_COUNT) {
        return "(no such code)";
    }
    return hsts_code_name(is->code);
}

/* 1 with an error, 0 with a warning, -1 when there is no issue with
 * that code. */
static int code_class(const apr_array_header_t *issues, const char *code)
{
    int i;

    for (i = 0; i < issues->nelts; i++) {
        const hsts_issue_t *is = &APR_ARRAY_IDX(issues, i, hsts_issue_t);
        if (!strcmp(code_of(is), code)) {
            return is->severity == HSTS_ERROR ? 1
                   : is->severity == HSTS_WARNING ? 0 : 2;
        }
    }
    return -1;
}

static void check_preloadable(apr_pool_t *p, const hsts_policy_t *policy)
{
    apr_array_header_t *issues = apr_array_make(p, 4, sizeof(hsts_issue_t));
    int want_inc, want_missing, want_zero, want_below, want_over, want_n;

    hsts_policy_check_preloadable(p, policy, issues);
    want_inc = policy->preload && !policy->include_subdomains;
    want_missing = policy->preload && !policy->has_max_age;
    want_zero = policy->preload && policy->has_max_age && policy->max_age == 0;
    want_below = policy->preload && policy->has_max_age
                 && policy->max_age > 0 && policy->max_age < 31536000;
    want_over = policy->has_max_age && policy->max_age > 315360000;
    want_n = want_inc + want_missing + want_zero + want_below + want_over;

    /* every requirement is an error; the 10 years are a warning */
    FUZZ_CHECK(issues->nelts == want_n
               && code_class(issues, "header.preloadable.include_sub_domains"
                                     ".missing") == (want_inc ? 1 : -1)
               && code_class(issues, "header.preloadable.max_age.missing")
                  == (want_missing ? 1 : -1)
               && code_class(issues, "header.preloadable.max_age.zero")
                  == (want_zero ? 1 : -1)
               && code_class(issues, "header.preloadable.max_age"
                                     ".below_1_year") == (want_below ? 1 : -1)
               && code_class(issues, "header.preloadable.max_age"
                                     ".over_10_years") == (want_over ? 0 : -1),
               "preloadable check of %s: %d issues, want %d",
               policy_text(p, policy), issues->nelts, want_n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    char *value = fuzz_strndup(data, size);
    const char *shown = fuzz_shown(p, value, strlen(value));
    apr_array_header_t *issues = apr_array_make(p, 4, sizeof(hsts_issue_t));
    ref_result_t *ref = malloc(sizeof(*ref));
    hsts_policy_t policy;
    int errors, i, counted = 0;

    /* issues already in the array are not this value's: they neither
     * count nor stop a "reported once" issue of its own */
    hsts_issue_add(issues, HSTS_C_TLS_CERT_EXPIRED, "before");
    hsts_issue_add(issues, HSTS_C_HEADER_PARSE_EMPTY_DIRECTIVE, "before");
    FUZZ_CHECK(APR_ARRAY_IDX(issues, 0, hsts_issue_t).severity == HSTS_ERROR,
               "the sentinel issue is not an error");
    errors = hsts_policy_parse(p, value, &policy, issues);

    for (i = 2; i < issues->nelts; i++) {
        const hsts_issue_t *is = &APR_ARRAY_IDX(issues, i, hsts_issue_t);
        const char *name = code_of(is);
        hsts_code_e back = HSTS_CODE_COUNT;
        FUZZ_CHECK(!strncmp(name, "header.parse.", 13)
                   && hsts_code_from_name(name, &back) && back == is->code
                   && is->message && *is->message
                   && (is->severity == HSTS_ERROR
                       || is->severity == HSTS_WARNING),
                   "issue %d of '%s' malformed (code %d, %s)", i, shown,
                   (int)is->code, name);
        counted += is->severity == HSTS_ERROR;
    }
    FUZZ_CHECK(errors == counted, "'%s': returned %d errors, appended %d",
               shown, errors, counted);

    /* the rules, transcribed */
    ref_parse(value, ref);
    if (!ref->truncated) {
        FUZZ_CHECK(same_policy(&policy, &ref->policy),
                   "'%s': policy %s, the rules give %s", shown,
                   policy_text(p, &policy), policy_text(p, &ref->policy));
        FUZZ_CHECK(issues->nelts - 2 == ref->n && errors == ref->errors,
                   "'%s': %d issues (%d errors), the rules give %d (%d)",
                   shown, issues->nelts - 2, errors, ref->n, ref->errors);
        for (i = 0; i < ref->n; i++) {
            const hsts_issue_t *is = &APR_ARRAY_IDX(issues, i + 2,
                                                    hsts_issue_t);
            const char *got = code_of(is);
            FUZZ_CHECK(!strcmp(got, ref->codes[i])
                       && (is->severity == HSTS_ERROR) == ref->error[i],
                       "'%s': issue %d is %s (%s), the rules give %s (%s)",
                       shown, i, got, is->severity == HSTS_ERROR ? "error"
                       : "warning", ref->codes[i], ref->error[i] ? "error"
                       : "warning");
        }
    }

    check_preloadable(p, &policy);

    /* format and parse again */
    if (policy.has_max_age) {
        const char *text = hsts_policy_format(p, &policy);
        const char *want = apr_psprintf(p, "max-age=%" APR_UINT64_T_FMT
                                        "%s%s", policy.max_age,
                                        policy.include_subdomains
                                        ? "; includeSubDomains" : "",
                                        policy.preload ? "; preload" : "");
        apr_array_header_t *again = apr_array_make(p, 1,
                                                   sizeof(hsts_issue_t));
        hsts_policy_t reparsed;
        int errors2;

        FUZZ_CHECK(!strcmp(text, want), "'%s' formatted as '%s'", shown,
                   text);
        errors2 = hsts_policy_parse(p, text, &reparsed, again);
        FUZZ_CHECK(errors2 == 0 && again->nelts == 0,
                   "'%s' formatted as '%s' gives %d issues (first %s)",
                   shown, text, again->nelts, again->nelts
                   ? code_of(&APR_ARRAY_IDX(again, 0, hsts_issue_t)) : "");
        FUZZ_CHECK(same_policy(&policy, &reparsed),
                   "'%s' formatted as '%s' reads back as %s, not %s", shown,
                   text, policy_text(p, &reparsed), policy_text(p, &policy));
    }

    free(ref);
    free(value);
    apr_pool_destroy(p);
    return 0;
}

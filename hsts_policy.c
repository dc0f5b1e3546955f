/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: durations, Strict-Transport-Security values and the preload
 * checker's rules for them (pure).
 */
#include <apr_strings.h>
#include <apr_lib.h>

#include "hsts_policy.h"

/* The checker reports some issues once per header, whatever the repeats:
 * only the issues of this header (from index first on) are looked at. */
static void issue_add_once(apr_array_header_t *issues, int first,
                           hsts_code_e code, const char *message)
{
    const hsts_issue_t *all = (const hsts_issue_t *)issues->elts;
    int i;

    for (i = first; i < issues->nelts; i++) {
        if (all[i].code == code) {
            return;
        }
    }
    hsts_issue_add(issues, code, message);
}

/* Decimal digits to an unsigned 64-bit number; 0 when empty or too big. */
static int parse_uint64(const char *digits, apr_size_t len, apr_uint64_t *out)
{
    apr_uint64_t value = 0;
    apr_size_t i;

    if (len == 0) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        unsigned int d = (unsigned int)(digits[i] - '0');
        if (d > 9) {
            return 0;
        }
        if (value > (APR_UINT64_MAX - d) / 10) {
            return 0;
        }
        value = value * 10 + d;
    }
    *out = value;
    return 1;
}

const char *hsts_duration_parse(const char *text, apr_uint64_t *seconds)
{
    apr_size_t len = strlen(text), digits = 0;
    apr_uint64_t value, unit = 1;

    while (digits < len && apr_isdigit(text[digits])) {
        digits++;
    }
    if (digits == 0) {
        return "a duration starts with decimal digits (no sign, no space)";
    }
    if (digits + 1 < len) {
        return "a duration is decimal digits with at most one unit letter: "
               "s, m, h, d, w or y";
    }
    if (digits < len) {
        switch (text[digits]) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        case 'w': unit = APR_UINT64_C(7) * 86400; break;
        case 'y': unit = APR_UINT64_C(365) * 86400; break;
        default:
            return "the unit must be one of s, m, h, d, w or y (1y = 365d)";
        }
    }
    if (!parse_uint64(text, digits, &value) || value > APR_UINT64_MAX / unit) {
        return "the duration does not fit in 64 bits";
    }
    *seconds = value * unit;
    return NULL;
}

/* One directive of a value, trimmed: d, len bytes (not NUL-terminated). */
typedef struct {
    const char *d;
    apr_size_t len;
} directive_t;

static int directive_is(const directive_t *dir, const char *name)
{
    return strlen(name) == dir->len && !strncasecmp(dir->d, name, dir->len);
}

static int directive_starts_with(const directive_t *dir, const char *prefix)
{
    apr_size_t plen = strlen(prefix);

    return dir->len >= plen && !strncasecmp(dir->d, prefix, plen);
}

/* One "max-age=..." directive; returns 1 and sets *max_age when valid. */
static int parse_max_age(apr_pool_t *p, const directive_t *dir,
                         apr_uint64_t *max_age, apr_array_header_t *issues)
{
    const char *value = dir->d + sizeof("max-age=") - 1;
    apr_size_t vlen = dir->len - (sizeof("max-age=") - 1), i;
    const char *shown = apr_pstrmemdup(p, dir->d, dir->len);

    if (vlen > 1 && value[0] == '0') {
        hsts_issue_add(issues, HSTS_C_HEADER_PARSE_MAX_AGE_LEADING_ZERO,
                       apr_psprintf(p, "The max-age value in \"%s\" has a "
                                    "leading 0. Write it without leading "
                                    "zeros.", shown));
    }
    for (i = 0; i < vlen; i++) {
        if (!apr_isdigit(value[i])) {
            hsts_issue_add(issues,
                           HSTS_C_HEADER_PARSE_MAX_AGE_NON_DIGIT_CHARACTERS,
                           apr_psprintf(p, "The max-age value in \"%s\" has "
                                        "characters that are not digits. "
                                        "Write a plain number of seconds, "
                                        "without sign, quotes or spaces.",
                                        shown));
            return 0;
        }
    }
    if (!parse_uint64(value, vlen, max_age)) {
        hsts_issue_add(issues, HSTS_C_HEADER_PARSE_MAX_AGE_PARSE_INT_ERROR,
                       apr_psprintf(p, "The max-age value in \"%s\" is empty "
                                    "or larger than 18446744073709551615. "
                                    "Give a number of seconds such as "
                                    "31536000.", shown));
        return 0;
    }
    return 1;
}

/* Reads one directive into policy, as the checker does (first match). */
static void parse_directive(apr_pool_t *p, const directive_t *dir,
                            hsts_policy_t *policy,
                            apr_array_header_t *issues, int first)
{
    apr_uint64_t max_age;

    if (directive_is(dir, "preload")) {
        if (policy->preload) {
            issue_add_once(issues, first, HSTS_C_HEADER_PARSE_REPEATED_PRELOAD,
                           "The value repeats the preload directive. Give "
                           "it once.");
        }
        policy->preload = 1;
    }
    else if (directive_starts_with(dir, "preload")) {
        issue_add_once(issues, first, HSTS_C_HEADER_PARSE_INVALID_PRELOAD,
                       "The value has a preload directive with extra parts, "
                       "which does not count as preload. Write exactly "
                       "preload.");
    }
    else if (directive_is(dir, "includeSubDomains")) {
        if (policy->include_subdomains) {
            issue_add_once(issues, first,
                           HSTS_C_HEADER_PARSE_REPEATED_INCLUDE_SUB_DOMAINS,
                           "The value repeats the includeSubDomains "
                           "directive. Give it once.");
        }
        policy->include_subdomains = 1;
    }
    else if (directive_starts_with(dir, "includeSubDomains")) {
        issue_add_once(issues, first,
                       HSTS_C_HEADER_PARSE_INVALID_INCLUDE_SUB_DOMAINS,
                       "The value has an includeSubDomains directive with "
                       "extra parts, which does not count. Write exactly "
                       "includeSubDomains.");
    }
    else if (directive_starts_with(dir, "max-age=")) {
        if (!parse_max_age(p, dir, &max_age, issues)) {
            return;
        }
        if (policy->has_max_age) {
            issue_add_once(issues, first, HSTS_C_HEADER_PARSE_REPEATED_MAX_AGE,
                           "The value repeats the max-age directive and only "
                           "the first counts. Give it once.");
        }
        else {
            policy->has_max_age = 1;
            policy->max_age = max_age;
        }
    }
    else if (directive_starts_with(dir, "max-age")) {
        issue_add_once(issues, first,
                       HSTS_C_HEADER_PARSE_INVALID_MAX_AGE_NO_VALUE,
                       "The value has a max-age directive without "
                       "\"=seconds\". Write it as max-age=31536000.");
    }
    else if (dir->len == 0) {
        issue_add_once(issues, first, HSTS_C_HEADER_PARSE_EMPTY_DIRECTIVE,
                       "The value has an empty directive or an extra "
                       "semicolon. Remove the stray \";\".");
    }
    else {
        hsts_issue_add(issues, HSTS_C_HEADER_PARSE_UNKNOWN_DIRECTIVE,
                       apr_psprintf(p, "The value has an unknown directive "
                                    "\"%s\", which browsers ignore. Remove "
                                    "it.", apr_pstrmemdup(p, dir->d,
                                                          dir->len)));
    }
}

int hsts_policy_parse(apr_pool_t *p, const char *value, hsts_policy_t *policy,
                      apr_array_header_t *issues)
{
    int errors_before = hsts_issue_count(issues, HSTS_ERROR);
    int first = issues->nelts;
    const char *rest = value;

    memset(policy, 0, sizeof(*policy));
    for (;;) {
        const char *end = strchr(rest, ';');
        directive_t dir;

        dir.d = rest;
        dir.len = end ? (apr_size_t)(end - rest) : strlen(rest);
        while (dir.len > 0 && apr_isspace(dir.d[0])) {
            dir.d++;
            dir.len--;
        }
        while (dir.len > 0 && apr_isspace(dir.d[dir.len - 1])) {
            dir.len--;
        }
        /* A value that is only white space: one warning, nothing else. */
        if (!end && rest == value && dir.len == 0) {
            hsts_issue_add(issues, HSTS_C_HEADER_PARSE_EMPTY,
                           "The Strict-Transport-Security value is empty. "
                           "Give at least a max-age, e.g. "
                           "\"max-age=31536000\".");
            break;
        }
        parse_directive(p, &dir, policy, issues, first);
        if (!end) {
            break;
        }
        rest = end + 1;
    }
    return hsts_issue_count(issues, HSTS_ERROR) - errors_before;
}

void hsts_policy_check_preloadable(apr_pool_t *p, const hsts_policy_t *policy,
                                   apr_array_header_t *issues)
{
    if (policy->preload && !policy->include_subdomains) {
        hsts_issue_add(issues, HSTS_C_HEADER_PRELOADABLE_INCLUDE_SUB_DOMAINS_MISSING,
                       "Preloading requires includeSubDomains, but the policy "
                       "lacks it. Set HSTSIncludeSubDomains On once every "
                       "subdomain serves HTTPS.");
    }
    if (policy->preload && !policy->has_max_age) {
        hsts_issue_add(issues, HSTS_C_HEADER_PRELOADABLE_MAX_AGE_MISSING,
                       "Preloading requires a max-age, but the policy has "
                       "none. Add max-age=31536000.");
    }
    else if (policy->preload && policy->max_age == 0) {
        hsts_issue_add(issues, HSTS_C_HEADER_PRELOADABLE_MAX_AGE_ZERO,
                       "The max-age is 0, which removes the host from "
                       "browsers' HSTS lists and cannot be preloaded. Drop "
                       "the preload directive, or raise HSTSMaxAge to 1y.");
    }
    else if (policy->preload && policy->max_age < HSTS_ONE_YEAR) {
        hsts_issue_add(issues, HSTS_C_HEADER_PRELOADABLE_MAX_AGE_BELOW_1_YEAR,
                       apr_psprintf(p, "The max-age must be at least 31536000 "
                                    "seconds (1 year) for preloading, but it "
                                    "is %" APR_UINT64_T_FMT ". Raise "
                                    "HSTSMaxAge to 1y.", policy->max_age));
    }
    if (policy->has_max_age && policy->max_age > HSTS_TEN_YEARS) {
        hsts_issue_add(issues, HSTS_C_HEADER_PRELOADABLE_MAX_AGE_OVER_10_YEARS,
                       apr_psprintf(p, "The max-age of %" APR_UINT64_T_FMT
                                    " seconds is longer than 10 years, an "
                                    "unusually long value. Use 1y or 2y.",
                                    policy->max_age));
    }
}

const char *hsts_policy_format(apr_pool_t *p, const hsts_policy_t *policy)
{
    return apr_psprintf(p, "max-age=%" APR_UINT64_T_FMT "%s%s",
                        policy->max_age,
                        policy->include_subdomains ? "; includeSubDomains" : "",
                        policy->preload ? "; preload" : "");
}

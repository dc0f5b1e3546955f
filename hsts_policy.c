/*
 * mod_hsts: durations, Strict-Transport-Security values and the preload
 * checker's rules for them. Pure functions: no httpd structures.
 */
#include <apr_strings.h>
#include <apr_lib.h>

#include "mod_hsts.h"

void hsts_issue_add(apr_array_header_t *issues, const char *code,
                    hsts_severity_e severity, const char *message)
{
    hsts_issue_t *issue = apr_array_push(issues);
    issue->code = code;
    issue->severity = severity;
    issue->message = message;
}

int hsts_issue_count(const apr_array_header_t *issues,
                     hsts_severity_e severity)
{
    const hsts_issue_t *all = (const hsts_issue_t *)issues->elts;
    int i, n = 0;

    for (i = 0; i < issues->nelts; i++) {
        if (all[i].severity == severity) {
            n++;
        }
    }
    return n;
}

const char *hsts_severity_name(hsts_severity_e severity)
{
    switch (severity) {
    case HSTS_ERROR:
        return "error";
    case HSTS_WARNING:
        return "warning";
    default:
        return "info";
    }
}

/* The checker reports some issues once per header, whatever the repeats:
 * only the issues of this header (from index first on) are looked at. */
static void issue_add_unique(apr_array_header_t *issues, int first,
                             const char *code, hsts_severity_e severity,
                             const char *message)
{
    const hsts_issue_t *all = (const hsts_issue_t *)issues->elts;
    int i;

    for (i = first; i < issues->nelts; i++) {
        if (!strcmp(all[i].code, code)) {
            return;
        }
    }
    hsts_issue_add(issues, code, severity, message);
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

/* Case-insensitive comparisons of a directive (not NUL-terminated). */
static int directive_equals(const char *d, apr_size_t len, const char *name)
{
    return strlen(name) == len && !strncasecmp(d, name, len);
}

static int directive_has_prefix(const char *d, apr_size_t len,
                                const char *prefix)
{
    apr_size_t plen = strlen(prefix);
    return len >= plen && !strncasecmp(d, prefix, plen);
}

/* One "max-age=..." directive; returns 1 and sets *max_age when valid. */
static int parse_max_age(apr_pool_t *p, const char *d, apr_size_t len,
                         apr_uint64_t *max_age, apr_array_header_t *issues)
{
    const char *value = d + sizeof("max-age=") - 1;
    apr_size_t vlen = len - (sizeof("max-age=") - 1), i;
    const char *shown = apr_pstrmemdup(p, d, len);

    if (vlen > 1 && value[0] == '0') {
        hsts_issue_add(issues, "header.parse.max_age.leading_zero",
                       HSTS_WARNING,
                       apr_psprintf(p, "The max-age value has a leading 0 "
                                    "(`%s`): write it without leading "
                                    "zeros.", shown));
    }
    for (i = 0; i < vlen; i++) {
        if (!apr_isdigit(value[i])) {
            hsts_issue_add(issues, "header.parse.max_age.non_digit_characters",
                           HSTS_ERROR,
                           apr_psprintf(p, "The max-age value contains "
                                        "characters that are not digits "
                                        "(`%s`): write a plain number of "
                                        "seconds, without sign, quotes or "
                                        "spaces.", shown));
            return 0;
        }
    }
    if (!parse_uint64(value, vlen, max_age)) {
        hsts_issue_add(issues, "header.parse.max_age.parse_int_error",
                       HSTS_ERROR,
                       apr_psprintf(p, "The max-age value of `%s` is empty "
                                    "or larger than 18446744073709551615: "
                                    "give a number of seconds such as "
                                    "31536000.", shown));
        return 0;
    }
    return 1;
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
        const char *d = rest;
        apr_size_t len = end ? (apr_size_t)(end - rest) : strlen(rest);
        apr_uint64_t max_age;

        while (len > 0 && apr_isspace(d[0])) {
            d++;
            len--;
        }
        while (len > 0 && apr_isspace(d[len - 1])) {
            len--;
        }

        /* A value that is only white space: one warning, nothing else. */
        if (!end && rest == value && len == 0) {
            hsts_issue_add(issues, "header.parse.empty", HSTS_WARNING,
                           "The Strict-Transport-Security value is empty: "
                           "give at least a max-age, e.g. "
                           "\"max-age=31536000\".");
            break;
        }

        if (directive_equals(d, len, "preload")) {
            if (policy->preload) {
                issue_add_unique(issues, first,
                                 "header.parse.repeated.preload",
                                 HSTS_WARNING,
                                 "The value repeats the `preload` directive: "
                                 "give it once.");
            }
            policy->preload = 1;
        }
        else if (directive_has_prefix(d, len, "preload")) {
            issue_add_unique(issues, first,
                             "header.parse.invalid.preload",
                             HSTS_WARNING,
                             "The value has a `preload` directive with extra "
                             "parts, which does not count as preload: write "
                             "exactly `preload`.");
        }
        else if (directive_equals(d, len, "includeSubDomains")) {
            if (policy->include_subdomains) {
                issue_add_unique(issues, first,
                                 "header.parse.repeated.include_sub_domains",
                                 HSTS_WARNING,
                                 "The value repeats the `includeSubDomains` "
                                 "directive: give it once.");
            }
            policy->include_subdomains = 1;
        }
        else if (directive_has_prefix(d, len, "includeSubDomains")) {
            issue_add_unique(issues, first,
                             "header.parse.invalid.include_sub_domains",
                             HSTS_WARNING,
                             "The value has an `includeSubDomains` directive "
                             "with extra parts, which does not count: write "
                             "exactly `includeSubDomains`.");
        }
        else if (directive_has_prefix(d, len, "max-age=")) {
            if (parse_max_age(p, d, len, &max_age, issues)) {
                if (policy->has_max_age) {
                    issue_add_unique(issues, first,
                                     "header.parse.repeated.max_age",
                                     HSTS_WARNING,
                                     "The value repeats the `max-age` "
                                     "directive; only the first counts: "
                                     "give it once.");
                }
                else {
                    policy->has_max_age = 1;
                    policy->max_age = max_age;
                }
            }
        }
        else if (directive_has_prefix(d, len, "max-age")) {
            issue_add_unique(issues, first,
                             "header.parse.invalid.max_age.no_value",
                             HSTS_ERROR,
                             "The value has a max-age directive without "
                             "`=seconds`: write it as max-age=31536000.");
        }
        else if (len == 0) {
            issue_add_unique(issues, first,
                             "header.parse.empty_directive",
                             HSTS_WARNING,
                             "The value has an empty directive or an extra "
                             "semicolon: remove the stray `;`.");
        }
        else {
            hsts_issue_add(issues, "header.parse.unknown_directive",
                           HSTS_WARNING,
                           apr_psprintf(p, "The value has an unknown "
                                        "directive `%s`, which browsers "
                                        "ignore: remove it.",
                                        apr_pstrmemdup(p, d, len)));
        }

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
    if (policy->preload) {
        if (!policy->include_subdomains) {
            hsts_issue_add(issues,
                           "header.preloadable.include_sub_domains.missing",
                           HSTS_ERROR,
                           "Preloading requires includeSubDomains, but the "
                           "policy lacks it. Set HSTSIncludeSubDomains On "
                           "once every subdomain serves HTTPS.");
        }
        if (!policy->has_max_age) {
            hsts_issue_add(issues, "header.preloadable.max_age.missing",
                           HSTS_ERROR,
                           "Preloading requires a max-age, but the policy "
                           "has none. Add max-age=31536000.");
        }
        else if (policy->max_age == 0) {
            hsts_issue_add(issues, "header.preloadable.max_age.zero",
                           HSTS_ERROR,
                           "The max-age is 0, which removes the host from "
                           "browsers' HSTS lists and cannot be preloaded. "
                           "Drop the preload directive, or raise HSTSMaxAge "
                           "to 1y.");
        }
        else if (policy->max_age < HSTS_ONE_YEAR) {
            hsts_issue_add(issues, "header.preloadable.max_age.below_1_year",
                           HSTS_ERROR,
                           apr_psprintf(p, "The max-age must be at least "
                                        "31536000 seconds (1 year) for "
                                        "preloading, but it is %"
                                        APR_UINT64_T_FMT ". Raise HSTSMaxAge "
                                        "to 1y.", policy->max_age));
        }
    }
    if (policy->has_max_age && policy->max_age > HSTS_TEN_YEARS) {
        hsts_issue_add(issues, "header.preloadable.max_age.over_10_years",
                       HSTS_WARNING,
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

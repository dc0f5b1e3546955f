/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of mod_hsts's durations, Strict-Transport-Security value
 * parsing (the HSTS preload checker's rules and issue codes), preload
 * checks, header formatting, issues and the code table.
 */
#include "hsts_policy.h"
#include "tap.h"

#include <apr_general.h>
#include <apr_strings.h>

static apr_pool_t *pool;

/* ------------------------------------------------------------------ */
/* Helpers                                                              */

static char sev_letter(hsts_severity_e s)
{
    return s == HSTS_ERROR ? 'E' : s == HSTS_WARNING ? 'W' : 'I';
}

/* The issues from index `from` on, as "W:code E:code ..." ("" if none). */
static const char *issues_str(const apr_array_header_t *issues, int from)
{
    const hsts_issue_t *all = (const hsts_issue_t *)issues->elts;
    const char *s = "";
    int i;

    for (i = from; i < issues->nelts; i++) {
        s = apr_psprintf(pool, "%s%s%c:%s", s, *s ? " " : "",
                         sev_letter(all[i].severity),
                         hsts_code_name(all[i].code));
    }
    return s;
}

/* Whether every issue has a non-empty message. */
static int issues_have_messages(const apr_array_header_t *issues)
{
    const hsts_issue_t *all = (const hsts_issue_t *)issues->elts;
    int i;

    for (i = 0; i < issues->nelts; i++) {
        if (!all[i].message || !*all[i].message) {
            return 0;
        }
    }
    return 1;
}

/* A policy as "MAXAGE[ sub][ pre]", MAXAGE being "-" when absent. */
static const char *policy_str(const hsts_policy_t *pol)
{
    return apr_psprintf(pool, "%s%s%s",
                        pol->has_max_age
                            ? apr_psprintf(pool, "%" APR_UINT64_T_FMT,
                                           pol->max_age)
                            : "-",
                        pol->include_subdomains ? " sub" : "",
                        pol->preload ? " pre" : "");
}

/* ------------------------------------------------------------------ */
/* hsts_duration_parse                                                  */

static void dur_ok(const char *text, apr_uint64_t want)
{
    apr_uint64_t got = APR_UINT64_C(0xdeadbeef);
    const char *err = hsts_duration_parse(text, &got);

    if (!ok(err == NULL, apr_psprintf(pool, "duration '%s' is accepted",
                                      text))) {
        printf("#   error: %s\n", err);
        return;
    }
    is_num(got, want, apr_psprintf(pool, "duration '%s' = %" APR_UINT64_T_FMT,
                                   text, want));
}

static void dur_err(const char *text)
{
    apr_uint64_t got = 0;
    const char *err = hsts_duration_parse(text, &got);

    if (!ok(err != NULL && *err, apr_psprintf(pool, "duration '%s' is an "
                                              "error", text))) {
        printf("#   parsed as %" APR_UINT64_T_FMT "\n", got);
    }
}

static void test_duration(void)
{
    /* every unit */
    dur_ok("1s", 1);
    dur_ok("1m", 60);
    dur_ok("1h", 3600);
    dur_ok("1d", 86400);
    dur_ok("1w", 604800);
    dur_ok("1y", 31536000);
    dur_ok("2y", 63072000);
    dur_ok("365d", 31536000);
    dur_ok("52w", 31449600);
    dur_ok("5m", 300);
    dur_ok("30d", 2592000);
    dur_ok("10y", 315360000);

    /* plain seconds, zero, leading zeros */
    dur_ok("0", 0);
    dur_ok("0s", 0);
    dur_ok("0y", 0);
    dur_ok("00", 0);
    dur_ok("300", 300);
    dur_ok("31536000", 31536000);
    dur_ok("007", 7);
    dur_ok("0005m", 300);
    dur_ok("0001y", 31536000);

    /* malformed */
    dur_err("");
    dur_err("+5");
    dur_err("-5");
    dur_err("-0");
    dur_err("1.5y");
    dur_err("1.5");
    dur_err(".5");
    dur_err(" 1");
    dur_err("1 ");
    dur_err("1 y");
    dur_err("1x");
    dur_err("1Y");
    dur_err("1M");
    dur_err("1S");
    dur_err("1D");
    dur_err("1yd");
    dur_err("1y1");
    dur_err("1ms");
    dur_err("y");
    dur_err("s");
    dur_err("1e3");
    dur_err("0x10");
    dur_err("1,000");
    dur_err("1_000");

    /* 64-bit boundaries, plain and per unit (multiplication overflow) */
    dur_ok("18446744073709551615", APR_UINT64_C(18446744073709551615));
    dur_ok("018446744073709551615", APR_UINT64_C(18446744073709551615));
    dur_ok("18446744073709551615s", APR_UINT64_C(18446744073709551615));
    dur_err("18446744073709551616");
    dur_err("18446744073709551616s");
    dur_err("18446744073709551620");
    dur_err("99999999999999999999");
    dur_err("184467440737095516150");
    dur_ok("307445734561825860m", APR_UINT64_C(18446744073709551600));
    dur_err("307445734561825861m");
    dur_ok("5124095576030431h", APR_UINT64_C(18446744073709551600));
    dur_err("5124095576030432h");
    dur_ok("213503982334601d", APR_UINT64_C(18446744073709526400));
    dur_err("213503982334602d");
    dur_ok("30500568904943w", APR_UINT64_C(18446744073709526400));
    dur_err("30500568904944w");
    dur_ok("584942417355y", APR_UINT64_C(18446744073707280000));
    dur_err("584942417356y");
    dur_err("18446744073709551615y");
}

/* ------------------------------------------------------------------ */
/* hsts_policy_parse                                                    */

/*
 * Parses value into a fresh issues array and checks the issues (codes and
 * severities, in order), the returned error count and the policy.
 */
static void check_parse(const char *value, const char *want_issues,
                        int want_errors, const char *want_policy)
{
    apr_array_header_t *issues = apr_array_make(pool, 2, sizeof(hsts_issue_t));
    hsts_policy_t pol;
    int errors;

    /* garbage in the policy must not leak through */
    memset(&pol, 0x5a, sizeof(pol));
    errors = hsts_policy_parse(pool, value, &pol, issues);
    is_str(issues_str(issues, 0), want_issues,
           apr_psprintf(pool, "parse \"%s\": issues [%s]", value,
                        want_issues));
    is_num(errors, want_errors,
           apr_psprintf(pool, "parse \"%s\": returns %d error(s)", value,
                        want_errors));
    is_str(policy_str(&pol), want_policy,
           apr_psprintf(pool, "parse \"%s\": policy %s", value, want_policy));
    ok(issues_have_messages(issues),
       apr_psprintf(pool, "parse \"%s\": every issue has a message", value));
}

static void test_parse(void)
{
    /* valid values */
    check_parse("max-age=31536000", "", 0, "31536000");
    check_parse("max-age=31536000; includeSubDomains; preload", "", 0,
                "31536000 sub pre");
    check_parse("preload; includeSubDomains; max-age=63072000", "", 0,
                "63072000 sub pre");
    check_parse("max-age=0", "", 0, "0");
    check_parse("max-age=300;includeSubDomains", "", 0, "300 sub");
    check_parse("includeSubDomains", "", 0, "- sub");
    check_parse("preload", "", 0, "- pre");

    /* case-insensitive directive names */
    check_parse("MAX-AGE=5; INCLUDESUBDOMAINS; PRELOAD", "", 0, "5 sub pre");
    check_parse("Max-Age=5; includesubdomains; Preload", "", 0, "5 sub pre");

    /* white space around pieces is trimmed (spaces, tabs, CR/LF) */
    check_parse("  max-age=5  ;\tincludeSubDomains\t;  preload  ", "", 0,
                "5 sub pre");
    check_parse("\r\n max-age=5\r\n", "", 0, "5");

    /* empty value: one warning, nothing else */
    check_parse("", "W:header.parse.empty", 0, "-");
    check_parse("  ", "W:header.parse.empty", 0, "-");
    check_parse(" \t ", "W:header.parse.empty", 0, "-");

    /* empty directives: once per header */
    check_parse(";", "W:header.parse.empty_directive", 0, "-");
    check_parse(";;", "W:header.parse.empty_directive", 0, "-");
    check_parse(" ; ", "W:header.parse.empty_directive", 0, "-");
    check_parse("max-age=5;", "W:header.parse.empty_directive", 0, "5");
    check_parse("max-age=5; ", "W:header.parse.empty_directive", 0, "5");
    check_parse(";max-age=5", "W:header.parse.empty_directive", 0, "5");
    check_parse("max-age=5;;preload", "W:header.parse.empty_directive", 0,
                "5 pre");
    check_parse(";max-age=5;;includeSubDomains;;;",
                "W:header.parse.empty_directive", 0, "5 sub");

    /* unknown directives: one warning per piece */
    check_parse("max-age=5; foo", "W:header.parse.unknown_directive", 0, "5");
    check_parse("foo; bar; foo; max-age=5",
                "W:header.parse.unknown_directive "
                "W:header.parse.unknown_directive "
                "W:header.parse.unknown_directive", 0, "5");
    check_parse("max-age=5; includeSubDomain",
                "W:header.parse.unknown_directive", 0, "5");
    check_parse("max-age=5; x-preload",
                "W:header.parse.unknown_directive", 0, "5");

    /* preload: exact, repeated (once), with extra parts (not set) */
    check_parse("max-age=5; preload; preload",
                "W:header.parse.repeated.preload", 0, "5 pre");
    check_parse("max-age=5; preload; PRELOAD; Preload",
                "W:header.parse.repeated.preload", 0, "5 pre");
    check_parse("max-age=5; preload=1", "W:header.parse.invalid.preload", 0,
                "5");
    check_parse("max-age=5; preloaded", "W:header.parse.invalid.preload", 0,
                "5");
    check_parse("max-age=5; preload=1; preloaded",
                "W:header.parse.invalid.preload", 0, "5");
    check_parse("max-age=5; preload=true; preload",
                "W:header.parse.invalid.preload", 0, "5 pre");
    check_parse("max-age=5; PRELOAD=1", "W:header.parse.invalid.preload", 0,
                "5");
    check_parse("max-age=5; preload x", "W:header.parse.invalid.preload", 0,
                "5");

    /* includeSubDomains likewise */
    check_parse("max-age=5; includeSubDomains; includeSubDomains",
                "W:header.parse.repeated.include_sub_domains", 0, "5 sub");
    check_parse("includeSubDomains; INCLUDESUBDOMAINS; includesubdomains; "
                "max-age=5",
                "W:header.parse.repeated.include_sub_domains", 0, "5 sub");
    check_parse("max-age=5; includeSubDomains=1",
                "W:header.parse.invalid.include_sub_domains", 0, "5");
    check_parse("max-age=5; includeSubDomainsX; IncludeSubdomains=yes",
                "W:header.parse.invalid.include_sub_domains", 0, "5");

    /* max-age: leading zeros warn, the value still counts */
    check_parse("max-age=00", "W:header.parse.max_age.leading_zero", 0, "0");
    check_parse("max-age=012", "W:header.parse.max_age.leading_zero", 0,
                "12");
    check_parse("max-age=0031536000",
                "W:header.parse.max_age.leading_zero", 0, "31536000");
    /* one leading_zero per directive, not per header */
    check_parse("max-age=01; max-age=02",
                "W:header.parse.max_age.leading_zero "
                "W:header.parse.max_age.leading_zero "
                "W:header.parse.repeated.max_age", 0, "1");
    /* "0x10": leading zero warning AND non-digit error */
    check_parse("max-age=0x10",
                "W:header.parse.max_age.leading_zero "
                "E:header.parse.max_age.non_digit_characters", 1, "-");

    /* max-age: characters that are not digits */
    check_parse("max-age=-5", "E:header.parse.max_age.non_digit_characters",
                1, "-");
    check_parse("max-age=+5", "E:header.parse.max_age.non_digit_characters",
                1, "-");
    check_parse("max-age=\"300\"",
                "E:header.parse.max_age.non_digit_characters", 1, "-");
    check_parse("max-age= 5", "E:header.parse.max_age.non_digit_characters",
                1, "-");
    check_parse("max-age=5 0", "E:header.parse.max_age.non_digit_characters",
                1, "-");
    check_parse("max-age=1.5", "E:header.parse.max_age.non_digit_characters",
                1, "-");
    check_parse("max-age=1y", "E:header.parse.max_age.non_digit_characters",
                1, "-");
    check_parse("max-age=abc", "E:header.parse.max_age.non_digit_characters",
                1, "-");
    check_parse("max-age==5", "E:header.parse.max_age.non_digit_characters",
                1, "-");
    check_parse("max-age=-5; max-age=x",
                "E:header.parse.max_age.non_digit_characters "
                "E:header.parse.max_age.non_digit_characters", 2, "-");

    /* max-age: empty or too big */
    check_parse("max-age=", "E:header.parse.max_age.parse_int_error", 1, "-");
    check_parse("max-age=18446744073709551615", "", 0,
                "18446744073709551615");
    check_parse("max-age=18446744073709551616",
                "E:header.parse.max_age.parse_int_error", 1, "-");
    check_parse("max-age=99999999999999999999",
                "E:header.parse.max_age.parse_int_error", 1, "-");
    check_parse("max-age=018446744073709551616",
                "W:header.parse.max_age.leading_zero "
                "E:header.parse.max_age.parse_int_error", 1, "-");

    /* the first valid max-age wins; later valid ones: repeated (once) */
    check_parse("max-age=5; max-age=6", "W:header.parse.repeated.max_age", 0,
                "5");
    check_parse("max-age=5; max-age=6; MAX-AGE=7",
                "W:header.parse.repeated.max_age", 0, "5");
    check_parse("max-age=5; max-age=5", "W:header.parse.repeated.max_age", 0,
                "5");
    /* an erroneous max-age is skipped, so a later valid one is the first */
    check_parse("max-age=x; max-age=7",
                "E:header.parse.max_age.non_digit_characters", 1, "7");
    check_parse("max-age=; max-age=7",
                "E:header.parse.max_age.parse_int_error", 1, "7");
    check_parse("max-age=18446744073709551616; max-age=7; max-age=8",
                "E:header.parse.max_age.parse_int_error "
                "W:header.parse.repeated.max_age", 1, "7");
    /* an erroneous max-age after a valid one does not count as a repeat */
    check_parse("max-age=7; max-age=x",
                "E:header.parse.max_age.non_digit_characters", 1, "7");

    /* max-age without "=": error, once */
    check_parse("max-age", "E:header.parse.invalid.max_age.no_value", 1, "-");
    check_parse("max-age =5", "E:header.parse.invalid.max_age.no_value", 1,
                "-");
    check_parse("max-age:5", "E:header.parse.invalid.max_age.no_value", 1,
                "-");
    check_parse("MAX-AGE", "E:header.parse.invalid.max_age.no_value", 1, "-");
    check_parse("max-age; max-age:5; max-age =5",
                "E:header.parse.invalid.max_age.no_value", 1, "-");
    check_parse("max-ages=5; max-age=5",
                "E:header.parse.invalid.max_age.no_value", 1, "5");

    /* everything at once, in order */
    check_parse(";max-age=012; foo; preload=1; includeSubDomains; "
                "includeSubDomains; max-age; max-age=x; max-age=9; ;preload",
                "W:header.parse.empty_directive "
                "W:header.parse.max_age.leading_zero "
                "W:header.parse.unknown_directive "
                "W:header.parse.invalid.preload "
                "W:header.parse.repeated.include_sub_domains "
                "E:header.parse.invalid.max_age.no_value "
                "E:header.parse.max_age.non_digit_characters "
                "W:header.parse.repeated.max_age", 2, "12 sub pre");
}

/* Issues are appended; "once per header" must not look at older issues. */
static void test_parse_shared_array(void)
{
    apr_array_header_t *issues = apr_array_make(pool, 2, sizeof(hsts_issue_t));
    hsts_policy_t pol;
    int errors;

    hsts_issue_add(issues, HSTS_C_TLS_CERT_EXPIRED, "from elsewhere");
    errors = hsts_policy_parse(pool, "max-age=5;;preload;preload", &pol,
                               issues);
    is_num(errors, 0, "parse appends: earlier errors are not counted");
    errors = hsts_policy_parse(pool, "max-age;max-age=5;;preload;preload;"
                               "preload=1;includeSubDomains;"
                               "includeSubDomains;includeSubDomains=1;"
                               "max-age=6", &pol, issues);
    is_num(errors, 1, "second parse into the same array: 1 error");
    is_str(issues_str(issues, 0),
           "E:tls.cert.expired "
           "W:header.parse.empty_directive "
           "W:header.parse.repeated.preload "
           "E:header.parse.invalid.max_age.no_value "
           "W:header.parse.empty_directive "
           "W:header.parse.repeated.preload "
           "W:header.parse.invalid.preload "
           "W:header.parse.repeated.include_sub_domains "
           "W:header.parse.invalid.include_sub_domains "
           "W:header.parse.repeated.max_age",
           "once-per-header issues are reported again for a second header");
    is_str(policy_str(&pol), "5 sub pre", "second parse: policy reset and set");
}

/* ------------------------------------------------------------------ */
/* hsts_policy_check_preloadable                                        */

static void check_preloadable(int has_max_age, apr_uint64_t max_age,
                              int sub, int pre, const char *want)
{
    apr_array_header_t *issues = apr_array_make(pool, 2, sizeof(hsts_issue_t));
    hsts_policy_t pol;

    pol.has_max_age = has_max_age;
    pol.max_age = max_age;
    pol.include_subdomains = sub;
    pol.preload = pre;
    hsts_policy_check_preloadable(pool, &pol, issues);
    is_str(issues_str(issues, 0), want,
           apr_psprintf(pool, "preloadable(%s): [%s]", policy_str(&pol),
                        want));
    ok(issues_have_messages(issues),
       apr_psprintf(pool, "preloadable(%s): every issue has a message",
                    policy_str(&pol)));
}

static void test_preloadable(void)
{
    apr_array_header_t *issues;
    const hsts_issue_t *first;
    hsts_policy_t pol;

    /* the ideal policy */
    check_preloadable(1, 31536000, 1, 1, "");
    check_preloadable(1, 63072000, 1, 1, "");
    check_preloadable(1, 315360000, 1, 1, "");

    /* preload intent without includeSubDomains / max-age */
    check_preloadable(1, 31536000, 0, 1,
                      "E:header.preloadable.include_sub_domains.missing");
    check_preloadable(0, 0, 1, 1, "E:header.preloadable.max_age.missing");
    check_preloadable(0, 999999999999ULL, 1, 1,
                      "E:header.preloadable.max_age.missing");
    check_preloadable(0, 0, 0, 1,
                      "E:header.preloadable.include_sub_domains.missing "
                      "E:header.preloadable.max_age.missing");

    /* max-age zero and below one year */
    check_preloadable(1, 0, 1, 1, "E:header.preloadable.max_age.zero");
    check_preloadable(1, 0, 0, 1,
                      "E:header.preloadable.include_sub_domains.missing "
                      "E:header.preloadable.max_age.zero");
    check_preloadable(1, 1, 1, 1, "E:header.preloadable.max_age.below_1_year");
    check_preloadable(1, 300, 1, 1,
                      "E:header.preloadable.max_age.below_1_year");
    check_preloadable(1, 31535999, 1, 1,
                      "E:header.preloadable.max_age.below_1_year");
    check_preloadable(1, 300, 0, 1,
                      "E:header.preloadable.include_sub_domains.missing "
                      "E:header.preloadable.max_age.below_1_year");

    /* over ten years: a warning, with or without preload */
    check_preloadable(1, 315360001, 1, 1,
                      "W:header.preloadable.max_age.over_10_years");
    check_preloadable(1, 315360001, 0, 0,
                      "W:header.preloadable.max_age.over_10_years");
    check_preloadable(1, APR_UINT64_C(18446744073709551615), 1, 0,
                      "W:header.preloadable.max_age.over_10_years");
    check_preloadable(1, 315360001, 0, 1,
                      "E:header.preloadable.include_sub_domains.missing "
                      "W:header.preloadable.max_age.over_10_years");
    check_preloadable(1, 315360000, 0, 0, "");

    /* without preload intent nothing else is required */
    check_preloadable(1, 0, 0, 0, "");
    check_preloadable(1, 300, 0, 0, "");
    check_preloadable(1, 300, 1, 0, "");
    check_preloadable(0, 0, 0, 0, "");
    check_preloadable(0, 0, 1, 0, "");

    /* the below_1_year sentence names the value */
    issues = apr_array_make(pool, 2, sizeof(hsts_issue_t));
    pol.has_max_age = 1;
    pol.max_age = 300;
    pol.include_subdomains = 1;
    pol.preload = 1;
    hsts_policy_check_preloadable(pool, &pol, issues);
    first = (const hsts_issue_t *)issues->elts;
    ok(issues->nelts == 1 && strstr(first->message, "300") != NULL,
       "below_1_year message names the configured max-age");

    /* parsed from a header value */
    issues = apr_array_make(pool, 2, sizeof(hsts_issue_t));
    hsts_policy_parse(pool, "max-age=31536000; includeSubDomains; preload",
                      &pol, issues);
    hsts_policy_check_preloadable(pool, &pol, issues);
    is_num(issues->nelts, 0,
           "\"max-age=31536000; includeSubDomains; preload\" has no issues");

    issues = apr_array_make(pool, 2, sizeof(hsts_issue_t));
    hsts_policy_parse(pool, "max-age=31535999; preload", &pol, issues);
    hsts_policy_check_preloadable(pool, &pol, issues);
    is_str(issues_str(issues, 0),
           "E:header.preloadable.include_sub_domains.missing "
           "E:header.preloadable.max_age.below_1_year",
           "\"max-age=31535999; preload\": missing subdomains, below 1 year");

    issues = apr_array_make(pool, 2, sizeof(hsts_issue_t));
    hsts_policy_parse(pool, "preload=1; max-age=300", &pol, issues);
    hsts_policy_check_preloadable(pool, &pol, issues);
    is_str(issues_str(issues, 0), "W:header.parse.invalid.preload",
           "\"preload=1\" is no preload intent: no preloadable issues");
}

/* ------------------------------------------------------------------ */
/* hsts_policy_format                                                   */

static void check_format(int has, apr_uint64_t max_age, int sub, int pre,
                         const char *want)
{
    hsts_policy_t pol;

    pol.has_max_age = has;
    pol.max_age = max_age;
    pol.include_subdomains = sub;
    pol.preload = pre;
    is_str(hsts_policy_format(pool, &pol), want,
           apr_psprintf(pool, "format: \"%s\"", want));
}

static void test_format(void)
{
    apr_array_header_t *issues;
    hsts_policy_t pol, back;
    const char *s;

    check_format(1, 31536000, 1, 1,
                 "max-age=31536000; includeSubDomains; preload");
    check_format(1, 31536000, 0, 0, "max-age=31536000");
    check_format(1, 0, 0, 0, "max-age=0");
    check_format(1, 300, 1, 0, "max-age=300; includeSubDomains");
    check_format(1, 300, 0, 1, "max-age=300; preload");
    check_format(1, APR_UINT64_C(18446744073709551615), 1, 1,
                 "max-age=18446744073709551615; includeSubDomains; preload");

    /* the formatted value parses back to the same policy, cleanly */
    pol.has_max_age = 1;
    pol.max_age = 63072000;
    pol.include_subdomains = 1;
    pol.preload = 1;
    s = hsts_policy_format(pool, &pol);
    issues = apr_array_make(pool, 2, sizeof(hsts_issue_t));
    is_num(hsts_policy_parse(pool, s, &back, issues), 0,
           "formatted value parses without errors");
    is_num(issues->nelts, 0, "formatted value parses without warnings");
    is_str(policy_str(&back), "63072000 sub pre",
           "formatted value parses back to the same policy");
}

/* ------------------------------------------------------------------ */
/* Issues helpers and lint codes                                        */

static void test_issues(void)
{
    apr_array_header_t *issues = apr_array_make(pool, 1, sizeof(hsts_issue_t));
    const hsts_issue_t *all;

    hsts_issue_add(issues, HSTS_C_TLS_CERT_EXPIRED, "m1");
    hsts_issue_add(issues, HSTS_C_TLS_CERT_EXPIRES_SOON, "m2");
    hsts_issue_add_as(issues, HSTS_C_TLS_CERT_EXPIRES_SOON, HSTS_ERROR, "m3");
    hsts_issue_add(issues, HSTS_C_POLICY_MAX_AGE_ZERO, "m4");
    all = (const hsts_issue_t *)issues->elts;
    is_num(issues->nelts, 4, "hsts_issue_add appends");
    ok(all[0].code == HSTS_C_TLS_CERT_EXPIRED && all[0].severity == HSTS_ERROR
       && !strcmp(all[0].message, "m1"),
       "hsts_issue_add stores the code, its class and the message");
    ok(all[1].severity == HSTS_WARNING, "expires_soon is a warning");
    ok(all[2].severity == HSTS_ERROR, "hsts_issue_add_as gives the class");
    ok(all[3].severity == HSTS_INFO, "policy.max_age.zero is info");
    is_num(hsts_issue_count(issues, HSTS_ERROR), 2, "count errors");
    is_num(hsts_issue_count(issues, HSTS_WARNING), 1, "count warnings");
    is_num(hsts_issue_count(issues, HSTS_INFO), 1, "count infos");
    is_str(hsts_severity_name(HSTS_ERROR), "error", "severity name error");
    is_str(hsts_severity_name(HSTS_WARNING), "warning",
           "severity name warning");
    is_str(hsts_severity_name(HSTS_INFO), "info", "severity name info");
    ok(hsts_code_severity(HSTS_C_DOMAIN_FORMAT_IS_IP_ADDRESS, 1) == HSTS_ERROR,
       "domain.format.is_ip_address: an error with preload intent");
    ok(hsts_code_severity(HSTS_C_DOMAIN_FORMAT_IS_IP_ADDRESS, 0)
       == HSTS_WARNING, "... and a warning without");
}

/* Every code's name is well-formed, unique and read back as the code. */
static void test_codes(void)
{
    static const char *const unknown[] = {
        "", "bogus", "header", "header.parse", "header.parse.",
        "header.preloadable", "header.preloadable.max_age", "tls.cert",
        "header.parse.empt", "header.parse.empty_directiv",
        "header.parse.empty.extra", "header.parse.emptyx",
        "tls.cert.expired ", " tls.cert.expired", "header.parse.*",
        "domain.tls", "TLS.CERT.EXPIRED", NULL
    };
    int i, j, fine = 1;

    for (i = 0; i < HSTS_CODE_COUNT; i++) {
        const char *name = hsts_code_name((hsts_code_e)i);
        hsts_code_e back = HSTS_CODE_COUNT;
        fine &= strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_.")
                == strlen(name) && strchr(name, '.') != NULL;
        fine &= hsts_code_from_name(name, &back) && back == (hsts_code_e)i;
        for (j = 0; j < i; j++) {
            fine &= strcmp(name, hsts_code_name((hsts_code_e)j)) != 0;
        }
    }
    ok(fine, apr_psprintf(pool, "all %d code names are well-formed, unique "
                          "and read back", HSTS_CODE_COUNT));
    ok(HSTS_CODE_COUNT <= 64, "the codes fit a 64-bit code set");
    for (i = 0; unknown[i]; i++) {
        hsts_code_e code;
        ok(!hsts_code_from_name(unknown[i], &code),
           apr_psprintf(pool, "'%s' is not a code", unknown[i]));
    }
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);

    test_duration();
    test_parse();
    test_parse_shared_array();
    test_preloadable();
    test_format();
    test_issues();
    test_codes();

    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: durations and Strict-Transport-Security values (pure).
 */
#ifndef HSTS_POLICY_H
#define HSTS_POLICY_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "hsts_issue.h"

#define HSTS_HEADER_NAME "Strict-Transport-Security"

/* Thresholds of the HSTS preload checker, in seconds. */
#define HSTS_ONE_YEAR    APR_UINT64_C(31536000)
#define HSTS_TEN_YEARS   APR_UINT64_C(315360000)

/*
 * Parses a duration: decimal digits with an optional unit suffix s, m, h,
 * d, w or y (1y = 365d). On success stores the number of seconds and
 * returns NULL; otherwise returns a static phrase saying what is wrong.
 */
const char *hsts_duration_parse(const char *text, apr_uint64_t *seconds);

typedef struct {
    int has_max_age;
    apr_uint64_t max_age;
    int include_subdomains;
    int preload;
} hsts_policy_t;

/*
 * Parses a Strict-Transport-Security header value with exactly the rules
 * of the HSTS preload checker, appending its issues (codes header.parse.*)
 * to issues. Returns the number of errors; the policy holds what the
 * value sets, as the checker would read it.
 */
int hsts_policy_parse(apr_pool_t *p, const char *value, hsts_policy_t *policy,
                      apr_array_header_t *issues);

/*
 * The preload checker's requirements for a header with preload intent
 * (codes header.preloadable.*), plus its "over 10 years" warning, which
 * applies to every value. Appends to issues.
 */
void hsts_policy_check_preloadable(apr_pool_t *p, const hsts_policy_t *policy,
                                   apr_array_header_t *issues);

/* The canonical header value: "max-age=N[; includeSubDomains][; preload]". */
const char *hsts_policy_format(apr_pool_t *p, const hsts_policy_t *policy);

#endif /* HSTS_POLICY_H */

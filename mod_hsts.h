/*
 * mod_hsts: HTTP Strict Transport Security for Apache httpd 2.4.
 *
 * This header declares what the module's source files and the unit tests
 * share. Everything declared here except the module record is pure: it
 * takes plain data and returns plain data, uses APR pools for memory and
 * never touches httpd's request or server structures.
 */
#ifndef MOD_HSTS_H
#define MOD_HSTS_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_network_io.h>

#define HSTS_HEADER_NAME "Strict-Transport-Security"

/* Thresholds of the HSTS preload checker, in seconds. */
#define HSTS_ONE_YEAR    APR_UINT64_C(31536000)
#define HSTS_TEN_YEARS   APR_UINT64_C(315360000)
#define HSTS_THIRTY_DAYS APR_INT64_C(2592000)

/* The ACME http-01 challenge path, excluded from the redirect by default. */
#define HSTS_ACME_PREFIX "/.well-known/acme-challenge/"

/* ------------------------------------------------------------------ */
/* Findings: the preload checker's issues and the lint's own.           */

typedef enum {
    HSTS_INFO = 0,
    HSTS_WARNING,
    HSTS_ERROR
} hsts_severity_e;

typedef struct {
    const char *code;           /* e.g. "header.parse.max_age.leading_zero" */
    hsts_severity_e severity;
    const char *message;        /* what is wrong and how to fix it */
} hsts_issue_t;

/* Appends an issue to an array of hsts_issue_t. */
void hsts_issue_add(apr_array_header_t *issues, const char *code,
                    hsts_severity_e severity, const char *message);

/* Counts the issues of one severity. */
int hsts_issue_count(const apr_array_header_t *issues,
                     hsts_severity_e severity);

/* "error", "warning" or "info". */
const char *hsts_severity_name(hsts_severity_e severity);

/* ------------------------------------------------------------------ */
/* Durations and policies (hsts_policy.c).                             */

/*
 * Parses a duration: decimal digits with an optional unit suffix s, m, h,
 * d, w or y (1y = 365d). On success stores the number of seconds and
 * returns NULL; otherwise returns a static sentence saying what is wrong.
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
 * to issues (an array of hsts_issue_t). Returns the number of errors; the
 * policy holds what the value sets, as the checker would read it.
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

/* ------------------------------------------------------------------ */
/* The redirect (hsts_redirect.c).                                      */

/*
 * Case-insensitive match of a host name against a ServerName/ServerAlias
 * pattern, where '*' matches any run of characters and '?' any one, the
 * way httpd matches wildcard ServerAlias names.
 */
int hsts_host_match(const char *pattern, const char *host);

/*
 * The part of a request target that a redirect keeps: its path and query
 * exactly as sent. For an origin-form target that is the target itself;
 * for an absolute-form target ("http://host/p?q") the part after the
 * authority, which may be empty or start with '?' (hsts_location_build
 * supplies the "/" then). Returns NULL when the target has no path to
 * redirect ("*", "", an authority-form CONNECT target).
 */
const char *hsts_target_path_query(const char *target, apr_size_t *len);

/*
 * Builds "https://" host [":" port] path-and-query. The port is left out
 * when it is 443; an IPv6 literal host is bracketed. Bytes that can never
 * appear in a header field value (controls, space, DEL) are percent-
 * encoded, so nothing a client sends can end the Location header.
 */
const char *hsts_location_build(apr_pool_t *p, const char *host,
                                apr_port_t port, const char *path_query,
                                apr_size_t len);

/*
 * Normalises an HSTSRedirectExclude prefix for matching by whole path
 * segments: drops trailing slashes ("/a/" -> "/a", "/" -> "").
 * Returns NULL with *error set when the prefix does not start with '/'.
 */
const char *hsts_exclude_prefix_normalize(apr_pool_t *p, const char *prefix,
                                          const char **error);

/*
 * Whether the path of a request target (path_query, len bytes: the query,
 * if any, is ignored) lies under one of the normalised prefixes (an array
 * of const char *). A path with dot segments, plain or percent-encoded,
 * never matches, so "/prefix/../private" cannot leave HTTPS.
 */
int hsts_path_excluded(const char *path_query, apr_size_t len,
                       const apr_array_header_t *prefixes);

/* ------------------------------------------------------------------ */
/* Trusted proxies (hsts_redirect.c).                                   */

typedef struct {
    int family;                 /* APR_INET or APR_INET6 */
    unsigned int bits;          /* prefix length */
    unsigned char addr[16];     /* network address, masked */
} hsts_cidr_t;

/*
 * Parses "ip" or "ip/bits" (IPv4 or IPv6). Returns NULL on success or a
 * static sentence saying what is wrong.
 */
const char *hsts_cidr_parse(const char *text, hsts_cidr_t *cidr);

/*
 * Whether an address (family APR_INET with 4 bytes, or APR_INET6 with 16;
 * IPv4-mapped IPv6 addresses count as IPv4) lies in one of the blocks (an
 * array of hsts_cidr_t).
 */
int hsts_cidr_match(const apr_array_header_t *blocks, int family,
                    const unsigned char *addr);

/*
 * Whether an X-Forwarded-Proto value says https. Proxies that append
 * rather than overwrite leave a list; its last element is the one the
 * trusted proxy itself added, so only that one counts.
 */
int hsts_forwarded_proto_is_https(const char *value);

/* ------------------------------------------------------------------ */
/* The startup lint (hsts_lint.c).                                      */

/* Whether code is one a lint finding can carry (for HSTSLintIgnore). */
int hsts_lint_code_known(const char *code);

#endif /* MOD_HSTS_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: what a host's mod_rewrite, mod_alias and mod_proxy rules
 * answer to "GET /" (pure).
 *
 * The preload checker asks http://H/ and https://H/ for their first
 * redirect; the lint works the answer out from the rules the glue read
 * (hsts_rule_t), in the order httpd applies them: server-context
 * RewriteRule (with its RewriteCond), ProxyPass, Redirect and
 * RedirectMatch at host level, then those of <Location "/">. What it
 * cannot evaluate (a variable it does not know, a file test, a proxy, a
 * rule whose section may or may not apply) makes the answer unknown,
 * never a guess.
 */
#ifndef HSTS_RULES_H
#define HSTS_RULES_H

#include "hsts_lint.h"

typedef enum {
    HSTS_ANSWER_CONTENT = 0,        /* no redirect: served as it is */
    HSTS_ANSWER_REDIRECT,           /* a redirect to location */
    HSTS_ANSWER_UNKNOWN             /* the lint cannot tell */
} hsts_answer_e;

typedef struct {
    hsts_answer_e kind;
    const char *location;           /* REDIRECT: an absolute URL */
    const char *by;                 /* REDIRECT, UNKNOWN: the directive and
                                     * where it is ("the RewriteRule at
                                     * f:12"); NULL for content */
} hsts_answer_t;

/*
 * What rules (hsts_rule_t, may be NULL) answer to "GET /" for name
 * (lower case, as the client sent it in Host and SNI), over TLS or plain
 * HTTP on the default port. Regular expressions are matched with
 * in->regex (without one they are unknown).
 */
void hsts_rules_answer(apr_pool_t *p, const hsts_lint_input_t *in,
                       const apr_array_header_t *rules, const char *name,
                       int tls, hsts_answer_t *out);

/* The kind of rule a directive (RewriteRule, Redirect...) makes; 0 when
 * it makes none. */
int hsts_rule_kind_of(const char *directive, hsts_rule_kind_e *kind);

/* A URL's parts: scheme and host lower case, host without brackets or
 * port; 0 when url is not an absolute http(s) URL. */
int hsts_url_parse(apr_pool_t *p, const char *url, const char **scheme,
                   const char **host, apr_port_t *port);

#endif /* HSTS_RULES_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: what the lint's two files share (pure): hsts_lint.c (the
 * run, the values, the certificates, the verdicts) and hsts_probes.c
 * (the preload checker's probes, answered by the configuration).
 */
#ifndef HSTS_LINT_INT_H
#define HSTS_LINT_INT_H

#include <apr_hash.h>

#include "hsts_lint.h"
#include "hsts_vhosts.h"

typedef struct {
    apr_pool_t *p;                  /* while a host is linted: its own,
                                     * cleared after it */
    apr_pool_t *keep;               /* the result's */
    const hsts_lint_input_t *in;
    const apr_array_header_t *hosts;
    const psl_ctx_t *psl;
    const hsts_vhosts_t *v;
    int main;                       /* the main server, or -1 */
    int *preload;                   /* per host: its value has preload */
    apr_hash_t *under;              /* domain -> apr_array of the names
                                     * below it that hosts name */
    apr_hash_t *preloaded;          /* names a TLS host with preload
                                     * intent answers to -> "" */
    apr_array_header_t *findings;
    apr_array_header_t *verdicts;
} lint_t;

#define HOST(l, i) (&APR_ARRAY_IDX((l)->hosts, (i), hsts_lint_host_t))

/* "ServerName:port", how every message names a host; the main server
 * with the port it answers on (0: its own). */
const char *hsts_lint_host_id(const lint_t *l, int host, apr_port_t port);

/* A finding for host, with the code's class (as for preload intent when
 * the host has it). */
void hsts_lint_finding(lint_t *l, int host, hsts_code_e code,
                       const char *message);

/* The same with its message formatted (apr_psprintf), unless no one will
 * read it (hsts_lint_input_t.quiet): then it has none (""). */
void hsts_lint_findingf(lint_t *l, int host, hsts_code_e code,
                        const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Whether a host sends Strict-Transport-Security as an HSTS host: a TLS
 * host with an STS value, or a plain one behind a trusted proxy. */
int hsts_lint_is_hsts_host(const hsts_lint_host_t *h);

/* hsts_probes.c */

/* Indexes what the probes look up (names below domains, preloaded
 * names); after l->preload is filled. */
void hsts_probes_index(lint_t *l);

/*
 * The preload checker's probes of a host with preload intent (contract
 * 4.1): its name's format, https://H/ on 443, http://H/ and its first
 * redirect, www.H on 443.
 */
void hsts_probes_preload(lint_t *l, int host);

/* includeSubDomains: subdomains that plain hosts name and serve without
 * a redirect, with no TLS host for them. */
void hsts_probes_subdomains(lint_t *l, int host);

/* An HSTS host's names answered over plain HTTP on a port other than 80
 * that browsers cannot keep using (config.http.nondefault_port). */
void hsts_probes_plain_ports(lint_t *l, int host);

/* A plain host with HSTSRedirect: the TLS hosts it sends clients to
 * must send the header (response.no_header). */
void hsts_probes_redirect_targets(lint_t *l, int host);

#endif /* HSTS_LINT_INT_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: the startup lint's rules (pure).
 *
 * In: the hosts as the glue (mod_hsts_hosts.c) read them from httpd's
 * configuration, as plain records. Out: findings, and a preload verdict
 * for every HSTS host. No httpd structures: the unit tests build hosts by
 * hand.
 */
#ifndef HSTS_LINT_H
#define HSTS_LINT_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_network_io.h>
#include <apr_time.h>

#include <libpsl.h>

#include "hsts_issue.h"
#include "hsts_policy.h"
#include "hsts_cert.h"

/* Whether name matches a wildcard ServerAlias pattern ('*' and '?'), the
 * way httpd matches them; the glue passes httpd's own matcher. */
typedef int (*hsts_name_match_fn)(const char *pattern, const char *name);

/* A mod_headers "Header" directive that sends Strict-Transport-Security. */
typedef enum {
    HSTS_HEADER_SET = 0,
    HSTS_HEADER_SETIFEMPTY,
    HSTS_HEADER_ADD,
    HSTS_HEADER_APPEND,
    HSTS_HEADER_MERGE
} hsts_header_action_e;

typedef struct {
    const char *value;             /* the header value it sends */
    hsts_header_action_e action;
    int always;                    /* "always": on errors too */
    const char *scope;             /* "" at host level, else the path of
                                    * section ids it sits in: "3/7" */
    const char *where;             /* file:line */
} hsts_header_rule_t;

/*
 * A host as the lint sees it: a virtual host, or the main server. Names
 * are lower case. Hosts are given in configuration-file order.
 */
typedef struct {
    const char *name;              /* ServerName */
    apr_port_t port;
    const char *where;             /* file:line of its <VirtualHost> */
    int is_tls;
    int is_main;                   /* the main server */
    int linted;                    /* its own findings are reported */
    apr_array_header_t *names;     /* ServerAlias names (const char *) */
    apr_array_header_t *wild_names;/* ServerAlias patterns (const char *) */
    apr_array_header_t *addrs;     /* where it listens: "ip:port" keys;
                                    * none: it answers for no name (the
                                    * main server when virtual hosts
                                    * claim every listener) */

    int hsts;                      /* HSTS on (set or inherited) */
    int hsts_explicit;             /* set on in this virtual host itself */
    hsts_policy_t policy;          /* the module's policy, when hsts */
    const char *policy_text;       /* HSTSPolicy as written, or NULL */
    const char *policy_where;      /* where HSTSPolicy/HSTS was set */
    int redirect;                  /* HSTSRedirect on (set or inherited) */
    int redirect_explicit;         /* set on in this virtual host itself */
    int behind_proxy;              /* has HSTSTrustedProxy: a plain host
                                    * that may send the header for clients
                                    * of a TLS-terminating proxy */

    apr_array_header_t *header_rules; /* hsts_header_rule_t (mod_headers) */

    int cert_by_md;                /* mod_md manages its certificate */
    apr_array_header_t *cert_files;/* SSLCertificateFile paths (const char *,
                                    * as mod_ssl resolves them); NULL when
                                    * none applies */
    const char *chain_file;        /* SSLCertificateChainFile, or NULL */
} hsts_lint_host_t;

typedef struct {
    const apr_array_header_t *hosts;  /* hsts_lint_host_t */
    const psl_ctx_t *psl;             /* public suffixes */
    hsts_name_match_fn match;
    hsts_cert_store_t *certs;         /* reads the hosts' certificates */
    apr_time_t now;                   /* for certificate dates */
} hsts_lint_input_t;

typedef struct {
    int host;                      /* index into the hosts */
    hsts_issue_t issue;
} hsts_finding_t;

typedef enum {
    HSTS_PRELOAD_NONE = 0,         /* no preload intent */
    HSTS_PRELOAD_READY,            /* meets every requirement it can check */
    HSTS_PRELOAD_BLOCKED           /* error-class findings stand in the way */
} hsts_preload_e;

/* What the summary line says of an HSTS host. */
typedef struct {
    int host;                      /* index into the hosts */
    const char *value;             /* the Strict-Transport-Security it sends */
    hsts_preload_e preload;
    const char *blocked_by;        /* "code, code" when blocked */
} hsts_verdict_t;

typedef struct {
    apr_array_header_t *findings;  /* hsts_finding_t, in host order */
    apr_array_header_t *verdicts;  /* hsts_verdict_t, in host order */
} hsts_lint_result_t;

/* Whether a host sends Strict-Transport-Security (an "HSTS host" when it
 * is TLS), and whether what it sends carries preload ("preload intent"). */
int hsts_lint_host_sends_sts(const hsts_lint_host_t *host);
int hsts_lint_host_preload(apr_pool_t *p, const hsts_lint_host_t *host);

/* The header value a host sends (the module's, else mod_headers'). */
const char *hsts_lint_host_value(apr_pool_t *p, const hsts_lint_host_t *host);

/* The summary sentence of a verdict, as logged after "ServerName:port ":
 * 'sends "..." and meets every preload requirement this server can
 * check.' and the like. */
const char *hsts_verdict_sentence(apr_pool_t *p, const char *value,
                                  hsts_preload_e preload,
                                  const char *blocked_by);

/*
 * Checks every linted host against the preload requirements and the other
 * rules of the contract's section 4, with their certificates. Findings
 * and verdicts are allocated from p.
 */
void hsts_lint_run(apr_pool_t *p, const hsts_lint_input_t *in,
                   hsts_lint_result_t *out);

#endif /* HSTS_LINT_H */

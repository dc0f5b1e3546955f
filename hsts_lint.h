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
#include "hsts_wild.h"

/*
 * Matches subject against a regular expression the way httpd does (its
 * PCRE syntax; icase for [NC]): 1 when it matches, with groups[0..9] set
 * to the text of $0..$9 (NULL for a group that did not take part), 0 when
 * it does not, -1 when the pattern is not valid. The glue passes httpd's
 * ap_regex; ctx is the input's regex_ctx. p holds the groups only: it is
 * cleared after each host, so what ctx keeps must live elsewhere.
 */
typedef int (*hsts_regex_fn)(void *ctx, apr_pool_t *p, const char *pattern,
                             int icase, const char *subject,
                             const char **groups);

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
    int root;                      /* applies to a request for "/": at host
                                    * level or in <Location "/"> */
    const char *where;             /* file:line */
} hsts_header_rule_t;

/*
 * A directive that may answer a request for "/" with a redirect (or hand
 * it to another server), with its arguments as written (quotes removed);
 * the lint reads them as httpd does (hsts_answer.c).
 */
typedef enum {
    HSTS_RULE_REWRITE_COND = 0,    /* RewriteCond test pattern [flags] */
    HSTS_RULE_REWRITE,             /* RewriteRule pattern target [flags] */
    HSTS_RULE_REDIRECT,            /* Redirect [status] path URL, or in
                                    * <Location "/"> Redirect [status] URL */
    HSTS_RULE_REDIRECT_PERMANENT,  /* RedirectPermanent path URL */
    HSTS_RULE_REDIRECT_TEMP,       /* RedirectTemp path URL */
    HSTS_RULE_REDIRECT_MATCH,      /* RedirectMatch [status] regex URL */
    HSTS_RULE_PROXY,               /* ProxyPass path URL: a backend answers */
    HSTS_RULE_PROXY_MATCH,         /* ProxyPassMatch regex URL */
    HSTS_RULE_OPAQUE               /* one of these where the lint cannot
                                    * tell whether it applies to "/" (in a
                                    * <Directory>, <If>, a per-directory
                                    * RewriteRule...) */
} hsts_rule_kind_e;

typedef struct {
    hsts_rule_kind_e kind;
    const char *directive;         /* its name as written */
    const char *arg[3];            /* the arguments; NULL where absent */
    int in_location;               /* in <Location "/"> (else host level) */
    const char *where;             /* file:line */
} hsts_rule_t;

/*
 * A host as the lint sees it: a virtual host, or the main server. Names
 * are lower case. Hosts are given in configuration-file order.
 */
typedef struct {
    const char *name;              /* ServerName */
    int name_set;                  /* ServerName given in the host itself
                                    * (not inherited, not made up) */
    apr_port_t port;
    const char *where;             /* file:line of its <VirtualHost> */
    int is_tls;
    int is_main;                   /* the main server */
    int linted;                    /* its own findings are reported */
    apr_array_header_t *names;     /* ServerAlias names (const char *) */
    apr_array_header_t *wild_names;/* ServerAlias patterns (const char *) */
    apr_array_header_t *addrs;     /* its <VirtualHost> addresses, as
                                    * "ip:port": ip "*" for * and
                                    * _default_, IPv6 in brackets, port "*"
                                    * for any; the main server has none (it
                                    * answers where no virtual host does) */

    int hsts;                      /* HSTS on (set or inherited) */
    int hsts_explicit;             /* set on in this virtual host itself */
    hsts_policy_t policy;          /* the module's policy, when hsts */
    const char *policy_text;       /* HSTSPolicy as written, or NULL */
    const char *policy_where;      /* where HSTSPolicy/HSTS was set */
    int redirect;                  /* HSTSRedirect on (set or inherited) */
    int redirect_explicit;         /* set on in this virtual host itself */
    apr_port_t redirect_port;      /* HSTSRedirectPort (set or inherited);
                                    * 0: derived */
    apr_array_header_t *rules;     /* hsts_rule_t, in the order httpd
                                    * consults them for "/": mod_rewrite
                                    * (only when RewriteEngine is on),
                                    * mod_proxy and mod_alias at host
                                    * level (the server config's after the
                                    * host's, as they merge), then those
                                    * of <Location "/"> and the opaque
                                    * ones; NULL: none */
    int behind_proxy;              /* has HSTSTrustedProxy: a plain host
                                    * that may send the header for clients
                                    * of a TLS-terminating proxy */

    apr_array_header_t *header_rules; /* hsts_header_rule_t (mod_headers),
                                       * or NULL when none */

    int cert_by_md;                /* mod_md manages its certificate */
    apr_array_header_t *cert_files;/* SSLCertificateFile paths (const char *,
                                    * as mod_ssl resolves them); NULL when
                                    * none applies */
    const char *chain_file;        /* SSLCertificateChainFile, or NULL */
    apr_array_header_t *md_names;  /* with cert_by_md: the names of the
                                    * MDomain that covers it (its
                                    * certificate's), or NULL */
} hsts_lint_host_t;

typedef struct {
    const apr_array_header_t *hosts;  /* hsts_lint_host_t */
    const apr_array_header_t *listens;/* "ip:port" of every Listen, as in
                                       * addrs ("*:443"); NULL: every
                                       * virtual host address is listened
                                       * on, and the main server on none */
    const psl_ctx_t *psl;             /* public suffixes */
    hsts_name_match_fn match;
    hsts_regex_fn regex;              /* NULL: regular expressions are
                                       * never evaluated (undecidable) */
    void *regex_ctx;
    hsts_cert_store_t *certs;         /* reads the hosts' certificates */
    apr_time_t now;                   /* for certificate dates */
    const hsts_code_set_t *quiet;     /* per host: the codes whose messages
                                       * no one reads (HSTSLintIgnore, and
                                       * no report page): their findings
                                       * are made without one; NULL: none */
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

/* The action of a Header directive ("set", "add"...) that sends a value
 * of its own; 0 for the others (unset, edit, echo, note). */
int hsts_header_action_of(const char *action, hsts_header_action_e *kind);

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

/* Starts reading the certificate files hsts_lint_run() will check (see
 * hsts_cert_read_ahead()), so that the caller's work until then and the
 * reading overlap. */
void hsts_lint_read_ahead(apr_pool_t *p, const hsts_lint_input_t *in);

/*
 * Checks every linted host against the preload requirements and the other
 * rules of the contract's section 4, with their certificates. Findings
 * and verdicts are allocated from p.
 */
void hsts_lint_run(apr_pool_t *p, const hsts_lint_input_t *in,
                   hsts_lint_result_t *out);

#endif /* HSTS_LINT_H */

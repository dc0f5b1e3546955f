/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: what the httpd glue files share (mod_hsts*.c). Unlike the
 * hsts_*.h headers of the pure layer, this one needs httpd's.
 *
 *   mod_hsts.c          module record, hooks, the header, the redirect
 *   mod_hsts_config.c   per-server and module-wide configuration,
 *                       directives, the values requests use
 *   mod_hsts_hosts.c    what httpd's configuration says about the hosts
 *   mod_hsts_lint.c     the startup lint: running it, logging findings
 *   mod_hsts_report.c   the hsts-report handler
 */
#ifndef MOD_HSTS_PRIVATE_H
#define MOD_HSTS_PRIVATE_H

#include "httpd.h"
#include "http_config.h"

#include "hsts_issue.h"
#include "hsts_policy.h"
#include "hsts_lint.h"

#define HSTS_UNSET (-1)

#define HSTS_REPORT_HANDLER "hsts-report"

typedef enum {
    HSTS_REDIRECT_OFF = 0,
    HSTS_REDIRECT_PERMANENT,
    HSTS_REDIRECT_TEMPORARY
} hsts_redirect_e;

typedef enum {
    HSTS_LINT_OFF = 0,
    HSTS_LINT_ON,
    HSTS_LINT_STRICT
} hsts_lint_mode_e;

/* Which port serves a host name over TLS (mod_hsts_hosts.c). */
typedef struct hsts_tls_ports_t hsts_tls_ports_t;

/* What the configuration tree and the servers say (mod_hsts_hosts.c). */
typedef struct hsts_conftree_t hsts_conftree_t;

/* What the report page shows of a finding, and of a host. */
typedef struct {
    hsts_code_e code;
    hsts_severity_e severity;
    int ignored;                     /* silenced by HSTSLintIgnore */
    const char *message;
} hsts_report_finding_t;

typedef struct {
    const char *name;                /* ServerName, lower case */
    apr_port_t port;
    const char *where;               /* file:line of its <VirtualHost> */
    int is_tls;
    const apr_array_header_t *aliases; /* const char *: names, patterns */
    const char *header;              /* what it sends, or NULL */
    hsts_preload_e preload;
    const char *blocked_by;          /* codes, when preload is blocked */
    const char *verdict;             /* the summary line after
                                      * "ServerName:port ", or NULL */
    int redirect;                    /* HSTSRedirect on (plain hosts) */
    int cert_by_md;                  /* mod_md manages its certificate */
    const char *cert_file;           /* of an HSTS host: the certificate
                                      * file that expires first, or NULL */
    apr_time_t cert_expiry;          /* when it expires; 0 when not known */
    hsts_code_set_t ignores;         /* HSTSLintIgnore that applies here */
    int first, count;                /* its findings in the report's */

    /* Derived once (hsts_report_prepare); requests only read them. */
    int errors, warnings;            /* its findings, less those ignored */
    int cert_problem;                /* a certificate finding, its dates
                                      * aside (those are judged per request) */
    const char *cert_expiry_iso;     /* "2027-11-23T10:00:00Z", or NULL */
    int series;                      /* index of the host that carries the
                                      * metrics of its ServerName:port */
    apr_time_t series_expiry;        /* the carrier: the soonest expiry of
                                      * its ServerName:port, 0 when none */
    int series_ready;                /* the carrier: 1 when every host of
                                      * its ServerName:port with preload
                                      * intent is ready, 0 when one is
                                      * not, -1 when none has the intent */
} hsts_report_host_t;

/* The certificate file of a host that expires first, and when (0: not
 * known). */
typedef struct {
    const char *file;
    apr_time_t expiry;
} hsts_cert_expiry_t;

/* An HSTS host's certificate expiry, for finding those due soon. */
typedef struct {
    apr_time_t expiry;
    int host;                        /* index into the report's hosts */
} hsts_report_expiry_t;

/* What the report page shows: what the lint found at the last start or
 * restart (mod_hsts_lint.c makes it, in the configuration pool). */
typedef struct {
    apr_array_header_t *hosts;       /* hsts_report_host_t, linted hosts */
    apr_array_header_t *findings;    /* hsts_report_finding_t */
    apr_time_t made;
    hsts_lint_mode_e lint_mode;

    /* Derived once (hsts_report_prepare); requests only read them. */
    int https_hosts, http_hosts;
    int errors, warnings;            /* findings, less those ignored */
    apr_array_header_t *flagged;     /* int: hosts with error or warning
                                      * findings, in order */
    apr_array_header_t *expiries;    /* hsts_report_expiry_t, soonest
                                      * first: HSTS hosts whose certificate
                                      * dates are not ignored */
} hsts_report_t;

/*
 * Module-wide: one record per configuration generation, made with the
 * main server's record and shared by every virtual host's.
 */
typedef struct {
    int lint_mode;                   /* HSTSLint; HSTS_UNSET until set */

    /* Derived once per configuration pass; requests only read them. */
    const hsts_conftree_t *tree;     /* this pass's reading, until the
                                      * end of post_config (tree_pool) */
    apr_pool_t *tree_pool;
    const apr_array_header_t *hosts; /* hsts_lint_host_t, from check_config
                                      * to post_config (hosts_pool) */
    apr_array_header_t *servers;     /* server_rec * of each host (idem) */
    apr_pool_t *hosts_pool;          /* theirs, destroyed at the end of
                                      * post_config */
    const hsts_cert_expiry_t *cert_expiry; /* per host, for the report
                                      * (the lint's pool) */
    const hsts_tls_ports_t *tls_ports;
    int guard_every_response;        /* something configured may touch the
                                      * header after the fixups phase */
    int cache_may_answer;            /* mod_cache answers skip fixups */
    int report_configured;           /* SetHandler hsts-report somewhere */
    const hsts_lint_result_t *lint;  /* the lint's result, from lint_run()
                                      * to lint_end() (mod_hsts_lint.c) */
    apr_pool_t *lint_pool;           /* where it lives */
    hsts_cert_store_t *lint_certs;   /* the certificates it read */
    void *lint_helper;               /* the process that checks the
                                      * certificates from check_config to
                                      * post_config (mod_hsts_lint.c) */
    const hsts_report_t *report;     /* what the report page shows (pconf) */
} hsts_module_conf;

typedef struct {
    hsts_module_conf *mc;

    /* As configured; HSTS_UNSET (or NULL, or 0) where not set. */
    int enabled;                     /* HSTS, or implied by HSTSPolicy */
    const ap_directive_t *enabled_where; /* where, only in the host that
                                      * set it (the configuration tree's
                                      * node: no string per host) */
    int max_age_set;
    apr_uint64_t max_age;
    int include_subdomains;
    int preload;
    const char *policy_value;        /* HSTSPolicy as written, or NULL */
    const ap_directive_t *policy_where;
    int redirect;                    /* hsts_redirect_e */
    const ap_directive_t *redirect_where; /* only in the host that set it */
    apr_port_t redirect_port;        /* HSTSRedirectPort, 0 = derive */
    apr_array_header_t *excludes;    /* normalised prefixes; NULL = not set */
    int excludes_no_default;         /* "none" given */
    apr_array_header_t *trusted_proxies; /* apr_ipsubnet_t *; NULL = none */
    hsts_code_set_t lint_ignore;     /* HSTSLintIgnore */

    /* Derived once at startup (post_config): requests only read these. */
    const char *header_value;        /* NULL when HSTS is off */
    hsts_redirect_e redirect_mode;   /* off in TLS hosts */
    int owns_header;                 /* HSTS or HSTSRedirect on: the module
                                      * decides the header here */
    apr_array_header_t *redirect_excludes; /* default + configured */
    const char *canonical_host;      /* ServerName, lower case */
    apr_port_t canonical_tls_port;   /* TLS port of the ServerName */
} hsts_server_conf;

extern module AP_MODULE_DECLARE_DATA hsts_module;

#define hsts_conf_of(s) \
    ((hsts_server_conf *)ap_get_module_config((s)->module_config, &hsts_module))

/* mod_hsts_config.c */

/* The policy a host's settings describe (defaults filled in). */
void hsts_conf_policy(const hsts_server_conf *conf, hsts_policy_t *policy);

/* The configuration directives. */
extern const command_rec hsts_cmds[];

void *hsts_create_server_config(apr_pool_t *p, server_rec *s);
void *hsts_merge_server_config(apr_pool_t *p, void *basev, void *addv);

/* post_config: every server's values for requests, from its settings and
 * what the configuration says about the hosts. */
void hsts_conf_derive(apr_pool_t *pconf, server_rec *main_server);

/* mod_hsts_hosts.c */

/* pre_config: reads the configuration tree once (it is complete before
 * any directive runs). */
hsts_conftree_t *hsts_conftree_read(apr_pool_t *p);

/* The first mod_hsts directive in a section where it does not belong
 * (<Directory>, <Location>, <Files>, <If>...), or NULL. */
const ap_directive_t *hsts_conftree_misplaced(const hsts_conftree_t *tree);

/* Whether the server config says HSTSLint Off (before the directive
 * runs). */
int hsts_conftree_lint_off(const hsts_conftree_t *tree);

/* Every certificate and chain file the configuration names, as mod_ssl
 * reads them (for reading them ahead, before the hosts are known). */
apr_array_header_t *hsts_conftree_cert_files(apr_pool_t *p,
                                             const hsts_conftree_t *tree);

/* Whether the configuration names the hsts-report handler; whether
 * something in it may touch the header after the fixups phase. */
int hsts_conftree_has_report(const hsts_conftree_t *tree);
int hsts_conftree_touches_headers(const hsts_conftree_t *tree);

/*
 * check_config: every server as a plain host record (file order, the
 * main server first), for the lint and for what requests need; *servers
 * gets the server_rec of each, in the same order.
 */
apr_array_header_t *hsts_hosts_read(apr_pool_t *p, const hsts_conftree_t *tree,
                                    server_rec *main_server,
                                    apr_array_header_t **servers);

/* Which TLS port serves each name, from the hosts and their servers
 * (whose strings it keeps). */
const hsts_tls_ports_t *hsts_tls_ports_make(apr_pool_t *p,
                                            const apr_array_header_t *hosts,
                                            const apr_array_header_t *servers);

/* The port of the TLS host that serves host, else 443. */
apr_port_t hsts_tls_port_for(const hsts_tls_ports_t *ports, const char *host);

/* Whether name matches a ServerAlias pattern, as httpd's vhost.c does. */
int hsts_alias_match(const char *pattern, const char *name);

/* The Listen directives' addresses ("ip:port", as the lint keys them), or
 * NULL when there are none. */
const apr_array_header_t *hsts_conftree_listens(const hsts_conftree_t *tree);

/* hsts_regex_fn with httpd's ap_regex; ctx: an apr_hash_t of compiled
 * patterns (in the pool p). */
int hsts_regex_match(void *ctx, apr_pool_t *p, const char *pattern,
                     int icase, const char *subject, const char **groups);

/* mod_hsts_lint.c: the startup lint's hooks. */

/* A pool below parent whose memory goes back to the system when it is
 * destroyed (under configtest: to the exit, which is quicker). */
apr_pool_t *hsts_work_pool(apr_pool_t *parent);

/* pre_config: when this configuration pass will lint, the lint's store
 * of certificates starts reading the certificate files on a thread of
 * its own, while httpd reads the rest of the configuration. */
void hsts_lint_pre_config(apr_pool_t *ptemp, server_rec *main_server);

int hsts_lint_check_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *main_server);
int hsts_lint_post_config(apr_pool_t *pconf, apr_pool_t *ptemp,
                          server_rec *main_server);

/* mod_hsts_report.c: the "hsts-report" handler. */
int hsts_report_handler(request_rec *r);

/* Derives, once per start or restart, what every request of the report
 * reads: counts, the hosts with findings, expiries in date order. */
void hsts_report_prepare(apr_pool_t *p, hsts_report_t *report);

#endif /* MOD_HSTS_PRIVATE_H */

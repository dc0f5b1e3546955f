/*
 * mod_hsts: what the httpd glue files share (mod_hsts.c, hsts_hosts.c).
 * Unlike mod_hsts.h, this header needs httpd's.
 */
#ifndef HSTS_GLUE_H
#define HSTS_GLUE_H

#include "httpd.h"
#include "http_config.h"

#include "mod_hsts.h"

#define HSTS_UNSET (-1)

enum {
    HSTS_REDIRECT_OFF = 0,
    HSTS_REDIRECT_PERMANENT,
    HSTS_REDIRECT_TEMPORARY
};

enum {
    HSTS_LINT_OFF = 0,
    HSTS_LINT_ON,
    HSTS_LINT_STRICT
};

/* Which port serves a host name over TLS (hsts_hosts.c). */
typedef struct hsts_tls_ports_t hsts_tls_ports_t;

#define HSTS_REPORT_HANDLER "hsts-report"

/* What the lint found at this start, for the report handler. */
typedef struct {
    apr_array_header_t *hosts;       /* hsts_lint_host_t, file order */
    apr_array_header_t *ignores;     /* per host: apr_array of codes */
    apr_array_header_t *findings;    /* hsts_finding_t */
    apr_time_t made;
    int lint_mode;                   /* HSTS_LINT_* */
} hsts_report_t;

typedef struct {
    /* As configured; HSTS_UNSET (or NULL, or 0) where not set. */
    int enabled;                     /* HSTS, or implied by HSTSPolicy */
    const char *enabled_where;       /* file:line, only in the host that set it */
    int max_age_set;
    apr_uint64_t max_age;
    int include_subdomains;
    int preload;
    int policy_set;                  /* HSTSPolicy given (here or inherited) */
    const char *policy_value;        /* as written, for the lint */
    const char *policy_where;
    int redirect;                    /* HSTS_REDIRECT_* */
    const char *redirect_where;      /* file:line, only in the host that set it */
    apr_port_t redirect_port;        /* HSTSRedirectPort, 0 = derive */
    apr_array_header_t *excludes;    /* normalised prefixes; NULL = not set */
    int excludes_no_default;         /* "none" given */
    apr_array_header_t *trusted_proxies; /* hsts_cidr_t; NULL = none */
    apr_array_header_t *lint_ignore; /* const char *codes */
    int lint;                        /* HSTS_LINT_*, server config only */

    /* Derived once at startup (post_config): requests only read these. */
    const char *header_value;        /* NULL when HSTS is off */
    int redirect_mode;               /* HSTS_REDIRECT_* */
    int engaged;                     /* HSTS or HSTSRedirect on */
    apr_array_header_t *redirect_excludes; /* default + configured */
    const hsts_tls_ports_t *tls_ports;
    const char *canonical_host;      /* ServerName, lower case */
    apr_port_t own_tls_port;         /* TLS port of this host's ServerName */
    int guard_always;                /* something configured may set the
                                      * header after fixups */
    int guard_cached;                /* mod_cache may answer without fixups */
    const hsts_report_t *report;     /* main server, with a report handler */
} hsts_server_conf;

extern module AP_MODULE_DECLARE_DATA hsts_module;

/* The policy a host's settings describe (defaults filled in). */
void hsts_conf_policy(const hsts_server_conf *conf, hsts_policy_t *policy);

/* hsts_hosts.c */

/*
 * Completes every server's derived configuration from the configuration
 * tree: the redirect is switched off in TLS virtual hosts (SSLEngine on,
 * where a plain request cannot arrive), each host learns which port
 * serves a name over TLS, and guard_always is set when a Header
 * directive names Strict-Transport-Security, an output filter is
 * configured, or .htaccess files may add either.
 */
void hsts_hosts_prepare(apr_pool_t *pconf, apr_pool_t *ptemp,
                        server_rec *main_server);

/* The port of the TLS host that serves host, else 443. */
apr_port_t hsts_tls_port_for(const hsts_tls_ports_t *ports, const char *host);

/* Whether finding i of the report is silenced by HSTSLintIgnore. */
int hsts_report_ignored(const hsts_report_t *report, int i);

/* Whether SetHandler or AddHandler names hsts-report anywhere. */
int hsts_report_configured(void);

/* hsts_report.c: the "hsts-report" handler. */
int hsts_report_handler(request_rec *r);

/* The startup lint's hooks. */
int hsts_lint_check_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *main_server);
int hsts_lint_post_config(apr_pool_t *pconf, apr_pool_t *ptemp,
                          server_rec *main_server);

#endif /* HSTS_GLUE_H */

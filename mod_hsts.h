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
#include <apr_time.h>

#include <libpsl.h>

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
 * Whether a request's host name, as httpd leaves it in r->hostname (no
 * port, no brackets), can go into a Location as it is: a DNS name of
 * letters, digits, '-', '_' and '.', or an IPv6 address. httpd checks
 * this itself only under HttpProtocolOptions Strict; without it a Host
 * such as "evil.example?.wild.example.com" would match a wildcard
 * ServerAlias and send the client to evil.example.
 */
int hsts_host_is_valid(const char *host);

/*
 * The part of a request target that a redirect keeps: its path and query
 * exactly as sent. For an origin-form target that is the target itself;
 * for an absolute-form target ("http://host/p?q", also "http:/p" and
 * "http:?q", which httpd serves as well) the part after the scheme and
 * authority, which may be empty or start with '?' (hsts_location_build
 * supplies the "/" then). Returns NULL when the target has no path to
 * redirect ("*", "", an authority-form CONNECT target, a rootless path).
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
 * Parses "ip" or "ip/bits" (IPv4 or IPv6). An IPv4-mapped IPv6 block of
 * at least 96 bits ("::ffff:10.0.0.0/104") is stored as the IPv4 block it
 * stands for (10.0.0.0/8), since hsts_cidr_match sees mapped peers as
 * IPv4. Returns NULL on success or a static sentence saying what is wrong.
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
    apr_array_header_t *cert_issues;  /* hsts_issue_t from hsts_cert_check */
} hsts_lint_host_t;

typedef struct {
    int host;                      /* index into the hosts */
    hsts_issue_t issue;
} hsts_finding_t;

/* Whether a host sends Strict-Transport-Security (an "HSTS host" when it
 * is TLS), and whether what it sends carries preload ("preload intent"). */
int hsts_lint_host_sends_sts(const hsts_lint_host_t *host);
int hsts_lint_host_preload(apr_pool_t *p, const hsts_lint_host_t *host);

/* The policy a host sends (the module's, else its main mod_headers
 * value's); 0 when it sends none. */
int hsts_lint_host_policy(apr_pool_t *p, const hsts_lint_host_t *host,
                          hsts_policy_t *policy);

/* The header value a host sends (the module's, else mod_headers'). */
const char *hsts_lint_host_value(apr_pool_t *p, const hsts_lint_host_t *host);

/*
 * Checks every linted host (an array of hsts_lint_host_t) against the
 * preload requirements and the other rules of the README's "The startup
 * lint", appending hsts_finding_t to findings in host order. The certificate issues must
 * already be in the hosts; psl answers the public-suffix questions.
 */
void hsts_lint_run(apr_pool_t *p, const apr_array_header_t *hosts,
                   const psl_ctx_t *psl, apr_array_header_t *findings);

/* ------------------------------------------------------------------ */
/* Certificates (hsts_cert.c, OpenSSL).                                 */

typedef struct hsts_cert_checker_t hsts_cert_checker_t;

/*
 * A checker parses each certificate file once, however many hosts use
 * it, and loads the system trust store (OpenSSL's default paths, so
 * SSL_CERT_FILE and SSL_CERT_DIR count) once, when first needed. Its
 * OpenSSL objects are freed with the pool.
 */
hsts_cert_checker_t *hsts_cert_checker_make(apr_pool_t *p, apr_time_t now);

/*
 * Checks the certificate in cert_file (PEM: the leaf, then any chain) and
 * chain_file (may be NULL) of a host with the given names (const char *,
 * ServerName first; '*' and '?' patterns are checked with a sample name).
 * Appends tls.cert.* and domain.tls.sha1 issues, and with preload
 * domain.tls.invalid_cert_chain, to issues.
 */
void hsts_cert_check(hsts_cert_checker_t *checker, apr_pool_t *p,
                     const char *cert_file, const char *chain_file,
                     const apr_array_header_t *names, int preload,
                     apr_array_header_t *issues);

#endif /* MOD_HSTS_H */

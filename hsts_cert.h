/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: the certificates of HSTS hosts, read and checked with OpenSSL
 * (pure: no httpd structures).
 *
 * On an HSTS host a certificate error is a lockout: browsers offer no way
 * past it. The lint reads the certificate each host is configured with
 * and reports what a browser would refuse.
 */
#ifndef HSTS_CERT_H
#define HSTS_CERT_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

#include "hsts_issue.h"

/* Seconds before expiry from which tls.cert.expires_soon is reported. */
#define HSTS_THIRTY_DAYS APR_INT64_C(2592000)

typedef struct hsts_cert_store_t hsts_cert_store_t;

/* The certificate of a host: a certificate file and its chain file. */
typedef struct hsts_cert_t hsts_cert_t;

/*
 * A store parses each certificate file once, however many hosts use it,
 * and loads the system trust store (OpenSSL's default paths, so
 * SSL_CERT_FILE and SSL_CERT_DIR count) once, when first needed. Its
 * OpenSSL objects are freed with the pool.
 */
hsts_cert_store_t *hsts_cert_store_make(apr_pool_t *p);

/*
 * The certificate in cert_file (PEM: the leaf, then any chain) with
 * chain_file (may be NULL), as mod_ssl would read them. Never NULL: an
 * unreadable file gives a certificate that covers no name and whose
 * check reports tls.cert.unreadable.
 */
hsts_cert_t *hsts_cert_get(hsts_cert_store_t *store,
                           const char *cert_file,
                           const char *chain_file);

/* Whether the leaf is valid for name (a host name or an IP address; RFC
 * 6125 matching, wildcards included). */
int hsts_cert_covers(const hsts_cert_t *cert, const char *name);

/* When the leaf expires; 0 when the file could not be read. */
apr_time_t hsts_cert_expiry(const hsts_cert_t *cert);

/*
 * Checks the certificate of a host with the given names (const char *,
 * ServerName first; '*' and '?' patterns are checked with a sample name)
 * at time now. Appends tls.cert.* and domain.tls.sha1 issues, and with
 * preload domain.tls.invalid_cert_chain, to issues.
 */
void hsts_cert_check(hsts_cert_store_t *store, hsts_cert_t *cert,
                     apr_pool_t *p, apr_time_t now,
                     const apr_array_header_t *names, int preload,
                     apr_array_header_t *issues);

#endif /* HSTS_CERT_H */

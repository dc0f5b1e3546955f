/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: the certificates of HSTS hosts, read and checked with OpenSSL
 * (pure: no httpd structures).
 *
 * On an HSTS host a certificate error is a lockout: browsers offer no way
 * past it. The lint reads the certificate each host is configured with
 * and reports what a browser would refuse.
 *
 * At hosting scale (thousands of hosts, one certificate each) parsing and
 * verifying is nearly all of the lint's work, so it is done once per
 * distinct certificate and kept (hsts_cert_cache_t): a file is read at
 * every run, but only new contents are parsed, only new certificates are
 * decoded and only new chains verified. Dates are never cached as
 * verdicts: the expiry findings are worked out from the stored dates at
 * every check.
 */
#ifndef HSTS_CERT_H
#define HSTS_CERT_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

#include "hsts_issue.h"

/* Seconds before expiry from which tls.cert.expires_soon is reported. */
#define HSTS_THIRTY_DAYS APR_INT64_C(2592000)

/*
 * What certificates say, kept across lint runs (for the life of httpd's
 * parent, across graceful restarts): certificate files by the SHA-256 of
 * their content, certificates by the SHA-256 of their DER, OpenSSL's
 * answers for names by the DER and the name, and chain verdicts by the
 * files' contents and the trust store's identity (the content of
 * OpenSSL's default file and directory, so SSL_CERT_FILE and
 * SSL_CERT_DIR count). Every run drops what it did not use.
 */
typedef struct hsts_cert_cache_t hsts_cert_cache_t;

/* The version of what the cache holds, in memory and in its file: a
 * cache of another version is not used. */
#define HSTS_CERT_CACHE_FORMAT 4

/* A cache whose memory is its own (returned when entries are dropped),
 * below p. */
hsts_cert_cache_t *hsts_cert_cache_make(apr_pool_t *p);

/* What hsts_cert_cache_load() found. */
typedef enum {
    HSTS_CACHE_FILE_LOADED = 0,     /* read: its entries are in the cache */
    HSTS_CACHE_FILE_UNCHANGED,      /* as this process last read or wrote it */
    HSTS_CACHE_FILE_ABSENT,         /* none yet */
    HSTS_CACHE_FILE_REFUSED,        /* not trusted (owner, permissions) */
    HSTS_CACHE_FILE_IGNORED         /* unreadable, corrupt, truncated, or
                                     * from another OpenSSL: rewritten */
} hsts_cache_file_e;

/*
 * Adds the entries of the cache file at path (httpd's runtime directory)
 * to the cache, unless this process last read or wrote it as it is. A
 * file not owned by the effective user, or writable by others, is
 * refused; one that does not check out (its checksum, its format) is
 * ignored. *why says why, for the log. Its entries prove only what they
 * say: a file's entry applies to the same bytes, a verdict to the same
 * certificates and trust store.
 */
hsts_cache_file_e hsts_cert_cache_load(hsts_cert_cache_t *cache,
                                       const char *path, apr_pool_t *p,
                                       const char **why);

/* The cache becomes what the file at path holds, if it is not what this
 * process last read or wrote (another process, which started from this
 * cache, wrote it): what that process no longer used goes. Otherwise as
 * hsts_cert_cache_load(); a file that is not taken leaves the entries
 * as they are. */
hsts_cache_file_e hsts_cert_cache_reload(hsts_cert_cache_t *cache,
                                         const char *path, apr_pool_t *p,
                                         const char **why);

/* Whether the cache holds nothing (a process that has not checked
 * certificates yet). */
int hsts_cert_cache_empty(const hsts_cert_cache_t *cache);

/* Writes the cache to path (atomically: a new file renamed over it),
 * unless it holds what the file holds. Returns 0, or -1 with *why. */
int hsts_cert_cache_save(hsts_cert_cache_t *cache, const char *path,
                         apr_pool_t *p, const char **why);

typedef struct hsts_cert_store_t hsts_cert_store_t;

/* The certificate of a host: a certificate file and its chain file. */
typedef struct hsts_cert_t hsts_cert_t;

/*
 * One lint run's certificates: each file is read once however many hosts
 * use it, the system trust store (OpenSSL's default paths) loaded once,
 * when first needed. Its working data and OpenSSL objects go with p, or
 * earlier with hsts_cert_store_done(). cache: where what is learnt is
 * kept (NULL: a cache of the store's own); one run at a time per cache.
 */
hsts_cert_store_t *hsts_cert_store_make(apr_pool_t *p,
                                        hsts_cert_cache_t *cache);

/*
 * Makes the store use no thread of its own: files are read, the cache
 * file loaded and certificates parsed when needed, in the calling
 * thread. For a long-lived process: once a process has had a second
 * thread, glibc's malloc takes a lock on every call for the rest of its
 * life.
 */
void hsts_cert_store_no_threads(hsts_cert_store_t *store);

/* Ends the run: frees the OpenSSL objects, and drops from the cache what
 * the run did not use. */
void hsts_cert_store_done(hsts_cert_store_t *store);

/*
 * The certificate in cert_file (PEM: the leaf, then any chain) with
 * chain_file (may be NULL), as mod_ssl would read them; the names are
 * kept, not copied. Never NULL: an
 * unreadable file gives a certificate that covers no name and whose
 * check reports tls.cert.unreadable.
 */
hsts_cert_t *hsts_cert_get(hsts_cert_store_t *store,
                           const char *cert_file,
                           const char *chain_file);

/*
 * Starts loading the cache file at path (NULL: none; see
 * hsts_cert_cache_load()) into the store's cache, on a thread of the
 * store's own that then reads the files hsts_cert_read_ahead() gives:
 * the caller reads its configuration meanwhile. Call it first, once.
 */
void hsts_cert_store_load(hsts_cert_store_t *store, const char *path);

/* What loading the cache file found, once it is loaded (waits for it);
 * HSTS_CACHE_FILE_ABSENT when none was loaded. */
hsts_cache_file_e hsts_cert_store_loaded(hsts_cert_store_t *store,
                                         const char **why);

/*
 * Starts reading the files at paths (const char *, which must last as
 * long as the store) on a thread of its own, so that hsts_cert_get()
 * finds them read: the caller does other work meanwhile (indexes the
 * hosts). Without threads, or if none can start, the files are read
 * when got.
 */
void hsts_cert_read_ahead(hsts_cert_store_t *store,
                          const apr_array_header_t *paths);

/* Says what hsts_cert_check() will be asked of cert: whether it covers
 * names (const char *, as given to it; kept, not copied) and, with
 * chain (preload), its chain, so that hsts_cert_prepare() asks OpenSSL
 * with the others. */
void hsts_cert_want(hsts_cert_store_t *store, hsts_cert_t *cert,
                    const apr_array_header_t *names, int chain);

/*
 * Parses every certificate read so far that the cache does not know and
 * verifies the chains wanted, at once: on several threads when there are
 * many, each intermediate once. Optional: without it the same work is
 * done when first needed, one certificate at a time.
 */
void hsts_cert_prepare(hsts_cert_store_t *store);

/* Whether the leaf is valid for name (a host name or an IP address; RFC
 * 6125 matching, wildcards included, as OpenSSL's X509_check_host). */
int hsts_cert_covers(hsts_cert_t *cert, const char *name);

/* When the leaf expires; 0 when the file could not be read. */
apr_time_t hsts_cert_expiry(hsts_cert_t *cert);

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

/* What a store did, for the tests and the benchmark: files read,
 * certificates parsed, chains verified, and of those verifications the
 * ones that verified one signature against an intermediate already
 * verified (the rest went up to the trust store). */
typedef struct {
    int files_read;
    int files_read_again;           /* read ahead, new to the cache */
    int files_parsed;
    int certs_parsed;
    int chains_verified;
    int chains_short;
    int names_checked;              /* names asked of OpenSSL */
    int threads;                    /* the most prepare() ran on */
} hsts_cert_stats_t;

const hsts_cert_stats_t *hsts_cert_store_stats(const hsts_cert_store_t *store);

#endif /* HSTS_CERT_H */

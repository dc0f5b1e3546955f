/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: what the certificate files share (pure):
 *
 *   hsts_cert.c         the store of a run, the checks and their messages
 *   hsts_cert_facts.c   what a file and a certificate say, taken once
 *                       from their bytes; names matched against them
 *   hsts_cert_cache.c   facts and verdicts kept across runs, the cache file
 *   hsts_cert_verify.c  chains: the trust store, verification (an
 *                       intermediate once), several threads
 *   hsts_cert_read.c    files, read (and the cache file loaded) ahead on
 *                       a thread of its own
 */
#ifndef HSTS_CERT_INT_H
#define HSTS_CERT_INT_H

#include <apr_hash.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "hsts_cert.h"

#define HSTS_DIGEST_LEN 32
#define HSTS_HEX_LEN ((apr_size_t)2 * HSTS_DIGEST_LEN)   /* in hex */

/* A SHA-256, the identity of what was hashed. */
typedef struct {
    unsigned char b[HSTS_DIGEST_LEN];
} hsts_digest_t;

/* ------------------------------------------------------------------ */
/* Facts (hsts_cert_facts.c)                                            */

#define HSTS_CF_SELF_SIGNED  0x01   /* X509_self_signed() */
#define HSTS_CF_SHA1         0x02   /* signed with SHA-1 */
#define HSTS_CF_NOT_BEFORE   0x08   /* not_before compares (the strict
                                     * form X509_cmp_time() accepts) */
#define HSTS_CF_NOT_AFTER    0x10   /* not_after compares */
#define HSTS_CF_EXPIRY       0x20   /* not_after converts (the expiry) */
#define HSTS_CF_ALL          0x3b

/*
 * What a certificate says, taken once from its DER: a small record, the
 * dates as seconds (the messages print them again with OpenSSL), the
 * subject its only string. Which names it covers is asked of OpenSSL
 * per name, and the answers cached (hsts_cache_name_get()).
 */
typedef struct {
    apr_int64_t not_before;         /* seconds since the epoch */
    apr_int64_t not_after;
    unsigned int flags;             /* HSTS_CF_* */
    const char *error;              /* it does not parse: OpenSSL's
                                     * reason, and nothing else is set */
    const char *subject;            /* X509_NAME_oneline() */
} hsts_cert_facts_t;

/* What a certificate file holds, taken once per content. */
typedef struct {
    int count;                      /* PEM certificate blocks read */
    hsts_digest_t *certs;           /* the DER digest of each */
    const char *error;              /* why reading stopped before the end
                                     * of the file (with no block: why
                                     * there is none); NULL at its end */
} hsts_file_facts_t;

/* One DER certificate read from a file. */
typedef struct {
    hsts_digest_t digest;
    const unsigned char *der;
    long len;
} hsts_der_t;

/* The SHA-256 of data; md: SHA-256 fetched once (NULL: fetched now). */
void hsts_digest(const EVP_MD *md, const void *data, apr_size_t len,
                 hsts_digest_t *out);

/* Hex of a digest (for the cache file and the messages of tests). */
const char *hsts_digest_hex(apr_pool_t *p, const hsts_digest_t *d);

/* The facts of the content of a certificate file; with der (digest ->
 * hsts_der_t), its DER blocks not there yet are added, copied into p. */
hsts_file_facts_t *hsts_file_facts_read(apr_pool_t *p, const EVP_MD *md,
                                        const char *data, apr_size_t len,
                                        apr_hash_t *der);

/* Parses DER; NULL with *error (OpenSSL's reason, in p) when it does not
 * parse. */
X509 *hsts_der_parse(apr_pool_t *p, const hsts_der_t *der,
                     const char **error);

/* The facts of a parsed certificate (x NULL: of one that did not parse,
 * with error). */
hsts_cert_facts_t *hsts_cert_facts_of(apr_pool_t *p, X509 *x,
                                      const char *error);

/* Whether the certificate is valid for name (a host name, or an IP
 * address, bracketed or not): X509_check_ip_asc(), X509_check_host(). */
int hsts_x509_covers(X509 *x, const char *name);

/*
 * A chain's verdict: "" when the leaf verifies with its chain, dates
 * aside, else OpenSSL's reason. Dates are not part of it, so that it
 * can be kept: the leaf's have findings of their own, and the
 * certificates above the leaf in the chain that verified (intermediates
 * and root) leave the time they are all valid in, compared with the
 * clock at every run.
 */
typedef struct {
    const char *error;
    apr_int64_t issuers_from;       /* the latest notBefore above the leaf */
    apr_int64_t issuers_until;      /* the earliest notAfter */
    const char *from_subject;       /* the subjects of the certificates */
    const char *until_subject;      /* they are from (NULL: no date) */
} hsts_verdict_t;

/* A verdict of error with no dates above the leaf. */
hsts_verdict_t *hsts_verdict_make(apr_pool_t *p, const char *error);

/* Narrows v's window to the dates of x, a certificate above the leaf. */
void hsts_verdict_issuer(apr_pool_t *p, hsts_verdict_t *v, X509 *x);

hsts_verdict_t *hsts_verdict_copy(apr_pool_t *p, const hsts_verdict_t *v);

/* A date of the facts as ASN1_TIME_print() writes it. */
const char *hsts_date_text(apr_pool_t *p, apr_int64_t secs);

hsts_cert_facts_t *hsts_cert_facts_copy(apr_pool_t *p,
                                        const hsts_cert_facts_t *f);
hsts_file_facts_t *hsts_file_facts_copy(apr_pool_t *p,
                                        const hsts_file_facts_t *f);

/* ------------------------------------------------------------------ */
/* The cache (hsts_cert_cache.c)                                        */

typedef enum {
    HSTS_CACHE_FILE = 0,            /* hsts_file_facts_t, by content */
    HSTS_CACHE_CERT,                /* hsts_cert_facts_t, by DER */
    HSTS_CACHE_VERDICT,             /* hsts_verdict_t, by
                                     * hsts_verdict_key() */
    HSTS_CACHE_KINDS
} hsts_cache_kind_e;

/* A pool with an allocator of its own (NULL if none can be made): its
 * memory goes back to malloc when it is destroyed, and one thread can
 * use it while others use theirs. */
apr_pool_t *hsts_own_pool(apr_pool_t *parent);

/* The entry under key, marked as used by this run; NULL if none. */
const void *hsts_cache_get(hsts_cert_cache_t *c, hsts_cache_kind_e kind,
                           const hsts_digest_t *key);

/* Whether the cache has an entry under key: a look that changes
 * nothing, which threads may take while the cache does not change. */
int hsts_cache_known(const hsts_cert_cache_t *c, hsts_cache_kind_e kind,
                     const hsts_digest_t *key);

/* Caches a copy of value under key (a value already there stays), used
 * by this run; returns the cached value. */
const void *hsts_cache_put(hsts_cert_cache_t *c, hsts_cache_kind_e kind,
                           const hsts_digest_t *key, const void *value);

/* The cached answer to "does the certificate with this DER digest cover
 * name" (OpenSSL's, by hsts_x509_covers()): 1, 0, or -1 when not known;
 * an answer found is marked as used by this run. */
int hsts_cache_name_get(hsts_cert_cache_t *c, const hsts_digest_t *cert,
                        const char *name);

/* Whether the answer is known: a look that changes nothing. */
int hsts_cache_name_known(const hsts_cert_cache_t *c,
                          const hsts_digest_t *cert, const char *name);

/* Caches the answer (an answer already there stays), used by this run. */
void hsts_cache_name_put(hsts_cert_cache_t *c, const hsts_digest_t *cert,
                         const char *name, int covers);

/* A run begins, and ends: what it did not use is dropped. */
void hsts_cache_run_begin(hsts_cert_cache_t *c);
void hsts_cache_run_end(hsts_cert_cache_t *c);

/* ------------------------------------------------------------------ */
/* A run (hsts_cert.c)                                                  */

/* A file read (ahead, by a thread of its own): its digest, not its
 * content. */
typedef struct {
    const char *path;
    int ok;                         /* it was read: len and digest are set */
    apr_size_t len;
    const char *error;              /* why it cannot be read */
    hsts_digest_t digest;
} hsts_read_t;

/* A file as this run read it. */
typedef struct {
    const char *path;
    const char *read_error;         /* "cannot be read (...)", or NULL */
    apr_size_t len;
    hsts_digest_t digest;           /* of its content */
    const hsts_file_facts_t *facts; /* NULL when unreadable */
    int decoded;                    /* its DER blocks are in store->der
                                     * (or it changed since it was read) */
} hsts_run_file_t;

/* The names a host asks of its certificate (hsts_cert_want()). */
typedef struct hsts_want_t {
    const apr_array_header_t *names;    /* const char *, as given */
    struct hsts_want_t *next;
} hsts_want_t;

struct hsts_cert_t {
    hsts_cert_store_t *store;
    const hsts_run_file_t *key[2];  /* cf, chf: its key in store->certs */
    const char *cert_file;
    const char *chain_file;         /* NULL when none */
    hsts_run_file_t *cf;
    hsts_run_file_t *chf;           /* NULL when none */

    /* From the facts (hsts_cert_resolve()). */
    int resolved;
    const hsts_digest_t *leaf_digest;   /* NULL when unreadable */
    const hsts_cert_facts_t *leaf;      /* NULL when unreadable */
    const char *leaf_error;         /* why: "holds no PEM ..." */
    const char *rest_error;         /* a block after the leaf */
    const char *chain_error;        /* the chain file has no certificate */
    const char *chain_rest_error;   /* a block after its first */
    const hsts_digest_t *untrusted; /* the configured chain (after the
                                     * leaf, then the chain file's), as
                                     * OpenSSL gets it */
    int n_untrusted;
    const hsts_cert_facts_t *sha1_chain; /* the first of the chain signed
                                     * with SHA-1 by a CA, or NULL */

    int want_chain;                 /* hsts_cert_want() */
    struct hsts_want_t *want;       /* the names to ask OpenSSL about */
    int keyed;                      /* verdict_key is set */
    int chain_keyed;                /* chain_key is set */
    hsts_digest_t chain_key;        /* the untrusted digests */
    hsts_digest_t verdict_key;      /* the files' contents, the trust
                                     * store */
    const hsts_verdict_t *verdict;  /* NULL until known */
};

struct hsts_cert_store_t {
    apr_pool_t *pool;
    hsts_cert_cache_t *cache;
    apr_hash_t *files;              /* path -> hsts_run_file_t */
    apr_hash_t *certs;              /* (cf, chf) -> hsts_cert_t */
    apr_array_header_t *all;        /* hsts_cert_t *, in the order got */
    apr_hash_t *der;                /* digest -> hsts_der_t: the
                                     * certificates decoded this run */
    apr_hash_t *der_file;           /* digest -> hsts_run_file_t: a file
                                     * read this run that holds it (made
                                     * when first needed) */
    apr_hash_t *x509;               /* digest -> X509 *: chain
                                     * certificates parsed this run */
    apr_hash_t *seeds;              /* chain key -> verified intermediate */
    char *buf;                      /* where files are read */
    apr_size_t buf_size;
    struct hsts_read_ahead_t *ahead;/* files being read, or NULL */
    apr_hash_t *read;               /* path -> hsts_read_t: what was read
                                     * ahead, once the thread is joined */
    int no_threads;                 /* hsts_cert_store_no_threads() */
    int load_tried;                 /* hsts_cert_store_load() */
    hsts_cache_file_e loaded;       /* what loading the cache file found */
    const char *load_why;
    EVP_MD_CTX *keys;               /* for the verdicts' keys */
    EVP_MD *md;                     /* SHA-256, fetched once: an implicit
                                     * fetch costs more than the digest of
                                     * a certificate */
    X509_STORE *trust;              /* loaded when first needed */
    int trust_loaded;
    int trust_known;
    hsts_digest_t trust_id;
    int trust_moved;                /* it changed while this run used it:
                                     * verdicts are not cached */
    int done;
    hsts_cert_stats_t stats;
};

/* Reads a whole file into *buf, made (or grown) from p when too small
 * (buf NULL: into memory of its own from p); returns where, or NULL
 * with *error when it cannot be read (hsts_cert_read.c). */
char *hsts_read_whole(apr_pool_t *p, const char *path, char **buf,
                      apr_size_t *size, apr_size_t *len, const char **error);

/* The name to check a ServerAlias pattern with ("*.a.com" -> "x.a.com"),
 * in p if it is one. */
const char *hsts_sample_name(apr_pool_t *p, const char *name);

/* Ends the reading ahead (joining the thread): the cache is the
 * caller's again, and what was read is in store->read. */
void hsts_read_ahead_end(hsts_cert_store_t *store);

/* Stops the reading ahead: what was not read is not. */
void hsts_read_ahead_stop(hsts_cert_store_t *store);

/* A file of this run, as read ahead (r) or read now (r NULL), added to
 * the store's files. */
hsts_run_file_t *hsts_store_file(hsts_cert_store_t *store, const char *path,
                                 const hsts_read_t *r);

/* Sets what cert's facts say (its leaf parsed now unless prepared);
 * with_leaf 0: all but the leaf's own facts (leaf_digest is set). */
void hsts_cert_resolve(hsts_cert_t *cert, int with_leaf);

/* The facts of the certificate with this digest, read this run: from
 * the cache, else parsed now (and, with keep, the parsed certificate
 * kept for hsts_store_x509()). */
const hsts_cert_facts_t *hsts_store_facts(hsts_cert_store_t *store,
                                          const hsts_digest_t *digest,
                                          int keep);

/* The DER of a certificate read this run (decoding its file again if
 * the file's facts came from the cache), or NULL. */
const hsts_der_t *hsts_store_der(hsts_cert_store_t *store,
                                 const hsts_digest_t *digest);

/* A certificate read this run, parsed (once; freed with the store), or
 * NULL when it does not parse. */
X509 *hsts_store_x509(hsts_cert_store_t *store, const hsts_digest_t *digest);

/* ------------------------------------------------------------------ */
/* Chains (hsts_cert_verify.c)                                          */

/* Sets cert's chain and verdict keys (the trust store's identity taken
 * when first needed) and its verdict when the cache has it. */
void hsts_verdict_key(hsts_cert_t *cert);

/* cert's verdict, worked out now if not known. */
const hsts_verdict_t *hsts_verdict_of(hsts_cert_t *cert);

/* The identity of OpenSSL's default trust store as it is now: its file
 * and directories, by name and content. */
void hsts_trust_identity(apr_pool_t *p, hsts_digest_t *id);

/* Frees a store's OpenSSL objects. */
void hsts_verify_free(hsts_cert_store_t *store);

#endif /* HSTS_CERT_INT_H */

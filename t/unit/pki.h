/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Certificates for the unit tests (pki.c).
 */
#ifndef HSTS_TEST_PKI_H
#define HSTS_TEST_PKI_H

#include <apr_pools.h>
#include <apr_tables.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <time.h>

#include "hsts_issue.h"

#define DAY  86400
#define NOW  ((time_t)1767225600)  /* 2026-01-01T00:00:00Z */

typedef struct {
    X509 *crt;
    EVP_PKEY *key;
} pki_t;

/* Makes the temporary directory the files go into; returns its path. */
const char *pki_init(apr_pool_t *p);

/* Removes the directory and its files. */
void pki_done(void);

/*
 * A certificate for cn. san: "DNS:a,IP:1.2.3.4" or NULL. issuer NULL
 * makes it self-signed. Valid from not_before to not_after.
 */
pki_t make_cert(const char *cn, const char *san, int ca, time_t not_before,
                time_t not_after, const EVP_MD *md, const pki_t *issuer);

/* A CA signed with SHA-256 from 10 days before NOW: a root (issuer
 * NULL) for 10 years, an intermediate for 1000 days. */
pki_t make_ca(const char *cn, const pki_t *issuer);

/* A leaf valid from a day before NOW for a year, signed with SHA-256. */
pki_t make_leaf(const char *cn, const char *san, const pki_t *issuer);

/* The path of a file in the directory. */
const char *path_of(const char *file);

/* names: a space-separated list (ServerName first), as an array of
 * const char * in pki_init's pool. */
apr_array_header_t *names_of(const char *list);

/* Writes the certificates (NULL-terminated) as PEM into file. */
const char *write_pem(const char *file, ...);
const char *write_der(const char *file, X509 *x);
const char *write_text(const char *file, const char *text);

/* Appends text, or a private key in PEM, to a file written before. */
const char *append_text(const char *path, const char *text);
const char *append_key(const char *path, EVP_PKEY *key);

/* Makes a directory in the temporary one; returns its path. */
const char *make_dir(const char *name);

/* Removes a directory of plain files. */
void remove_dir(const char *path);

/* A severity as a letter: E, W or I. */
char severity_letter(hsts_severity_e s);

/* Issues as "E:code W:code ..." ("" if none). */
const char *issues_str(const apr_array_header_t *issues);

#endif /* HSTS_TEST_PKI_H */

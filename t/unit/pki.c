/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Certificates for the unit tests, made at run time with OpenSSL: CAs,
 * intermediates and leaves with the names, validity periods and digests
 * each test needs, written as PEM, DER or text into a temporary
 * directory (pki.h).
 */
#include "pki.h"
#include "hsts_issue.h"

#include <apr_strings.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static apr_pool_t *pool;
static const char *dir;            /* the temporary directory */

const char *pki_init(apr_pool_t *p)
{
    char tmpl[] = "/tmp/hsts-unit-pki-XXXXXX";

    pool = p;
    if (!mkdtemp(tmpl)) {
        perror("mkdtemp");
        exit(2);
    }
    dir = apr_pstrdup(p, tmpl);
    return dir;
}

static EVP_PKEY *new_key(void)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");

    if (!key) {
        fprintf(stderr, "cannot make a key\n");
        exit(2);
    }
    return key;
}

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509_EXTENSION *ext;

    X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
    ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ext || !X509_add_ext(x, ext, -1)) {
        fprintf(stderr, "cannot add extension %d=%s\n", nid, value);
        exit(2);
    }
    X509_EXTENSION_free(ext);
}

/*
 * A certificate for cn. san: "DNS:a,IP:1.2.3.4" or NULL. issuer NULL
 * makes it self-signed. Valid from not_before to not_after.
 */
pki_t make_cert(const char *cn, const char *san, int ca, time_t not_before,
                time_t not_after, const EVP_MD *md, const pki_t *issuer)
{
    static long serial = 1000;
    pki_t out;
    X509_NAME *name;

    out.key = new_key();
    out.crt = X509_new();
    X509_set_version(out.crt, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(out.crt), serial++);
    ASN1_TIME_set(X509_getm_notBefore(out.crt), not_before);
    ASN1_TIME_set(X509_getm_notAfter(out.crt), not_after);
    name = X509_NAME_new();
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               (const unsigned char *)cn, -1, -1, 0);
    X509_set_subject_name(out.crt, name);
    X509_set_issuer_name(out.crt, issuer ? X509_get_subject_name(issuer->crt)
                                         : name);
    X509_NAME_free(name);
    X509_set_pubkey(out.crt, out.key);

    add_ext(out.crt, issuer ? issuer->crt : out.crt,
            NID_subject_key_identifier, "hash");
    if (issuer) {
        add_ext(out.crt, issuer->crt, NID_authority_key_identifier,
                "keyid:always");
    }
    if (ca) {
        add_ext(out.crt, out.crt, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(out.crt, out.crt, NID_key_usage,
                "critical,keyCertSign,cRLSign");
    }
    else {
        add_ext(out.crt, out.crt, NID_basic_constraints, "CA:FALSE");
        add_ext(out.crt, out.crt, NID_key_usage, "critical,digitalSignature");
        add_ext(out.crt, out.crt, NID_ext_key_usage, "serverAuth");
    }
    if (san) {
        add_ext(out.crt, out.crt, NID_subject_alt_name, san);
    }
    if (!X509_sign(out.crt, issuer ? issuer->key : out.key, md)) {
        fprintf(stderr, "cannot sign %s\n", cn);
        exit(2);
    }
    return out;
}

pki_t make_ca(const char *cn, const pki_t *issuer)
{
    return make_cert(cn, NULL, 1, NOW - 10 * DAY,
                     NOW + (issuer ? 1000 : 3650) * DAY, EVP_sha256(), issuer);
}

/* A leaf valid from a day ago for a year, signed with SHA-256. */
pki_t make_leaf(const char *cn, const char *san, const pki_t *issuer)
{
    return make_cert(cn, san, 0, NOW - DAY, NOW + 365 * DAY, EVP_sha256(),
                     issuer);
}

const char *path_of(const char *file)
{
    return apr_pstrcat(pool, dir, "/", file, NULL);
}

/* Writes the certificates (NULL-terminated) as PEM into file. */
const char *write_pem(const char *file, ...)
{
    const char *path = path_of(file);
    FILE *fp = fopen(path, "w");
    va_list ap;
    X509 *x;

    if (!fp) {
        perror(path);
        exit(2);
    }
    va_start(ap, file);
    while ((x = va_arg(ap, X509 *)) != NULL) {
        PEM_write_X509(fp, x);
    }
    va_end(ap);
    fclose(fp);
    return path;
}

const char *write_der(const char *file, X509 *x)
{
    const char *path = path_of(file);
    FILE *fp = fopen(path, "wb");

    if (!fp || !i2d_X509_fp(fp, x)) {
        perror(path);
        exit(2);
    }
    fclose(fp);
    return path;
}

const char *write_text(const char *file, const char *text)
{
    const char *path = path_of(file);
    FILE *fp = fopen(path, "w");

    if (!fp) {
        perror(path);
        exit(2);
    }
    fputs(text, fp);
    fclose(fp);
    return path;
}

/* Appends text to a file written before. */
const char *append_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "a");

    if (!fp) {
        perror(path);
        exit(2);
    }
    fputs(text, fp);
    fclose(fp);
    return path;
}

/* Appends a private key in PEM to a file written before. */
const char *append_key(const char *path, EVP_PKEY *key)
{
    FILE *fp = fopen(path, "a");

    if (!fp || !PEM_write_PrivateKey(fp, key, NULL, NULL, 0, NULL, NULL)) {
        perror(path);
        exit(2);
    }
    fclose(fp);
    return path;
}

const char *make_dir(const char *name)
{
    const char *path = path_of(name);

    if (mkdir(path, 0700)) {
        perror(path);
        exit(2);
    }
    return path;
}

/* Removes a directory of plain files. */
void remove_dir(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;

    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            unlink(apr_pstrcat(pool, path, "/", e->d_name, NULL));
        }
    }
    if (d) {
        closedir(d);
    }
    rmdir(path);
}


void pki_done(void)
{
    remove_dir(dir);
}

apr_array_header_t *names_of(const char *list)
{
    apr_array_header_t *names = apr_array_make(pool, 2, sizeof(const char *));
    char *copy = apr_pstrdup(pool, list), *last, *n;

    for (n = apr_strtok(copy, " ", &last); n; n = apr_strtok(NULL, " ", &last)) {
        APR_ARRAY_PUSH(names, const char *) = n;
    }
    return names;
}

char severity_letter(hsts_severity_e s)
{
    return s == HSTS_ERROR ? 'E' : s == HSTS_WARNING ? 'W' : 'I';
}

const char *issues_str(const apr_array_header_t *issues)
{
    const hsts_issue_t *all = (const hsts_issue_t *)issues->elts;
    const char *s = "";
    int i;

    for (i = 0; i < issues->nelts; i++) {
        s = apr_psprintf(pool, "%s%s%c:%s", s, *s ? " " : "",
                         severity_letter(all[i].severity),
                         hsts_code_name(all[i].code));
    }
    return s;
}

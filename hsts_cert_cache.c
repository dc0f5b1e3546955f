/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: what certificates say, kept across lint runs, and the cache
 * file that carries it from one process to the next (pure;
 * hsts_cert_int.h).
 *
 * Every entry is keyed by a digest of exactly what it was worked out
 * from, so it can never apply to anything else: a file's facts by its
 * content, a certificate's by its DER, a chain verdict by the leaf, the
 * configured chain and the trust store's identity, OpenSSL's answer to
 * whether a certificate covers a name by its DER and the name. Nothing
 * in it depends on the date. The memory is a pool of its own with its own allocator:
 * when a run ends, the entries it used are copied into a new one and the
 * old is destroyed, so what no run uses any more is returned.
 */
#include <apr_file_io.h>
#include <apr_strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <string.h>
#include <unistd.h>

#include "hsts_cert_int.h"

typedef struct {
    hsts_digest_t key;
    apr_uint32_t used;              /* the run that last used it; 0: none */
    const void *value;
} entry_t;

/* OpenSSL's answer for one certificate and one name. Its key is the
 * certificate's DER digest followed by the name as asked. */
typedef struct {
    apr_uint32_t used;
    unsigned char covers;
    apr_size_t klen;
    unsigned char key[];
} name_entry_t;

/* The longest key kept: a longer name (no host name is) is asked of
 * OpenSSL each time. */
#define NAME_KEY_MAX 512

/* What says that a file is the one last read or written. */
typedef struct {
    apr_off_t size;
    apr_time_t mtime, ctime;
    apr_ino_t inode;
    apr_dev_t device;
} stamp_t;

struct hsts_cert_cache_t {
    apr_pool_t *parent;
    apr_pool_t *pool;               /* the entries' */
    apr_hash_t *entries[HSTS_CACHE_KINDS];  /* key -> entry_t */
    apr_hash_t *names;              /* key -> name_entry_t */
    apr_uint32_t run;
    int changed;                    /* differs from the file as last read
                                     * or written */
    int stamp_known;
    stamp_t stamp;                  /* that file's */
};

apr_pool_t *hsts_own_pool(apr_pool_t *parent)
{
    apr_allocator_t *allocator;
    apr_pool_t *p;

    if (apr_allocator_create(&allocator) != APR_SUCCESS) {
        return NULL;
    }
    if (apr_pool_create_ex(&p, parent, NULL, allocator) != APR_SUCCESS) {
        apr_allocator_destroy(allocator);
        return NULL;
    }
    apr_allocator_owner_set(allocator, p);
    return p;
}

/* hsts_own_pool(), else one that shares the parent's allocator. */
static apr_pool_t *own_pool(apr_pool_t *parent)
{
    apr_pool_t *p = hsts_own_pool(parent);

    if (!p) {
        apr_pool_create(&p, parent);
    }
    return p;
}

static void make_tables(hsts_cert_cache_t *c)
{
    int k;

    for (k = 0; k < HSTS_CACHE_KINDS; k++) {
        c->entries[k] = apr_hash_make(c->pool);
    }
    c->names = apr_hash_make(c->pool);
}

/* Entries of every kind, names included. */
static int entry_count(const hsts_cert_cache_t *c)
{
    int k, n = (int)apr_hash_count(c->names);

    for (k = 0; k < HSTS_CACHE_KINDS; k++) {
        n += (int)apr_hash_count(c->entries[k]);
    }
    return n;
}

hsts_cert_cache_t *hsts_cert_cache_make(apr_pool_t *p)
{
    hsts_cert_cache_t *c = apr_pcalloc(p, sizeof(*c));

    c->parent = p;
    c->pool = own_pool(p);
    make_tables(c);
    return c;
}

static const void *copy_value(apr_pool_t *p, hsts_cache_kind_e kind,
                              const void *value)
{
    switch (kind) {
    case HSTS_CACHE_FILE:
        return hsts_file_facts_copy(p, value);
    case HSTS_CACHE_CERT:
        return hsts_cert_facts_copy(p, value);
    default:
        return apr_pstrdup(p, value);
    }
}

const void *hsts_cache_get(hsts_cert_cache_t *c, hsts_cache_kind_e kind,
                           const hsts_digest_t *key)
{
    entry_t *e = apr_hash_get(c->entries[kind], key->b, HSTS_DIGEST_LEN);

    if (!e) {
        return NULL;
    }
    e->used = c->run;
    return e->value;
}

/* An entry whose value is in the cache's pool already. */
int hsts_cache_known(const hsts_cert_cache_t *c, hsts_cache_kind_e kind,
                     const hsts_digest_t *key)
{
    return apr_hash_get(c->entries[kind], key->b, HSTS_DIGEST_LEN) != NULL;
}

static entry_t *insert_owned(hsts_cert_cache_t *c, hsts_cache_kind_e kind,
                             const hsts_digest_t *key, const void *value,
                             apr_uint32_t used)
{
    entry_t *e = apr_palloc(c->pool, sizeof(*e));

    e->key = *key;
    e->used = used;
    e->value = value;
    apr_hash_set(c->entries[kind], e->key.b, HSTS_DIGEST_LEN, e);
    c->changed = 1;
    return e;
}

static entry_t *insert(hsts_cert_cache_t *c, hsts_cache_kind_e kind,
                       const hsts_digest_t *key, const void *value,
                       apr_uint32_t used)
{
    return insert_owned(c, kind, key, copy_value(c->pool, kind, value), used);
}

const void *hsts_cache_put(hsts_cert_cache_t *c, hsts_cache_kind_e kind,
                           const hsts_digest_t *key, const void *value)
{
    entry_t *e = apr_hash_get(c->entries[kind], key->b, HSTS_DIGEST_LEN);

    if (!e) {
        e = insert(c, kind, key, value, c->run);
    }
    e->used = c->run;
    return e->value;
}

/* The key of a name's entry into buf (NAME_KEY_MAX long): its length,
 * or 0 when it does not fit. */
static apr_size_t name_key(unsigned char *buf, const hsts_digest_t *cert,
                           const char *name)
{
    apr_size_t n = strlen(name);

    if (!n || n >= NAME_KEY_MAX - HSTS_DIGEST_LEN) {
        return 0;
    }
    memcpy(buf, cert->b, HSTS_DIGEST_LEN);
    memcpy(buf + HSTS_DIGEST_LEN, name, n + 1);
    return HSTS_DIGEST_LEN + n;
}

static name_entry_t *name_find(const hsts_cert_cache_t *c,
                               const hsts_digest_t *cert, const char *name)
{
    unsigned char key[NAME_KEY_MAX];
    apr_size_t klen = name_key(key, cert, name);

    return klen ? apr_hash_get(c->names, key, (apr_ssize_t)klen) : NULL;
}

int hsts_cache_name_get(hsts_cert_cache_t *c, const hsts_digest_t *cert,
                        const char *name)
{
    name_entry_t *e = name_find(c, cert, name);

    if (!e) {
        return -1;
    }
    e->used = c->run;
    return e->covers;
}

int hsts_cache_name_known(const hsts_cert_cache_t *c,
                          const hsts_digest_t *cert, const char *name)
{
    return name_find(c, cert, name) != NULL;
}

static name_entry_t *name_insert(hsts_cert_cache_t *c,
                                 const unsigned char *key, apr_size_t klen,
                                 int covers, apr_uint32_t used)
{
    name_entry_t *e = apr_palloc(c->pool, sizeof(*e) + klen);

    e->used = used;
    e->covers = covers != 0;
    e->klen = klen;
    memcpy(e->key, key, klen);
    apr_hash_set(c->names, e->key, (apr_ssize_t)klen, e);
    c->changed = 1;
    return e;
}

void hsts_cache_name_put(hsts_cert_cache_t *c, const hsts_digest_t *cert,
                         const char *name, int covers)
{
    unsigned char key[NAME_KEY_MAX];
    apr_size_t klen = name_key(key, cert, name);
    name_entry_t *e;

    if (!klen) {
        return;
    }
    e = apr_hash_get(c->names, key, (apr_ssize_t)klen);
    if (!e) {
        e = name_insert(c, key, klen, covers, c->run);
    }
    e->used = c->run;
}

void hsts_cache_run_begin(hsts_cert_cache_t *c)
{
    c->run++;
}

/* Entries the run did not use. */
static int unused_entries(const hsts_cert_cache_t *c)
{
    apr_hash_index_t *hi;
    int k, unused = 0;

    for (k = 0; k < HSTS_CACHE_KINDS; k++) {
        for (hi = apr_hash_first(NULL, c->entries[k]); hi;
             hi = apr_hash_next(hi)) {
            unused += ((entry_t *)apr_hash_this_val(hi))->used != c->run;
        }
    }
    for (hi = apr_hash_first(NULL, c->names); hi; hi = apr_hash_next(hi)) {
        unused += ((name_entry_t *)apr_hash_this_val(hi))->used != c->run;
    }
    return unused;
}

void hsts_cache_run_end(hsts_cert_cache_t *c)
{
    apr_pool_t *old = c->pool;
    apr_hash_t *from[HSTS_CACHE_KINDS], *from_names = c->names;
    apr_hash_index_t *hi;
    int k;

    if (!unused_entries(c)) {
        return;
    }
    memcpy(from, c->entries, sizeof(from));
    c->pool = own_pool(c->parent);
    make_tables(c);
    for (k = 0; k < HSTS_CACHE_KINDS; k++) {
        for (hi = apr_hash_first(NULL, from[k]); hi; hi = apr_hash_next(hi)) {
            entry_t *e = apr_hash_this_val(hi);
            if (e->used == c->run) {
                insert(c, (hsts_cache_kind_e)k, &e->key, e->value, e->used);
            }
        }
    }
    for (hi = apr_hash_first(NULL, from_names); hi; hi = apr_hash_next(hi)) {
        name_entry_t *e = apr_hash_this_val(hi);
        if (e->used == c->run) {
            name_insert(c, e->key, e->klen, e->covers, e->used);
        }
    }
    apr_pool_destroy(old);
    c->changed = 1;
}

/* ------------------------------------------------------------------ */
/* The cache file: a header, one line per entry, and a line with their
 * number and the SHA-256 of everything before it, so that a truncated
 * or damaged file is seen as such. Strings are escaped (%XX) so that a
 * field holds no space, comma or control character.                   */

#define MAGIC "mod_hsts-certificate-cache 2 "
#define MAX_FILE (APR_INT64_C(512) * 1024 * 1024)

typedef struct {
    apr_file_t *f;
    EVP_MD_CTX *md;
    apr_status_t rv;
} out_t;

static void put(out_t *o, const char *s, apr_size_t len)
{
    if (o->rv == APR_SUCCESS) {
        EVP_DigestUpdate(o->md, s, len);
        o->rv = apr_file_write_full(o->f, s, len, NULL);
    }
}

static void put_str(out_t *o, const char *s)
{
    put(o, s, strlen(s));
}

static int plain_byte(unsigned char c)
{
    return c > 0x20 && c < 0x7f && c != '%' && c != ',';
}

static void put_escaped(out_t *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";

    while (*s) {
        apr_size_t n = 0;
        while (s[n] && plain_byte((unsigned char)s[n])) {
            n++;
        }
        put(o, s, n);
        s += n;
        if (*s) {
            char e[3] = { '%', hex[(unsigned char)*s >> 4],
                          hex[(unsigned char)*s & 15] };
            put(o, e, 3);
            s++;
        }
    }
}

/* " -" for NULL, " =text" for a string. */
static void put_field(out_t *o, const char *s)
{
    put_str(o, s ? " =" : " -");
    if (s) {
        put_escaped(o, s);
    }
}

static void put_key(out_t *o, apr_pool_t *p, const char *kind,
                    const hsts_digest_t *key)
{
    put_str(o, kind);
    put_str(o, hsts_digest_hex(p, key));
}

static void put_entry(out_t *o, apr_pool_t *p, hsts_cache_kind_e kind,
                      const entry_t *e)
{
    if (kind == HSTS_CACHE_FILE) {
        const hsts_file_facts_t *f = e->value;
        int i;
        put_key(o, p, "F ", &e->key);
        put_str(o, apr_psprintf(p, " %d ", f->count));
        for (i = 0; i < f->count; i++) {
            put_str(o, hsts_digest_hex(p, &f->certs[i]));
        }
        put_str(o, f->count ? "" : "-");
        put_field(o, f->error);
    }
    else if (kind == HSTS_CACHE_CERT) {
        const hsts_cert_facts_t *f = e->value;
        put_key(o, p, "C ", &e->key);
        put_field(o, f->error);
        if (!f->error) {
            put_str(o, apr_psprintf(p, " %u %" APR_INT64_T_FMT " %"
                                    APR_INT64_T_FMT, f->flags, f->not_before,
                                    f->not_after));
            put_field(o, f->subject);
        }
    }
    else {
        put_key(o, p, "V ", &e->key);
        put_field(o, e->value);
    }
    put_str(o, "\n");
}

/* "N <certificate> <0|1> =<name>" */
static void put_name(out_t *o, apr_pool_t *p, const name_entry_t *e)
{
    hsts_digest_t cert;

    memcpy(cert.b, e->key, HSTS_DIGEST_LEN);
    put_key(o, p, "N ", &cert);
    put_str(o, e->covers ? " 1 =" : " 0 =");
    put_escaped(o, apr_pstrmemdup(p, (const char *)e->key + HSTS_DIGEST_LEN,
                                  e->klen - HSTS_DIGEST_LEN));
    put_str(o, "\n");
}

/* Writes the entries; returns their number. */
static int put_entries(out_t *o, const hsts_cert_cache_t *c, apr_pool_t *p)
{
    apr_pool_t *scratch;
    apr_hash_index_t *hi;
    int k, n = 0;

    apr_pool_create(&scratch, p);
    for (k = 0; k <= HSTS_CACHE_KINDS; k++) {
        for (hi = apr_hash_first(NULL, k < HSTS_CACHE_KINDS ? c->entries[k]
                                                            : c->names);
             hi; hi = apr_hash_next(hi)) {
            if (k < HSTS_CACHE_KINDS) {
                put_entry(o, scratch, (hsts_cache_kind_e)k,
                          apr_hash_this_val(hi));
            }
            else {
                put_name(o, scratch, apr_hash_this_val(hi));
            }
            if (++n % 256 == 0) {
                apr_pool_clear(scratch);
            }
        }
    }
    apr_pool_destroy(scratch);
    return n;
}

static void stamp_of(const apr_finfo_t *fi, stamp_t *s)
{
    memset(s, 0, sizeof(*s));
    s->size = fi->size;
    s->mtime = fi->mtime;
    s->ctime = fi->ctime;
    s->inode = fi->inode;
    s->device = fi->device;
}

static int same_stamp(const stamp_t *a, const stamp_t *b)
{
    return a->size == b->size && a->mtime == b->mtime && a->ctime == b->ctime
           && a->inode == b->inode && a->device == b->device;
}

#define STAMP_WANTED (APR_FINFO_SIZE | APR_FINFO_MTIME | APR_FINFO_CTIME \
                      | APR_FINFO_INODE | APR_FINFO_DEV)

/* Whether the file at path is the one this cache last read or wrote. */
static int unchanged(const hsts_cert_cache_t *c, const char *path,
                     apr_pool_t *p)
{
    apr_finfo_t fi;
    stamp_t now;

    if (!c->stamp_known
        || apr_stat(&fi, path, STAMP_WANTED, p) != APR_SUCCESS) {
        return 0;
    }
    stamp_of(&fi, &now);
    return same_stamp(&now, &c->stamp);
}

static int write_file(hsts_cert_cache_t *c, apr_file_t *f, apr_pool_t *p)
{
    out_t o;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    hsts_digest_t sum;
    int n;

    o.f = f;
    o.rv = APR_SUCCESS;
    o.md = EVP_MD_CTX_new();
    if (!o.md || !EVP_DigestInit_ex(o.md, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(o.md);
        return -1;
    }
    put_str(&o, MAGIC);
    put_escaped(&o, OpenSSL_version(OPENSSL_VERSION));
    put_str(&o, "\n");
    n = put_entries(&o, c, p);
    EVP_DigestFinal_ex(o.md, md, &md_len);
    EVP_MD_CTX_free(o.md);
    memcpy(sum.b, md, HSTS_DIGEST_LEN);
    if (o.rv == APR_SUCCESS) {
        const char *end = apr_psprintf(p, "end %d %s\n", n,
                                       hsts_digest_hex(p, &sum));
        o.rv = apr_file_write_full(f, end, strlen(end), NULL);
    }
    return o.rv == APR_SUCCESS ? 0 : -1;
}

int hsts_cert_cache_save(hsts_cert_cache_t *c, const char *path,
                         apr_pool_t *p, const char **why)
{
    char *tmp = apr_pstrcat(p, path, ".XXXXXX", NULL);
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    char err[120];

    if (!c->changed && unchanged(c, path, p)) {
        return 0;
    }
    rv = apr_file_mktemp(&f, tmp, APR_FOPEN_CREATE | APR_FOPEN_WRITE
                                  | APR_FOPEN_EXCL | APR_FOPEN_BUFFERED, p);
    if (rv != APR_SUCCESS) {
        *why = apr_psprintf(p, "cannot create %s (%s)", tmp,
                            apr_strerror(rv, err, sizeof(err)));
        return -1;
    }
    if (write_file(c, f, p) || (rv = apr_file_close(f)) != APR_SUCCESS
        || (rv = apr_file_rename(tmp, path, p)) != APR_SUCCESS) {
        if (rv == APR_SUCCESS) {
            apr_file_close(f);
        }
        apr_file_remove(tmp, p);
        *why = apr_psprintf(p, "cannot write %s (%s)", path,
                            rv == APR_SUCCESS ? "write failed"
                            : apr_strerror(rv, err, sizeof(err)));
        return -1;
    }
    c->changed = 0;
    c->stamp_known = apr_stat(&fi, path, STAMP_WANTED, p) == APR_SUCCESS;
    if (c->stamp_known) {
        stamp_of(&fi, &c->stamp);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Reading it back.                                                     */

/* The next space-separated field of *line (NUL-terminated in place), or
 * NULL at its end. */
static char *field(char **line)
{
    char *s = *line, *sp;

    if (!s || !*s) {
        return NULL;
    }
    sp = strchr(s, ' ');
    if (sp) {
        *sp = '\0';
        *line = sp + 1;
    }
    else {
        *line = s + strlen(s);
    }
    return s;
}

static int hex_value(int c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Undoes put_escaped() in place; 0 if s is not escaped text. */
static int unescape(char *s)
{
    char *out = s;

    for (; *s; s++) {
        if (*s == '%') {
            int hi = hex_value((unsigned char)s[1]), lo;
            if (hi < 0 || (lo = hex_value((unsigned char)s[2])) < 0
                || (!hi && !lo)) {
                return 0;
            }
            *out++ = (char)(hi * 16 + lo);
            s += 2;
        }
        else if (!plain_byte((unsigned char)*s)) {
            return 0;
        }
        else {
            *out++ = *s;
        }
    }
    *out = '\0';
    return 1;
}

/* A field written by put_field(): 1 with *s (NULL for "-"), or 0. */
static int get_field(char **line, const char **s)
{
    char *f = field(line);

    if (!f) {
        return 0;
    }
    if (!strcmp(f, "-")) {
        *s = NULL;
        return 1;
    }
    *s = f + 1;
    return f[0] == '=' && unescape(f + 1);
}

static int get_digest(const char *hex, hsts_digest_t *d)
{
    apr_size_t i;

    if (!hex || strlen(hex) < HSTS_HEX_LEN) {
        return 0;
    }
    for (i = 0; i < HSTS_DIGEST_LEN; i++) {
        int hi = hex_value((unsigned char)hex[2 * i]);
        int lo = hex_value((unsigned char)hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return 0;
        }
        d->b[i] = (unsigned char)(hi * 16 + lo);
    }
    return 1;
}

static int get_int64(char **line, apr_int64_t *v)
{
    char *f = field(line), *end;

    if (!f) {
        return 0;
    }
    *v = apr_strtoi64(f, &end, 10);
    return !*end && end != f;
}

static const void *parse_file_entry(apr_pool_t *p, char *line)
{
    hsts_file_facts_t *f = apr_pcalloc(p, sizeof(*f));
    apr_int64_t count;
    const char *digests;
    int i;

    if (!get_int64(&line, &count) || count < 0 || count > 100000
        || !(digests = field(&line))
        || strlen(digests) != (count ? HSTS_HEX_LEN * (apr_size_t)count
                                     : 1)) {
        return NULL;
    }
    f->count = (int)count;
    f->certs = apr_pcalloc(p, sizeof(hsts_digest_t) * (apr_size_t)(count + 1));
    for (i = 0; i < f->count; i++) {
        if (!get_digest(digests + HSTS_HEX_LEN * (apr_size_t)i,
                        &f->certs[i])) {
            return NULL;
        }
    }
    return get_field(&line, &f->error) && !*line ? f : NULL;
}

static const void *parse_cert_entry(apr_pool_t *p, char *line)
{
    hsts_cert_facts_t *f = apr_pcalloc(p, sizeof(*f));
    apr_int64_t flags;

    if (!get_field(&line, &f->error)) {
        return NULL;
    }
    if (f->error) {
        return !*line ? f : NULL;
    }
    if (!get_int64(&line, &flags) || flags < 0 || flags > HSTS_CF_ALL
        || !get_int64(&line, &f->not_before)
        || !get_int64(&line, &f->not_after)
        || !get_field(&line, &f->subject) || !f->subject || *line) {
        return NULL;
    }
    f->flags = (unsigned int)flags;
    return f;
}

static const void *parse_verdict_entry(char *line)
{
    const char *verdict;

    return get_field(&line, &verdict) && verdict && !*line ? verdict : NULL;
}

/* An answer for a name: "<0|1> =<name>" after the certificate's digest;
 * 0 if the line is not one. */
static int parse_name_entry(hsts_cert_cache_t *c, const hsts_digest_t *cert,
                            char *line)
{
    unsigned char key[NAME_KEY_MAX];
    const char *answer = field(&line), *name;
    apr_size_t klen;

    if (!answer || (strcmp(answer, "0") != 0 && strcmp(answer, "1") != 0)
        || !get_field(&line, &name) || !name || *line
        || !(klen = name_key(key, cert, name))) {
        return 0;
    }
    if (!apr_hash_get(c->names, key, (apr_ssize_t)klen)) {
        name_insert(c, key, klen, answer[0] == '1', 0);
    }
    return 1;
}

/* One entry line into the cache (entries already there stay), its
 * strings left in the line (which is in the cache's pool); 0 if the line
 * is not one. */
static int parse_entry(hsts_cert_cache_t *c, char *line)
{
    apr_pool_t *p = c->pool;
    char *kind = field(&line), *key = field(&line);
    hsts_cache_kind_e k;
    hsts_digest_t d;
    const void *value;

    if (!kind || !key || strlen(key) != HSTS_HEX_LEN
        || !get_digest(key, &d)) {
        return 0;
    }
    if (!strcmp(kind, "N")) {
        return parse_name_entry(c, &d, line);
    }
    if (!strcmp(kind, "F")) {
        k = HSTS_CACHE_FILE;
        value = parse_file_entry(p, line);
    }
    else if (!strcmp(kind, "C")) {
        k = HSTS_CACHE_CERT;
        value = parse_cert_entry(p, line);
    }
    else if (!strcmp(kind, "V")) {
        k = HSTS_CACHE_VERDICT;
        value = parse_verdict_entry(line);
    }
    else {
        return 0;
    }
    if (value && !apr_hash_get(c->entries[k], d.b, HSTS_DIGEST_LEN)) {
        insert_owned(c, k, &d, value, 0);
    }
    return value != NULL;
}

/* Checks the header, the count and the checksum of the file's text;
 * returns where the entries begin (NUL-terminated at the "end" line),
 * or NULL. */
static char *checked_entries(char *text, apr_size_t len, int *count)
{
    const char *version = OpenSSL_version(OPENSSL_VERSION);
    char *end, *nl, *hex, *rest, *entries;
    hsts_digest_t sum, want;
    apr_int64_t n;

    if (len < 2 || text[len - 1] != '\n' || memchr(text, 0, len)) {
        return NULL;
    }
    text[len - 1] = '\0';
    end = strrchr(text, '\n');
    if (!end || strncmp(end + 1, "end ", 4) != 0) {
        return NULL;
    }
    rest = end + 5;
    if (!get_int64(&rest, &n) || n < 0 || n > 100000000
        || !(hex = field(&rest)) || strlen(hex) != HSTS_HEX_LEN
        || *rest || !get_digest(hex, &want)) {
        return NULL;
    }
    hsts_digest(NULL, text, (apr_size_t)(end + 1 - text), &sum);
    if (memcmp(sum.b, want.b, HSTS_DIGEST_LEN) != 0
        || strncmp(text, MAGIC, strlen(MAGIC)) != 0) {
        return NULL;
    }
    *end = '\0';
    nl = strchr(text, '\n');
    entries = nl ? nl + 1 : end;
    if (nl) {
        *nl = '\0';
    }
    if (!unescape(text + strlen(MAGIC))
        || strcmp(text + strlen(MAGIC), version) != 0) {
        return NULL;
    }
    *count = (int)n;
    return entries;
}

/* The entries of the file's text (in into's pool) into into; 0 if it
 * does not check out. */
static int parse_text(hsts_cert_cache_t *into, char *text, apr_size_t len)
{
    char *line, *next;
    int count = 0, n = 0, ok = 1;

    line = checked_entries(text, len, &count);
    if (!line) {
        return 0;
    }
    for (; *line && ok; line = next) {
        next = strchr(line, '\n');
        if (next) {
            *next++ = '\0';
        }
        else {
            next = line + strlen(line);
        }
        /* the checksum held: a line that does not parse means another
         * format, and the whole file is dropped rather than half of it
         * trusted */
        ok = parse_entry(into, line);
        n++;
    }
    return ok && n == count;
}

/* The file's whole text, if it is one this process may trust. */
static hsts_cache_file_e read_text(const char *path, apr_pool_t *p,
                                   char **text, apr_size_t *len,
                                   stamp_t *stamp, const char **why)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    char err[120];

    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, p);
    if (APR_STATUS_IS_ENOENT(rv)) {
        return HSTS_CACHE_FILE_ABSENT;
    }
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&fi, STAMP_WANTED | APR_FINFO_TYPE
                                    | APR_FINFO_USER | APR_FINFO_PROT, f);
    }
    if (rv != APR_SUCCESS) {
        *why = apr_psprintf(p, "cannot be read (%s)",
                            apr_strerror(rv, err, sizeof(err)));
        return HSTS_CACHE_FILE_IGNORED;
    }
    stamp_of(&fi, stamp);
    /* only a file that no one else could have written proves anything */
    if (fi.filetype != APR_REG || fi.user != geteuid()
        || (fi.protection & (APR_GWRITE | APR_WWRITE))) {
        apr_file_close(f);
        *why = fi.filetype != APR_REG ? "is not a regular file"
               : fi.user != geteuid()
               ? apr_psprintf(p, "is owned by uid %ld, not by this process's "
                              "user (uid %ld)", (long)fi.user,
                              (long)geteuid())
               : "is writable by other users than its owner";
        return HSTS_CACHE_FILE_REFUSED;
    }
    if (fi.size > MAX_FILE) {
        apr_file_close(f);
        *why = "is too large to be one";
        return HSTS_CACHE_FILE_IGNORED;
    }
    *len = (apr_size_t)fi.size;
    *text = apr_palloc(p, *len + 1);
    rv = apr_file_read_full(f, *text, *len, len);
    apr_file_close(f);
    if (rv != APR_SUCCESS) {
        *why = apr_psprintf(p, "cannot be read (%s)",
                            apr_strerror(rv, err, sizeof(err)));
        return HSTS_CACHE_FILE_IGNORED;
    }
    (*text)[*len] = '\0';
    return HSTS_CACHE_FILE_LOADED;
}

/* Takes the entries of file (a cache read from the file) into c: by
 * taking its pool when c has none (a new process), else by copying. */
static void merge_file(hsts_cert_cache_t *c, hsts_cert_cache_t *file)
{
    apr_hash_index_t *hi;
    int k, kept = 0, total = entry_count(c);

    if (!total) {
        apr_pool_destroy(c->pool);
        c->pool = file->pool;
        memcpy(c->entries, file->entries, sizeof(c->entries));
        c->names = file->names;
        c->changed = 0;
        return;
    }
    for (k = 0; k < HSTS_CACHE_KINDS; k++) {
        for (hi = apr_hash_first(NULL, file->entries[k]); hi;
             hi = apr_hash_next(hi)) {
            entry_t *e = apr_hash_this_val(hi);
            if (apr_hash_get(c->entries[k], e->key.b, HSTS_DIGEST_LEN)) {
                kept++;
                continue;
            }
            insert(c, (hsts_cache_kind_e)k, &e->key, e->value, 0);
        }
    }
    for (hi = apr_hash_first(NULL, file->names); hi; hi = apr_hash_next(hi)) {
        name_entry_t *e = apr_hash_this_val(hi);
        if (apr_hash_get(c->names, e->key, (apr_ssize_t)e->klen)) {
            kept++;
            continue;
        }
        name_insert(c, e->key, e->klen, e->covers, 0);
    }
    apr_pool_destroy(file->pool);
    /* the file now differs from the cache only if the cache held more */
    c->changed = kept != total;
}

hsts_cache_file_e hsts_cert_cache_load(hsts_cert_cache_t *c, const char *path,
                                       apr_pool_t *p, const char **why)
{
    hsts_cert_cache_t file;
    hsts_cache_file_e result;
    stamp_t stamp;
    apr_size_t len = 0;
    char *text = NULL;

    *why = NULL;
    if (unchanged(c, path, p)) {
        return HSTS_CACHE_FILE_UNCHANGED;
    }
    /* read into a cache of its own, which is all or nothing; its entries
     * are the file's text, cut in place */
    memset(&file, 0, sizeof(file));
    file.parent = c->parent;
    file.pool = own_pool(c->parent);
    make_tables(&file);
    result = read_text(path, file.pool, &text, &len, &stamp, why);
    if (result != HSTS_CACHE_FILE_LOADED) {
        *why = *why ? apr_pstrdup(p, *why) : NULL;
        apr_pool_destroy(file.pool);
        c->changed = 1;
        return result;
    }
    if (!parse_text(&file, text, len)) {
        apr_pool_destroy(file.pool);
        *why = "is damaged, truncated or of another version";
        c->changed = 1;
        return HSTS_CACHE_FILE_IGNORED;
    }
    merge_file(c, &file);
    c->stamp = stamp;
    c->stamp_known = 1;
    return HSTS_CACHE_FILE_LOADED;
}

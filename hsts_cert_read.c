/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: reading a run's files, ahead, on a thread of its own (pure;
 * hsts_cert_int.h).
 *
 * A run reads every certificate file it checks, and the cache file that
 * says what is known of their contents. On an unchanged configuration
 * that is nearly all of the certificate work, and none of it needs the
 * hosts: so the thread loads the cache file as soon as the run begins,
 * then reads and hashes the files while the caller indexes the hosts.
 * Until the thread has loaded the cache, the cache is the thread's alone:
 * every way into it from the caller (hsts_cert_get(), the end of the
 * run) waits for the thread first.
 */
#include <apr_strings.h>
#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>
#include <apr_thread_proc.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "hsts_cert_int.h"

#define MAX_CERT_FILE (64 * 1024 * 1024)

/* Makes room for more at the end of *buf (keeping its first len bytes);
 * 0 when the file would be too large. */
static int grow(apr_pool_t *p, char **buf, apr_size_t *size, apr_size_t len)
{
    apr_size_t want = *size ? 2 * *size : 16384;
    char *bigger;

    if (want > MAX_CERT_FILE + 1) {
        return 0;
    }
    bigger = apr_palloc(p, want);
    if (len) {
        memcpy(bigger, *buf, len);
    }
    *buf = bigger;
    *size = want;
    return 1;
}

/* A file read with the system's calls: thousands are read per run, and
 * an APR file object (and its cleanup) each would cost more than the
 * reading. */
char *hsts_read_whole(apr_pool_t *p, const char *path, char **buf,
                      apr_size_t *size, apr_size_t *len, const char **error)
{
    char *own = NULL;
    apr_size_t own_size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

    if (!buf) {
        buf = &own;
        size = &own_size;
    }
    *len = 0;
    while (fd >= 0) {
        ssize_t n;
        if (*len + 1 >= *size && !grow(p, buf, size, *len)) {
            err = EFBIG;
            break;
        }
        n = read(fd, *buf + *len, *size - *len - 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            err = n < 0 ? errno : 0;
            break;
        }
        *len += (apr_size_t)n;
    }
    if (fd < 0 || err) {
        char msg[120];
        *error = apr_psprintf(p, "cannot be read (%s)",
                              apr_strerror(APR_FROM_OS_ERROR(fd < 0 ? errno
                                                             : err),
                                           msg, sizeof(msg)));
        if (fd >= 0) {
            close(fd);
        }
        return NULL;
    }
    close(fd);
    (*buf)[*len] = '\0';
    return *buf;
}

#if APR_HAS_THREADS
/*
 * The thread's work: the files to read (given once), and the cache file
 * to load (asked once), which goes first. Reading does not look at the
 * cache: a file's content is not kept, and the rare file the cache does
 * not know is read again when it is got.
 */
struct hsts_read_ahead_t {
    apr_pool_t *pool;               /* the thread's */
    const EVP_MD *md;
    hsts_cert_cache_t *cache;       /* the thread's while it loads it */
    apr_thread_t *thread;
    apr_thread_mutex_t *lock;       /* over what follows */
    apr_thread_cond_t *cond;
    const char *cache_path;
    int load_asked;
    int load_done;
    hsts_cache_file_e loaded;       /* what loading it found */
    const char *why;
    apr_array_header_t *reads;      /* hsts_read_t; NULL until given */
    int next;                       /* the first read no thread took */
    int closed;                     /* nothing more will be given */
    apr_hash_t *by_path;            /* path -> hsts_read_t, once joined */
    int joined;
};

/* The next file to read, or -1: none left (or, for the thread, a load
 * to do first). */
static int take(struct hsts_read_ahead_t *ra, int thread)
{
    int i = -1;

    apr_thread_mutex_lock(ra->lock);
    if (ra->reads && ra->next < ra->reads->nelts
        && !(thread && ra->load_asked && !ra->load_done)) {
        i = ra->next++;
    }
    apr_thread_mutex_unlock(ra->lock);
    return i;
}

/* Reads and hashes what is left, each file into one buffer. */
static void read_rest(struct hsts_read_ahead_t *ra, apr_pool_t *p, int thread)
{
    char *buf = NULL;
    apr_size_t size = 0;
    int i;

    while ((i = take(ra, thread)) >= 0) {
        hsts_read_t *r = &APR_ARRAY_IDX(ra->reads, i, hsts_read_t);
        const char *data = hsts_read_whole(p, r->path, &buf, &size, &r->len,
                                           &r->error);
        if (data) {
            hsts_digest(ra->md, data, r->len, &r->digest);
            r->ok = 1;
        }
    }
}

/* What the thread does next: 1 load, 2 read, 0 end. */
static int next_job(struct hsts_read_ahead_t *ra)
{
    int job;

    apr_thread_mutex_lock(ra->lock);
    for (;;) {
        if (ra->load_asked && !ra->load_done) {
            job = 1;
            break;
        }
        if (ra->reads && ra->next < ra->reads->nelts) {
            job = 2;
            break;
        }
        if (ra->closed) {
            job = 0;
            break;
        }
        apr_thread_cond_wait(ra->cond, ra->lock);
    }
    apr_thread_mutex_unlock(ra->lock);
    return job;
}

static void *APR_THREAD_FUNC read_thread(apr_thread_t *t, void *data)
{
    struct hsts_read_ahead_t *ra = data;
    int job;

    (void)t;
    while ((job = next_job(ra)) != 0) {
        if (job == 2) {
            read_rest(ra, ra->pool, 1);
            continue;
        }
        ra->loaded = hsts_cert_cache_load(ra->cache, ra->cache_path,
                                          ra->pool, &ra->why);
        apr_thread_mutex_lock(ra->lock);
        ra->load_done = 1;
        apr_thread_cond_broadcast(ra->cond);
        apr_thread_mutex_unlock(ra->lock);
    }
    return NULL;
}

/* Says that nothing more will be given (stop: and that what was not
 * begun is not to be read). */
static void close_ahead(struct hsts_read_ahead_t *ra, int stop)
{
    apr_thread_mutex_lock(ra->lock);
    ra->closed = 1;
    if (stop && ra->reads) {
        ra->next = ra->reads->nelts;
    }
    apr_thread_cond_broadcast(ra->cond);
    apr_thread_mutex_unlock(ra->lock);
}

/* The calling thread reads what the other has not begun, then waits
 * for it (on a busy machine the other may have had little time); then
 * the cache is the caller's, and what was read is at hand by path. */
static void finish(hsts_cert_store_t *s, struct hsts_read_ahead_t *ra)
{
    apr_status_t rv;
    int i;

    if (ra->joined) {
        return;
    }
    close_ahead(ra, 0);
    read_rest(ra, s->pool, 0);
    apr_thread_join(&rv, ra->thread);
    ra->joined = 1;
    for (i = 0; ra->reads && i < ra->reads->nelts; i++) {
        hsts_read_t *r = &APR_ARRAY_IDX(ra->reads, i, hsts_read_t);
        apr_hash_set(ra->by_path, r->path, APR_HASH_KEY_STRING, r);
    }
}

/* Before the thread's pool goes with the store's, the thread ends. */
static apr_status_t read_ahead_cleanup(void *data)
{
    struct hsts_read_ahead_t *ra = data;
    apr_status_t rv;

    if (!ra->joined) {
        close_ahead(ra, 1);
        apr_thread_join(&rv, ra->thread);
        ra->joined = 1;
    }
    return APR_SUCCESS;
}

/* The thread, started; NULL if it cannot be. */
static struct hsts_read_ahead_t *start(hsts_cert_store_t *s)
{
    struct hsts_read_ahead_t *ra = apr_pcalloc(s->pool, sizeof(*ra));
    sigset_t all, old;
    apr_status_t rv;

    ra->md = s->md;
    ra->cache = s->cache;
    ra->loaded = HSTS_CACHE_FILE_ABSENT;
    ra->by_path = apr_hash_make(s->pool);
    if (!(ra->pool = hsts_own_pool(s->pool))
        || apr_thread_mutex_create(&ra->lock, APR_THREAD_MUTEX_DEFAULT,
                                   s->pool) != APR_SUCCESS
        || apr_thread_cond_create(&ra->cond, s->pool) != APR_SUCCESS) {
        return NULL;
    }
    /* the thread takes none of the signals meant for httpd */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    rv = apr_thread_create(&ra->thread, NULL, read_thread, ra, ra->pool);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rv != APR_SUCCESS) {
        apr_pool_destroy(ra->pool);
        return NULL;
    }
    apr_pool_pre_cleanup_register(s->pool, ra, read_ahead_cleanup);
    return ra;
}

void hsts_cert_store_load(hsts_cert_store_t *s, const char *path)
{
    if (s->load_tried || !path) {
        return;
    }
    s->load_tried = 1;
    if (!s->ahead && !s->no_threads) {
        s->ahead = start(s);
    }
    if (!s->ahead) {
        s->loaded = hsts_cert_cache_load(s->cache, path, s->pool,
                                         &s->load_why);
        return;
    }
    apr_thread_mutex_lock(s->ahead->lock);
    s->ahead->cache_path = apr_pstrdup(s->pool, path);
    s->ahead->load_asked = 1;
    apr_thread_cond_broadcast(s->ahead->cond);
    apr_thread_mutex_unlock(s->ahead->lock);
}

hsts_cache_file_e hsts_cert_store_loaded(hsts_cert_store_t *s,
                                         const char **why)
{
    /* once the thread is joined, the cache is the caller's */
    hsts_read_ahead_end(s);
    *why = s->load_why;
    return s->loaded;
}

void hsts_cert_read_ahead(hsts_cert_store_t *s,
                          const apr_array_header_t *paths)
{
    apr_array_header_t *reads;
    apr_hash_t *seen;
    int i;

    if ((s->ahead && s->ahead->reads) || !paths->nelts || s->no_threads) {
        return;
    }
    if (!s->ahead && !(s->ahead = start(s))) {
        return;
    }
    seen = apr_hash_make(s->pool);
    reads = apr_array_make(s->pool, paths->nelts, sizeof(hsts_read_t));
    for (i = 0; i < paths->nelts; i++) {
        const char *path = APR_ARRAY_IDX(paths, i, const char *);
        if (!apr_hash_get(seen, path, APR_HASH_KEY_STRING)) {
            apr_hash_set(seen, path, APR_HASH_KEY_STRING, "");
            ((hsts_read_t *)apr_array_push(reads))->path = path;
        }
    }
    apr_thread_mutex_lock(s->ahead->lock);
    s->ahead->reads = reads;
    apr_thread_cond_broadcast(s->ahead->cond);
    apr_thread_mutex_unlock(s->ahead->lock);
}

void hsts_read_ahead_end(hsts_cert_store_t *s)
{
    struct hsts_read_ahead_t *ra = s->ahead;

    if (ra) {
        finish(s, ra);
        s->read = ra->by_path;
        s->loaded = ra->load_asked ? ra->loaded : s->loaded;
        s->load_why = ra->why;
        s->ahead = NULL;
    }
}

void hsts_read_ahead_stop(hsts_cert_store_t *s)
{
    if (s->ahead) {
        read_ahead_cleanup(s->ahead);
        s->loaded = s->ahead->load_asked ? s->ahead->loaded : s->loaded;
        s->load_why = s->ahead->why;
        s->ahead = NULL;
    }
}
#else
/* Without threads the cache file is loaded at once, and the files are
 * read when got. */
void hsts_cert_store_load(hsts_cert_store_t *s, const char *path)
{
    if (!s->load_tried && path) {
        s->load_tried = 1;
        s->loaded = hsts_cert_cache_load(s->cache, path, s->pool,
                                         &s->load_why);
    }
}

hsts_cache_file_e hsts_cert_store_loaded(hsts_cert_store_t *s,
                                         const char **why)
{
    *why = s->load_why;
    return s->loaded;
}

void hsts_cert_read_ahead(hsts_cert_store_t *s,
                          const apr_array_header_t *paths)
{
    (void)s;
    (void)paths;
}

void hsts_read_ahead_end(hsts_cert_store_t *s)
{
    (void)s;
}

void hsts_read_ahead_stop(hsts_cert_store_t *s)
{
    (void)s;
}
#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* The exact-size allocations of pool_shim.h. */
#include <apr_pools.h>

#include <stdlib.h>

void *hsts_fuzz_palloc(apr_pool_t *p, apr_size_t size);

static apr_status_t free_block(void *data)
{
    free(data);
    return APR_SUCCESS;
}

void *hsts_fuzz_palloc(apr_pool_t *p, apr_size_t size)
{
    void *mem = malloc(size ? size : 1);

    if (!mem) {
        abort();
    }
    apr_pool_cleanup_register(p, mem, free_block, apr_pool_cleanup_null);
    return mem;
}

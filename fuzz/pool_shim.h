/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Force-included (-include) when the fuzz targets compile mod_hsts's
 * sources: apr_palloc in them gets a malloc'ed block of exactly the size
 * asked for, freed with the pool, so AddressSanitizer catches a write
 * one byte past it (inside a pool's big block it would go unseen).
 */
#ifndef HSTS_FUZZ_POOL_SHIM_H
#define HSTS_FUZZ_POOL_SHIM_H

#include <apr_pools.h>

void *hsts_fuzz_palloc(apr_pool_t *p, apr_size_t size);

#undef apr_palloc
#define apr_palloc(p, size) hsts_fuzz_palloc((p), (size))

#endif /* HSTS_FUZZ_POOL_SHIM_H */

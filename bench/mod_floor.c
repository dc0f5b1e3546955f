/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The floor for the benchmark: the least any module can do to send
 * Strict-Transport-Security, one apr_table_setn() of a prebuilt value in
 * the fixups hook. It does nothing else (no TLS check, no error pages,
 * no replacing of others' headers), so mod_hsts is measured against it.
 * Built by bench/run.sh; never installed.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_request.h"

static int floor_fixups(request_rec *r)
{
    apr_table_setn(r->headers_out, "Strict-Transport-Security",
                   "max-age=31536000; includeSubDomains; preload");
    return DECLINED;
}

static void floor_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_fixups(floor_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(hsts_floor) = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    floor_register_hooks,
    AP_MODULE_FLAG_NONE
};

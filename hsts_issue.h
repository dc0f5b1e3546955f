/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: issues, the unit every check reports in (pure).
 *
 * An issue is a code from hsts_codes.h, the class it is reported with
 * and a sentence saying what is wrong and how to fix it. The header
 * parser, the certificate checks and the lint all append issues to APR
 * arrays of hsts_issue_t.
 */
#ifndef HSTS_ISSUE_H
#define HSTS_ISSUE_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "hsts_codes.h"

typedef enum {
    HSTS_INFO = 0,
    HSTS_WARNING,
    HSTS_ERROR,
    /* a class only (hsts_codes.h): an error with preload intent, else a
     * warning; no issue is ever reported with it */
    HSTS_ERROR_IF_PRELOAD
} hsts_severity_e;

typedef enum {
#define HSTS_CODE_ENUM(id, name, class) HSTS_C_##id,
    HSTS_CODE_LIST(HSTS_CODE_ENUM)
#undef HSTS_CODE_ENUM
    HSTS_CODE_COUNT
} hsts_code_e;

typedef struct {
    hsts_code_e code;
    hsts_severity_e severity;
    const char *message;        /* what is wrong and how to fix it */
} hsts_issue_t;

/* A set of codes (HSTSLintIgnore), one bit per code. */
typedef apr_uint64_t hsts_code_set_t;
#define HSTS_CODE_BIT(code) (APR_UINT64_C(1) << (unsigned int)(code))

/* "header.parse.empty" for HSTS_C_HEADER_PARSE_EMPTY. */
const char *hsts_code_name(hsts_code_e code);

/* The class of a code, resolved for a host with or without preload
 * intent. */
hsts_severity_e hsts_code_severity(hsts_code_e code, int preload);

/* The code of a name; 0 when there is none (*code is left alone). */
int hsts_code_from_name(const char *name, hsts_code_e *code);

/* Appends an issue with its code's class (for a host without preload
 * intent). */
void hsts_issue_add(apr_array_header_t *issues, hsts_code_e code,
                    const char *message);

/* Appends an issue with the given class. */
void hsts_issue_add_as(apr_array_header_t *issues, hsts_code_e code,
                       hsts_severity_e severity, const char *message);

/* Counts the issues of one class. */
int hsts_issue_count(const apr_array_header_t *issues,
                     hsts_severity_e severity);

/* "error", "warning" or "info". */
const char *hsts_severity_name(hsts_severity_e severity);

#endif /* HSTS_ISSUE_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: issues and the code table (pure).
 */
#include <apr_strings.h>

#include "hsts_issue.h"

static const struct {
    const char *name;
    hsts_severity_e severity;
} codes[HSTS_CODE_COUNT] = {
#define HSTS_CODE_ENTRY(id, name, class) { name, class },
    HSTS_CODE_LIST(HSTS_CODE_ENTRY)
#undef HSTS_CODE_ENTRY
};

/* HSTSLintIgnore keeps its codes as bits of one 64-bit word. */
typedef char hsts_code_set_is_wide_enough[HSTS_CODE_COUNT <= 64 ? 1 : -1];

const char *hsts_code_name(hsts_code_e code)
{
    return codes[code].name;
}

hsts_severity_e hsts_code_severity(hsts_code_e code, int preload)
{
    hsts_severity_e severity = codes[code].severity;

    if (severity == HSTS_ERROR_IF_PRELOAD) {
        return preload ? HSTS_ERROR : HSTS_WARNING;
    }
    return severity;
}

int hsts_code_from_name(const char *name, hsts_code_e *code)
{
    int i;

    for (i = 0; i < HSTS_CODE_COUNT; i++) {
        if (!strcmp(codes[i].name, name)) {
            *code = (hsts_code_e)i;
            return 1;
        }
    }
    return 0;
}

void hsts_issue_add_as(apr_array_header_t *issues, hsts_code_e code,
                       hsts_severity_e severity, const char *message)
{
    hsts_issue_t *issue = apr_array_push(issues);

    issue->code = code;
    issue->severity = severity;
    issue->message = message;
}

void hsts_issue_add(apr_array_header_t *issues, hsts_code_e code,
                    const char *message)
{
    hsts_issue_add_as(issues, code, hsts_code_severity(code, 0), message);
}

int hsts_issue_count(const apr_array_header_t *issues,
                     hsts_severity_e severity)
{
    const hsts_issue_t *all = (const hsts_issue_t *)issues->elts;
    int i, n = 0;

    for (i = 0; i < issues->nelts; i++) {
        n += all[i].severity == severity;
    }
    return n;
}

const char *hsts_severity_name(hsts_severity_e severity)
{
    switch (severity) {
    case HSTS_ERROR:
        return "error";
    case HSTS_WARNING:
        return "warning";
    default:
        return "info";
    }
}

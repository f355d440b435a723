#ifndef LIMS_CLIBPQ_SHIM_H
#define LIMS_CLIBPQ_SHIM_H

// libpq, PostgreSQL's C client library (Debian: libpq-dev).
#include <libpq-fe.h>

#endif

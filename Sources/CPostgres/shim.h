#ifndef DESKGATE_CPOSTGRES_SHIM_H
#define DESKGATE_CPOSTGRES_SHIM_H
#include <libpq-fe.h>
// The PG_DIAG_* field codes are character-literal macros, which Swift does not import.
static const int shim_PG_DIAG_SQLSTATE = PG_DIAG_SQLSTATE;
static const int shim_PG_DIAG_MESSAGE_PRIMARY = PG_DIAG_MESSAGE_PRIMARY;
#endif

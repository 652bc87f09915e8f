/* params.c — building a statement's parameters (see db.h).  Numbers are
 * written as text into the params' own scratch space, so a typed operation
 * needs no buffers of its own. */
#include "db/db.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void db_params_init(struct db_params *p)
{
  p->n = 0;
  p->overflow = false;
}

static int next(struct db_params *p)
{
  if (p->n == DB_MAX_PARAMS) {
    p->overflow = true;
    return -1;
  }
  p->lengths[p->n] = 0;
  p->formats[p->n] = 0;
  return p->n++;
}

void db_param_text(struct db_params *p, const char *text)
{
  int i = next(p);
  if (i >= 0)
    p->values[i] = text;
}

void db_param_int64(struct db_params *p, int64_t v)
{
  int i = next(p);
  if (i < 0)
    return;
  snprintf(p->scratch[i], sizeof p->scratch[i], "%" PRId64, v);
  p->values[i] = p->scratch[i];
}

void db_param_bool(struct db_params *p, bool v)
{
  db_param_text(p, v ? "t" : "f");
}

void db_param_bytea(struct db_params *p, const void *data, size_t len)
{
  int i = next(p);
  if (i < 0)
    return;
  p->values[i] = data;
  p->lengths[i] = (int)len;
  p->formats[i] = 1;
}

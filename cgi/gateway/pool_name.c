/* pool_name.c — see pool_name.h. */
#include "gateway/pool_name.h"
#include "common/config.h"

#include <stdio.h>

const char *pool_program_name(const char *program)
{
  static char name[32];
  const char *pool = config_str("PAYGW_POOL", NULL);

  if (!pool)
    return program;
  snprintf(name, sizeof name, "%s-%s", program, pool);
  return name;
}

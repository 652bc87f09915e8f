/* fcgireq.c — see fcgireq.h. */
#include "fcgireq/fcgireq.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fcgireq_param(FCGX_ParamArray envp, const char *name, char *out, size_t outlen)
{
  const char *v = FCGX_GetParam(name, envp);
  snprintf(out, outlen, "%s", v ? v : "");
}

void fcgireq_id(FCGX_ParamArray envp, char out[FCGIREQ_ID_LEN + 1])
{
  static const char hex[] = "0123456789abcdef";
  const char *id = FCGX_GetParam("REQUEST_ID", envp);
  unsigned char raw[FCGIREQ_ID_LEN / 2];

  if (id && strlen(id) == FCGIREQ_ID_LEN) {
    memcpy(out, id, FCGIREQ_ID_LEN + 1);
    return;
  }
  RAND_bytes(raw, sizeof raw);
  for (size_t i = 0; i < sizeof raw; i++) {
    out[2 * i] = hex[raw[i] >> 4];
    out[2 * i + 1] = hex[raw[i] & 15];
  }
  out[FCGIREQ_ID_LEN] = '\0';
}

void fcgireq_path(FCGX_ParamArray envp, char *out, size_t outlen)
{
  fcgireq_param(envp, "DOCUMENT_URI", out, outlen);
  if (!out[0]) {
    fcgireq_param(envp, "REQUEST_URI", out, outlen);
    out[strcspn(out, "?")] = '\0';
  }
}

int fcgireq_query_param(const char *query, const char *name, char *out, size_t outlen)
{
  size_t name_len = strlen(name);
  const char *p = query;

  while (*p) {
    size_t seg = strcspn(p, "&");
    if (seg > name_len && strncmp(p, name, name_len) == 0 && p[name_len] == '=') {
      size_t vlen = seg - name_len - 1;
      if (vlen >= outlen)
        return -1;
      memcpy(out, p + name_len + 1, vlen);
      out[vlen] = '\0';
      return 0;
    }
    p += seg;
    if (*p == '&')
      p++;
  }
  return -1;
}

enum fcgireq_body fcgireq_body(FCGX_Request *r, size_t max_body, char **body, size_t *len)
{
  const char *declared = FCGX_GetParam("CONTENT_LENGTH", r->envp);
  long long n = declared && *declared ? atoll(declared) : 0;

  *body = NULL;
  *len = 0;
  if (n < 0 || (unsigned long long)n > max_body)
    return FCGIREQ_BODY_TOO_LARGE;
  *body = malloc(max_body + 2);
  if (!*body)
    return FCGIREQ_BODY_NO_MEMORY;
  int got = FCGX_GetStr(*body, (int)max_body + 1, r->in);
  if (got < 0)
    got = 0;
  (*body)[got] = '\0';
  *len = (size_t)got;
  return (size_t)got > max_body ? FCGIREQ_BODY_TOO_LARGE : FCGIREQ_BODY_OK;
}

/* auth_terminal.c — POS terminals and shop servers authenticate with
 * "Authorization: Bearer <terminal code>.<secret>"; the gateway keeps only
 * the SHA-256 of the secret (see auth.h for why SHA-256 suffices). */
#include "gateway/auth.h"
#include "gateway/cache.h"
#include "gateway/reply.h"
#include "gateway/tokens.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int terminal_credential_parse(const char *credential, char *code, size_t code_len, char hash_hex[65])
{
  const char *dot = strchr(credential, '.');

  if (!dot || dot == credential || (size_t)(dot - credential) >= code_len || strlen(dot + 1) != 43)
    return -1;
  memcpy(code, credential, (size_t)(dot - credential));
  code[dot - credential] = '\0';
  if (!token_is_code(code, code_len - 1))
    return -1;
  token_sha256_hex(dot + 1, hash_hex);
  return 0;
}

/* 401 with the challenge RFC 9110 wants; logged with the caller's line. */
#define REFUSE(rq, detail) refuse_at((rq), __FILE__, __LINE__, (detail))

static int refuse_at(struct request *rq, const char *file, int line, const char *detail)
{
  reply_add_header(rq, "WWW-Authenticate: Bearer realm=\"paygw\"");
  reply_fault(rq, file, line, false, PROBLEM_UNAUTHENTICATED, NULL, "%s", detail);
  return -1;
}

int auth_terminal(struct request *rq)
{
  const char *header = request_header(rq, "HTTP_AUTHORIZATION");
  char code[33], hash_hex[65];
  struct terminal_row row;

  if (!header || strncmp(header, "Bearer ", 7) != 0)
    return REFUSE(rq, "a terminal credential is required (Authorization: Bearer ...)");
  if (terminal_credential_parse(header + 7, code, sizeof code, hash_hex) != 0)
    return REFUSE(rq, "the terminal credential is malformed");
  enum db_status st = cache_terminal_by_code(rq->db, code, &row);
  if (st < 0) {
    reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
    return -1;
  }
  /* compare in constant time; an unknown terminal compares against zeros */
  if (st == DB_NO_ROWS || CRYPTO_memcmp(row.credential_hash_hex, hash_hex, 64) != 0)
    return REFUSE(rq, "the terminal credential is wrong or the terminal is disabled");
  rq->terminal.terminal_id = row.terminal_id;
  rq->terminal.merchant_id = row.merchant_id;
  snprintf(rq->terminal.terminal_code, sizeof rq->terminal.terminal_code, "%s", code);
  snprintf(rq->terminal.merchant_code, sizeof rq->terminal.merchant_code, "%s", row.merchant_code);
  snprintf(rq->terminal.merchant_name, sizeof rq->terminal.merchant_name, "%s", row.merchant_name);
  snprintf(rq->terminal.shop_name, sizeof rq->terminal.shop_name, "%s", row.shop_name);
  return 0;
}

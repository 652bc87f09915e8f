/* webhook_claim.c — db_webhook_claim: the sender's next webhook event
 * claimed in one round trip and a commit of its own before it is POSTed
 * (gateway.do_claim_webhook, sql/0017), so neither a second sender nor
 * this one after a crash sends it again before its lease ends. */
#include "gateway/db/webhook.h"
#include "common/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The leases as a bigint[] literal: "{3000,4000,...}". */
static void leases_text(const long *lease_ms, int n, char *out, size_t cap)
{
  size_t used = 0;

  out[0] = '\0';
  for (int i = 0; i < n && used < cap; i++)
    used += (size_t)snprintf(out + used, cap - used, "%s%ld", i ? "," : "{", lease_ms[i]);
  if (used < cap)
    snprintf(out + used, cap - used, "}");
}

static int hex_value(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* encode(..., 'hex') of the sealed secret into bytes; false when it is not
 * that or does not fit. */
static bool unhex(const char *hex, unsigned char *out, size_t cap, size_t *len)
{
  size_t n = strlen(hex);

  *len = 0;
  if (n % 2 != 0 || n / 2 > cap)
    return false;
  for (size_t i = 0; i < n / 2; i++) {
    int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return false;
    out[i] = (unsigned char)(hi << 4 | lo);
  }
  *len = n / 2;
  return true;
}

enum db_status db_webhook_claim(struct db *db, const long *lease_ms, int n_leases, struct webhook_claim *out)
{
  static struct db_statement st = DB_STATEMENT(
      "webhook_claim", DB_CHANGE, 1,
      "SELECT id, event_id, event_type, body, attempt, url, secret, secret_key_id, merchant_id, merchant_code,"
      "       txn_number FROM gateway.do_claim_webhook($1::bigint[])");
  char leases[24 * WEBHOOK_LEASES_MAX];
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  if (n_leases < 1 || n_leases > WEBHOOK_LEASES_MAX) {
    LOG_BUG("%d leases given, 1 to %d expected", n_leases, WEBHOOK_LEASES_MAX);
    return DB_HARD_ERROR;
  }
  leases_text(lease_ms, n_leases, leases, sizeof leases);
  db_params_init(&p);
  db_param_text(&p, leases);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    out->id = db_int64(res, 0, "id");
    db_copy(res, 0, "event_id", out->event_id);
    db_copy(res, 0, "event_type", out->event_type);
    out->body = strdup(db_text(res, 0, "body") ? db_text(res, 0, "body") : "");
    out->attempt = (int)db_int64(res, 0, "attempt");
    db_copy(res, 0, "url", out->url);
    if (!db_null(res, 0, "secret")
        && !unhex(db_text(res, 0, "secret"), out->sealed, sizeof out->sealed, &out->sealed_len))
      LOG_BUG("event %s: the merchant's sealed secret is not hex of at most %zu bytes", out->event_id,
              sizeof out->sealed);
    out->key_id = db_null(res, 0, "secret_key_id") ? 0 : (int)db_int64(res, 0, "secret_key_id");
    out->merchant_id = db_int64(res, 0, "merchant_id");
    db_copy(res, 0, "merchant_code", out->merchant_code);
    db_copy(res, 0, "txn_number", out->txn_number);
    if (!out->body)
      s = DB_HARD_ERROR; /* claimed, and the lease will bring it back */
  }
  if (res)
    PQclear(res);
  return s;
}

void db_webhook_claim_free(struct webhook_claim *c)
{
  free(c->body);
  c->body = NULL;
}

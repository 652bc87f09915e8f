/* enrol.c — puts issuers, card ranges, merchants with their methods and card
 * accounts into the issuer schema (enrol.h).  Card numbers are encrypted
 * (cardcrypt) before they reach the database — the ciphertext bound to the
 * account's row ID and lookup hash — and their issuer is found from the
 * range table in this process, so a clear card number never leaves it. */
#include "credit-server/enrol.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cardcrypt.h"
#include "common/demo_data.h"
#include "common/log.h"
#include "common/pan.h"
#include "credit-server/db.h"

static const char sql_issuer[] =
  "INSERT INTO issuer.issuers (code, name) VALUES ($1, $2)"
  " ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name";
static const char sql_range[] =
  "INSERT INTO issuer.card_ranges (low, high, issuer_code) VALUES ($1, $2, $3)"
  " ON CONFLICT (low, high) DO UPDATE SET issuer_code = EXCLUDED.issuer_code";
static const char sql_merchant[] =
  "INSERT INTO issuer.merchants (merchant_code, credit_merchant_code, name, status) VALUES ($1, $2, $3, $4)"
  " ON CONFLICT (merchant_code) DO UPDATE SET credit_merchant_code = EXCLUDED.credit_merchant_code,"
  "   name = EXCLUDED.name, status = EXCLUDED.status";
static const char sql_methods[] =
  "INSERT INTO issuer.merchant_methods (merchant_id, issuer_code, methods, installment_counts)"
  " SELECT id, $2, string_to_array($3, ' '), coalesce(string_to_array(nullif($4, ''), ' ')::smallint[], '{}')"
  "   FROM issuer.merchants WHERE merchant_code = $1"
  " ON CONFLICT (merchant_id, issuer_code) DO UPDATE SET methods = EXCLUDED.methods,"
  "   installment_counts = EXCLUDED.installment_counts";
/* The account's row ID, taken before the row is written (the ciphertext is
 * bound to it): the existing account's, locked, or a new one. */
static const char sql_account_id[] =
  "SELECT coalesce((SELECT id FROM issuer.card_accounts WHERE card_lookup_hash = $1 FOR UPDATE),"
  "                nextval(pg_get_serial_sequence('issuer.card_accounts', 'id')))";
/* re-enrolling keeps the balance (a lowered limit never goes under it) and
 * seals the number again for its row; an account another enrolment made
 * meanwhile under another ID is left alone (no row returned) */
static const char sql_account[] =
  "INSERT INTO issuer.card_accounts (id, issuer_code, holder, address, card_ciphertext, card_key_id, card_aad,"
  "   card_lookup_hash, card_masked, expiry, credit_limit, currency) OVERRIDING SYSTEM VALUE"
  " VALUES ($1::bigint, $2, $3, $4, decode($5, 'hex'), $6, $7, $8, $9, $10, $11, $12)"
  " ON CONFLICT (card_lookup_hash) DO UPDATE SET issuer_code = EXCLUDED.issuer_code, holder = EXCLUDED.holder,"
  "   address = EXCLUDED.address, expiry = EXCLUDED.expiry, currency = EXCLUDED.currency,"
  "   credit_limit = greatest(EXCLUDED.credit_limit, issuer.card_accounts.balance),"
  "   card_ciphertext = EXCLUDED.card_ciphertext, card_key_id = EXCLUDED.card_key_id,"
  "   card_aad = EXCLUDED.card_aad, card_masked = EXCLUDED.card_masked"
  " WHERE issuer.card_accounts.id = EXCLUDED.id"
  " RETURNING id";

static bool run(PGconn *conn, const char *sql, int n, const char *const *params)
{
  PGresult *r = db_exec(conn, sql, n, params, PGRES_COMMAND_OK);

  PQclear(r);
  return r != NULL;
}

/* The issuer whose range holds pan (bounds are prefixes, the longest wins). */
static bool issuer_for_pan(PGconn *conn, const char *pan, char *out, size_t cap)
{
  PGresult *r = db_exec(conn, "SELECT low, high, issuer_code FROM issuer.card_ranges", 0, NULL, PGRES_TUPLES_OK);
  size_t best = 0;

  if (!r)
    return false;
  for (int i = 0; i < PQntuples(r); i++) {
    const char *low = PQgetvalue(r, i, 0), *high = PQgetvalue(r, i, 1);
    char lo[20], hi[20], p[20];
    snprintf(lo, sizeof lo, "%-19s", low);
    snprintf(hi, sizeof hi, "%-19s", high);
    snprintf(p, sizeof p, "%-19s", pan);
    for (int k = 0; k < 19; k++) {
      if (lo[k] == ' ') lo[k] = '0';
      if (hi[k] == ' ') hi[k] = '9';
      if (p[k] == ' ') p[k] = '0';
    }
    if (strcmp(lo, p) <= 0 && strcmp(p, hi) <= 0 && strlen(low) > best) {
      best = strlen(low);
      snprintf(out, cap, "%s", PQgetvalue(r, i, 2));
    }
  }
  PQclear(r);
  return best > 0;
}

/* The row ID the account of lookup hash `hash` has or will have. */
static bool account_id(PGconn *conn, const char *hash, char id[24])
{
  const char *params[] = { hash };
  PGresult *r = db_exec(conn, sql_account_id, 1, params, PGRES_TUPLES_OK);

  if (!r)
    return false;
  snprintf(id, 24, "%s", PQgetvalue(r, 0, 0));
  PQclear(r);
  return true;
}

static bool put_account(PGconn *conn, const struct enrol_account *a, int64_t *id)
{
  unsigned char blob[CARDCRYPT_MAX_BLOB];
  char hex[2 * CARDCRYPT_MAX_BLOB + 1], hash[CARDCRYPT_LOOKUP_HEX], key_id[12], limit[24], aad[8];
  char issuer[17], masked[PAN_MAX_LEN + 1], row_id[24];
  size_t blob_len = 0;
  int kid = 0;

  if (!pan_is_valid(a->pan) || !expiry_is_wellformed(a->expiry) || a->credit_limit <= 0) {
    log_msg(LOG_ERROR, "the card account is not valid (card number, expiry YYMM or a positive limit)");
    return false;
  }
  pan_mask(a->pan, masked, sizeof masked);
  if (!issuer_for_pan(conn, a->pan, issuer, sizeof issuer)) {
    log_msg(LOG_ERROR, "no issuer range holds the card %s", masked);
    return false;
  }
  if (card_lookup_hash(a->pan, hash) != 0 || !account_id(conn, hash, row_id))
    return false;
  struct card_binding bind = { .row_id = strtoll(row_id, NULL, 10), .lookup_hex = hash };
  if (card_encrypt(a->pan, &bind, blob, &blob_len, &kid) != 0)
    return false;
  for (size_t i = 0; i < blob_len; i++)
    snprintf(hex + 2 * i, 3, "%02x", blob[i]);
  snprintf(key_id, sizeof key_id, "%d", kid);
  snprintf(aad, sizeof aad, "%d", CARD_AAD_CURRENT);
  snprintf(limit, sizeof limit, "%" PRId64, a->credit_limit);
  const char *params[] = { row_id, issuer, a->holder, a->address, hex, key_id, aad, hash, masked, a->expiry, limit,
                           a->currency ? a->currency : "392" };
  PGresult *r = db_exec(conn, sql_account, 12, params, PGRES_TUPLES_OK);
  if (!r)
    return false;
  bool made = PQntuples(r) == 1;
  if (made)
    *id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  else
    log_msg(LOG_ERROR, "the account of card %s was enrolled meanwhile by another run; enrol it again", masked);
  PQclear(r);
  return made;
}

static bool put_merchant(PGconn *conn, const struct enrol_merchant *m)
{
  const char *p1[] = { m->merchant_code, m->credit_code, m->name, m->status ? m->status : "active" };
  if (!run(conn, sql_merchant, 4, p1))
    return false;
  if (!m->issuer_code)
    return true;
  const char *p2[] = { m->merchant_code, m->issuer_code, m->methods ? m->methods : "",
                       m->installments ? m->installments : "" };
  return run(conn, sql_methods, 4, p2);
}

/* Connects, runs body in one transaction, commits or rolls back. */
static int in_transaction(const char *uri, bool (*body)(PGconn *, const void *), const void *arg)
{
  PGconn *conn = PQconnectdb(uri);
  int rc = -1;

  if (PQstatus(conn) != CONNECTION_OK) {
    log_event(LOG_ERROR, json_pack("{s:s, s:s}", "msg", "cannot connect to the issuer database",
                                   "error", PQerrorMessage(conn)));
  } else if (run(conn, "BEGIN", 0, NULL)) {
    if (body(conn, arg) && run(conn, "COMMIT", 0, NULL))
      rc = 0;
    else
      run(conn, "ROLLBACK", 0, NULL);
  }
  PQfinish(conn);
  return rc;
}

static bool demo_body(PGconn *conn, const void *unused)
{
  (void)unused;
  for (const struct demo_issuer_range *r = demo_ranges; r->low; r++) {
    const char *pi[] = { r->issuer_code, r->issuer_name };
    const char *pr[] = { r->low, r->high, r->issuer_code };
    if (!run(conn, sql_issuer, 2, pi) || !run(conn, sql_range, 3, pr))
      return false;
  }
  for (int i = 0; demo_merchants[i].code; i++) {
    char credit_code[40];
    snprintf(credit_code, sizeof credit_code, "CR-%s", demo_merchants[i].code);
    struct enrol_merchant m = { demo_merchants[i].code, credit_code, demo_merchants[i].shop, "active", 0, 0, 0 };
    if (!put_merchant(conn, &m))
      return false;
  }
  for (const struct demo_merchant_method *dm = demo_methods; dm->merchant_code; dm++) {
    char counts[64] = "";
    for (int k = 0; k < 4 && dm->installment_counts[k]; k++)
      snprintf(counts + strlen(counts), sizeof counts - strlen(counts), "%s%d", k ? " " : "",
               dm->installment_counts[k]);
    const char *p[] = { dm->merchant_code, dm->issuer_code, dm->methods, counts };
    if (!run(conn, sql_methods, 4, p))
      return false;
  }
  int n = 0;
  for (const struct demo_card *c = demo_cards; c->user_id; c++) {
    if (c->credit_limit <= 0)
      continue;                 /* a card the issuer does not hold (answers 14) */
    struct enrol_account a = { c->pan, c->issuer_expiry ? c->issuer_expiry : c->expiry, c->holder, c->address,
                               "392", c->credit_limit };
    int64_t id;
    if (!put_account(conn, &a, &id))
      return false;
    n++;
  }
  log_event(LOG_INFO, json_pack("{s:s, s:i}", "msg", "demo accounts enrolled", "accounts", n));
  printf("enrolled %d demo card accounts\n", n);
  return true;
}

int enrol_demo(const char *uri)
{
  return in_transaction(uri, demo_body, NULL);
}

static bool account_body(PGconn *conn, const void *arg)
{
  int64_t id;

  if (!put_account(conn, arg, &id))
    return false;
  printf("account %" PRId64 "\n", id);
  return true;
}

int enrol_account_run(const char *uri, const struct enrol_account *a)
{
  return in_transaction(uri, account_body, a);
}

static bool merchant_body(PGconn *conn, const void *arg)
{
  return put_merchant(conn, arg);
}

int enrol_merchant_run(const char *uri, const struct enrol_merchant *m)
{
  return in_transaction(uri, merchant_body, m);
}

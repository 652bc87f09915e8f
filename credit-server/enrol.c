/* enrol.c — puts issuers, card ranges, merchants with their methods and card
 * accounts into the issuer schema (enrol.h).  Card numbers are encrypted
 * (cardcrypt) before they reach the database — the ciphertext bound to the
 * account's row ID and lookup hash — and their issuer is found from the
 * range table in this process, so a clear card number never leaves it.
 * Each mode is one transaction (issuer_enrol_transaction) of the operations in
 * credit-server/db/; what it prints comes after the COMMIT, so a
 * transaction run again after a serialization failure prints once. */
#include "credit-server/enrol.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cardcrypt.h"
#include "common/demo_data.h"
#include "common/log.h"
#include "common/pan.h"
#include "credit-server/db/ops.h"

bool enrol_issuer_for_pan(const struct card_range *ranges, int n, const char *pan, char *out, size_t cap)
{
  size_t best = 0;
  char p[20];

  snprintf(p, sizeof p, "%-19s", pan);
  for (int k = 0; k < 19; k++)
    if (p[k] == ' ')
      p[k] = '0';
  for (int i = 0; i < n; i++) {
    char lo[20], hi[20];
    snprintf(lo, sizeof lo, "%-19s", ranges[i].low);
    snprintf(hi, sizeof hi, "%-19s", ranges[i].high);
    for (int k = 0; k < 19; k++) {
      if (lo[k] == ' ')
        lo[k] = '0';
      if (hi[k] == ' ')
        hi[k] = '9';
    }
    if (strcmp(lo, p) <= 0 && strcmp(p, hi) <= 0 && strlen(ranges[i].low) > best) {
      best = strlen(ranges[i].low);
      snprintf(out, cap, "%s", ranges[i].issuer_code);
    }
  }
  return best > 0;
}

/* The issuer whose range holds pan (bounds are prefixes, the longest wins). */
static bool issuer_for_pan(struct db *db, const char *pan, char *out, size_t cap)
{
  static struct card_range ranges[ISSUER_MAX_RANGES]; /* enrolment is one thread */
  int n = 0;

  if (issuer_ranges_read(db, ranges, ISSUER_MAX_RANGES, &n) < 0)
    return false;
  return enrol_issuer_for_pan(ranges, n, pan, out, cap);
}

/* Fails the transaction (rolled back) unless s is a success. */
static bool ok(enum db_status s)
{
  return s >= 0;
}

static bool put_account(struct db *db, const struct enrol_account *a, int64_t *id)
{
  unsigned char blob[CARDCRYPT_MAX_BLOB];
  char hash[CARDCRYPT_LOOKUP_HEX], issuer[17], masked[PAN_MAX_LEN + 1];
  size_t blob_len = 0;
  int kid = 0;
  int64_t row_id = 0;

  if (!pan_is_valid(a->pan) || !expiry_is_wellformed(a->expiry) || a->credit_limit <= 0) {
    log_msg(LOG_ERROR, "the card account is not valid (card number, expiry YYMM or a positive limit)");
    return false;
  }
  pan_mask(a->pan, masked, sizeof masked);
  if (!issuer_for_pan(db, a->pan, issuer, sizeof issuer)) {
    log_msg(LOG_ERROR, "no issuer range holds the card %s", masked);
    return false;
  }
  if (card_lookup_hash(a->pan, hash) != 0 || issuer_account_id(db, hash, &row_id) != DB_ONE_ROW)
    return false;
  struct card_binding bind = { .row_id = row_id, .lookup_hex = hash };
  if (card_encrypt(a->pan, &bind, blob, &blob_len, &kid) != 0)
    return false;
  struct account_row row = { .id = row_id,
                             .issuer_code = issuer,
                             .holder = a->holder,
                             .address = a->address,
                             .ciphertext = blob,
                             .ciphertext_len = blob_len,
                             .key_id = kid,
                             .aad_format = CARD_AAD_CURRENT,
                             .card_hash = hash,
                             .card_masked = masked,
                             .expiry = a->expiry,
                             .credit_limit = a->credit_limit,
                             .currency = a->currency ? a->currency : "392" };
  enum db_status s = issuer_account_put(db, &row);
  if (s == DB_NO_ROWS)
    log_msg(LOG_ERROR, "the account of card %s was enrolled meanwhile by another run; enrol it again", masked);
  if (s != DB_ONE_ROW)
    return false;
  *id = row_id;
  return true;
}

static bool put_merchant(struct db *db, const struct enrol_merchant *m)
{
  struct merchant_row row = { m->merchant_code, m->credit_code, m->name, m->status ? m->status : "active" };

  if (!ok(issuer_merchant_put(db, &row)))
    return false;
  if (!m->issuer_code)
    return true;
  return ok(issuer_merchant_methods_put(db, m->merchant_code, m->issuer_code, m->methods ? m->methods : "",
                                        m->installments ? m->installments : ""));
}

/* Connects, runs body as one transaction (rolled back when it fails). */
static int in_transaction(const char *uri, const char *label, db_txn_fn body, void *arg)
{
  struct db *db = db_open(uri, "credit-server-enrol");
  int rc = -1;

  if (!db)
    return -1;
  if (!db_ensure_connected(db))
    log_event(LOG_ERROR, json_pack("{s:s}", "msg", "cannot connect to the issuer database"));
  else if (issuer_enrol_transaction(db, label, body, arg) >= 0)
    rc = 0;
  db_close(db);
  return rc;
}

static enum db_status demo_body(struct db *db, void *arg)
{
  int *n = arg;

  *n = 0;
  for (const struct demo_issuer_range *r = demo_ranges; r->low; r++)
    if (!ok(issuer_put(db, r->issuer_code, r->issuer_name))
        || !ok(issuer_range_put(db, r->low, r->high, r->issuer_code)))
      return DB_ABORT;
  for (int i = 0; demo_merchants[i].code; i++) {
    char credit_code[40];
    snprintf(credit_code, sizeof credit_code, "CR-%s", demo_merchants[i].code);
    struct enrol_merchant m = { demo_merchants[i].code, credit_code, demo_merchants[i].shop, "active", 0, 0, 0 };
    if (!put_merchant(db, &m))
      return DB_ABORT;
  }
  for (const struct demo_merchant_method *dm = demo_methods; dm->merchant_code; dm++) {
    char counts[64] = "";
    for (int k = 0; k < 4 && dm->installment_counts[k]; k++)
      snprintf(counts + strlen(counts), sizeof counts - strlen(counts), "%s%d", k ? " " : "",
               dm->installment_counts[k]);
    if (!ok(issuer_merchant_methods_put(db, dm->merchant_code, dm->issuer_code, dm->methods, counts)))
      return DB_ABORT;
  }
  for (const struct demo_card *c = demo_cards; c->user_id; c++) {
    if (c->credit_limit <= 0)
      continue; /* a card the issuer does not hold (answers 14) */
    struct enrol_account a = { c->pan,    c->issuer_expiry ? c->issuer_expiry : c->expiry,
                               c->holder, c->address,
                               "392",     c->credit_limit };
    int64_t id;
    if (!put_account(db, &a, &id))
      return DB_ABORT;
    (*n)++;
  }
  return DB_ONE_ROW;
}

int enrol_demo(const char *uri)
{
  int n = 0;

  if (in_transaction(uri, "enrol demo", demo_body, &n) != 0)
    return -1;
  log_event(LOG_INFO, json_pack("{s:s, s:i}", "msg", "demo accounts enrolled", "accounts", n));
  printf("enrolled %d demo card accounts\n", n);
  return 0;
}

struct account_job {
  const struct enrol_account *account;
  int64_t id;
};

static enum db_status account_body(struct db *db, void *arg)
{
  struct account_job *job = arg;

  return put_account(db, job->account, &job->id) ? DB_ONE_ROW : DB_ABORT;
}

int enrol_account_run(const char *uri, const struct enrol_account *a)
{
  struct account_job job = { .account = a };

  if (in_transaction(uri, "enrol account", account_body, &job) != 0)
    return -1;
  printf("account %" PRId64 "\n", job.id);
  return 0;
}

static enum db_status merchant_body(struct db *db, void *arg)
{
  return put_merchant(db, arg) ? DB_ONE_ROW : DB_ABORT;
}

int enrol_merchant_run(const char *uri, const struct enrol_merchant *m)
{
  return in_transaction(uri, "enrol merchant", merchant_body, (void *)m);
}

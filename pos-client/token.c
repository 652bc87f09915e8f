/* token.c — a token sale at the POS (token.h). */
#include "pos-client/token.h"
#include "common/tokencrypt.h"

#include <stdlib.h>
#include <string.h>

#define ECN_MIN 51 /* 51-63 base64url characters: 10-19 digits (contract, Changes: credit 09:55) */

static const char *jstr(const json_t *o, const char *name)
{
  const char *v = json_string_value(json_object_get(o, name));
  return v ? v : "";
}

bool token_status_final(const char *status)
{
  static const char *const finals[] = { "issued", "rejected", "canceled", "expired", "failed", NULL };
  for (int i = 0; status && finals[i]; i++)
    if (strcmp(status, finals[i]) == 0)
      return true;
  return false;
}

static bool all_of(const char *s, const char *set, size_t min, size_t max)
{
  size_t n = strlen(s);
  return n >= min && n <= max && strspn(s, set) == n;
}

#define B64URL "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
#define DIGITS "0123456789"

/* Copies a member that must match `set` with min..max characters. */
static int take(char *dst, size_t cap, const json_t *o, const char *name, const char *set, size_t min, size_t max,
                char *err, size_t errlen)
{
  const char *v = jstr(o, name);
  if (!all_of(v, set, min, max) || strlen(v) >= cap) {
    snprintf(err, errlen, "the gateway's answer has no well-formed %s", name);
    return -1;
  }
  snprintf(dst, cap, "%s", v);
  return 0;
}

int token_sale_from_answer(struct token_sale *t, const json_t *answer, const struct sale *s, const char *method,
                           int installments, char *err, size_t errlen)
{
  const json_t *tok = json_object_get(answer, "token");

  memset(t, 0, sizeof *t);
  if (strcmp(jstr(answer, "status"), "issued") != 0 || !json_is_object(tok)) {
    snprintf(err, errlen, "the token request is not issued");
    return -1;
  }
  if (json_integer_value(json_object_get(answer, "total")) != s->total
      || strcmp(jstr(answer, "currency"), s->currency) != 0) {
    snprintf(err, errlen, "the gateway's token is not for this sale's total");
    return -1;
  }
  /* the id "tk_" + base64url: B64URL covers it */
  if (take(t->token_id, sizeof t->token_id, answer, "id", B64URL, 4, 60, err, errlen) != 0
      || take(t->key_id, sizeof t->key_id, tok, "key_id", B64URL, TOKEN_KEY_ID_TEXT, TOKEN_KEY_ID_TEXT, err, errlen)
      || take(t->ecn, sizeof t->ecn, tok, "encrypted_card_number", B64URL, ECN_MIN, TOKEN_NUMBER_TEXT_MAX, err, errlen)
      || take(t->expiry, sizeof t->expiry, tok, "expiry", DIGITS, TOKEN_EXPIRY_TEXT, TOKEN_EXPIRY_TEXT, err, errlen))
    return -1;
  const char *tid = jstr(answer, "iso_terminal_id"), *merchant = jstr(answer, "merchant");
  const char *cur = jstr(answer, "currency_numeric"), *last4 = jstr(tok, "card_last4");
  if (!*tid || strlen(tid) > 8 || !all_of(merchant, DIGITS, 1, 15) || !all_of(cur, DIGITS, 3, 3)
      || !token_expiry_valid(t->expiry) || (*last4 && !all_of(last4, DIGITS, 4, 4))) {
    snprintf(err, errlen, "the gateway's answer lacks the terminal, merchant or currency, or has a malformed part");
    return -1;
  }
  snprintf(t->terminal_id, sizeof t->terminal_id, "%s", tid);
  snprintf(t->merchant, sizeof t->merchant, "%s", merchant);
  snprintf(t->currency_numeric, sizeof t->currency_numeric, "%s", cur);
  snprintf(t->card_last4, sizeof t->card_last4, "%s", last4);
  snprintf(t->method, sizeof t->method, "%s", method && *method ? method : "L");
  t->installments = installments;
  t->amount = s->total;
  return 0;
}

void token_auth_fields(const struct token_sale *t, struct iso_auth_fields *f)
{
  memset(f, 0, sizeof *f);
  f->amount = t->amount;
  f->currency_numeric = t->currency_numeric;
  f->merchant_code = t->merchant;
  f->terminal_id = t->terminal_id;
  f->stan = t->stan;
  snprintf(f->transmission_time, sizeof f->transmission_time, "%s", t->transmission_time);
  f->method = t->method;
  f->installments = t->installments;
}

int token_build_request(const struct token_sale *t, struct iso_msg *m)
{
  struct iso_auth_fields f;

  token_auth_fields(t, &f);
  int rc = iso_auth_build(m, &f);
  rc |= iso_set(m, ISO_F_TOKEN_KEY_ID, t->key_id);
  rc |= iso_set(m, ISO_F_TOKEN_NUMBER, t->ecn);
  rc |= iso_set(m, ISO_F_TOKEN_EXPIRY, t->expiry);
  return rc == 0 ? ISO_OK : ISO_ERR_FORMAT;
}

static void set_str(json_t *o, const char *name, const char *v)
{
  if (v && *v)
    json_object_set_new(o, name, json_string(v));
}

char *token_journal_line(const struct sale *s, const char *when, const char *status, const char *user_id,
                         const json_t *answer, const struct token_sale *t, const char *response_code,
                         const char *approval_code, const char *reason)
{
  /* the sale's part as `pos sale` writes it, then the token's */
  char *base = sale_journal_line(s, when, status, user_id, NULL, reason);
  json_t *line = base ? json_loads(base, 0, NULL) : NULL;
  char stan[8];

  free(base);
  if (!line)
    return NULL;
  json_object_del(line, "transaction");
  set_str(line, "token", t && t->token_id[0] ? t->token_id : jstr(answer, "id"));
  set_str(line, "binding_code", jstr(answer, "binding_code"));
  if (!reason && answer && jstr(answer, "reason")[0])
    set_str(line, "reason", jstr(answer, "reason"));
  if (t) {
    snprintf(stan, sizeof stan, "%06lu", t->stan);
    set_str(line, "key_id", t->key_id);
    set_str(line, "encrypted_card_number", t->ecn);
    set_str(line, "expiry", t->expiry);
    if (t->card_last4[0]) {
      char masked[24];
      snprintf(masked, sizeof masked, "************%s", t->card_last4);
      set_str(line, "card", masked);
    }
    set_str(line, "iso_terminal_id", t->terminal_id);
    set_str(line, "merchant", t->merchant);
    set_str(line, "currency_numeric", t->currency_numeric);
    set_str(line, "method", t->method);
    if (t->installments > 0)
      json_object_set_new(line, "installments", json_integer(t->installments));
    if (t->stan)
      set_str(line, "stan", stan);
    set_str(line, "transmission_time", t->transmission_time);
  }
  set_str(line, "response_code", response_code);
  set_str(line, "approval_code", approval_code);
  char *text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(line);
  return text;
}

int token_sale_from_line(const json_t *line, struct token_sale *t)
{
  char err[160];
  char *end;

  memset(t, 0, sizeof *t);
  if (strncmp(jstr(line, "status"), "token_", 6) != 0
      || take(t->key_id, sizeof t->key_id, line, "key_id", B64URL, TOKEN_KEY_ID_TEXT, TOKEN_KEY_ID_TEXT, err,
              sizeof err)
      || take(t->ecn, sizeof t->ecn, line, "encrypted_card_number", B64URL, ECN_MIN, TOKEN_NUMBER_TEXT_MAX, err,
              sizeof err)
      || take(t->expiry, sizeof t->expiry, line, "expiry", DIGITS, 14, 14, err, sizeof err)
      || take(t->merchant, sizeof t->merchant, line, "merchant", DIGITS, 1, 15, err, sizeof err)
      || take(t->currency_numeric, sizeof t->currency_numeric, line, "currency_numeric", DIGITS, 3, 3, err, sizeof err)
      || take(t->transmission_time, sizeof t->transmission_time, line, "transmission_time", DIGITS, 10, 10, err,
              sizeof err))
    return -1;
  const char *tid = jstr(line, "iso_terminal_id"), *stan = jstr(line, "stan");
  if (!*tid || strlen(tid) > 8 || !all_of(stan, DIGITS, 6, 6) || !json_is_integer(json_object_get(line, "total")))
    return -1;
  snprintf(t->terminal_id, sizeof t->terminal_id, "%s", tid);
  t->stan = strtoul(stan, &end, 10);
  t->amount = json_integer_value(json_object_get(line, "total"));
  snprintf(t->token_id, sizeof t->token_id, "%s", jstr(line, "token"));
  snprintf(t->method, sizeof t->method, "%s", *jstr(line, "method") ? jstr(line, "method") : "L");
  t->installments = (int)json_integer_value(json_object_get(line, "installments"));
  const char *card = jstr(line, "card");
  if (strlen(card) >= 4)
    snprintf(t->card_last4, sizeof t->card_last4, "%s", card + strlen(card) - 4);
  return t->stan > 0 && t->amount > 0 ? 0 : -1;
}

static bool same_sale(const struct token_sale *a, const struct token_sale *b)
{
  return a->stan == b->stan && strcmp(a->terminal_id, b->terminal_id) == 0
         && strcmp(a->transmission_time, b->transmission_time) == 0;
}

void token_open_free(struct token_open *open, long n)
{
  for (long i = 0; open && i < n; i++)
    json_decref(open[i].line);
  free(open);
}

/* Every token line of the journal that names its 0100, in order; the
 * caller walks them. */
typedef void (*line_fn)(const json_t *line, const struct token_sale *t, void *arg);

static int each_token_line(FILE *journal, line_fn fn, void *arg, char *err, size_t errlen)
{
  char *buf = NULL;
  size_t cap = 0;
  ssize_t n;

  if (fseek(journal, 0, SEEK_SET) != 0) {
    snprintf(err, errlen, "cannot read the journal");
    return -1;
  }
  while ((n = getline(&buf, &cap, journal)) > 0) {
    struct token_sale t;
    json_t *line = json_loads(buf, JSON_DISABLE_EOF_CHECK, NULL);
    if (line && token_sale_from_line(line, &t) == 0)
      fn(line, &t, arg);
    json_decref(line);
  }
  free(buf);
  return 0;
}

struct open_scan {
  struct token_open *open;
  long n;
  bool oom;
};

static void note_open(const json_t *line, const struct token_sale *t, void *arg)
{
  struct open_scan *sc = arg;
  const char *status = jstr(line, "status");
  bool in_doubt = strcmp(status, "token_pending") == 0 || strcmp(status, "token_voiding") == 0;
  long i;

  for (i = 0; i < sc->n && !same_sale(&sc->open[i].t, t); i++)
    ;
  if (i < sc->n) { /* a later line of a sale already seen: it decides */
    json_decref(sc->open[i].line);
    sc->open[i] = sc->open[--sc->n];
  }
  if (!in_doubt)
    return;
  struct token_open *more = realloc(sc->open, (size_t)(sc->n + 1) * sizeof *more);
  if (!more) {
    sc->oom = true;
    return;
  }
  sc->open = more;
  sc->open[sc->n].t = *t;
  snprintf(sc->open[sc->n].status, sizeof sc->open[sc->n].status, "%s", status);
  sc->open[sc->n++].line = json_incref((json_t *)line);
}

long token_journal_open(FILE *journal, struct token_open **open, char *err, size_t errlen)
{
  struct open_scan sc = { 0 };

  if (each_token_line(journal, note_open, &sc, err, errlen) != 0 || sc.oom) {
    if (sc.oom)
      snprintf(err, errlen, "out of memory reading the journal");
    token_open_free(sc.open, sc.n);
    return -1;
  }
  *open = sc.open;
  return sc.n;
}

struct find_scan {
  const char *key_id;
  struct token_sale t;
  json_t *line;
  char status[24];
};

static void note_key(const json_t *line, const struct token_sale *t, void *arg)
{
  struct find_scan *f = arg;

  if (strcmp(t->key_id, f->key_id) != 0)
    return;
  if (strcmp(jstr(line, "status"), "token_completed") == 0 || !f->line) {
    json_decref(f->line);
    f->line = json_incref((json_t *)line);
    f->t = *t;
  }
  snprintf(f->status, sizeof f->status, "%s", jstr(line, "status"));
}

int token_journal_find_completed(FILE *journal, const char *key_id, struct token_sale *t, json_t **line, char *status,
                                 size_t status_len)
{
  struct find_scan f = { .key_id = key_id };
  char err[64];

  *line = NULL;
  if (each_token_line(journal, note_key, &f, err, sizeof err) != 0 || !f.line)
    return -1;
  snprintf(status, status_len, "%s", f.status);
  if (strcmp(f.status, "token_completed") != 0) {
    json_decref(f.line);
    return 1;
  }
  *t = f.t;
  *line = f.line;
  return 0;
}

/* The slip's heading for a journal status. */
static const char *heading(const char *status)
{
  static const struct {
    const char *status, *text;
  } words[] = {
    { "token_completed", "RECEIPT" },
    { "token_declined", "SALE NOT PAID - DECLINED" },
    { "token_reversed", "SALE NOT PAID - REVERSED" },
    { "token_voided", "SALE VOIDED" },
    { "token_rejected", "SALE NOT PAID - REJECTED" },
    { "token_canceled", "SALE NOT PAID - CANCELED" },
    { "token_expired", "SALE NOT PAID - EXPIRED" },
    { "token_failed", "SALE NOT PAID - FAILED" },
  };
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strcmp(words[i].status, status) == 0)
      return words[i].text;
  return "OUTCOME UNKNOWN";
}

void token_receipt(FILE *out, const struct sale *s, const char *shop, const char *status, const json_t *answer,
                   const struct token_sale *t, const char *response_code, const char *approval_code, const char *reason)
{
  sale_rule(out, '=');
  fprintf(out, "%s\n%s\n", shop, heading(status));
  sale_rule(out, '-');
  sale_lines(out, s);
  sale_rule(out, '-');
  const char *id = t && t->token_id[0] ? t->token_id : jstr(answer, "id");
  fprintf(out, "Token request %s\n", *id ? id : "-");
  if (t) {
    fprintf(out, "Key ID        %s\n", t->key_id);
    fprintf(out, "Method        %s", t->method);
    if (t->installments > 0)
      fprintf(out, " (%d payments)", t->installments);
    fprintf(out, "\nSTAN          %06lu\n", t->stan);
    if (t->card_last4[0])
      fprintf(out, "Card          ************%s\n", t->card_last4);
    else
      fprintf(out, "Card          (token)\n");
  }
  if (strcmp(status, "token_completed") == 0)
    fprintf(out, "Approval code %s\n", approval_code && *approval_code ? approval_code : "-");
  else if (response_code && *response_code)
    fprintf(out, "%s (code %s)\n", iso_response_text(response_code), response_code);
  if (strcmp(status, "token_completed") != 0 && reason && *reason)
    fprintf(out, "Reason        %s\n", reason);
  sale_rule(out, '=');
}

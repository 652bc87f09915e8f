/* cmd_shop.c — `handset shop URL|CODE`: the second embodiment ([0117]-[0119],
 * figure 20).  The handset authenticates the user locally as `pay` does
 * (auth.c), then sends the user ID to the online shop's web server instead
 * of a POS: POST {shop}/api/orders/{CODE}/user over HTTPS, the shop verified
 * against the store's CA as the gateway is.  The shop asks the gateway for a
 * transaction and answers its number and binding code; the handset then runs
 * the first embodiment's flow for that transaction only (cmd_watch.c with
 * only_transaction: mailbox, device-auth, agreement, method, result). */
#include "handset-client/handset.h"
#include "handset-client/shopurl.h"
#include "proxlink/clientutil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define TRANSACTION_LEN 16

static const char *mstr(const json_t *m, const char *name)
{
  const char *v = json_string_value(json_object_get(m, name));
  return v ? v : "";
}

/* s is n characters of [0-9A-Z]. */
static bool upper_alnum(const char *s, size_t n)
{
  if (strlen(s) != n)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i]) && !isupper((unsigned char)s[i]))
      return false;
  return true;
}

/* The 200 answer holds what the contract says, for the order asked about
 * (docs/handset.md); NULL when it does, else what is wrong. */
static const char *answer_problem(const json_t *a, const struct shop_target *t)
{
  if (!json_is_object(a))
    return "not a JSON object";
  if (strcmp(mstr(a, "order"), t->code) != 0)
    return "it is for another order";
  if (!json_is_string(json_object_get(a, "status")) || !json_is_string(json_object_get(a, "shop")))
    return "no status or shop name";
  if (strcmp(mstr(a, "status"), "awaiting_payment") != 0)
    return NULL; /* an order past this step carries no transaction to pay */
  if (!upper_alnum(mstr(a, "transaction"), TRANSACTION_LEN) || !upper_alnum(mstr(a, "binding_code"), 4))
    return "no well-formed transaction number or binding code";
  if (!json_is_integer(json_object_get(a, "total")) || !json_is_integer(json_object_get(a, "tax_total"))
      || currency_exponent(mstr(a, "currency")) < 0)
    return "no total, tax or currency the gateway takes";
  return NULL;
}

/* Shows the order as the shop answered it, so the user can compare the
 * binding code with the shop's page.  Returns -1 to go on to the payment,
 * else the exit status (the order is past paying). */
static int show_order(const json_t *a, const struct shop_target *t)
{
  char shop[160], status[40], code[16], total[40], tax[40];
  const char *cur = mstr(a, "currency");

  shop_code_display(t->code, code, sizeof code);
  printf("Shop: %s\n", shop_printable(mstr(a, "shop"), shop, sizeof shop));
  if (strcmp(mstr(a, "status"), "awaiting_payment") != 0) {
    shop_printable(mstr(a, "status"), status, sizeof status);
    if (strcmp(status, "paid") == 0) {
      printf("Order %s is already paid.\n", code);
      return EXIT_DONE;
    }
    printf("Order %s is %s: there is nothing to pay.\n", code, status);
    return EXIT_NOT_PAID;
  }
  printf("Order %s: total %s %s (tax %s %s)\n", code,
         money_format(json_integer_value(json_object_get(a, "total")), cur, total, sizeof total), cur,
         money_format(json_integer_value(json_object_get(a, "tax_total")), cur, tax, sizeof tax), cur);
  printf("Binding code: %s   (the shop's page shows the same code)\n", mstr(a, "binding_code"));
  printf("Transaction:  %s\n", mstr(a, "transaction"));
  return -1;
}

/* A refusal, in plain words.  Returns EXIT_SHOP. */
static int show_refusal(const struct gw_reply *r, const struct shop_target *t)
{
  char text[600], clean[600], code[16], gw_code[64];
  bool problem = *gw_problem_code(r) != '\0';

  shop_code_display(t->code, code, sizeof code);
  shop_printable(gw_problem_text(r, text, sizeof text), clean, sizeof clean);
  if (!problem && r->status != 200)
    printf("The shop at %s answered HTTP %ld, not as a paygw shop does: is the shop's address right?\n", t->base,
           r->status);
  else if (r->status == 404)
    printf("The shop knows no order %s: check the code on the shop's page (%s).\n", code, clean);
  else if (r->status == 409)
    printf("Order %s is not waiting for a user ID: it has one already, or it has ended (%s).\n", code, clean);
  else if (r->status == 502 && json_is_string(json_object_get(r->json, "gateway_code")))
    printf("The shop could not get a transaction from the payment gateway (%s; the gateway's code: %s). Nothing "
           "was paid.\n",
           clean, shop_printable(mstr(r->json, "gateway_code"), gw_code, sizeof gw_code));
  else if (r->status == 502)
    printf("The shop could not get a transaction from the payment gateway (%s). Nothing was paid.\n", clean);
  else if (r->status == 400)
    printf("The shop refused the request (%s).\n", clean);
  else if (r->status >= 500)
    printf("The shop could not take the user ID now: HTTP %ld (%s). Nothing was paid; try again later.\n", r->status,
           clean);
  else
    printf("The shop refused the user ID: HTTP %ld (%s).\n", r->status, clean);
  return EXIT_SHOP;
}

/* POST {base}/api/orders/{code}/user {"user_id": ...}.  Returns -1 with the
 * transaction number in txn when there is one to pay, else the exit status. */
static int send_to_shop(const struct handset_opts *o, const struct shop_target *t, const char *ca_pem, const char *user,
                        char txn[TRANSACTION_LEN + 1])
{
  struct gw_http g;
  struct gw_reply r;
  char err[512], path[64];
  const char *why;
  int rc;

  if (gw_http_init(&g, t->base, ca_pem, NULL, err, sizeof err) != 0) {
    fprintf(stderr, "handset: %s\n", err);
    return EXIT_USAGE;
  }
  snprintf(path, sizeof path, "/api/orders/%s/user", t->code);
  json_t *body = json_pack("{s:s}", "user_id", user);
  if (gw_http_call(&g, "POST", path, NULL, body, o->timeout_s * 1000L, &r) != 0) {
    if (r.timed_out)
      printf("The shop at %s did not answer within %ld s. Run the command again: the shop answers a repeated "
             "request the same way.\n",
             t->base, o->timeout_s);
    else
      printf("The shop at %s could not be reached (%s). Nothing was paid.\n", t->base, r.error);
    rc = EXIT_NETWORK;
  } else if (r.status != 200) {
    rc = show_refusal(&r, t);
  } else if ((why = answer_problem(r.json, t)) != NULL) {
    printf("The shop's answer is not what a paygw shop answers (%s). Nothing was paid.\n", why);
    rc = EXIT_SHOP;
  } else {
    printf("User ID %s sent to the shop.\n", user);
    if ((rc = show_order(r.json, t)) < 0)
      snprintf(txn, TRANSACTION_LEN + 1, "%s", mstr(r.json, "transaction"));
  }
  json_decref(body);
  gw_reply_clear(&r);
  gw_http_cleanup(&g);
  return rc;
}

int cmd_shop(struct handset_opts *o, const char *target)
{
  static char txn[TRANSACTION_LEN + 1]; /* o->only_transaction points here */
  struct shop_target t;
  struct uim_store s;
  char err[512], user[64], code[16];
  int rc;

  if (shop_target_parse(target, o->shop_url, &t, err, sizeof err) != 0) {
    fprintf(stderr, "handset: %s\n", err);
    return EXIT_USAGE;
  }
  if (!handset_answers_given(o))
    return EXIT_USAGE;
  printf("Order %s at %s\n", shop_code_display(t.code, code, sizeof code), t.base);
  if ((rc = handset_authenticate(o, user, sizeof user)) != EXIT_DONE)
    return rc;
  if ((rc = handset_open_store(o, &s)) != 0)
    return rc;
  rc = send_to_shop(o, &t, s.ca_cert, user, txn);
  uim_free(&s);
  if (rc >= 0)
    return rc;
  o->only_transaction = txn;
  o->once = true;
  if (!o->for_s)
    o->for_s = o->timeout_s; /* the command is in the mailbox already: it should not take long */
  return cmd_watch(o);
}

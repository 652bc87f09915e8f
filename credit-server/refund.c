/* refund.c — a refund advice (0220/0221) read and checked field by field
 * (pure, so tests/unit/test_credit_refund.c walks every refusal).  The
 * decision is issuer.do_refund in sql/0024, one statement under a row lock
 * of the original (credit-server/db/refund.c). */
#include "credit-server/credit.h"

#include <stdio.h>
#include <string.h>

/* Copies a present, non-empty field into dst (trailing spaces dropped when
 * trim), or fails with its number. */
static bool take(const struct iso_msg *m, int field, char *dst, size_t cap, bool trim, int *bad)
{
  const char *v = iso_get(m, field);

  if (!v || strlen(v) >= cap) {
    *bad = field;
    return false;
  }
  if (trim)
    credit_rtrim_copy(dst, cap, v);
  else
    snprintf(dst, cap, "%s", v);
  if (!dst[0]) {
    *bad = field;
    return false;
  }
  return true;
}

/* Field 90: a 0100's MTI, STAN and transmission time, the time placed in
 * its year as the original's was (at now). */
static bool original_field(const struct iso_msg *m, long now, struct refund_request *rf)
{
  char mti[5];

  return iso_original_decode(iso_get(m, ISO_F_ORIGINAL_DATA), mti, sizeof mti, rf->original_stan,
                             sizeof rf->original_stan, rf->original_transmission_time,
                             sizeof rf->original_transmission_time)
             == ISO_OK
         && strcmp(mti, ISO_MTI_AUTH_REQUEST) == 0
         && credit_transmission_instant(rf->original_transmission_time, now, &rf->original_transmitted_at) == 0;
}

bool credit_refund_parse(const struct iso_msg *m, long now, struct refund_request *rf, int *bad_field)
{
  char amount[32]; /* the codec has held it to field 4's length */
  const char *proc = iso_get(m, ISO_F_PROCESSING_CODE);

  memset(rf, 0, sizeof *rf);
  *bad_field = 0;
  if (!proc || strcmp(proc, ISO_PC_REFUND) != 0) {
    *bad_field = ISO_F_PROCESSING_CODE;
    return false;
  }
  if (!take(m, ISO_F_AMOUNT, amount, sizeof amount, false, bad_field)
      || !take(m, ISO_F_TRANSMISSION_TIME, rf->transmission_time, sizeof rf->transmission_time, false, bad_field)
      || !take(m, ISO_F_STAN, rf->stan, sizeof rf->stan, false, bad_field)
      || !take(m, ISO_F_TERMINAL_ID, rf->terminal_id, sizeof rf->terminal_id, true, bad_field)
      || !take(m, ISO_F_MERCHANT_ID, rf->merchant_code, sizeof rf->merchant_code, true, bad_field)
      || !take(m, ISO_F_CURRENCY, rf->currency, sizeof rf->currency, false, bad_field))
    return false;
  /* the codec has checked digits and length; only the value is left */
  for (const char *p = amount; *p; p++)
    rf->amount = rf->amount * 10 + (*p - '0');
  if (rf->amount <= 0) {
    *bad_field = ISO_F_AMOUNT;
    return false;
  }
  if (credit_transmission_instant(rf->transmission_time, now, &rf->transmitted_at) != 0) {
    *bad_field = ISO_F_TRANSMISSION_TIME;
    return false;
  }
  if (!original_field(m, now, rf)) {
    *bad_field = ISO_F_ORIGINAL_DATA;
    return false;
  }
  return true;
}

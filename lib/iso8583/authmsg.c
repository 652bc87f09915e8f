/* authmsg.c — the 0100 and its reversals, and waiting for their answers
 * (authmsg.h).  Fixed fields are padded to their lengths by the codec
 * (fields.c), so no length is written here twice. */
#include "iso8583/authmsg.h"
#include "iso8583/frame.h"
#include "iso8583/wait.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void iso_transmission_time_now(char out[11])
{
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(out, 11, "%m%d%H%M%S", &tm);
}

/* Fields shared by the 0100 and its reversals. */
static int common_fields(struct iso_msg *m, const struct iso_auth_fields *a)
{
  char field48[7];
  int rc = 0;

  rc |= iso_set(m, ISO_F_PROCESSING_CODE, "000000");
  rc |= iso_set_num(m, ISO_F_AMOUNT, (uint64_t)a->amount);
  rc |= iso_set_num(m, ISO_F_STAN, (uint64_t)a->stan);
  rc |= iso_set_padded(m, ISO_F_TERMINAL_ID, a->terminal_id);
  rc |= iso_set_padded(m, ISO_F_MERCHANT_ID, a->merchant_code);
  rc |= iso_set(m, ISO_F_CURRENCY, a->currency_numeric);
  if (a->method) {
    rc |= iso_method_encode(a->method, a->installments, field48);
    rc |= iso_set(m, ISO_F_PRIVATE_ADDITIONAL, field48);
  }
  return rc;
}

int iso_auth_build(struct iso_msg *m, const struct iso_auth_fields *a)
{
  char text[64];
  int rc;

  iso_msg_init(m, ISO_MTI_AUTH_REQUEST);
  if (a->amount < 0)
    return ISO_ERR_FORMAT;
  rc = common_fields(m, a);
  rc |= iso_set(m, ISO_F_TRANSMISSION_TIME, a->transmission_time);
  /* fields 13 (MMDD) and 12 (hhmmss): field 7 (MMDDhhmmss) cut in two */
  int date_len = iso_field_length(ISO_F_LOCAL_DATE);
  snprintf(text, sizeof text, "%.*s", date_len, a->transmission_time);
  rc |= iso_set(m, ISO_F_LOCAL_DATE, text);
  rc |= iso_set(m, ISO_F_LOCAL_TIME, a->transmission_time + strlen(text));
  rc |= iso_set(m, ISO_F_POS_ENTRY_MODE, "010");
  /* field 37: the local time and the STAN, as set above */
  const char *local = iso_get(m, ISO_F_LOCAL_TIME), *stan = iso_get(m, ISO_F_STAN);
  snprintf(text, sizeof text, "%s%s", local ? local : "", stan ? stan : "");
  rc |= iso_set(m, ISO_F_RRN, text);
  return rc == 0 ? ISO_OK : ISO_ERR_FORMAT;
}

int iso_reversal_build(struct iso_msg *m, const struct iso_auth_fields *a, bool repeat)
{
  char original[64] = "", now[11];
  int rc;

  iso_msg_init(m, repeat ? ISO_MTI_REVERSAL_REPEAT : ISO_MTI_REVERSAL_ADVICE);
  if (a->amount < 0)
    return ISO_ERR_FORMAT;
  rc = common_fields(m, a);
  iso_transmission_time_now(now);
  rc |= iso_set(m, ISO_F_TRANSMISSION_TIME, now);
  const char *stan = iso_get(m, ISO_F_STAN);
  rc |= iso_original_encode(ISO_MTI_AUTH_REQUEST, stan ? stan : "", a->transmission_time, original, sizeof original);
  rc |= iso_set(m, ISO_F_ORIGINAL_DATA, original);
  return rc == 0 ? ISO_OK : ISO_ERR_FORMAT;
}

enum iso_await iso_link_await(struct iso_link *l, const char *mti, const char *stan, struct iso_msg *answer,
                              long timeout_ms, struct iso_await_notes *notes)
{
  uint8_t buf[ISO8583_MAX_MESSAGE];
  size_t len;
  long deadline = iso_now_ms() + timeout_ms;

  for (;;) {
    long left = deadline - iso_now_ms();
    if (left <= 0)
      return ISO_AWAIT_TIMEOUT;
    int rc = iso_link_recv(l, buf, sizeof buf, &len, (int)left);
    if (rc == ISO_FRAME_TIMEOUT)
      return ISO_AWAIT_TIMEOUT;
    if (rc != ISO_FRAME_OK)
      return ISO_AWAIT_CLOSED;
    if (iso_unpack(answer, buf, len) != ISO_OK) {
      if (notes)
        notes->malformed++;
      continue;
    }
    const char *got = iso_get(answer, ISO_F_STAN);
    if (strcmp(answer->mti, mti) == 0 && got && strcmp(got, stan) == 0)
      return ISO_AWAIT_ANSWER;
    if (notes)
      notes->unrelated++;
  }
}

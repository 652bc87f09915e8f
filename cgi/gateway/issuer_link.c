/* issuer_link.c — see issuer_link.h.  A worker handles one request at a
 * time, so one connection carries at most one outstanding message.  After a
 * time-out the connection is closed (a frame may be half read), so a late
 * answer never reaches the next request; any other stray answer is dropped
 * by matching MTI and STAN. */
#include "gateway/issuer_link.h"
#include "gateway/settings.h"
#include "common/log.h"
#include "iso8583/frame.h"
#include "iso8583/iso8583.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CONNECT_TIMEOUT_MS 1000

static int link_fd = -1;

static void link_close(void)
{
  if (link_fd >= 0)
    close(link_fd);
  link_fd = -1;
}

void issuer_terminal_field(const char *terminal_code, char out[9])
{
  snprintf(out, 9, "%-8.8s", terminal_code);
}

void issuer_transmission_time(char out[11])
{
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(out, 11, "%m%d%H%M%S", &tm);
}

static long elapsed_ms(const struct timespec *since)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* True when the kept connection can carry the next message: the credit
 * server has not closed it (after a restart of the server its FIN waits
 * here, and across a network the next send() would still succeed, so the
 * loss would only show as a missing answer) and nothing unasked-for waits
 * on it. */
static bool link_usable(void)
{
  char byte;
  ssize_t n = recv(link_fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

/* Sends msg, on a new connection when the kept one has gone away.  Sending
 * again after a failed send is safe: the credit server answers a repeated
 * 0100 (same STAN, terminal, time) with its first answer. */
static int send_message(const struct iso_msg *msg, long timeout_ms)
{
  uint8_t buf[ISO8583_MAX_MESSAGE];
  size_t len;
  int rc = -1;

  if (iso_pack(msg, buf, sizeof buf, &len) != ISO_OK) {
    log_msg(LOG_ERROR, "cannot encode an ISO 8583 %s", msg->mti);
    return -1;
  }
  for (int attempt = 0; attempt < 2 && rc != 0; attempt++) {
    if (link_fd >= 0 && !link_usable())
      link_close();
    if (link_fd < 0 && (link_fd = iso_connect(settings.credit_addr, CONNECT_TIMEOUT_MS)) < 0) {
      log_msg(LOG_WARN, "credit server %s is not reachable", settings.credit_addr);
      break;
    }
    if (iso_frame_send(link_fd, buf, len, (int)timeout_ms) == ISO_FRAME_OK)
      rc = 0;
    else
      link_close();
  }
  OPENSSL_cleanse(buf, sizeof buf);   /* a 0100 holds the card number */
  return rc;
}

/* Waits for the answer with MTI `mti` and our STAN. */
static int await_answer(const char *mti, const char *stan, struct iso_msg *answer, long timeout_ms)
{
  uint8_t buf[ISO8583_MAX_MESSAGE];
  size_t len;
  struct timespec start;

  clock_gettime(CLOCK_MONOTONIC, &start);
  for (;;) {
    long left = timeout_ms - elapsed_ms(&start);
    if (left <= 0)
      return -1;
    int rc = iso_frame_recv(link_fd, buf, sizeof buf, &len, (int)left);
    if (rc != ISO_FRAME_OK) {
      link_close();    /* a frame may be half read: the stream cannot be trusted */
      return -1;
    }
    if (iso_unpack(answer, buf, len) != ISO_OK) {
      log_msg(LOG_WARN, "dropped a malformed message from the credit server");
      continue;
    }
    const char *got = iso_get(answer, ISO_F_STAN);
    if (strcmp(answer->mti, mti) == 0 && got && strcmp(got, stan) == 0)
      return 0;
    log_msg(LOG_INFO, "dropped a late %s from the credit server", answer->mti);
  }
}

/* Fields shared by the 0100 and its reversals. */
static int common_fields(struct iso_msg *m, const struct issuer_auth *a, char stan[7])
{
  char field48[7];
  int rc = 0;

  snprintf(stan, 7, "%06d", a->stan);
  rc |= iso_set(m, ISO_F_PROCESSING_CODE, "000000");
  rc |= iso_set_num(m, ISO_F_AMOUNT, (uint64_t)a->amount);
  rc |= iso_set(m, ISO_F_STAN, stan);
  rc |= iso_set(m, ISO_F_TERMINAL_ID, a->terminal_field);
  char merchant[16];
  snprintf(merchant, sizeof merchant, "%-15.15s", a->merchant_code);
  rc |= iso_set(m, ISO_F_MERCHANT_ID, merchant);
  rc |= iso_set(m, ISO_F_CURRENCY, a->currency_numeric);
  if (a->method) {
    rc |= iso_method_encode(a->method, a->installments, field48);
    rc |= iso_set(m, ISO_F_PRIVATE_ADDITIONAL, field48);
  }
  return rc;
}

enum issuer_result issuer_authorize(const struct issuer_auth *a, struct issuer_answer *answer, long timeout_ms)
{
  struct iso_msg m, reply;
  char stan[7], rrn[13];
  int rc;

  memset(answer, 0, sizeof *answer);
  iso_msg_init(&m, ISO_MTI_AUTH_REQUEST);
  rc = iso_set(&m, ISO_F_PAN, a->pan);
  rc |= common_fields(&m, a, stan);
  rc |= iso_set(&m, ISO_F_TRANSMISSION_TIME, a->transmission_time);
  rc |= iso_set(&m, ISO_F_LOCAL_TIME, a->transmission_time + 4);
  char date[5];
  memcpy(date, a->transmission_time, 4);
  date[4] = '\0';
  rc |= iso_set(&m, ISO_F_LOCAL_DATE, date);
  rc |= iso_set(&m, ISO_F_EXPIRY, a->expiry);
  rc |= iso_set(&m, ISO_F_POS_ENTRY_MODE, "010");
  snprintf(rrn, sizeof rrn, "%.6s%s", a->transmission_time + 4, stan);
  rc |= iso_set(&m, ISO_F_RRN, rrn);
  if (rc == ISO_OK)
    rc = send_message(&m, timeout_ms);
  else
    log_msg(LOG_ERROR, "cannot build the 0100 (a field is malformed)");
  OPENSSL_cleanse(&m, sizeof m);
  if (rc != ISO_OK || await_answer(ISO_MTI_AUTH_RESPONSE, stan, &reply, timeout_ms) != 0)
    return ISSUER_NO_ANSWER;
  const char *code = iso_get(&reply, ISO_F_RESPONSE_CODE);
  const char *approval = iso_get(&reply, ISO_F_APPROVAL_CODE);
  snprintf(answer->response_code, sizeof answer->response_code, "%s", code ? code : "96");
  snprintf(answer->approval_code, sizeof answer->approval_code, "%s", approval ? approval : "");
  return ISSUER_ANSWERED;
}

enum issuer_result issuer_reverse(const struct issuer_auth *a, bool repeat, long timeout_ms)
{
  struct iso_msg m, reply;
  char stan[7], original[43], now[11];
  int rc;

  iso_msg_init(&m, repeat ? ISO_MTI_REVERSAL_REPEAT : ISO_MTI_REVERSAL_ADVICE);
  rc = common_fields(&m, a, stan);
  issuer_transmission_time(now);
  rc |= iso_set(&m, ISO_F_TRANSMISSION_TIME, now);
  /* field 90: original MTI, STAN, transmission time, acquirer and forwarder */
  snprintf(original, sizeof original, "0100%s%s0000000000000000000000", stan, a->transmission_time);
  rc |= iso_set(&m, ISO_F_ORIGINAL_DATA, original);
  if (rc != ISO_OK) {
    log_msg(LOG_ERROR, "cannot build the reversal");
    return ISSUER_NO_ANSWER;
  }
  if (send_message(&m, timeout_ms) != 0
      || await_answer(ISO_MTI_REVERSAL_RESPONSE, stan, &reply, timeout_ms) != 0)
    return ISSUER_NO_ANSWER;
  const char *code = iso_get(&reply, ISO_F_RESPONSE_CODE);
  /* 25: the issuer never saw the original, which it now refuses: done too */
  return (code && (strcmp(code, "00") == 0 || strcmp(code, "25") == 0)) ? ISSUER_ANSWERED : ISSUER_NO_ANSWER;
}

/* fuzz_credit_frame.c — libFuzzer harness: the bytes a client sends the
 * credit server on one connection.  They are cut into frames the way the
 * server's connection loop does (credit-server/server.c: a buffer filled by
 * reads, iso_frame_parse, the rest moved down) — once as one read and once
 * in small reads — and by iso_frame_recv from a socket (the blocking reader
 * the gateway uses for the answers); all three must find the same frames
 * and stop at the same place.  Each frame then goes to handler_prepare,
 * the server's decode step: an answer it makes at once must be a well-formed
 * format-error answer without a card number; a job must hold a decoded
 * request.  Seeds: tests/fuzz/corpus/credit_frame/. */
#include "credit-server/credit.h"
#include "credit-server/handler.h"
#include "iso8583/frame.h"
#include "iso8583/iso8583.h"
#include "common/pan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FRAMES 64

struct cut {
  size_t n; /* frames found */
  size_t offset[MAX_FRAMES], len[MAX_FRAMES];
  bool too_long; /* stopped at a header over the maximum */
};

/* server.c's loop: read into the buffer, take whole frames, move the rest
 * down.  chunk 0 reads as much as fits. */
static void cut_like_the_server(const uint8_t *data, size_t size, size_t chunk, struct cut *c)
{
  static uint8_t buf[2 + ISO8583_MAX_MESSAGE];
  size_t have = 0, pos = 0, consumed = 0, step = 0;

  memset(c, 0, sizeof *c);
  while (pos < size) {
    size_t want = chunk ? 1 + (step++ % chunk) : sizeof buf - have;
    if (want > sizeof buf - have)
      want = sizeof buf - have;
    if (want > size - pos)
      want = size - pos;
    if (want == 0)
      abort(); /* a full buffer without a whole frame */
    memcpy(buf + have, data + pos, want);
    have += want;
    pos += want;
    for (;;) {
      const uint8_t *body;
      size_t body_len;
      long used = iso_frame_parse(buf, have, &body, &body_len);
      if (used == 0)
        break;
      if (used < 0) {
        c->too_long = true;
        return;
      }
      if ((size_t)used != body_len + 2 || body != buf + 2 || (size_t)used > have)
        abort();
      if (c->n == MAX_FRAMES)
        return; /* enough for one input */
      c->offset[c->n] = consumed + 2;
      c->len[c->n++] = body_len;
      consumed += (size_t)used;
      memmove(buf, buf + used, have - (size_t)used);
      have -= (size_t)used;
    }
  }
}

/* iso_frame_recv on a socket holding the bytes, closed after them. */
static void cut_by_recv(const uint8_t *data, size_t size, const struct cut *want)
{
  static uint8_t buf[ISO8583_MAX_MESSAGE];
  int sv[2];
  size_t len;

  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
    abort();
  if (size && write(sv[0], data, size) != (ssize_t)size)
    abort(); /* (the inputs fit a socket's buffer) */
  close(sv[0]);
  for (size_t i = 0;; i++) {
    /* Every byte is already in the socket and its writer closed, so the
     * reader never waits for data; the bound only has to outlast a starved
     * process (a 1 s bound failed a run at nice 19 on a machine at load 14) */
    int rc = iso_frame_recv(sv[1], buf, sizeof buf, &len, 30000);
    if (i == want->n || i == MAX_FRAMES) {
      /* past the frames the server found: the same stop, or the end */
      if (rc == ISO_FRAME_OK && i < MAX_FRAMES)
        abort();
      if (want->too_long && rc != ISO_FRAME_TOO_LONG && rc != ISO_FRAME_CLOSED)
        abort();
      break;
    }
    if (rc != ISO_FRAME_OK || len != want->len[i] || memcmp(buf, data + want->offset[i], len) != 0)
      abort();
  }
  close(sv[1]);
}

static void check_answer(const uint8_t *out, size_t n)
{
  static struct iso_msg a;
  if (iso_unpack(&a, out, n) != ISO_OK || a.mti[2] % 2 == 0 || iso_get(&a, ISO_F_PAN) || !iso_get(&a, ISO_F_STAN)
      || strcmp(iso_get(&a, ISO_F_RESPONSE_CODE), ISO_RC_FORMAT_ERROR) != 0)
    abort();
}

static void prepare(const uint8_t *frame, size_t len)
{
  static struct handler_job job;
  static uint8_t out[ISO8583_MAX_MESSAGE];
  struct credit_request rq;
  size_t n = 0;
  int bad;
  uint8_t *copy = malloc(len); /* its own size: a read past it is seen */

  memcpy(copy, frame, len);
  switch (handler_prepare(copy, len, &job, out, sizeof out, &n)) {
  case HANDLER_ANSWER:
    check_answer(out, n);
    break;
  case HANDLER_JOB:
    if (strlen(job.request.mti) != 4 || job.request.mti[2] % 2 != 0)
      abort(); /* a job is a request */
    if (strcmp(job.request.mti, ISO_MTI_AUTH_REQUEST) == 0 && credit_request_parse(&job.request, &rq, &bad)
        && (rq.amount <= 0 || !pan_is_valid(rq.pan)))
      abort();
    break;
  case HANDLER_IGNORE:
  case HANDLER_CLOSE:
    break;
  }
  free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static struct cut whole, small;

  cut_like_the_server(data, size, 0, &whole);
  cut_like_the_server(data, size, 13, &small);
  if (whole.n != small.n || whole.too_long != small.too_long
      || memcmp(whole.offset, small.offset, sizeof whole.offset) != 0
      || memcmp(whole.len, small.len, sizeof whole.len) != 0)
    abort();         /* the frames depend on how the bytes arrived */
  if (size <= 65536) /* what a socket buffers without a reader */
    cut_by_recv(data, size, &whole);
  for (size_t i = 0; i < whole.n; i++)
    prepare(data + whole.offset[i], whole.len[i]);
  return 0;
}

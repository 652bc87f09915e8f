/* answer_log.c — see answer_log.h.  The file is opened once per process,
 * O_APPEND, and each line goes out in one write(2): the workers share the
 * file, and an appending write to a regular file is not interleaved with
 * another's.  A failure to write is logged once and otherwise ignored: the
 * log serves the tests, never the answer. */
#include "gateway/answer_log.h"
#include "gateway/router.h"
#include "common/config.h"
#include "common/log.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int log_fd = -1;
static bool log_tried, write_failed;

/* The file's descriptor, opened on first use; -1 when off or not openable. */
static int answer_log_fd(void)
{
  if (log_tried)
    return log_fd;
  log_tried = true;
  const char *path = config_str("PAYGW_ANSWER_LOG", NULL);
  if (!path || !*path)
    return -1;
  log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (log_fd < 0)
    log_msg(LOG_WARN, "PAYGW_ANSWER_LOG %s cannot be opened: %s", path, strerror(errno));
  return log_fd;
}

/* Takes line over. */
static void append_line(json_t *line)
{
  char *text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(line);
  if (!text)
    return;
  size_t len = strlen(text);
  char *with_newline = realloc(text, len + 2);
  if (with_newline) {
    memcpy(with_newline + len, "\n", 2);
    if (write(log_fd, with_newline, len + 1) != (ssize_t)(len + 1) && !write_failed) {
      write_failed = true;
      log_msg(LOG_WARN, "PAYGW_ANSWER_LOG: a line could not be written whole");
    }
    text = with_newline;
  }
  free(text);
}

/* The body as JSON, or as a string when it is not JSON (text/plain). */
static json_t *body_value(const char *body)
{
  json_t *value = json_loads(body, JSON_DECODE_ANY, NULL);
  return value ? value : json_string(body);
}

/* The pattern of the route the path matches, for this method if one does
 * (else any), or NULL: a refusal before routing (413) still names it. */
static const char *route_of(const struct request *rq)
{
  char param[PATH_PARAM_MAX + 1], param2[PATH_PARAM_MAX + 1];
  const struct route *same_path;

  if (rq->route)
    return rq->route->pattern;
  const struct route *r = router_find(rq->method, rq->path, param, param2, &same_path);
  return r ? r->pattern : same_path ? same_path->pattern : NULL;
}

void answer_log_answer(const struct request *rq, int status, const char *content_type, const char *body)
{
  if (answer_log_fd() < 0)
    return;
  const char *route = route_of(rq);
  append_line(json_pack("{s:s, s:s, s:o, s:i, s:s, s:o}", "kind", "answer", "method", rq->method, "route",
                        route ? json_string(route) : json_null(), "status", status, "content_type", content_type,
                        "body", body_value(body)));
}

void answer_log_webhook(const char *event_type, const char *body)
{
  if (answer_log_fd() < 0)
    return;
  append_line(json_pack("{s:s, s:s, s:o}", "kind", "webhook", "type", event_type, "body", body_value(body)));
}

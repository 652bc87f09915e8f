/* pg-cut-proxy — a test tool: a proxy for PostgreSQL's wire protocol that
 * cuts a connection at a commit, so a test can lose COMMIT's answer (or the
 * COMMIT itself) the way a network fault or a crash between the gateway and
 * its database would.
 *
 *   pg-cut-proxy --listen HOST:PORT --to HOST:PORT --control FILE
 *
 * Bytes go through unchanged both ways; the client's messages are read as
 * they pass.  A commit is a simple Query "COMMIT" (or "END") closing a
 * transaction block, or the Sync after a statement run outside a block (an
 * implicit transaction commits there).  When a commit goes out whose
 * transaction executed (Bind) the prepared statement that FILE names, the
 * proxy acts on FILE's one line, deletes FILE (one cut per line written),
 * and logs "cut after|before the commit of STATEMENT" on stderr:
 *
 *   after STATEMENT [REFUSE-MS]    the client's side is closed, the commit
 *                                  forwarded, then the server's side closed:
 *                                  the commit happens, its answer is lost
 *   before STATEMENT [REFUSE-MS]   both sides closed, the commit never sent:
 *                                  the server rolls the transaction back
 *
 * then accepts and at once closes every new connection for REFUSE-MS
 * milliseconds (the database "unreachable" for a moment).  The client must
 * not ask for SSL (sslmode=disable); IPv4 addresses only. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_NAMES 32            /* statements remembered per transaction */
#define MAX_MESSAGE (64u << 20) /* larger than anything the gateway sends */
#define PROTOCOL_3 196608u      /* StartupMessage: protocol 3.0 */
#define SSL_REQUEST 80877103u
#define GSSENC_REQUEST 80877104u

static const char *control_path;
static struct sockaddr_in upstream;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* control file, refusal, log */
static long long refuse_until_ms;
static int next_id;

enum cut { CUT_NONE, CUT_AFTER, CUT_BEFORE };

struct pair {
  int client, server, id;
  bool in_block;     /* BEGIN seen, COMMIT/ROLLBACK not yet */
  bool await_answer; /* cut after a commit: the server's side waits for its answer */
  int n_names;
  char names[MAX_NAMES][64]; /* statements bound since the last commit */
};

static long long now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  pthread_mutex_lock(&lock);
  vfprintf(stderr, fmt, ap);
  fflush(stderr);
  pthread_mutex_unlock(&lock);
  va_end(ap);
}

static int parse_addr(const char *text, struct sockaddr_in *out)
{
  char host[64];
  const char *colon = strrchr(text, ':');

  if (!colon || (size_t)(colon - text) >= sizeof host)
    return -1;
  memcpy(host, text, (size_t)(colon - text));
  host[colon - text] = '\0';
  memset(out, 0, sizeof *out);
  out->sin_family = AF_INET;
  out->sin_port = htons((uint16_t)atoi(colon + 1));
  return inet_pton(AF_INET, host, &out->sin_addr) == 1 && out->sin_port ? 0 : -1;
}

static bool write_all(int fd, const uint8_t *buf, size_t n)
{
  while (n > 0) {
    ssize_t w = write(fd, buf, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return false;
    buf += w;
    n -= (size_t)w;
  }
  return true;
}

static bool read_exact(int fd, uint8_t *buf, size_t n)
{
  while (n > 0) {
    ssize_t r = read(fd, buf, n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return false;
    buf += r;
    n -= (size_t)r;
  }
  return true;
}

static uint32_t be32(const uint8_t *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The query text without surrounding blanks and semicolons, upper-cased
 * into out (cap bytes): enough to tell COMMIT from other statements. */
static void statement_word(const char *text, size_t len, char *out, size_t cap)
{
  size_t i = 0, o = 0;

  while (i < len && text[i] && (isspace((unsigned char)text[i]) || text[i] == ';'))
    i++;
  while (i < len && text[i] && o + 1 < cap && !isspace((unsigned char)text[i]) && text[i] != ';')
    out[o++] = (char)toupper((unsigned char)text[i++]);
  out[o] = '\0';
}

static bool only_word(const char *text, size_t len)
{
  size_t i = 0;

  while (i < len && text[i] && (isspace((unsigned char)text[i]) || text[i] == ';'))
    i++;
  while (i < len && text[i] && !isspace((unsigned char)text[i]) && text[i] != ';')
    i++;
  while (i < len && text[i] && (isspace((unsigned char)text[i]) || text[i] == ';'))
    i++;
  return i >= len || !text[i];
}

/* At a commit of p's transaction: the control file's cut, when it names a
 * statement this transaction ran (the file is then deleted). */
static enum cut cut_for(const struct pair *p, char *name, size_t cap, long *refuse_ms)
{
  char mode[16], statement[64];
  enum cut cut = CUT_NONE;

  pthread_mutex_lock(&lock);
  FILE *f = fopen(control_path, "r");
  *refuse_ms = 0;
  if (f && fscanf(f, "%15s %63s %ld", mode, statement, refuse_ms) >= 2) {
    for (int i = 0; i < p->n_names && cut == CUT_NONE; i++)
      if (strcmp(p->names[i], statement) == 0)
        cut = strcmp(mode, "after") == 0 ? CUT_AFTER : strcmp(mode, "before") == 0 ? CUT_BEFORE : CUT_NONE;
  }
  if (f)
    fclose(f);
  if (cut != CUT_NONE) {
    unlink(control_path);
    snprintf(name, cap, "%s", statement);
  }
  pthread_mutex_unlock(&lock);
  return cut;
}

/* Reads one client message (after the startup phase) and says whether it
 * commits; remembers bound statements and transaction blocks. */
static bool is_commit(struct pair *p, uint8_t type, const uint8_t *body, size_t len)
{
  char word[16];
  bool commit = false;

  if (type == 'B') { /* portal name, statement name */
    const uint8_t *portal_end = memchr(body, '\0', len);
    size_t at = portal_end ? (size_t)(portal_end - body) + 1 : len;
    if (at < len && memchr(body + at, '\0', len - at) && p->n_names < MAX_NAMES)
      snprintf(p->names[p->n_names++], sizeof p->names[0], "%s", (const char *)body + at);
  } else if (type == 'S') {
    commit = !p->in_block && p->n_names > 0; /* an implicit transaction ends */
  } else if (type == 'Q') {
    statement_word((const char *)body, len, word, sizeof word);
    if (strcmp(word, "BEGIN") == 0 || strcmp(word, "START") == 0) {
      p->in_block = true;
      p->n_names = 0;
    } else if ((strcmp(word, "COMMIT") == 0 || strcmp(word, "END") == 0) && only_word((const char *)body, len)) {
      commit = p->in_block;
    } else if (strcmp(word, "ROLLBACK") == 0 || strcmp(word, "ABORT") == 0) {
      p->in_block = false;
      p->n_names = 0;
    }
  }
  return commit;
}

static void refuse_for(long ms)
{
  pthread_mutex_lock(&lock);
  refuse_until_ms = now_ms() + ms;
  pthread_mutex_unlock(&lock);
}

/* A commit to cut: returns true when the connection is to end here. */
static bool cut_here(struct pair *p, const uint8_t *msg, size_t len)
{
  char name[64];
  long refuse_ms;
  enum cut cut = cut_for(p, name, sizeof name, &refuse_ms);

  if (cut == CUT_NONE)
    return false;
  if (refuse_ms > 0)
    refuse_for(refuse_ms);
  shutdown(p->client, SHUT_RDWR); /* no answer can reach the client now */
  if (cut == CUT_AFTER) {
    /* the server's side is closed only once it has answered (copy_back
     * then fails to pass the answer on): closed at once, its reset could
     * overtake a commit still on its way in — the Sync of an autocommit
     * call that is still executing would be discarded unread, and the
     * call rolled back */
    write_all(p->server, msg, len);
    p->await_answer = true;
  } else {
    shutdown(p->server, SHUT_RDWR);
  }
  say("cut %s the commit of %s (connection %d)\n", cut == CUT_AFTER ? "after" : "before", name, p->id);
  return true;
}

/* Server to client: bytes as they come. */
static void *copy_back(void *arg)
{
  struct pair *p = arg;
  uint8_t buf[16384];
  ssize_t n;

  while ((n = read(p->server, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0 && !write_all(p->client, buf, (size_t)n))
      break;
  shutdown(p->client, SHUT_RDWR);
  shutdown(p->server, SHUT_RDWR);
  return NULL;
}

/* The startup phase: untyped messages until a StartupMessage. */
static bool startup(struct pair *p)
{
  uint8_t buf[10240];

  for (;;) {
    if (!read_exact(p->client, buf, 8))
      return false;
    uint32_t len = be32(buf), code = be32(buf + 4);
    if (len < 8 || len > sizeof buf || !read_exact(p->client, buf + 8, len - 8) || !write_all(p->server, buf, len))
      return false;
    if (code == PROTOCOL_3)
      return true;
    if (code != SSL_REQUEST && code != GSSENC_REQUEST)
      return false; /* a CancelRequest: the server closes */
  }
}

/* Client to server: message by message, cutting where told. */
static void *forward(void *arg)
{
  struct pair *p = arg;
  pthread_t back;
  uint8_t *msg = NULL;
  size_t cap = 0;

  if (pthread_create(&back, NULL, copy_back, p) != 0) {
    close(p->client);
    close(p->server);
    free(p);
    return NULL;
  }
  if (startup(p)) {
    for (;;) {
      uint8_t head[5];
      if (!read_exact(p->client, head, 5))
        break;
      uint32_t len = be32(head + 1);
      if (len < 4 || len > MAX_MESSAGE)
        break;
      if (len + 1 > cap) {
        uint8_t *bigger = realloc(msg, len + 1);
        if (!bigger)
          break;
        msg = bigger;
        cap = len + 1;
      }
      memcpy(msg, head, 5);
      if (!read_exact(p->client, msg + 5, len - 4))
        break;
      if (is_commit(p, head[0], msg + 5, len - 4)) {
        if (cut_here(p, msg, len + 1))
          break;
        p->in_block = false;
        p->n_names = 0;
      }
      if (!write_all(p->server, msg, len + 1))
        break;
    }
  }
  shutdown(p->client, SHUT_RDWR);
  if (!p->await_answer)
    shutdown(p->server, SHUT_RDWR);
  pthread_join(back, NULL); /* copy_back closes the server's side when it has answered */
  close(p->client);
  close(p->server);
  free(msg);
  free(p);
  return NULL;
}

static bool refusing(void)
{
  pthread_mutex_lock(&lock);
  bool yes = now_ms() < refuse_until_ms;
  pthread_mutex_unlock(&lock);
  return yes;
}

static void serve(int client)
{
  int one = 1;
  struct pair *p;
  pthread_t t;

  if (refusing()) {
    close(client);
    say("refused a connection\n");
    return;
  }
  int server = socket(AF_INET, SOCK_STREAM, 0);
  if (server < 0 || connect(server, (struct sockaddr *)&upstream, sizeof upstream) != 0
      || !(p = calloc(1, sizeof *p))) {
    if (server >= 0)
      close(server);
    close(client);
    return;
  }
  /* small messages both ways: no Nagle delay (libpq sets this on its side) */
  setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  p->client = client;
  p->server = server;
  p->id = ++next_id;
  if (pthread_create(&t, NULL, forward, p) != 0) {
    close(client);
    close(server);
    free(p);
    return;
  }
  pthread_detach(t);
}

int main(int argc, char **argv)
{
  static const struct option options[] = {
    { "listen", required_argument, NULL, 'l' },
    { "to", required_argument, NULL, 't' },
    { "control", required_argument, NULL, 'c' },
    { NULL, 0, NULL, 0 },
  };
  struct sockaddr_in listen_addr;
  const char *listen_text = NULL, *to_text = NULL;
  int opt, one = 1;

  while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
    if (opt == 'l')
      listen_text = optarg;
    else if (opt == 't')
      to_text = optarg;
    else if (opt == 'c')
      control_path = optarg;
    else
      return 2;
  }
  if (!listen_text || !to_text || !control_path || parse_addr(listen_text, &listen_addr) != 0
      || parse_addr(to_text, &upstream) != 0) {
    fprintf(stderr, "usage: pg-cut-proxy --listen HOST:PORT --to HOST:PORT --control FILE\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (lfd < 0 || bind(lfd, (struct sockaddr *)&listen_addr, sizeof listen_addr) != 0 || listen(lfd, 64) != 0) {
    fprintf(stderr, "pg-cut-proxy: cannot listen on %s: %s\n", listen_text, strerror(errno));
    return 1;
  }
  fprintf(stderr, "listening on %s, forwarding to %s\n", listen_text, to_text);
  fflush(stderr);
  for (;;) {
    int client = accept(lfd, NULL, NULL);
    if (client >= 0)
      serve(client);
    else if (errno != EINTR && errno != ECONNABORTED)
      return 1;
  }
}

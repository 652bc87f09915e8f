/* server.h — the credit server's network side (server.c). */
#ifndef PAYGW_CREDIT_SERVER_H
#define PAYGW_CREDIT_SERVER_H

/* Listens on "HOST:PORT" and serves until SIGTERM/SIGINT.  The database
 * pool (db.h) must be open.  Returns 0 after a clean stop, -1 when the
 * socket cannot be opened. */
int server_run(const char *host_port);

#endif

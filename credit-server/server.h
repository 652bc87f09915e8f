/* server.h — the credit server's network side (server.c). */
#ifndef PAYGW_CREDIT_SERVER_H
#define PAYGW_CREDIT_SERVER_H

/* Listens on "HOST:PORT" and serves ISO 8583 under mutual TLS until
 * SIGTERM/SIGINT.  The database pool (db.h) must be open.  Returns 0 after
 * a clean stop, -1 when the TLS settings (PAYGW_CREDIT_SERVER_CERT, ...)
 * are missing or unreadable or the socket cannot be opened. */
int server_run(const char *host_port);

#endif

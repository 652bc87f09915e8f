/* ep_csv_get.c — GET /history/transactions.csv: the signed-in user's
 * transactions as CSV.  A placeholder of the skeleton (the PAGES part
 * replaces this file): the header row only. */
#include "history/endpoints.h"
#include "history/reply.h"

#include <string.h>

int ep_csv_get(struct history_request *rq)
{
  static const char header[] =
      "date,number,merchant,shop,amount,currency,method,installments,status,card,approval_code\r\n";

  reply_add_header(rq, "Content-Disposition: attachment; filename=\"paygw-history.csv\"");
  return reply_body(rq, 200, "text/csv; charset=utf-8", header, strlen(header));
}

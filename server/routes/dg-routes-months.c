/* dg-routes-months.c: closing and reopening a month, in worker threads. */
#define G_LOG_DOMAIN "dg-server"

#include "config.h"

#include "dg-routes.h"

static void
set_month_closed (DgRequest  *req,
                  gboolean    closed,
                  GError    **error)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (!dg_store_set_month_closed (req->store, req->capture, closed, req->user, error))
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "month");
  json_builder_add_string_value (builder, req->capture);
  json_builder_set_member_name (builder, "closed");
  json_builder_add_boolean_value (builder, closed);
  json_builder_end_object (builder);
  req->response = json_builder_get_root (builder);
}

void
dg_route_close_month (DgRequest  *req,
                      GError    **error)
{
  set_month_closed (req, TRUE, error);
}

void
dg_route_reopen_month (DgRequest  *req,
                       GError    **error)
{
  set_month_closed (req, FALSE, error);
}

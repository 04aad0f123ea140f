/* dg-routes-reports.c: the monthly reports and the assessment exports, in worker threads.
 *
 * The reports are built by dg-reports.c from the store; a route here only reads its query.
 */
#define G_LOG_DOMAIN "dg-server"

#include "config.h"

#include "dg-reports.h"
#include "dg-routes.h"

void
dg_route_dustfall (DgRequest  *req,
                   GError    **error)
{
  if (dg_request_get_month_param (req, error))
    req->response = dg_reports_dustfall (req->store, req->capture, error);
}

void
dg_route_roads (DgRequest  *req,
                GError    **error)
{
  if (dg_request_get_month_param (req, error))
    req->response = dg_reports_roads (req->store, req->capture, error);
}

void
dg_route_quota (DgRequest  *req,
                GError    **error)
{
  if (dg_request_get_month_param (req, error))
    req->response = dg_reports_quota (req->store, req->capture, NULL, error);
}

gboolean
dg_route_caller_unit (DgRequest  *req,
                      char      **unit_id,
                      GError    **error)
{
  g_autoptr(DgUser) user = NULL;
  g_autoptr(GError) local_error = NULL;

  *unit_id = NULL;
  if (req->role != DG_ROLE_UNIT)
    return TRUE;
  if (!dg_store_lookup_user (req->store, req->user, &user, NULL, &local_error))
    {
      /* Removed since its token was checked. */
      if (local_error == NULL)
        dg_set_error (error, DG_ERROR_UNAUTHORIZED, NULL, "no such user");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *unit_id = g_strdup (user->unit_id);
  return TRUE;
}

/* The office and administrators see every unit; anyone else the policy lets in (a unit user)
 * sees its own unit's row, and none when it is bound to no unit. */
void
dg_route_units (DgRequest  *req,
                GError    **error)
{
  g_autofree char *unit_id = NULL;
  const char *only = NULL;

  if (!dg_request_get_month_param (req, error))
    return;

  if (!dg_policy_allows (req->role, DG_ACTION_READ_UNIT_RANKING, DG_SCOPE_OTHER))
    {
      if (!dg_route_caller_unit (req, &unit_id, error))
        return;
      /* A unit id no unit has: the unit-less user gets an empty list, not every unit. */
      only = unit_id != NULL ? unit_id : "";
    }

  req->response = dg_reports_units (req->store, req->capture, only, error);
}

/* The bulletin is a Word document only; "format" may name it, as the assessment's does. */
void
dg_route_bulletin (DgRequest  *req,
                   GError    **error)
{
  const char *format = dg_request_get_query (req, "format");

  if (!dg_request_get_month_param (req, error))
    return;
  if (format != NULL && !g_str_equal (format, "docx"))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "format", "format must be docx");
      return;
    }

  req->file = dg_reports_bulletin_docx (req->store, req->capture, error);
  if (req->file == NULL)
    return;
  req->content_type = DG_BULLETIN_DOCX_CONTENT_TYPE;
  req->filename = g_strdup_printf ("dustgrid-bulletin-%s.docx", req->capture);
}

void
dg_route_assessment (DgRequest  *req,
                     GError    **error)
{
  const char *format_name = dg_request_get_query (req, "format");
  const char *section_name = dg_request_get_query (req, "section");
  DgAssessmentFormat format = DG_ASSESSMENT_FORMAT_JSON;
  DgAssessmentSection section = DG_ASSESSMENT_SECTION_DUSTFALL;

  if (!dg_request_get_month_param (req, error))
    return;

  if (format_name != NULL && !dg_assessment_format_from_string (format_name, &format))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "format",
                    "format must be json, csv, xlsx or pdf");
      return;
    }
  if (!dg_assessment_section_from_string (section_name, &section))
    {
      dg_set_error (error, DG_ERROR_INVALID_FIELD, "section",
                    "section must be dustfall, roads or quota");
      return;
    }

  if (format == DG_ASSESSMENT_FORMAT_JSON)
    {
      req->response = dg_reports_assessment (req->store, req->capture, error);
      return;
    }

  req->file = dg_reports_assessment_file (req->store, req->capture, format, section, error);
  if (req->file == NULL)
    return;

  req->content_type = dg_assessment_format_content_type (format);
  req->filename = g_strdup_printf ("dustgrid-assessment-%s%s%s.%s", req->capture,
                                   format == DG_ASSESSMENT_FORMAT_CSV ? "-" : "",
                                   format == DG_ASSESSMENT_FORMAT_CSV
                                     ? dg_assessment_section_to_string (section) : "",
                                   dg_assessment_format_to_string (format));
}

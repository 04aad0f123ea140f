/* dg-wire-report.c: the monthly tables as the server sends them (design section 4). */
#define G_LOG_DOMAIN "dg-wire"

#include "config.h"

#include "dg-enum.h"
#include "dg-wire.h"
#include "dg-wire-private.h"

/* ---- Reports ---- */

static JsonNode *
node_take_object (JsonObject *object)
{
  JsonNode *node = json_node_alloc ();

  json_node_init_object (node, object);
  json_object_unref (object);
  return node;
}

JsonNode *
dg_dustfall_report_to_json (const DgDustfallReport *report)
{
  JsonObject *object;
  JsonArray *cells;

  g_return_val_if_fail (report != NULL, NULL);

  object = json_object_new ();
  cells = json_array_new ();

  dg_wire_set_string_or_null (object, "month", report->month);
  dg_wire_set_double_or_null (object, "cap", TRUE, report->cap);
  dg_wire_set_double_or_null (object, "district_mean", report->has_district_mean,
                              report->district_mean);

  for (guint i = 0; report->cells != NULL && i < report->cells->len; i++)
    {
      const DgCellRank *c = g_ptr_array_index (report->cells, i);
      JsonObject *co = json_object_new ();
      gboolean ranked = c->has_value && c->rank > 0;

      if (ranked)
        json_object_set_int_member (co, "rank", c->rank);
      else
        json_object_set_null_member (co, "rank");
      dg_wire_set_string_or_null (co, "cell_id", c->cell_id);
      dg_wire_set_string_or_null (co, "code", c->code);
      dg_wire_set_string_or_null (co, "name", c->name);
      dg_wire_set_string_or_null (co, "unit", c->unit);
      json_object_set_int_member (co, "row", c->row);
      json_object_set_int_member (co, "col", c->col);
      dg_wire_set_double_or_null (co, "value", c->has_value, c->value);
      dg_wire_set_bool_or_null (co, "exceeds", c->has_value, c->exceeds);
      json_object_set_int_member (co, "sites", c->sites);
      dg_wire_set_double_or_null (co, "site_max", c->has_value, c->site_max);
      dg_wire_set_double_or_null (co, "site_min", c->has_value, c->site_min);
      dg_wire_set_double_or_null (co, "prev_value", c->has_prev, c->prev_value);
      dg_wire_set_double_or_null (co, "mom_change", c->has_mom, c->mom_change);
      dg_wire_set_double_or_null (co, "mom_pct", c->has_mom, c->mom_pct);
      dg_wire_set_double_or_null (co, "yoy_pct", c->has_yoy, c->yoy_pct);
      dg_wire_set_double_or_null (co, "ytd_mean", c->has_ytd, c->ytd_mean);
      dg_wire_set_bool_or_null (co, "ytd_exceeds", c->has_ytd, c->ytd_exceeds);
      /* Only on a row whose value is a history record's (6.4): the others keep their shape. */
      if (c->history)
        json_object_set_boolean_member (co, "history", TRUE);
      json_array_add_object_element (cells, co);
    }
  json_object_set_array_member (object, "cells", cells);

  return node_take_object (object);
}

JsonNode *
dg_road_report_to_json (const DgRoadReport *report)
{
  JsonObject *object;
  JsonArray *roads;

  g_return_val_if_fail (report != NULL, NULL);

  object = json_object_new ();
  roads = json_array_new ();

  dg_wire_set_string_or_null (object, "month", report->month);

  for (guint i = 0; report->roads != NULL && i < report->roads->len; i++)
    {
      const DgRoadRow *r = g_ptr_array_index (report->roads, i);
      JsonObject *ro = json_object_new ();
      JsonObject *means = json_object_new ();

      if (r->rank > 0)
        json_object_set_int_member (ro, "rank", r->rank);
      else
        json_object_set_null_member (ro, "rank");
      dg_wire_set_string_or_null (ro, "road_id", r->road_id);
      dg_wire_set_string_or_null (ro, "name", r->name);
      json_object_set_int_member (ro, "checks", r->checks);
      json_object_set_int_member (ro, "complete", r->complete);
      json_object_set_int_member (ro, "points", r->points);
      dg_wire_set_double_or_null (ro, "mean", r->has_mean, r->mean);

      /* Every surface is listed, null where the road had no point of it, so that a table
       * reader finds the same columns in every row. */
      for (guint s = 0; s < DG_N_SURFACES; s++)
        dg_wire_set_double_or_null (means, dg_surface_to_string ((DgSurface) s), r->has_means[s],
                                    r->means[s]);
      json_object_set_object_member (ro, "means", means);

      dg_wire_set_double_or_null (ro, "max", TRUE, r->max);
      json_object_set_int_member (ro, "points_over", r->points_over);
      json_object_set_int_member (ro, "passed", r->passed);
      json_array_add_object_element (roads, ro);
    }
  json_object_set_array_member (object, "roads", roads);

  return node_take_object (object);
}

JsonNode *
dg_quota_report_to_json (const DgQuotaReport *report)
{
  JsonObject *object;
  JsonArray *days;

  g_return_val_if_fail (report != NULL, NULL);

  object = json_object_new ();
  days = json_array_new ();

  dg_wire_set_string_or_null (object, "month", report->month);
  json_object_set_int_member (object, "roads_required", report->roads_required);
  json_object_set_int_member (object, "points_required", report->points_required);

  for (guint i = 0; report->days != NULL && i < report->days->len; i++)
    {
      const DgQuotaDay *d = &g_array_index (report->days, DgQuotaDay, i);
      JsonObject *dobj = json_object_new ();

      dg_wire_set_string_or_null (dobj, "date", d->date);
      json_object_set_int_member (dobj, "roads", d->roads);
      /* A pending day is not met (yet); "state" tells it apart from a short one. */
      json_object_set_boolean_member (dobj, "met", d->state == DG_QUOTA_MET);
      json_object_set_string_member (dobj, "state", dg_quota_state_to_string (d->state));
      json_array_add_object_element (days, dobj);
    }
  json_object_set_array_member (object, "days", days);

  json_object_set_int_member (object, "days_met", report->days_met);
  json_object_set_int_member (object, "days_elapsed", report->days_elapsed);

  return node_take_object (object);
}

JsonNode *
dg_unit_report_to_json (const DgUnitReport *report,
                        const char         *only_unit_id)
{
  JsonObject *object;
  JsonArray *units;

  g_return_val_if_fail (report != NULL, NULL);

  object = json_object_new ();
  units = json_array_new ();

  dg_wire_set_string_or_null (object, "month", report->month);

  for (guint i = 0; report->units != NULL && i < report->units->len; i++)
    {
      const DgUnitRank *u = g_ptr_array_index (report->units, i);
      JsonObject *uo;

      if (only_unit_id != NULL && g_strcmp0 (u->unit_id, only_unit_id) != 0)
        continue;

      uo = json_object_new ();
      if (u->rank > 0)
        json_object_set_int_member (uo, "rank", u->rank);
      else
        json_object_set_null_member (uo, "rank");
      dg_wire_set_string_or_null (uo, "unit_id", u->unit_id);
      dg_wire_set_string_or_null (uo, "code", u->code);
      dg_wire_set_string_or_null (uo, "name", u->name);
      dg_wire_set_string_or_null (uo, "parent_id", u->parent_id);
      json_object_set_int_member (uo, "cells", u->cells);
      json_object_set_int_member (uo, "cells_ranked", u->cells_ranked);
      dg_wire_set_double_or_null (uo, "mean", u->has_mean, u->mean);
      json_object_set_int_member (uo, "exceeding", u->exceeding);
      dg_wire_set_double_or_null (uo, "prev_mean", u->has_prev, u->prev_mean);
      dg_wire_set_double_or_null (uo, "mom_pct", u->has_mom, u->mom_pct);
      json_object_set_int_member (uo, "checks", u->checks);
      json_object_set_int_member (uo, "checks_passed", u->checks_passed);
      dg_wire_set_double_or_null (uo, "pass_rate", u->has_pass_rate, u->pass_rate);
      json_array_add_object_element (units, uo);
    }
  json_object_set_array_member (object, "units", units);

  return node_take_object (object);
}

/* dg-reports.c: the monthly reports, loaded from the store and built by common/. */
#define G_LOG_DOMAIN "dg-reports"

#include "config.h"

#include "dg-reports.h"

JsonNode *
dg_reports_dustfall (DgStore     *store,
                     const char  *month,
                     GError     **error)
{
  g_autoptr(DgRuleSet) rules = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(GPtrArray) samples = NULL;
  g_autoptr(GPtrArray) months = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) values = NULL;
  g_autoptr(DgDustfallReport) report = NULL;
  g_autofree char *prev = NULL;
  g_autofree char *year_before = NULL;
  int month_number;

  g_return_val_if_fail (DG_IS_STORE (store), NULL);
  g_return_val_if_fail (dg_month_is_valid (month), NULL);

  /* The builder needs the month, the one before, the same month a year before and January up
   * to the month (for the year-to-date mean). */
  month_number = (int) g_ascii_strtoll (month + 5, NULL, 10);
  for (int i = month_number - 1; i >= 0; i--)
    g_ptr_array_add (months, dg_month_add (month, -i));
  prev = dg_month_add (month, -1);
  if (month_number == 1)
    g_ptr_array_add (months, g_strdup (prev));
  year_before = dg_month_add (month, -12);
  g_ptr_array_add (months, g_strdup (year_before));
  g_ptr_array_add (months, NULL);

  rules = dg_store_load_rules (store, error);
  if (rules == NULL)
    return NULL;
  cells = dg_store_load_grid_cells (store, error);
  if (cells == NULL)
    return NULL;
  samples = dg_store_load_dustfall_samples (store, (const char *const *) months->pdata, error);
  if (samples == NULL)
    return NULL;

  values = dg_cell_months_from_samples (samples);
  report = dg_dustfall_report_build (month, cells, values, rules);
  return dg_dustfall_report_to_json (report);
}

JsonNode *
dg_reports_roads (DgStore     *store,
                  const char  *month,
                  GError     **error)
{
  g_autoptr(DgRuleSet) rules = NULL;
  g_autoptr(GPtrArray) roads = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(DgRoadReport) report = NULL;

  g_return_val_if_fail (DG_IS_STORE (store), NULL);
  g_return_val_if_fail (dg_month_is_valid (month), NULL);

  rules = dg_store_load_rules (store, error);
  if (rules == NULL)
    return NULL;
  roads = dg_store_load_roads (store, error);
  if (roads == NULL)
    return NULL;
  checks = dg_store_load_road_checks (store, month, error);
  if (checks == NULL)
    return NULL;

  report = dg_road_report_build (month, roads, checks, rules);
  return dg_road_report_to_json (report);
}

JsonNode *
dg_reports_quota (DgStore     *store,
                  const char  *month,
                  const char  *today,
                  GError     **error)
{
  g_autoptr(DgRuleSet) rules = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(DgQuotaReport) report = NULL;
  g_autofree char *local_today = NULL;

  g_return_val_if_fail (DG_IS_STORE (store), NULL);
  g_return_val_if_fail (dg_month_is_valid (month), NULL);

  if (today == NULL)
    today = local_today = dg_date_today ();

  rules = dg_store_load_rules (store, error);
  if (rules == NULL)
    return NULL;
  checks = dg_store_load_road_checks (store, month, error);
  if (checks == NULL)
    return NULL;

  report = dg_quota_report_build (month, checks, rules, today);
  return dg_quota_report_to_json (report);
}

JsonNode *
dg_reports_assessment (DgStore     *store,
                       const char  *month,
                       GError     **error)
{
  g_autoptr(JsonNode) dustfall = NULL;
  g_autoptr(JsonNode) roads = NULL;
  g_autoptr(JsonNode) quota = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  dustfall = dg_reports_dustfall (store, month, error);
  if (dustfall == NULL)
    return NULL;
  roads = dg_reports_roads (store, month, error);
  if (roads == NULL)
    return NULL;
  quota = dg_reports_quota (store, month, NULL, error);
  if (quota == NULL)
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "month");
  json_builder_add_string_value (builder, month);
  json_builder_set_member_name (builder, "dustfall");
  json_builder_add_value (builder, g_steal_pointer (&dustfall));
  json_builder_set_member_name (builder, "roads");
  json_builder_add_value (builder, g_steal_pointer (&roads));
  json_builder_set_member_name (builder, "quota");
  json_builder_add_value (builder, g_steal_pointer (&quota));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

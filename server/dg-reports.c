/* dg-reports.c: the monthly reports, loaded from the store and built by common/. */
#define G_LOG_DOMAIN "dg-reports"

#include "config.h"

#include <string.h>

#include "dg-reports.h"

/* The rules, roads and cells @month's reports read (frozen at its close, if it is closed). */
typedef struct
{
  DgRuleSet *rules;
  GPtrArray *roads;
  GPtrArray *cells;
  GPtrArray *units;
} Reference;

static void
reference_clear (Reference *reference)
{
  g_clear_pointer (&reference->rules, dg_rule_set_unref);
  g_clear_pointer (&reference->roads, g_ptr_array_unref);
  g_clear_pointer (&reference->cells, g_ptr_array_unref);
  g_clear_pointer (&reference->units, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reference, reference_clear)

static gboolean
reference_load (Reference   *reference,
                DgStore     *store,
                const char  *month,
                GError     **error)
{
  return dg_store_load_month_reference (store, month, &reference->rules, &reference->roads,
                                        &reference->cells, &reference->units, error);
}

static DgDustfallReport *
build_dustfall (DgStore          *store,
                const char       *month,
                const Reference  *reference,
                GError          **error)
{
  g_auto(GStrv) months = dg_dustfall_report_months (month);
  g_autoptr(GArray) values = NULL;
  g_autoptr(GArray) merged = NULL;
  g_autoptr(GPtrArray) history = NULL;

  /* The cell-months straight from the values stored with each sample: no JSON decoded. */
  values = dg_store_load_cell_months (store, (const char *const *) months, error);
  if (values == NULL)
    return NULL;
  /* The values from before DustGrid, where a month has no valid sample (6.4). */
  history = dg_store_load_dustfall_history (store, month, (const char *const *) months, error);
  if (history == NULL)
    return NULL;
  merged = dg_cell_months_add_history (values, history);

  return dg_dustfall_report_build (month, reference->cells, merged, reference->rules);
}

/* @checks: the month's checks when the caller has them already, else NULL. */
static DgRoadReport *
build_roads (DgStore          *store,
             const char       *month,
             const Reference  *reference,
             GPtrArray        *checks,
             GError          **error)
{
  g_autoptr(GPtrArray) loaded = NULL;

  if (checks == NULL)
    {
      checks = loaded = dg_store_load_road_checks (store, month, error);
      if (checks == NULL)
        return NULL;
    }

  return dg_road_report_build (month, reference->roads, checks, reference->rules);
}

static DgQuotaReport *
build_quota (DgStore          *store,
             const char       *month,
             const char       *today,
             const DgRuleSet  *rules,
             GPtrArray        *checks,
             GError          **error)
{
  g_autoptr(GPtrArray) loaded = NULL;
  g_autofree char *local_today = NULL;

  if (today == NULL)
    today = local_today = dg_date_today ();

  if (checks == NULL)
    {
      checks = loaded = dg_store_load_road_checks (store, month, error);
      if (checks == NULL)
        return NULL;
    }

  return dg_quota_report_build (month, checks, rules, today);
}

/* The unit ranking reads the cell ranking and the road table of the same month. */
static DgUnitReport *
build_units (const char              *month,
             const Reference         *reference,
             const DgDustfallReport  *cells,
             const DgRoadReport      *roads)
{
  return dg_unit_report_build (month, reference->units, cells, roads);
}

JsonNode *
dg_reports_dustfall (DgStore     *store,
                     const char  *month,
                     GError     **error)
{
  g_auto(Reference) reference = { 0 };
  g_autoptr(DgDustfallReport) report = NULL;

  g_return_val_if_fail (DG_IS_STORE (store), NULL);
  g_return_val_if_fail (dg_month_is_valid (month), NULL);

  if (!reference_load (&reference, store, month, error))
    return NULL;
  report = build_dustfall (store, month, &reference, error);
  if (report == NULL)
    return NULL;

  return dg_dustfall_report_to_json (report);
}

JsonNode *
dg_reports_roads (DgStore     *store,
                  const char  *month,
                  GError     **error)
{
  g_auto(Reference) reference = { 0 };
  g_autoptr(DgRoadReport) report = NULL;

  g_return_val_if_fail (DG_IS_STORE (store), NULL);
  g_return_val_if_fail (dg_month_is_valid (month), NULL);

  if (!reference_load (&reference, store, month, error))
    return NULL;
  report = build_roads (store, month, &reference, NULL, error);
  if (report == NULL)
    return NULL;

  return dg_road_report_to_json (report);
}

JsonNode *
dg_reports_quota (DgStore     *store,
                  const char  *month,
                  const char  *today,
                  GError     **error)
{
  g_auto(Reference) reference = { 0 };
  g_autoptr(DgQuotaReport) report = NULL;

  g_return_val_if_fail (DG_IS_STORE (store), NULL);
  g_return_val_if_fail (dg_month_is_valid (month), NULL);

  if (!reference_load (&reference, store, month, error))
    return NULL;
  report = build_quota (store, month, today, reference.rules, NULL, error);
  if (report == NULL)
    return NULL;

  return dg_quota_report_to_json (report);
}

/* The cell ranking, the road table and the unit ranking built on them. */
static gboolean
build_unit_reports (DgStore            *store,
                    const char         *month,
                    Reference          *reference,
                    DgDustfallReport  **cells,
                    DgRoadReport      **roads,
                    DgUnitReport      **units,
                    GError            **error)
{
  if (!reference_load (reference, store, month, error))
    return FALSE;
  *cells = build_dustfall (store, month, reference, error);
  if (*cells == NULL)
    return FALSE;
  *roads = build_roads (store, month, reference, NULL, error);
  if (*roads == NULL)
    return FALSE;
  *units = build_units (month, reference, *cells, *roads);
  return TRUE;
}

JsonNode *
dg_reports_units (DgStore     *store,
                  const char  *month,
                  const char  *only_unit_id,
                  GError     **error)
{
  g_auto(Reference) reference = { 0 };
  g_autoptr(DgDustfallReport) cells = NULL;
  g_autoptr(DgRoadReport) roads = NULL;
  g_autoptr(DgUnitReport) units = NULL;

  g_return_val_if_fail (DG_IS_STORE (store), NULL);
  g_return_val_if_fail (dg_month_is_valid (month), NULL);

  if (!build_unit_reports (store, month, &reference, &cells, &roads, &units, error))
    return NULL;
  return dg_unit_report_to_json (units, only_unit_id);
}

GBytes *
dg_reports_bulletin_docx (DgStore     *store,
                          const char  *month,
                          GError     **error)
{
  g_auto(Reference) reference = { 0 };
  g_autoptr(DgDustfallReport) cells = NULL;
  g_autoptr(DgRoadReport) roads = NULL;
  g_autoptr(DgUnitReport) units = NULL;
  DgBulletin bulletin = { 0, };

  g_return_val_if_fail (DG_IS_STORE (store), NULL);
  g_return_val_if_fail (dg_month_is_valid (month), NULL);

  if (!build_unit_reports (store, month, &reference, &cells, &roads, &units, error))
    return NULL;

  /* No rectification notices yet (design 6.3's life cycle): every exceeding cell reads 待下达. */
  bulletin.month = month;
  bulletin.dustfall = cells;
  bulletin.units = units;
  return dg_bulletin_render_docx (&bulletin, error);
}

/* Builds the three reports of @month into @assessment (which then owns them). */
static gboolean
build_assessment (DgStore       *store,
                  const char    *month,
                  DgAssessment  *assessment,
                  GError       **error)
{
  g_auto(Reference) reference = { 0 };
  g_autoptr(GPtrArray) checks = NULL;

  memset (assessment, 0, sizeof *assessment);
  assessment->month = month;

  if (!reference_load (&reference, store, month, error))
    return FALSE;

  assessment->dustfall = build_dustfall (store, month, &reference, error);
  if (assessment->dustfall == NULL)
    return FALSE;
  /* The road table and the quota read the same checks: load them once. */
  checks = dg_store_load_road_checks (store, month, error);
  if (checks == NULL)
    return FALSE;
  assessment->roads = build_roads (store, month, &reference, checks, error);
  if (assessment->roads == NULL)
    return FALSE;
  assessment->quota = build_quota (store, month, NULL, reference.rules, checks, error);

  return assessment->quota != NULL;
}

static void
clear_assessment (DgAssessment *assessment)
{
  g_clear_pointer (&assessment->dustfall, dg_dustfall_report_free);
  g_clear_pointer (&assessment->roads, dg_road_report_free);
  g_clear_pointer (&assessment->quota, dg_quota_report_free);
}

JsonNode *
dg_reports_assessment (DgStore     *store,
                       const char  *month,
                       GError     **error)
{
  DgAssessment assessment;
  JsonNode *node = NULL;

  g_return_val_if_fail (DG_IS_STORE (store), NULL);
  g_return_val_if_fail (dg_month_is_valid (month), NULL);

  if (build_assessment (store, month, &assessment, error))
    node = dg_assessment_to_json (&assessment);
  clear_assessment (&assessment);

  return node;
}

GBytes *
dg_reports_assessment_file (DgStore              *store,
                            const char           *month,
                            DgAssessmentFormat    format,
                            DgAssessmentSection   section,
                            GError              **error)
{
  DgAssessment assessment;
  GBytes *bytes = NULL;

  g_return_val_if_fail (DG_IS_STORE (store), NULL);
  g_return_val_if_fail (dg_month_is_valid (month), NULL);

  if (build_assessment (store, month, &assessment, error))
    bytes = dg_assessment_to_bytes (&assessment, format, section, error);
  clear_assessment (&assessment);

  return bytes;
}

/* test-bulletin.c: the bulletin's .docx package and the notices of its exceeding cells. The
 * server suite reads a whole bulletin back with python3-docx; this one opens the package with
 * libzip to check what only a given notice can show. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <zip.h>

#include "dustgrid-common.h"

/* The text of @name in the zip @bytes, or NULL when it has no such part. */
static char *
read_part (GBytes     *bytes,
           const char *name)
{
  zip_error_t zerror;
  zip_source_t *source;
  zip_t *archive;
  zip_file_t *file;
  zip_stat_t st;
  char *text = NULL;

  zip_error_init (&zerror);
  source = zip_source_buffer_create (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), 0,
                                     &zerror);
  g_assert_nonnull (source);
  archive = zip_open_from_source (source, ZIP_RDONLY | ZIP_CHECKCONS, &zerror);
  g_assert_nonnull (archive);

  if (zip_stat (archive, name, 0, &st) == 0 && (file = zip_fopen (archive, name, 0)) != NULL)
    {
      text = g_malloc0 (st.size + 1);
      g_assert_cmpint (zip_fread (file, text, st.size), ==, (zip_int64_t) st.size);
      zip_fclose (file);
    }
  zip_discard (archive);
  return text;
}

static DgDustfallReport *
make_report (void)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_grid_cell_free);
  g_autoptr(GArray) values = g_array_new (FALSE, TRUE, sizeof (DgCellMonth));
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  static const double cell_values[] = { 3.0, 9.5, 12.0 };

  g_array_set_clear_func (values, (GDestroyNotify) dg_cell_month_clear);
  for (guint i = 0; i < G_N_ELEMENTS (cell_values); i++)
    {
      DgGridCell *cell = dg_grid_cell_new ();
      DgCellMonth cm = { 0, };

      cell->id = g_strdup_printf ("c0000000-0000-4000-8000-00000000000%u", i);
      cell->code = g_strdup_printf ("G0%u", i);
      cell->name = g_strdup_printf ("网格 %u", i);
      cell->unit = g_strdup ("府城街道");
      g_ptr_array_add (cells, cell);
      cm.cell_id = g_strdup (cell->id);
      cm.month = g_strdup ("2025-03");
      cm.has_value = TRUE;
      cm.value = cell_values[i];
      cm.sites = 1;
      cm.site_max = cm.site_min = cell_values[i];
      g_array_append_val (values, cm);
    }
  return dg_dustfall_report_build ("2025-03", cells, values, rules);
}

/* A notice of an exceeding cell shows its text and deadline; a cell without one reads 待下达;
 * the package holds the parts a Word reader needs, A4. */
static void
test_notices (void)
{
  g_autoptr(DgDustfallReport) report = make_report ();
  g_autoptr(GPtrArray) notices = g_ptr_array_new ();
  g_autoptr(GBytes) docx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *document = NULL;
  g_autofree char *types = NULL;
  g_autofree char *title = NULL;
  DgBulletinNotice notice = {
    "c0000000-0000-4000-8000-000000000002", "裸土未覆盖，限期覆盖到位", "2025-04-15",
  };
  DgBulletin bulletin = { 0, };

  g_ptr_array_add (notices, &notice);
  bulletin.month = "2025-03";
  bulletin.issued_on = "2025-04-02";
  bulletin.dustfall = report;
  bulletin.notices = notices;

  title = dg_bulletin_title (&bulletin);
  g_assert_cmpstr (title, ==, "2025年3月扬尘污染防治工作通报");

  docx = dg_bulletin_render_docx (&bulletin, &error);
  g_assert_no_error (error);
  document = read_part (docx, "word/document.xml");
  types = read_part (docx, "[Content_Types].xml");
  g_assert_nonnull (document);
  g_assert_nonnull (types);
  g_assert_nonnull (strstr (types, "wordprocessingml.document.main+xml"));

  /* G02 (12.0) has its notice; G01 (9.5) is over the cap of 8 too, and has none. */
  g_assert_nonnull (strstr (document, "裸土未覆盖，限期覆盖到位"));
  g_assert_nonnull (strstr (document, "2025年4月15日"));
  g_assert_nonnull (strstr (document, "待下达"));
  g_assert_nonnull (strstr (document, "2025年4月2日"));
  g_assert_nonnull (strstr (document, "w:w=\"11906\" w:h=\"16838\""));
}

/* With no cell over the cap, the section says so and holds no table of them. */
static void
test_no_exceeding (void)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_grid_cell_free);
  g_autoptr(GArray) values = g_array_new (FALSE, TRUE, sizeof (DgCellMonth));
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgDustfallReport) report = NULL;
  g_autoptr(GBytes) docx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *document = NULL;
  DgBulletin bulletin = { 0, };

  report = dg_dustfall_report_build ("2025-03", cells, values, rules);
  bulletin.month = "2025-03";
  bulletin.dustfall = report;
  docx = dg_bulletin_render_docx (&bulletin, &error);
  g_assert_no_error (error);
  document = read_part (docx, "word/document.xml");
  g_assert_nonnull (strstr (document, "本月无降尘量超过控制限值的网格。"));
  g_assert_null (strstr (document, "待下达"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/bulletin/notice-text-and-deadline-or-pending", test_notices);
  g_test_add_func ("/common/bulletin/no-exceeding-cell", test_no_exceeding);

  return g_test_run ();
}

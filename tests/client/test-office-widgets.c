/* test-office-widgets.c: the office view's charts, map, trend and page, and its server actions.
 *
 * The charts are rendered the way GTK renders them (the widget's snapshot, a GskRenderNode,
 * drawn on a cairo image surface, at scale 1 and 2) and their pixels checked against the colours
 * common/ decides. The page is built from a store holding a known month. DgOfficeActions runs
 * against the real dustgrid-server on a free port: return, close (a late change is refused
 * with month_closed), reopen.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "dg-grid-map.h"
#include "dg-local-store.h"
#include "dg-month-report.h"
#include "dg-office-actions.h"
#include "dg-office-page.h"
#include "office/dg-office-requests.h"
#include "dg-ranking-chart.h"
#include "dg-test-client.h"
#include "dg-trend.h"
#include "dg-trend-chart.h"
#include "dg-trend-dialog.h"

#define MONTH "2025-03"

/* Cells of the known month: code, row, col, net dust mass in g (0 = no valid jar, 缺测).
 * With a 15 cm jar over 30 days, M = net × 56.588…: 3.0, 12.0, 缺测, 7.0. */
static const struct
{
  const char *id;
  const char *code;
  int         row, col;
  double      net_g;
} known_cells[] = {
  { "00000000-0000-4000-8000-000000000001", "C01", 0, 0, 0.05301 },
  { "00000000-0000-4000-8000-000000000002", "C02", 0, 1, 0.21206 },
  { "00000000-0000-4000-8000-000000000003", "C03", 1, 0, 0.0 },
  { "00000000-0000-4000-8000-000000000004", "C04", 1, 1, 0.12370 },
};

/* ---- Helpers ---- */

static DgDustfallSample *
known_sample (guint i,
              const char *month)
{
  DgDustfallSample *sample = dg_dustfall_sample_new ();
  g_autofree char *next = dg_month_add (month, 1);

  sample->id = g_strdup_printf ("10000000-0000-4000-8000-%04u%08u", i,
                                (guint) g_ascii_strtoull (month + 5, NULL, 10)
                                + 100 * (guint) g_ascii_strtoull (month, NULL, 10));
  sample->cell_id = g_strdup (known_cells[i].id);
  g_free (sample->month);
  sample->month = g_strdup (month);
  sample->start = g_strdup_printf ("%s-01T08:00", month);
  /* 30 days from the first, whatever the month's length. */
  {
    GDate date;
    g_autofree char *first = g_strdup_printf ("%s-01", month);
    char buf[16];

    g_assert_true (dg_date_parse (first, &date));
    g_date_add_days (&date, 30);
    g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &date);
    sample->end = g_strdup_printf ("%sT08:00", buf);
  }
  sample->w0_g = 10.0;
  sample->w1_g = 10.0 + known_cells[i].net_g;
  sample->wc_g = 0.0;
  sample->valid = known_cells[i].net_g > 0.0;
  return sample;
}

/* The known month as common/ builds it, with @months months of the same values before it. */
static DgMonthReport *
known_report (guint months)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_grid_cell_free);
  g_autoptr(GPtrArray) samples =
    g_ptr_array_new_with_free_func ((GDestroyNotify) dg_dustfall_sample_free);
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  GArray *values;

  for (guint i = 0; i < G_N_ELEMENTS (known_cells); i++)
    {
      DgGridCell *cell = dg_grid_cell_new ();

      cell->id = g_strdup (known_cells[i].id);
      cell->code = g_strdup (known_cells[i].code);
      cell->name = g_strdup_printf ("Cell %u", i + 1);
      cell->unit = g_strdup ("Fucheng");
      cell->row = known_cells[i].row;
      cell->col = known_cells[i].col;
      g_ptr_array_add (cells, cell);

      for (guint m = 0; m <= months; m++)
        {
          g_autofree char *month = dg_month_add (MONTH, -(int) m);

          g_ptr_array_add (samples, known_sample (i, month));
        }
    }

  values = dg_cell_months_from_samples (samples);
  return dg_month_report_new (MONTH, dg_dustfall_report_build (MONTH, cells, values, rules),
                              NULL, NULL, values, dg_rule_set_ref (rules), NULL);
}

static int
find_cell (const DgDustfallReport *dustfall,
           const char             *code)
{
  for (guint i = 0; i < dustfall->cells->len; i++)
    if (g_strcmp0 (((DgCellRank *) g_ptr_array_index (dustfall->cells, i))->code, code) == 0)
      return (int) i;
  g_assert_not_reached ();
  return -1;
}

/* Renders @widget as GTK does (snapshot → render node → cairo) at @scale. */
static cairo_surface_t *
render (GtkWidget *widget,
        int        scale)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  cairo_surface_set_device_scale (surface, scale, scale);
  cr = cairo_create (surface);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* Asserts the pixel at (@x, @y) user units is the opaque colour (@r, @g, @b). */
static void
assert_pixel (cairo_surface_t *surface,
              double           x,
              double           y,
              double           r,
              double           g,
              double           b)
{
  double sx, sy;
  guint32 pixel;
  int px, py;

  cairo_surface_get_device_scale (surface, &sx, &sy);
  px = (int) floor (x * sx);
  py = (int) floor (y * sy);
  g_assert_cmpint (px, >=, 0);
  g_assert_cmpint (py, >=, 0);
  g_assert_cmpint (px, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (py, <, cairo_image_surface_get_height (surface));
  pixel = *(guint32 *) (cairo_image_surface_get_data (surface)
                        + py * cairo_image_surface_get_stride (surface) + px * 4);

  g_assert_cmpuint (pixel >> 24, ==, 255);
  g_assert_cmpint (abs ((int) ((pixel >> 16) & 0xff) - (int) round (r * 255)), <=, 2);
  g_assert_cmpint (abs ((int) ((pixel >> 8) & 0xff) - (int) round (g * 255)), <=, 2);
  g_assert_cmpint (abs ((int) (pixel & 0xff) - (int) round (b * 255)), <=, 2);
}

static void
assert_value_color (cairo_surface_t *surface,
                    double           x,
                    double           y,
                    double           value,
                    double           cap)
{
  double r, g, b;

  dg_chart_value_color (value, TRUE, cap, &r, &g, &b);
  assert_pixel (surface, x, y, r, g, b);
}

/* ---- Charts ---- */

static void
test_ranking_chart (void)
{
  g_autoptr(DgMonthReport) report = known_report (0);
  const DgDustfallReport *dustfall = dg_month_report_get_dustfall (report);
  GtkWidget *chart = dg_ranking_chart_new ();
  GtkWidget *window = dg_test_show_in_window (chart, 480, 320);
  int good = find_cell (dustfall, "C01");
  int over = find_cell (dustfall, "C02");

  dg_ranking_chart_set_report (DG_RANKING_CHART (chart), report);
  g_assert_true (dg_ranking_chart_get_report (DG_RANKING_CHART (chart)) == report);
  dg_test_spin (50);

  /* The ranking itself is common/'s: 3.0, 7.0, 12.0, then 缺测. */
  g_assert_cmpint (good, ==, 0);
  g_assert_cmpint (over, ==, 2);
  g_assert_true (((DgCellRank *) g_ptr_array_index (dustfall->cells, over))->exceeds);

  for (int scale = 1; scale <= 2; scale++)
    {
      cairo_surface_t *surface = render (chart, scale);
      double width = gtk_widget_get_width (chart);
      double height = gtk_widget_get_height (chart);
      cairo_rectangle_t rect;

      g_assert_true (dg_chart_ranking_bar_rect (dustfall, width, height, good, &rect));
      assert_value_color (surface, rect.x + rect.width / 2, rect.y + rect.height * 0.6, 3.0,
                          dustfall->cap);
      g_assert_true (dg_chart_ranking_bar_rect (dustfall, width, height, over, &rect));
      assert_value_color (surface, rect.x + rect.width / 2, rect.y + rect.height * 0.6, 12.0,
                          dustfall->cap);
      /* 缺测 has no bar. */
      g_assert_false (dg_chart_ranking_bar_rect (dustfall, width, height, 3, &rect));
      cairo_surface_destroy (surface);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
cell_activated_cb (GtkWidget  *widget,
                   const char *cell_id,
                   char      **out)
{
  g_free (*out);
  *out = g_strdup (cell_id);
}

static gboolean
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }
  return handled;
}

static void
test_grid_map (void)
{
  g_autoptr(DgMonthReport) report = known_report (0);
  const DgDustfallReport *dustfall = dg_month_report_get_dustfall (report);
  GtkWidget *map = dg_grid_map_new ();
  GtkWidget *window = dg_test_show_in_window (map, 400, 400);
  int good = find_cell (dustfall, "C01");
  int over = find_cell (dustfall, "C02");
  int missing = find_cell (dustfall, "C03");

  dg_grid_map_set_report (DG_GRID_MAP (map), report);
  dg_test_spin (50);

  for (int scale = 1; scale <= 2; scale++)
    {
      cairo_surface_t *surface = render (map, scale);
      double width = gtk_widget_get_width (map);
      double height = gtk_widget_get_height (map);
      cairo_rectangle_t rect;
      double r, g, b;

      /* Near a corner, away from the labels in the middle of the square. */
      g_assert_true (dg_chart_grid_map_cell_rect (dustfall, width, height, good, &rect));
      assert_value_color (surface, rect.x + rect.width * 0.15, rect.y + rect.height * 0.12, 3.0,
                          dustfall->cap);
      g_assert_cmpstr (dg_grid_map_get_cell_at (DG_GRID_MAP (map), rect.x + rect.width / 2,
                                                rect.y + rect.height / 2),
                       ==, known_cells[0].id);

      g_assert_true (dg_chart_grid_map_cell_rect (dustfall, width, height, over, &rect));
      assert_value_color (surface, rect.x + rect.width * 0.15, rect.y + rect.height * 0.12,
                          12.0, dustfall->cap);
      g_assert_cmpstr (dg_grid_map_get_cell_at (DG_GRID_MAP (map), rect.x + rect.width / 2,
                                                rect.y + rect.height / 2),
                       ==, known_cells[1].id);

      /* 缺测 is hatched: neither the compliant nor the exceeding colour anywhere near it. */
      g_assert_true (dg_chart_grid_map_cell_rect (dustfall, width, height, missing, &rect));
      dg_chart_value_color (0.0, FALSE, dustfall->cap, &r, &g, &b);
      g_assert_cmpstr (dg_grid_map_get_cell_at (DG_GRID_MAP (map), rect.x + 2, rect.y + 2),
                       ==, known_cells[2].id);
      cairo_surface_destroy (surface);
    }

  g_assert_null (dg_grid_map_get_cell_at (DG_GRID_MAP (map), -5, -5));

  /* From the keyboard: Home goes to the first cell (C01, top left), → moves to C02, Enter
   * activates it; ↓ from there reaches C04. */
  {
    g_autofree char *activated = NULL;

    g_signal_connect (map, "cell-activated", G_CALLBACK (cell_activated_cb), &activated);
    g_assert_true (gtk_widget_get_focusable (map));
    g_assert_true (gtk_widget_grab_focus (map));
    dg_test_spin (20);
    g_assert_true (press_key (map, GDK_KEY_Home));
    g_assert_true (press_key (map, GDK_KEY_Return));
    g_assert_cmpstr (activated, ==, known_cells[0].id);
    g_assert_true (press_key (map, GDK_KEY_Right));
    g_assert_true (press_key (map, GDK_KEY_Return));
    g_assert_cmpstr (activated, ==, known_cells[1].id);
    g_assert_true (press_key (map, GDK_KEY_Down));
    g_assert_true (press_key (map, GDK_KEY_space));
    g_assert_cmpstr (activated, ==, known_cells[3].id);
    /* Off the map's edge it stays put. */
    g_assert_true (press_key (map, GDK_KEY_Right));
    g_assert_true (press_key (map, GDK_KEY_Return));
    g_assert_cmpstr (activated, ==, known_cells[3].id);
    g_assert_false (press_key (map, GDK_KEY_a));
    g_signal_handlers_disconnect_by_data (map, &activated);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_trend_chart (void)
{
  g_autoptr(DgMonthReport) report = known_report (13);
  GtkWidget *chart = dg_trend_chart_new ();
  GtkWidget *window = dg_test_show_in_window (chart, 520, 300);
  const GArray *series;

  dg_trend_chart_set_report (DG_TREND_CHART (chart), report);
  dg_trend_chart_set_cell_id (DG_TREND_CHART (chart), known_cells[1].id);
  dg_test_spin (50);

  series = dg_trend_chart_get_series (DG_TREND_CHART (chart));
  g_assert_nonnull (series);
  g_assert_cmpuint (series->len, ==, DG_MONTH_REPORT_TREND_MONTHS);
  g_assert_cmpstr (g_array_index (series, DgTrendPoint, series->len - 1).month, ==, MONTH);
  g_assert_cmpstr (g_array_index (series, DgTrendPoint, 0).month, ==, "2024-04");
  for (guint i = 0; i < series->len; i++)
    {
      g_assert_true (g_array_index (series, DgTrendPoint, i).has_value);
      g_assert_cmpfloat_with_epsilon (g_array_index (series, DgTrendPoint, i).value, 12.0, 1e-9);
      g_assert_cmpfloat_with_epsilon (g_array_index (series, DgTrendPoint, i).cap, 8.0, 1e-9);
    }

  for (int scale = 1; scale <= 2; scale++)
    {
      cairo_surface_t *surface = render (chart, scale);
      cairo_rectangle_t rect;

      g_assert_true (dg_trend_bar_rect (series, gtk_widget_get_width (chart),
                                        gtk_widget_get_height (chart), 5, &rect));
      assert_value_color (surface, rect.x + rect.width / 2, rect.y + rect.height * 0.7, 12.0,
                          8.0);
      cairo_surface_destroy (surface);
    }

  /* The compliant cell's bars are the compliant colour. */
  dg_trend_chart_set_cell_id (DG_TREND_CHART (chart), known_cells[0].id);
  dg_test_spin (50);
  series = dg_trend_chart_get_series (DG_TREND_CHART (chart));
  {
    cairo_surface_t *surface = render (chart, 1);
    cairo_rectangle_t rect;

    g_assert_true (dg_trend_bar_rect (series, gtk_widget_get_width (chart),
                                      gtk_widget_get_height (chart), 11, &rect));
    assert_value_color (surface, rect.x + rect.width / 2, rect.y + rect.height * 0.7, 3.0, 8.0);
    cairo_surface_destroy (surface);
  }

  /* A cell without data has a series of 缺测 months and no bars. */
  dg_trend_chart_set_cell_id (DG_TREND_CHART (chart), known_cells[2].id);
  series = dg_trend_chart_get_series (DG_TREND_CHART (chart));
  for (guint i = 0; i < series->len; i++)
    {
      cairo_rectangle_t rect;

      g_assert_false (g_array_index (series, DgTrendPoint, i).has_value);
      g_assert_false (dg_trend_bar_rect (series, 500, 300, i, &rect));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_trend_draw_image (void)
{
  g_autoptr(DgMonthReport) report = known_report (2);
  g_autoptr(GArray) series = dg_month_report_trend (report, known_cells[3].id);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 300);
  cairo_t *cr = cairo_create (surface);
  cairo_rectangle_t rect;
  guint last = series->len - 1;

  /* Straight to an image surface, as the PDF would: a month near the cap is amber. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  dg_trend_draw (cr, series, 600, 300);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  g_assert_false (g_array_index (series, DgTrendPoint, 0).has_value);
  g_assert_true (dg_trend_bar_rect (series, 600, 300, last, &rect));
  assert_value_color (surface, rect.x + rect.width / 2, rect.y + rect.height * 0.7, 7.0, 8.0);
  cairo_surface_destroy (surface);
}

static DgRoadCheck *
road_check (const char *id,
            const char *road_id,
            double      mass_g)
{
  return dg_test_road_check (id, road_id, MONTH "-10", 6, mass_g);
}

static void
test_road_chart (void)
{
  g_autoptr(GPtrArray) roads = g_ptr_array_new_with_free_func ((GDestroyNotify) dg_road_free);
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func (
    (GDestroyNotify) dg_road_check_free);
  g_autoptr(DgRuleSet) rules = dg_rule_set_new_default ();
  g_autoptr(DgRoadReport) report = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 500, 200);
  cairo_t *cr = cairo_create (surface);
  const char *names[] = { "Clean Road", "Dusty Road", "Quiet Road" };
  cairo_rectangle_t rect;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      DgRoad *road = dg_road_new ();

      road->id = g_strdup_printf ("30000000-0000-4000-8000-00000000000%u", i);
      road->name = g_strdup (names[i]);
      road->unit = g_strdup ("Fucheng");
      road->surface = DG_SURFACE_MAIN;
      g_ptr_array_add (roads, road);
    }
  /* Main-road limit 5 g/m²: 3.0 is compliant, 6.0 above it; the third road has no check. */
  g_ptr_array_add (checks, road_check ("40000000-0000-4000-8000-000000000001",
                                       ((DgRoad *) roads->pdata[0])->id, 3.0));
  g_ptr_array_add (checks, road_check ("40000000-0000-4000-8000-000000000002",
                                       ((DgRoad *) roads->pdata[1])->id, 6.0));
  report = dg_road_report_build (MONTH, roads, checks, rules);
  g_assert_cmpstr (((DgRoadRow *) report->roads->pdata[0])->name, ==, "Clean Road");

  cairo_set_source_rgb (cr, 0, 0, 0);
  dg_road_chart_draw (cr, report, rules, 500, 200);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  g_assert_true (dg_road_chart_bar_rect (report, 500, 200, 0, &rect));
  assert_value_color (surface, rect.x + rect.width / 2, rect.y + rect.height / 2, 3.0, 5.0);
  g_assert_true (dg_road_chart_bar_rect (report, 500, 200, 1, &rect));
  assert_value_color (surface, rect.x + rect.width / 2, rect.y + rect.height / 2, 6.0, 5.0);
  g_assert_false (dg_road_chart_bar_rect (report, 500, 200, 2, &rect));
  cairo_surface_destroy (surface);
}

static void
test_trend_dialog (void)
{
  g_autoptr(DgMonthReport) report = known_report (1);
  GtkWidget *dialog = dg_trend_dialog_new (NULL, report, known_cells[1].id);
  DgTrendChart *chart = dg_trend_dialog_get_chart (DG_TREND_DIALOG (dialog));

  g_assert_cmpstr (dg_trend_chart_get_cell_id (chart), ==, known_cells[1].id);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "C02 Cell 2");
  gtk_window_present (GTK_WINDOW (dialog));
  dg_test_spin (50);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* ---- The page over a store ---- */

static void
fill_store (DgLocalStore *store)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "roads");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "20000000-0000-4000-8000-000000000001");
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "Haixiu Road");
  json_builder_set_member_name (builder, "unit");
  json_builder_add_string_value (builder, "Fucheng");
  json_builder_set_member_name (builder, "surface");
  json_builder_add_string_value (builder, "main");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "grid_cells");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (known_cells); i++)
    {
      g_autofree char *name = g_strdup_printf ("Cell %u", i + 1);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, known_cells[i].id);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, known_cells[i].code);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "unit");
      json_builder_add_string_value (builder, "Fucheng");
      json_builder_set_member_name (builder, "row");
      json_builder_add_int_value (builder, known_cells[i].row);
      json_builder_set_member_name (builder, "col");
      json_builder_add_int_value (builder, known_cells[i].col);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "rules");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  dg_local_store_import_reference (store, root, FALSE, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (known_cells); i++)
    for (int m = 0; m < 2; m++)
      {
        g_autofree char *month = dg_month_add (MONTH, -m);
        g_autoptr(DgDustfallSample) sample = known_sample (i, month);
        g_autoptr(JsonObject) data = dg_record_data_to_json (DG_RECORD_DUSTFALL_SAMPLE, sample);

        dg_local_store_save (store, DG_RECORD_DUSTFALL_SAMPLE, sample->id, data, &error);
        g_assert_no_error (error);
      }
}

static gboolean
page_loaded (DgOfficePage *page)
{
  return dg_office_page_get_report (page) != NULL && !dg_office_page_get_loading (page);
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found)
        return found;
    }
  return NULL;
}

static void
export_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (dg_office_page_export_finish (DG_OFFICE_PAGE (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static DgTrendDialog *
find_trend_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (DG_IS_TREND_DIALOG (window))
        return DG_TREND_DIALOG (window);
    }
  return NULL;
}

static void
test_page (void)
{
  g_autofree char *path = dg_local_store_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(DgLocalStore) store = NULL;
  g_autoptr(GError) error = NULL;
  DgOfficePage *page;
  GtkWidget *window;
  GtkWidget *label;
  gint64 end;
  static const char *expected[][4] = {
    /* rank, code, value, exceeds */
    { "1", "C01", "3.0", "No" },
    { "2", "C04", "7.0", "No" },
    { "3", "C02", "12.0", "Yes" },
    { "No data", "C03", "No data", "—" },
  };

  g_mkdir_with_parents (dir, 0700);
  store = dg_local_store_new (path, &error);
  g_assert_no_error (error);
  fill_store (store);

  page = DG_OFFICE_PAGE (dg_office_page_new ());
  dg_office_page_set_month (page, MONTH);
  dg_office_page_set_store (page, store);
  window = dg_test_show_in_window (GTK_WIDGET (page), 900, 700);

  end = g_get_monotonic_time () + 10 * DG_TEST_SLOWDOWN * G_USEC_PER_SEC;
  while (!page_loaded (page))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  dg_test_spin (100);

  g_assert_cmpstr (dg_office_page_get_month (page), ==, MONTH);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (
    gtk_column_view_get_model (dg_office_page_get_ranking_view (page)))), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *rank = dg_office_page_dup_ranking_text (page, i, DG_OFFICE_COLUMN_RANK);
      g_autofree char *code = dg_office_page_dup_ranking_text (page, i, DG_OFFICE_COLUMN_CODE);
      g_autofree char *value = dg_office_page_dup_ranking_text (page, i, DG_OFFICE_COLUMN_VALUE);
      g_autofree char *exceeds = dg_office_page_dup_ranking_text (page, i,
                                                                  DG_OFFICE_COLUMN_EXCEEDS);

      g_assert_cmpstr (rank, ==, expected[i][0]);
      g_assert_cmpstr (code, ==, expected[i][1]);
      g_assert_cmpstr (value, ==, expected[i][2]);
      g_assert_cmpstr (exceeds, ==, expected[i][3]);
    }
  /* The same values the month before: no change. */
  {
    g_autofree char *mom = dg_office_page_dup_ranking_text (page, 0, DG_OFFICE_COLUMN_MOM_PCT);
    g_autofree char *cap = dg_office_page_dup_ranking_text (page, 0, DG_OFFICE_COLUMN_CAP);

    g_assert_cmpstr (mom, ==, "+0.0 %");
    g_assert_cmpstr (cap, ==, "8.0");
  }

  /* The table shows it, the exceeding row marked. */
  label = find_label (GTK_WIDGET (dg_office_page_get_ranking_view (page)), "12.0");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_has_css_class (label, "error"));
  label = find_label (GTK_WIDGET (dg_office_page_get_ranking_view (page)), "C01");
  g_assert_nonnull (label);
  g_assert_false (gtk_widget_has_css_class (label, "error"));

  /* The charts and the map share the month. */
  g_assert_true (dg_ranking_chart_get_report (dg_office_page_get_ranking_chart (page))
                 == dg_office_page_get_report (page));
  g_assert_true (dg_grid_map_get_report (dg_office_page_get_grid_map (page))
                 == dg_office_page_get_report (page));

  /* The quota calendar: 7 weekday headings and a box for each of March's 31 days. */
  {
    guint n = 0;

    for (GtkWidget *child = gtk_widget_get_first_child (
           GTK_WIDGET (dg_office_page_get_quota_grid (page)));
         child; child = gtk_widget_get_next_sibling (child))
      n++;
    g_assert_cmpuint (n, ==, 7 + 31);
  }

  /* The records of the month: four samples, none of them on a server yet. */
  {
    guint n = 0;

    for (GtkWidget *child = gtk_widget_get_first_child (
           GTK_WIDGET (dg_office_page_get_records_list (page)));
         child; child = gtk_widget_get_next_sibling (child))
      n++;
    g_assert_cmpuint (n, ==, 4);
  }

  /* The export writes common/'s assessment from the month shown. */
  {
    g_autofree char *csv = g_build_filename (g_get_user_data_dir (), "ranking.csv", NULL);
    g_autofree char *xlsx = g_build_filename (g_get_user_data_dir (), "month.xlsx", NULL);
    g_autofree char *contents = NULL;
    gsize length;
    gboolean done = FALSE;

    dg_office_page_export_async (page, DG_ASSESSMENT_FORMAT_CSV, csv, NULL, export_cb, &done);
    dg_test_spin_until_true (&done, 20000);
    g_file_get_contents (csv, &contents, &length, &error);
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF"));
    g_assert_nonnull (strstr (contents, "C02"));
    g_assert_nonnull (strstr (contents, "12.0"));
    g_clear_pointer (&contents, g_free);

    done = FALSE;
    dg_office_page_export_async (page, DG_ASSESSMENT_FORMAT_XLSX, xlsx, NULL, export_cb, &done);
    dg_test_spin_until_true (&done, 30000);
    g_file_get_contents (xlsx, &contents, &length, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (length, >, 4);
    g_assert_true (memcmp (contents, "PK", 2) == 0);
  }

  /* A click on a map cell (its signal) opens that cell's trend. */
  g_assert_null (find_trend_dialog ());
  g_signal_emit_by_name (dg_office_page_get_grid_map (page), "cell-activated",
                         known_cells[1].id);
  dg_test_spin (100);
  {
    DgTrendDialog *dialog = find_trend_dialog ();

    g_assert_nonnull (dialog);
    g_assert_cmpstr (dg_trend_chart_get_cell_id (dg_trend_dialog_get_chart (dialog)), ==,
                     known_cells[1].id);
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  /* Another month: nothing there, every cell 缺测. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "office.next-month", NULL));
  g_assert_cmpstr (dg_office_page_get_month (page), ==, "2025-04");
  end = g_get_monotonic_time () + 10 * DG_TEST_SLOWDOWN * G_USEC_PER_SEC;
  while (!page_loaded (page)
         || g_strcmp0 (dg_month_report_get_month (dg_office_page_get_report (page)), "2025-04"))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  {
    g_autofree char *rank = dg_office_page_dup_ranking_text (page, 0, DG_OFFICE_COLUMN_RANK);

    g_assert_cmpstr (rank, ==, "No data");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  dg_test_spin (50);
}

/* ---- DgOfficeActions against the real server ---- */

typedef struct
{
  char          *dir;
  DgTestProcess *process;
  SoupSession   *session;
  char          *url;
} Server;

static void
server_start (Server *server)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  const char *options[] = { "--listen", "127.0.0.1", NULL };

  server->dir = g_dir_make_tmp ("dg-office-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (server->dir, "server.db", NULL);

  /* The demo district: users office, admin, inspector (password = name), months to March. */
  g_assert_cmpint (dg_test_run_binary ("demo", "--db", db, "--today", "2025-03-20", NULL), ==,
                   0);
  server->process = dg_test_process_start (db, FALSE, options);
  g_assert_true (g_str_has_prefix (server->process->url, "http://127.0.0.1:"));
  server->url = g_strdup (server->process->url);
  server->session = dg_test_session_new ();
}

static void
server_stop (Server *server)
{
  g_clear_pointer (&server->process, dg_test_process_free);
  g_clear_object (&server->session);
  /* The database and its -wal and -shm files. */
  dg_test_remove_dir (server->dir);
  g_clear_pointer (&server->dir, g_free);
  g_clear_pointer (&server->url, g_free);
}

typedef struct
{
  const char *month;
  char       *id;
} FindCheck;

static void
find_check_cb (JsonObject *record,
               gpointer    user_data)
{
  FindCheck *find = user_data;
  JsonObject *data;

  if (find->id != NULL
      || g_strcmp0 (json_object_get_string_member (record, "type"), "road_check") != 0
      || json_object_get_boolean_member (record, "deleted"))
    return;
  data = json_object_get_object_member (record, "data");
  if (g_str_has_prefix (json_object_get_string_member (data, "date"), find->month))
    find->id = g_strdup (json_object_get_string_member (record, "id"));
}

/* The first road check of @month by the inspector: its id. */
static char *
find_check (Server     *server,
            const char *token,
            const char *month)
{
  FindCheck find = { month, NULL };

  dg_test_walk_feed (server->session, server->url, token, NULL, find_check_cb, &find);
  return find.id;
}

/* Pushes @record back with a changed note, as its inspector would: the RESULT object. */
static JsonObject *
push_edit (Server     *server,
           const char *token,
           JsonObject *record,
           const char *notes)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) data = json_node_copy (json_object_get_member (record, "data"));
  g_autofree char *text = NULL;

  json_object_set_string_member (json_node_get_object (data), "notes", notes);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "road_check");
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, json_object_get_string_member (record, "id"));
  json_builder_set_member_name (builder, "base_rev");
  json_builder_add_int_value (builder, json_object_get_int_member (record, "rev"));
  json_builder_set_member_name (builder, "data");
  json_builder_add_value (builder, g_steal_pointer (&data));
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  text = dg_json_to_string (body);

  g_assert_cmpuint (dg_test_http (server->session, server->url, "POST", "/api/v1/changes", token,
                                  text, &root), ==, 200);
  return json_object_ref (json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (root), "results"), 0));
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Wait;

static void
close_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->ok = dg_office_actions_close_month_finish (DG_OFFICE_ACTIONS (source), result,
                                                   &wait->error);
  wait->done = TRUE;
}

static void
reopen_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->ok = dg_office_actions_reopen_month_finish (DG_OFFICE_ACTIONS (source), result,
                                                    &wait->error);
  wait->done = TRUE;
}

static void
return_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->ok = dg_office_actions_return_record_finish (DG_OFFICE_ACTIONS (source), result,
                                                     &wait->error);
  wait->done = TRUE;
}

static void
wait_reset (Wait *wait)
{
  g_clear_error (&wait->error);
  wait->done = FALSE;
  wait->ok = FALSE;
}

static void
test_actions (void)
{
  Server server = { 0 };
  g_autofree char *office = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *inspector = NULL;
  g_autofree char *check_id = NULL;
  g_autoptr(DgOfficeActions) actions = NULL;
  g_autoptr(DgOfficeActions) admin_actions = NULL;
  g_autoptr(DgOfficeActions) signed_out = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *url_slash = NULL;
  Wait wait = { 0 };

  if (g_getenv ("DUSTGRID_SERVER") == NULL)
    {
      g_test_skip ("DUSTGRID_SERVER is not set");
      return;
    }

  server_start (&server);
  office = dg_test_process_login (server.session, server.url, "office");
  admin = dg_test_process_login (server.session, server.url, "admin");
  inspector = dg_test_process_login (server.session, server.url, "inspector");
  check_id = find_check (&server, inspector, MONTH);
  g_assert_nonnull (check_id);

  /* A trailing slash on the server address is fine. */
  url_slash = g_strconcat (server.url, "/", NULL);
  actions = dg_office_actions_new (url_slash, office);
  g_assert_cmpstr (dg_office_actions_get_server_url (actions), ==, server.url);
  admin_actions = dg_office_actions_new (server.url, admin);

  /* Without a session nothing is sent. */
  signed_out = dg_office_actions_new (server.url, NULL);
  dg_office_actions_close_month_async (signed_out, MONTH, FALSE, NULL, close_cb, &wait);
  dg_test_spin_until_true (&wait.done, 10000);
  g_assert_error (wait.error, DG_ERROR, DG_ERROR_UNAUTHORIZED);
  wait_reset (&wait);

  /* Return: an empty reason is refused, a real one lands in the record's state. */
  dg_office_actions_return_record_async (actions, check_id, "   ", NULL, return_cb, &wait);
  dg_test_spin_until_true (&wait.done, 10000);
  g_assert_error (wait.error, DG_ERROR, DG_ERROR_INVALID_FIELD);
  wait_reset (&wait);

  dg_office_actions_return_record_async (actions, check_id, "Point 3 mass looks wrong", NULL,
                                         return_cb, &wait);
  dg_test_spin_until_true (&wait.done, 10000);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  wait_reset (&wait);

  record = dg_test_pull_record (server.session, server.url, inspector, check_id);
  g_assert_nonnull (record);
  g_assert_cmpstr (json_object_get_string_member (record, "state"), ==, "returned");
  g_assert_cmpstr (json_object_get_string_member (record, "reason"), ==,
                   "Point 3 mass looks wrong");

  /* Close: refused while the record is still returned (design 6.7), taken with force; the
   * inspector's late correction is then refused with month_closed. */
  dg_office_actions_close_month_async (actions, MONTH, FALSE, NULL, close_cb, &wait);
  dg_test_spin_until_true (&wait.done, 10000);
  g_assert_error (wait.error, DG_ERROR, DG_ERROR_CONFLICT);
  g_assert_nonnull (strstr (wait.error->message, "still returned"));
  wait_reset (&wait);

  dg_office_actions_close_month_async (actions, MONTH, TRUE, NULL, close_cb, &wait);
  dg_test_spin_until_true (&wait.done, 10000);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  wait_reset (&wait);

  result = push_edit (&server, inspector, record, "corrected after the close");
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (
    json_object_get_object_member (result, "error"), "code"), ==, "month_closed");
  g_clear_pointer (&result, json_object_unref);

  /* Reopen: the office may not, an administrator may; then the correction goes through. */
  dg_office_actions_reopen_month_async (actions, MONTH, NULL, reopen_cb, &wait);
  dg_test_spin_until_true (&wait.done, 10000);
  g_assert_error (wait.error, DG_ERROR, DG_ERROR_FORBIDDEN);
  wait_reset (&wait);

  dg_office_actions_reopen_month_async (admin_actions, MONTH, NULL, reopen_cb, &wait);
  dg_test_spin_until_true (&wait.done, 10000);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  wait_reset (&wait);

  result = push_edit (&server, inspector, record, "corrected after the reopen");
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
  g_clear_pointer (&record, json_object_unref);
  record = dg_test_pull_record (server.session, server.url, inspector, check_id);
  g_assert_cmpstr (json_object_get_string_member (record, "state"), ==, "active");

  /* A server that is gone is a network error, not a refusal. */
  server_stop (&server);
  dg_office_actions_close_month_async (actions, MONTH, FALSE, NULL, close_cb, &wait);
  dg_test_spin_until_true (&wait.done, 35000);
  g_assert_error (wait.error, DG_API_ERROR, DG_API_ERROR_NETWORK);
  wait_reset (&wait);
}

/* The visible message dialog headed @heading, or NULL. */
static AdwMessageDialog *
find_dialog_with_heading (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window))
          && g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)),
                        heading) == 0)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_with_heading (gpointer heading)
{
  return find_dialog_with_heading (heading) != NULL;
}

static guint
count_returned (DgMonthReport *report)
{
  GPtrArray *records = dg_month_report_get_records (report);
  guint n = 0;

  for (guint i = 0; i < records->len; i++)
    n += ((DgMonthRecord *) g_ptr_array_index (records, i))->state == DG_RECORD_STATE_RETURNED;
  return n;
}

static gboolean
text_set (gpointer text)
{
  return *(char **) text != NULL;
}

static GtkListBox *
find_list_box (GtkWidget *widget)
{
  if (GTK_IS_LIST_BOX (widget))
    return GTK_LIST_BOX (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkListBox *found = find_list_box (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
finished_cb (DgOfficeRequests *requests,
             const char       *text,
             char            **finished)
{
  g_free (*finished);
  *finished = g_strdup (text);
}

/* A close the server refuses over a returned record lists that record in the second dialog,
 * titled as the records tab titles it and with the office's reason; Cancel leaves the month
 * open (a second close is refused again), Close Anyway closes it. */
static void
test_close_lists_returned (void)
{
  Server server = { 0 };
  g_autofree char *inspector = NULL;
  g_autofree char *check_id = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *finished = NULL;
  g_autoptr(DgTestClient) client = NULL;
  g_autoptr(DgOfficeRequests) requests = NULL;
  g_autoptr(DgOfficeActions) actions = NULL;
  g_autoptr(DgMonthReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const DgMonthRecord *returned = NULL;
  AdwMessageDialog *dialog;
  GtkListBox *list;
  GtkWidget *parent;
  GtkListBoxRow *row, *found;
  guint n_rows;
  GPtrArray *records;
  Wait wait = { 0 };

  if (g_getenv ("DUSTGRID_SERVER") == NULL)
    {
      g_test_skip ("DUSTGRID_SERVER is not set");
      return;
    }

  server_start (&server);
  inspector = dg_test_process_login (server.session, server.url, "inspector");
  check_id = find_check (&server, inspector, MONTH);
  g_assert_nonnull (check_id);

  dir = g_build_filename (server.dir, "office", NULL);
  client = dg_test_client_new (dir);
  dg_test_client_sign_in (client, server.url, "office", &error);
  g_assert_no_error (error);
  requests = dg_office_requests_new ();
  dg_office_requests_set_engine (requests, client->engine);
  g_signal_connect (requests, "finished", G_CALLBACK (finished_cb), &finished);

  actions = dg_office_actions_new_for_engine (client->engine);
  dg_office_actions_return_record_async (actions, check_id, "Point 3 mass looks wrong", NULL,
                                         return_cb, &wait);
  dg_test_spin_until_true (&wait.done, 10000);
  g_assert_no_error (wait.error);
  wait_reset (&wait);

  /* The office's device knows the record once it has pulled. */
  dg_test_client_sync_ok (client);
  report = dg_month_report_load (client->store, MONTH, NULL, &error);
  g_assert_no_error (error);
  records = dg_month_report_get_records (report);
  for (guint i = 0; i < records->len; i++)
    if (g_strcmp0 (((DgMonthRecord *) g_ptr_array_index (records, i))->id, check_id) == 0)
      returned = g_ptr_array_index (records, i);
  g_assert_nonnull (returned);
  g_assert_cmpstr (returned->reason, ==, "Point 3 mass looks wrong");

  parent = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (parent));

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      dg_office_requests_close_month (requests, GTK_WINDOW (parent), MONTH, report);
      g_assert_true (dg_test_answer_dialog ("close"));
      g_assert_true (dg_test_spin_until (dialog_with_heading, "Records Still Returned", 10000));
      dialog = find_dialog_with_heading ("Records Still Returned");
      g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "still returned"));

      g_assert_nonnull (adw_message_dialog_get_extra_child (dialog));
      list = find_list_box (adw_message_dialog_get_extra_child (dialog));
      g_assert_nonnull (list);
      /* The demo district has returned records of its own: one row each, ours among them. */
      n_rows = 0;
      found = NULL;
      while ((row = gtk_list_box_get_row_at_index (list, n_rows)) != NULL)
        {
          if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                         returned->title) == 0)
            found = row;
          n_rows++;
        }
      g_assert_cmpuint (n_rows, ==, count_returned (report));
      g_assert_nonnull (found);
      row = found;
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                       "Point 3 mass looks wrong");

      g_assert_true (dg_test_answer_dialog (attempt == 0 ? "cancel" : "force"));
    }

  g_assert_true (dg_test_spin_until (text_set, &finished, 10000));
  g_assert_cmpstr (finished, ==, "Month closed: its records are frozen");

  gtk_window_destroy (GTK_WINDOW (parent));
  dg_office_requests_set_engine (requests, NULL);
  g_clear_pointer (&client, dg_test_client_free);
  server_stop (&server);
}

/* What the page offers follows common/'s policy table for the signed-in role, as the server
 * does: the office closes months and returns records, an administrator closes and reopens
 * months, an inspector does none of it, and nobody signed in does nothing. */
static void
test_requests_follow_policy (void)
{
  static const struct
  {
    const char *user;
    gboolean    close, reopen, ret;
  } expected[] = {
    { "office", TRUE, FALSE, TRUE },
    { "admin", TRUE, TRUE, FALSE },
    { "inspector", FALSE, FALSE, FALSE },
  };
  Server server = { 0 };

  if (g_getenv ("DUSTGRID_SERVER") == NULL)
    {
      g_test_skip ("DUSTGRID_SERVER is not set");
      return;
    }

  server_start (&server);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *dir = g_build_filename (server.dir, expected[i].user, NULL);
      g_autoptr(DgTestClient) client = dg_test_client_new (dir);
      g_autoptr(DgOfficeRequests) requests = dg_office_requests_new ();
      g_autoptr(GError) error = NULL;

      /* Not signed in: nothing. */
      dg_office_requests_set_engine (requests, client->engine);
      g_assert_false (dg_office_requests_get_can_close (requests));
      g_assert_false (dg_office_requests_get_can_reopen (requests));
      g_assert_false (dg_office_requests_get_can_return (requests));

      dg_test_client_sign_in (client, server.url, expected[i].user, &error);
      g_assert_no_error (error);
      g_test_message ("%s", expected[i].user);
      g_assert_cmpint (dg_office_requests_get_can_close (requests), ==, expected[i].close);
      g_assert_cmpint (dg_office_requests_get_can_reopen (requests), ==, expected[i].reopen);
      g_assert_cmpint (dg_office_requests_get_can_return (requests), ==, expected[i].ret);

      dg_office_requests_set_engine (requests, NULL);
      g_assert_false (dg_office_requests_get_can_close (requests));
      g_assert_false (dg_office_requests_get_can_reopen (requests));
      g_assert_false (dg_office_requests_get_can_return (requests));
      g_clear_pointer (&client, dg_test_client_free);
      dg_test_remove_dir (dir);
    }
  server_stop (&server);
}

int
main (int   argc,
      char *argv[])
{
  /* The figures and texts are checked in the source language. */
  dg_test_init_gtk (&argc, &argv);

  g_test_add_func ("/client/office/ranking-chart", test_ranking_chart);
  g_test_add_func ("/client/office/grid-map", test_grid_map);
  g_test_add_func ("/client/office/trend-chart", test_trend_chart);
  g_test_add_func ("/client/office/trend-draw", test_trend_draw_image);
  g_test_add_func ("/client/office/road-chart", test_road_chart);
  g_test_add_func ("/client/office/trend-dialog", test_trend_dialog);
  g_test_add_func ("/client/office/page", test_page);
  g_test_add_func ("/client/office/actions", test_actions);
  g_test_add_func ("/client/office/requests-follow-policy", test_requests_follow_policy);
  g_test_add_func ("/client/office/close-lists-returned", test_close_lists_returned);

  return g_test_run ();
}

/* test-client-window.c: the inspector's workflow through the widgets, under Xvfb. */

#include "config.h"

#include <adwaita.h>
#include <stdlib.h>

#include "dg-test-client.h"

/* The window on a first start offline. */
typedef DgTestWindow Fixture;

static gboolean
back_on_main_page (gpointer data)
{
  return g_strcmp0 (dg_window_get_visible_page (data), "main") == 0;
}

static gboolean
label_has_class (GtkLabel   *label,
                 const char *name)
{
  return gtk_widget_has_css_class (GTK_WIDGET (label), name);
}

/* The first row of the result list: the one surface group of a main-road check. */
static GtkWidget *
group_row (DgCheckEditor *editor)
{
  return gtk_widget_get_first_child (GTK_WIDGET (dg_check_editor_get_groups_list (editor)));
}

static char *
group_text (DgCheckEditor *editor)
{
  GtkWidget *row = group_row (editor);
  GString *text = g_string_new (NULL);
  GtkWidget *child;

  g_assert_nonnull (row);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  /* The suffix labels carry the figures: walk the row's labels. */
  for (child = gtk_widget_get_first_child (row); child; )
    {
      if (GTK_IS_LABEL (child))
        {
          g_string_append (text, gtk_label_get_label (GTK_LABEL (child)));
          g_string_append_c (text, '|');
        }
      if (gtk_widget_get_first_child (child))
        child = gtk_widget_get_first_child (child);
      else
        {
          while (child && child != row && gtk_widget_get_next_sibling (child) == NULL)
            child = gtk_widget_get_parent (child);
          if (child == NULL || child == row)
            break;
          child = gtk_widget_get_next_sibling (child);
        }
    }
  return g_string_free (text, FALSE);
}

static GtkWidget *
find_label_with_text (GtkWidget  *root,
                      const char *needle)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && strstr (gtk_label_get_label (GTK_LABEL (child)), needle))
        return child;
      found = find_label_with_text (child, needle);
      if (found)
        return found;
    }
  return NULL;
}

static void
test_six_point_check (Fixture       *fixture,
                      gconstpointer  user_data)
{
  /* Masses of one gram on 1 m² frames are loads in g/m². The first set averages 5.05, which
   * rounds (half away from zero) to 5.1 and fails the 5 g/m² main-road limit. */
  static const char *masses[] = { "4.0", "5.0", "6.0", "4.5", "5.5", "5.3" };
  DgCheckEditor *editor;
  DgTodayPage *today;
  GtkDropDown *road_dropdown;
  g_autoptr(GPtrArray) roads = dg_local_store_list_roads (fixture->store);
  g_autofree char *text = NULL;
  GtkWidget *mean_label;
  guint road_index = G_MAXUINT;

  today = dg_window_get_today_page (fixture->window);
  g_assert_cmpuint (dg_today_page_get_complete_roads (today), ==, 0);
  g_assert_nonnull (strstr (gtk_label_get_label (dg_today_page_get_quota_label (today)),
                            "0 of 6"));

  /* Ctrl+N's action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-check",
                                             NULL));
  dg_test_spin (50);
  g_assert_cmpstr (dg_window_get_visible_page (fixture->window), ==, "check");
  editor = dg_window_get_check_editor (fixture->window);

  /* Pick a main-road road in the picker. */
  for (guint i = 0; i < roads->len; i++)
    if (((DgRoad *) g_ptr_array_index (roads, i))->surface == DG_SURFACE_MAIN)
      {
        road_index = i;
        break;
      }
  g_assert_cmpuint (road_index, !=, G_MAXUINT);
  road_dropdown = dg_check_editor_get_road_dropdown (editor);
  gtk_drop_down_set_selected (road_dropdown, road_index);

  /* Saving is impossible before any point. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL) &&
                  !back_on_main_page (fixture->window) && FALSE);
  g_assert_cmpuint (dg_check_editor_get_n_points (editor), ==, 1);

  /* Type six points from the keyboard: Enter moves on, a new row follows the last. */
  for (guint i = 0; i < G_N_ELEMENTS (masses); i++)
    {
      DgPointRow *row = dg_check_editor_get_point_row (editor, i);
      g_autofree char *location = g_strdup_printf ("K0+%u00", i + 1);

      g_assert_cmpint (dg_point_row_get_surface (row), ==, DG_SURFACE_MAIN);
      g_assert_cmpstr (gtk_editable_get_text (dg_point_row_get_area_entry (row)), ==, "1.0");
      gtk_editable_set_text (dg_point_row_get_location_entry (row), location);
      g_signal_emit_by_name (dg_point_row_get_location_entry (row), "activate");
      g_signal_emit_by_name (dg_point_row_get_area_entry (row), "activate");
      gtk_editable_set_text (dg_point_row_get_mass_entry (row), masses[i]);
      g_signal_emit_by_name (dg_point_row_get_mass_entry (row), "activate");
      g_assert_cmpuint (dg_check_editor_get_n_points (editor), ==, i + 2);

      /* The live load of the point, coloured against the limit. */
      g_assert_cmpstr (gtk_label_get_label (dg_point_row_get_load_label (row)), !=, "");
      g_assert_true (label_has_class (dg_point_row_get_load_label (row),
                                      g_ascii_strtod (masses[i], NULL) <= 5.0 ? "success"
                                                                              : "error"));
    }
  dg_test_spin (20);

  text = group_text (editor);
  g_test_message ("group: %s", text);
  g_assert_nonnull (strstr (text, "5.1 / 5.0"));
  mean_label = find_label_with_text (group_row (editor), "5.1 / 5.0");
  g_assert_nonnull (mean_label);
  g_assert_true (gtk_widget_has_css_class (mean_label, "error"));
  g_assert_true (label_has_class (dg_check_editor_get_overall_label (editor), "error"));

  /* 6.0 → 5.4 brings the mean to 4.95, which rounds to 5.0: within the limit. */
  gtk_editable_set_text (dg_point_row_get_mass_entry (dg_check_editor_get_point_row (editor, 2)),
                         "5.4");
  g_clear_pointer (&text, g_free);
  text = group_text (editor);
  g_test_message ("group: %s", text);
  g_assert_nonnull (strstr (text, "5.0 / 5.0"));
  mean_label = find_label_with_text (group_row (editor), "5.0 / 5.0");
  g_assert_true (gtk_widget_has_css_class (mean_label, "success"));
  g_assert_true (label_has_class (dg_check_editor_get_overall_label (editor), "success"));

  /* An inline error from common/'s validation, on the field it names. */
  gtk_editable_set_text (dg_point_row_get_area_entry (dg_check_editor_get_point_row (editor, 1)),
                         "0");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dg_check_editor_get_error_label (editor))));
  g_assert_true (gtk_widget_has_css_class (
    GTK_WIDGET (dg_point_row_get_area_entry (dg_check_editor_get_point_row (editor, 1))),
    "error"));
  /* No verdict, and no coloured load, while a field is wrong. */
  g_assert_false (label_has_class (dg_check_editor_get_overall_label (editor), "success"));
  g_assert_false (label_has_class (dg_check_editor_get_overall_label (editor), "error"));
  g_assert_null (strstr (gtk_label_get_label (dg_check_editor_get_overall_label (editor)), "Pass"));
  g_assert_cmpstr (gtk_label_get_label (dg_point_row_get_load_label (
                     dg_check_editor_get_point_row (editor, 0))), ==, "");

  /* A negative mass is refused on its field, not judged a Pass. */
  gtk_editable_set_text (dg_point_row_get_area_entry (dg_check_editor_get_point_row (editor, 1)),
                         "1.0");
  gtk_editable_set_text (dg_point_row_get_mass_entry (dg_check_editor_get_point_row (editor, 0)),
                         "-4.0");
  g_assert_true (gtk_widget_has_css_class (
    GTK_WIDGET (dg_point_row_get_mass_entry (dg_check_editor_get_point_row (editor, 0))),
    "error"));
  g_assert_false (label_has_class (dg_check_editor_get_overall_label (editor), "success"));
  gtk_editable_set_text (dg_point_row_get_mass_entry (dg_check_editor_get_point_row (editor, 0)),
                         "4.0");
  gtk_editable_set_text (dg_point_row_get_area_entry (dg_check_editor_get_point_row (editor, 1)),
                         "0");
  gtk_editable_set_text (dg_point_row_get_area_entry (dg_check_editor_get_point_row (editor, 1)),
                         "1.0");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dg_check_editor_get_error_label (editor))));

  /* Ctrl+N now asks before throwing the typed points away. */
  {
    g_autofree char *id = g_strdup (dg_check_editor_get_id (editor));

    g_assert_true (dg_check_editor_get_dirty (editor));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-check",
                                               NULL));
    dg_test_spin (50);
    g_assert_cmpstr (dg_check_editor_get_id (editor), ==, id);
    g_assert_cmpstr (dg_window_get_visible_page (fixture->window), ==, "check");
    for (guint i = 0; i < g_list_model_get_n_items (gtk_window_get_toplevels ()); i++)
      {
        GtkWindow *window = g_list_model_get_item (gtk_window_get_toplevels (), i);
        g_object_unref (window);
        if (ADW_IS_MESSAGE_DIALOG (window))
          {
            adw_message_dialog_response (ADW_MESSAGE_DIALOG (window), "cancel");
            break;
          }
      }
    dg_test_spin (50);
    g_assert_cmpstr (dg_check_editor_get_id (editor), ==, id);
  }

  /* Ctrl+S's action: saved offline, back to the main page, quota up by one road. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_true (dg_test_spin_until (back_on_main_page, fixture->window, 5000));
  dg_test_spin (50);
  g_assert_true (dg_test_spin_until (dg_test_window_pages_idle, fixture->window, 5000));

  g_assert_cmpuint (dg_today_page_get_complete_roads (today), ==, 1);
  g_assert_nonnull (strstr (gtk_label_get_label (dg_today_page_get_quota_label (today)),
                            "1 of 6"));
  g_assert_cmpuint (dg_local_store_count_pending (fixture->store), ==, 1);
  g_assert_cmpuint (dg_sync_engine_get_n_pending (fixture->engine), ==, 1);

  /* The header bar says the check waits; My Records lists it as pending. */
  g_assert_cmpstr (dg_sync_indicator_get_text (dg_window_get_sync_indicator (fixture->window)),
                   ==, "Not signed in, 1 pending");
  adw_view_stack_set_visible_child_name (dg_window_get_view_stack (fixture->window), "records");
  dg_test_spin (50);
  g_assert_true (dg_test_spin_until (dg_test_window_pages_idle, fixture->window, 5000));
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (dg_window_get_records_page (fixture->window)),
                                          "Pending"));
}

static void
test_dustfall_sample (Fixture       *fixture,
                      gconstpointer  user_data)
{
  DgDustfallEditor *editor = dg_window_get_dustfall_editor (fixture->window);
  g_autoptr(DgDustfallSample) sample = dg_dustfall_sample_new ();
  g_autoptr(GPtrArray) cells = dg_local_store_list_grid_cells (fixture->store);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  DgDustfallResult result;
  struct { const char *field; const char *text; } typed[] = {
    { "month", "2025-03" },
    { "start", "2025-03-01T09:00" },
    { "end", "2025-03-31T09:00" },
    { "diameter_cm[0]", "15.0" },
    { "diameter_cm[1]", "15.2" },
    { "w0_g", "30.1234" },
    { "w1_g", "30.1530" },
    { "wc_g", "0.0006" },
  };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-sample",
                                             NULL));
  dg_test_spin (50);
  g_assert_cmpstr (dg_window_get_visible_page (fixture->window), ==, "sample");

  gtk_drop_down_set_selected (dg_dustfall_editor_get_cell_dropdown (editor), 0);
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      GtkEditable *entry = dg_dustfall_editor_get_entry (editor, typed[i].field);

      g_assert_nonnull (entry);
      gtk_editable_set_text (entry, typed[i].text);
    }

  /* The live figures are common/'s, for the same sample. */
  sample->id = dg_uuid_new ();
  sample->cell_id = g_strdup (((DgGridCell *) g_ptr_array_index (cells, 0))->id);
  g_free (sample->month);
  sample->month = g_strdup ("2025-03");
  sample->start = g_strdup ("2025-03-01T09:00");
  sample->end = g_strdup ("2025-03-31T09:00");
  sample->diameter_cm[0] = 15.0;
  sample->diameter_cm[1] = 15.2;
  sample->n_diameters = 2;
  sample->w0_g = 30.1234;
  sample->w1_g = 30.1530;
  sample->wc_g = 0.0006;
  dg_dustfall_compute (sample, &result, &error);
  g_assert_no_error (error);
  expected = g_strdup_printf ("%.1f", result.value);
  g_test_message ("M = %s, n = %s", expected,
                  gtk_label_get_label (dg_dustfall_editor_get_result_label (editor, "days")));
  g_assert_cmpstr (gtk_label_get_label (dg_dustfall_editor_get_result_label (editor, "value")),
                   ==, expected);
  g_assert_cmpstr (gtk_label_get_label (dg_dustfall_editor_get_result_label (editor, "days")),
                   ==, "30.0");
  g_assert_false (gtk_widget_get_visible (
    GTK_WIDGET (dg_dustfall_editor_get_result_label (editor, "error"))));

  /* The verdict against the month's cap, beside M, as common/ judges it. */
  {
    g_autoptr(DgRuleSet) rules = dg_local_store_get_rules (fixture->store);
    double cap = dg_rule_set_cap_for_month (rules, "2025-03");
    GtkWidget *value = GTK_WIDGET (dg_dustfall_editor_get_result_label (editor, "value"));
    GtkWidget *row = gtk_widget_get_ancestor (value, ADW_TYPE_ACTION_ROW);
    g_autofree char *verdict = NULL;

    g_assert_false (dg_dustfall_exceeds_cap (result.value, cap));
    verdict = g_strdup_printf ("Within the cap of %.1f", cap);
    g_assert_nonnull (row);
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, verdict);
    g_assert_true (gtk_widget_has_css_class (value, "success"));

    /* A heavier jar: over the cap, in red. */
    gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "w1_g"), "30.4530");
    g_assert_true (dg_dustfall_exceeds_cap (g_ascii_strtod (gtk_label_get_label (
                     GTK_LABEL (value)), NULL), cap));
    g_clear_pointer (&verdict, g_free);
    verdict = g_strdup_printf ("Over the cap of %.1f", cap);
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, verdict);
    g_assert_true (gtk_widget_has_css_class (value, "error"));
    gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "w1_g"), "30.1530");
  }

  /* w1 below w0 is refused by common/, inline. */
  gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "w1_g"), "30.0000");
  g_assert_true (gtk_widget_get_visible (
    GTK_WIDGET (dg_dustfall_editor_get_result_label (editor, "error"))));
  g_assert_true (gtk_widget_has_css_class (
    GTK_WIDGET (dg_dustfall_editor_get_entry (editor, "w1_g")), "error"));
  gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "w1_g"), "30.1530");

  /* Two weights that are not numbers: both marked at once, both named, no figures. */
  gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "w0_g"), "abc");
  gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "wc_g"), "0,0006x");
  {
    const char *message = gtk_label_get_label (dg_dustfall_editor_get_result_label (editor,
                                                                                    "error"));

    g_test_message ("%s", message);
    g_assert_true (gtk_widget_has_css_class (
      GTK_WIDGET (dg_dustfall_editor_get_entry (editor, "w0_g")), "error"));
    g_assert_true (gtk_widget_has_css_class (
      GTK_WIDGET (dg_dustfall_editor_get_entry (editor, "wc_g")), "error"));
    g_assert_false (gtk_widget_has_css_class (
      GTK_WIDGET (dg_dustfall_editor_get_entry (editor, "w1_g")), "error"));
    g_assert_nonnull (strstr (message, "w0"));
    g_assert_nonnull (strstr (message, "wc"));
    g_assert_cmpstr (gtk_label_get_label (dg_dustfall_editor_get_result_label (editor, "value")),
                     ==, "—");
  }
  gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "w0_g"), "30.1234");
  gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "wc_g"), "0.0006");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_true (dg_test_spin_until (back_on_main_page, fixture->window, 5000));
  entries = dg_local_store_list_entries (fixture->store, DG_RECORD_DUSTFALL_SAMPLE);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (((DgStoreEntry *) g_ptr_array_index (entries, 0))->status, ==,
                   DG_SYNC_STATUS_PENDING);

  /* The saved toast's "Record Jar B": jar B of the same cell, site, month and exposure, the
   * weights left to type; saved as a second sample. */
  {
    char jar = 0;
    const char *kept[] = { "site", "month", "start", "end", "diameter_cm[0]",
                           "diameter_cm[1]" };
    const char *emptied[] = { "w0_g", "w1_g", "wc_g" };

    g_assert_true (dg_dustfall_editor_get_other_jar (editor, &jar));
    g_assert_cmpint (jar, ==, DG_JAR_B);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.other-jar",
                                               NULL));
    dg_test_spin (50);
    g_assert_cmpstr (dg_window_get_visible_page (fixture->window), ==, "sample");
    g_assert_cmpstr (dg_dustfall_editor_get_id (editor), !=,
                     ((DgStoreEntry *) g_ptr_array_index (entries, 0))->id);
    g_assert_cmpuint (gtk_drop_down_get_selected (dg_dustfall_editor_get_cell_dropdown (editor)),
                      ==, 0);
    g_assert_cmpuint (gtk_drop_down_get_selected (dg_dustfall_editor_get_jar_dropdown (editor)),
                      ==, 1);
    for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
      g_assert_cmpstr (gtk_editable_get_text (dg_dustfall_editor_get_entry (editor, kept[i])),
                       !=, "");
    g_assert_cmpstr (gtk_editable_get_text (dg_dustfall_editor_get_entry (editor, "start")), ==,
                     "2025-03-01T09:00");
    for (guint i = 0; i < G_N_ELEMENTS (emptied); i++)
      g_assert_cmpstr (gtk_editable_get_text (dg_dustfall_editor_get_entry (editor, emptied[i])),
                       ==, "");
    gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "w0_g"), "30.2000");
    gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "w1_g"), "30.2290");
    gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "wc_g"), "0.0004");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
    g_assert_true (dg_test_spin_until (back_on_main_page, fixture->window, 5000));
    g_clear_pointer (&entries, g_ptr_array_unref);
    entries = dg_local_store_list_entries (fixture->store, DG_RECORD_DUSTFALL_SAMPLE);
    g_assert_cmpuint (entries->len, ==, 2);
  }
}

/* Design 6.7 in the editors: a check dated next year is marked on its date and not saved; a
 * second jar A for a cell, site and month the local store already holds is refused on the jar,
 * naming the sample that holds it, and jar B is saved. */
static void
test_caught_before_saving (Fixture       *fixture,
                           gconstpointer  user_data)
{
  DgCheckEditor *check_editor = dg_window_get_check_editor (fixture->window);
  DgDustfallEditor *editor = dg_window_get_dustfall_editor (fixture->window);
  g_autoptr(GPtrArray) cells = dg_local_store_list_grid_cells (fixture->store);
  g_autoptr(DgDustfallSample) held = dg_dustfall_sample_new ();
  g_autoptr(JsonObject) held_data = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GPtrArray) samples = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *today = dg_date_today ();
  g_autofree char *next_year = g_strdup_printf ("%d%s", atoi (today) + 1, today + 4);
  const char *message;
  struct { const char *field; const char *text; } typed[] = {
    { "month", "2025-03" },
    { "start", "2025-03-01T09:00" },
    { "end", "2025-03-31T09:00" },
    { "w0_g", "30.1234" },
    { "w1_g", "30.1530" },
    { "wc_g", "0.0006" },
  };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-check",
                                             NULL));
  dg_test_spin (50);
  dg_test_type_points (check_editor, 1);
  gtk_editable_set_text (dg_check_editor_get_date_entry (check_editor), next_year);
  g_assert_true (gtk_widget_get_visible (
    GTK_WIDGET (dg_check_editor_get_error_label (check_editor))));
  message = gtk_label_get_label (dg_check_editor_get_error_label (check_editor));
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "future"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (dg_check_editor_get_date_entry (
    check_editor)), "error"));
  gtk_widget_activate_action (GTK_WIDGET (check_editor), "editor.save", NULL);
  dg_test_spin (200);
  g_assert_cmpstr (dg_window_get_visible_page (fixture->window), ==, "check");
  checks = dg_local_store_list_entries (fixture->store, DG_RECORD_ROAD_CHECK);
  g_assert_cmpuint (checks->len, ==, 0);
  /* Today's date: the error goes. */
  gtk_editable_set_text (dg_check_editor_get_date_entry (check_editor), today);
  g_assert_false (gtk_widget_get_visible (
    GTK_WIDGET (dg_check_editor_get_error_label (check_editor))));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (check_editor), "editor.close", NULL));
  g_assert_true (dg_test_answer_dialog ("discard"));
  g_assert_true (dg_test_spin_until (back_on_main_page, fixture->window, 5000));

  /* Another sample already holds jar A of the first cell, site 1, in 2025-03. */
  held->id = dg_uuid_new ();
  held->cell_id = g_strdup (((DgGridCell *) g_ptr_array_index (cells, 0))->id);
  g_free (held->month);
  held->month = g_strdup ("2025-03");
  held->start = g_strdup ("2025-03-01T09:00");
  held->end = g_strdup ("2025-03-31T09:00");
  held->w0_g = 30.0;
  held->w1_g = 30.02;
  held->wc_g = 0.0;
  held_data = dg_record_data_to_json (DG_RECORD_DUSTFALL_SAMPLE, held);
  g_assert_true (dg_local_store_save (fixture->store, DG_RECORD_DUSTFALL_SAMPLE, held->id,
                                      held_data, &error));
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-sample",
                                             NULL));
  dg_test_spin (50);
  gtk_drop_down_set_selected (dg_dustfall_editor_get_cell_dropdown (editor), 0);
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, typed[i].field), typed[i].text);
  g_assert_false (gtk_widget_get_visible (
    GTK_WIDGET (dg_dustfall_editor_get_result_label (editor, "error"))));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  dg_test_spin (300);
  g_assert_cmpstr (dg_window_get_visible_page (fixture->window), ==, "sample");
  message = gtk_label_get_label (dg_dustfall_editor_get_result_label (editor, "error"));
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, held->id));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (dg_dustfall_editor_get_jar_dropdown (
    editor)), "error"));
  samples = dg_local_store_list_entries (fixture->store, DG_RECORD_DUSTFALL_SAMPLE);
  g_assert_cmpuint (samples->len, ==, 1);
  g_clear_pointer (&samples, g_ptr_array_unref);

  /* Its parallel jar B is what this one is. */
  gtk_drop_down_set_selected (dg_dustfall_editor_get_jar_dropdown (editor), 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_true (dg_test_spin_until (back_on_main_page, fixture->window, 5000));
  samples = dg_local_store_list_entries (fixture->store, DG_RECORD_DUSTFALL_SAMPLE);
  g_assert_cmpuint (samples->len, ==, 2);

  /* A sample ending next year is marked on its end. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-sample",
                                             NULL));
  dg_test_spin (50);
  {
    g_autofree char *month = g_strndup (next_year, 7);
    g_autofree char *start = g_strdup_printf ("%s-01T09:00", month);
    g_autofree char *end = g_strdup_printf ("%s-28T09:00", month);

    gtk_drop_down_set_selected (dg_dustfall_editor_get_cell_dropdown (editor), 1);
    for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
      gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, typed[i].field),
                             typed[i].text);
    gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "month"), month);
    gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "start"), start);
    gtk_editable_set_text (dg_dustfall_editor_get_entry (editor, "end"), end);
  }
  message = gtk_label_get_label (dg_dustfall_editor_get_result_label (editor, "error"));
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "future"));
  g_assert_true (gtk_widget_has_css_class (
    GTK_WIDGET (dg_dustfall_editor_get_entry (editor, "end")), "error"));
}

static void
test_dialogs (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GtkBuilder) builder = NULL;

  /* The shortcuts window GtkApplication shows for Ctrl+?. */
  builder = gtk_builder_new_from_resource ("/org/dustgrid/DustGrid/gtk/help-overlay.ui");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));

  /* F5 without a session asks to sign in. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sync", NULL));
  dg_test_spin (50);
  for (guint i = 0; i < g_list_model_get_n_items (gtk_window_get_toplevels ()); i++)
    {
      GtkWindow *window = g_list_model_get_item (gtk_window_get_toplevels (), i);
      g_object_unref (window);
      if (g_str_equal (G_OBJECT_TYPE_NAME (window), "DgSigninDialog"))
        {
          g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
          gtk_window_destroy (window);
          return;
        }
    }
  g_assert_not_reached ();
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The app's start: the window is made and shown on a store not open yet, with a spinner, and
 * its pages fill once the store has been opened on a worker thread. */
static void
test_window_before_store (void)
{
  g_autofree char *path = dg_local_store_default_path ();
  g_autoptr(DgLocalStore) store = dg_local_store_new_for_path (path);
  g_autoptr(DgTokenStore) tokens = dg_token_store_new (NULL);
  g_autoptr(DgSyncEngine) engine = dg_sync_engine_new (store, tokens);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DgWindow *window = dg_window_new (NULL, store, engine);

  gtk_window_present (GTK_WINDOW (window));
  dg_test_spin (50);
  g_assert_cmpstr (dg_window_get_visible_page (window), ==, "loading");
  g_assert_false (dg_window_get_ready (window));
  /* Nothing to write into yet. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "new-check"));

  dg_local_store_open_async (store, TRUE, NULL, got_result_cb, &result);
  g_assert_true (dg_test_spin_until (dg_test_window_pages_idle, window, 5000));
  g_assert_nonnull (result);
  g_assert_true (dg_local_store_open_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dg_window_get_visible_page (window), ==, "main");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "new-check"));
  g_assert_nonnull (strstr (gtk_label_get_label (
    dg_today_page_get_quota_label (dg_window_get_today_page (window))), "0 of 6"));

  gtk_window_destroy (GTK_WINDOW (window));
  dg_test_spin (50);
}

static gboolean
on_check_page (gpointer data)
{
  return g_strcmp0 (dg_window_get_visible_page (data), "check") == 0;
}

static void
save_check (Fixture    *fixture,
            const char *id)
{
  g_autoptr(GPtrArray) roads = dg_local_store_list_roads (fixture->store);
  g_autoptr(DgRoadCheck) check = dg_road_check_new ();
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;

  check->id = g_strdup (id);
  check->road_id = g_strdup (((DgRoad *) g_ptr_array_index (roads, 0))->id);
  check->date = dg_date_today ();
  dg_road_check_add_point (check, 1, ((DgRoad *) g_ptr_array_index (roads, 0))->surface,
                           "K0+100", 1.0, 2.0);
  data = dg_record_data_to_json (DG_RECORD_ROAD_CHECK, check);
  g_assert_true (dg_local_store_save (fixture->store, DG_RECORD_ROAD_CHECK, id, data, &error));
  g_assert_no_error (error);
}

/* A check chosen on the today page is read on a worker thread, then shown in the editor. */
static void
test_open_check (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *id = dg_uuid_new ();
  DgTodayPage *today = dg_window_get_today_page (fixture->window);

  save_check (fixture, id);
  dg_test_spin (50);
  g_assert_true (dg_test_spin_until (dg_test_window_pages_idle, fixture->window, 5000));

  g_signal_emit_by_name (today, "open-check", id);
  /* Not before the read has answered. */
  g_assert_cmpstr (dg_window_get_visible_page (fixture->window), ==, "main");
  g_assert_true (dg_test_spin_until (on_check_page, fixture->window, 5000));
  g_assert_cmpstr (dg_check_editor_get_id (dg_window_get_check_editor (fixture->window)), ==, id);
  g_assert_cmpuint (dg_check_editor_get_n_points (dg_window_get_check_editor (fixture->window)),
                    ==, 2);
}

/* A window closed while its pages and an editor are reading gets no callback: the reads are
 * cancelled with it (under ./dev test --sanitize a late callback would touch freed memory). */
static void
test_close_while_reading (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *id = dg_uuid_new ();

  save_check (fixture, id);
  /* The save's "changed" starts the pages' reads, and the editor starts its own. */
  g_main_context_iteration (NULL, FALSE);
  g_signal_emit_by_name (dg_window_get_today_page (fixture->window), "open-check", id);
  dg_today_page_refresh (dg_window_get_today_page (fixture->window));
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  dg_test_spin (200);
}

int
main (int   argc,
      char *argv[])
{
  /* The figures and texts are checked in the source language. */
  dg_test_init_gtk (&argc, &argv);

  g_test_add ("/client/window/six-point-check", Fixture, NULL,
              dg_test_window_setup, test_six_point_check, dg_test_window_teardown);
  g_test_add ("/client/window/dustfall-sample", Fixture, NULL,
              dg_test_window_setup, test_dustfall_sample, dg_test_window_teardown);

  g_test_add ("/client/window/future-date-and-second-jar-caught-before-saving", Fixture, NULL,
              dg_test_window_setup, test_caught_before_saving, dg_test_window_teardown);
  g_test_add ("/client/window/dialogs", Fixture, NULL,
              dg_test_window_setup, test_dialogs, dg_test_window_teardown);
  g_test_add_func ("/client/window/shown-before-the-store-opens", test_window_before_store);
  g_test_add ("/client/window/open-check-from-today", Fixture, NULL,
              dg_test_window_setup, test_open_check, dg_test_window_teardown);
  g_test_add ("/client/window/closed-while-reading", Fixture, NULL,
              dg_test_window_setup, test_close_while_reading, dg_test_window_teardown);

  return g_test_run ();
}

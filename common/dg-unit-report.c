/* dg-unit-report.c: the ranking of the responsible units (design 6.3).
 *
 * Each unit's figures take in the units below it: a street office's mean is that of every cell
 * of its own and of its communities. Sums stay in whole tenths, as the cell ranking's do, so a
 * parent's mean is the mean of its cells' reported values, not a mean of its children's means.
 */
#define G_LOG_DOMAIN "dg-unit-report"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dg-date.h"
#include "dg-round.h"
#include "dg-unit-report.h"

typedef struct _Node Node;
struct _Node
{
  const DgUnit *unit;
  DgUnitRank   *row;
  GPtrArray    *children;   /* Node *, not owned; after total_node() the tree's edges only */
  gboolean      placed;     /* reached from a root: guards against a cycle in stored data */
  gint64        sum;        /* tenths, over the ranked cells */
  gint64        prev_sum;
  guint         n_prev;
};

static void
unit_rank_free (gpointer data)
{
  DgUnitRank *row = data;

  g_free (row->unit_id);
  g_free (row->code);
  g_free (row->name);
  g_free (row->parent_id);
  g_free (row);
}

static int
compare_siblings (gconstpointer a,
                  gconstpointer b)
{
  const DgUnitRank *ua = (*(Node * const *) a)->row;
  const DgUnitRank *ub = (*(Node * const *) b)->row;

  /* Units without a ranked cell after the ranked ones; then the cleanest first; equal means by
   * code, a documented order for the shared rank. */
  if (ua->has_mean != ub->has_mean)
    return ua->has_mean ? -1 : 1;
  if (ua->has_mean && ua->mean != ub->mean)
    return ua->mean < ub->mean ? -1 : 1;
  return g_strcmp0 (ua->code, ub->code);
}

/* Adds the children's totals into @node (post-order), then fills its row's figures. */
static void
total_node (Node  *node,
            guint  depth)
{
  DgUnitRank *row = node->row;

  node->placed = TRUE;
  row->depth = depth;

  for (guint i = 0; i < node->children->len; )
    {
      Node *child = g_ptr_array_index (node->children, i);

      /* Only on a cycle: the child is an ancestor, already in the tree. */
      if (child->placed)
        {
          g_ptr_array_remove_index (node->children, i);
          continue;
        }
      i++;
      total_node (child, depth + 1);
      row->cells += child->row->cells;
      row->cells_ranked += child->row->cells_ranked;
      row->exceeding += child->row->exceeding;
      row->checks += child->row->checks;
      row->checks_passed += child->row->checks_passed;
      node->sum += child->sum;
      node->prev_sum += child->prev_sum;
      node->n_prev += child->n_prev;
    }

  if (row->cells_ranked > 0)
    {
      row->has_mean = TRUE;
      row->mean = dg_report_mean_of_tenths (node->sum, row->cells_ranked);
    }
  if (node->n_prev > 0)
    {
      row->has_prev = TRUE;
      row->prev_mean = dg_report_mean_of_tenths (node->prev_sum, node->n_prev);
    }
  if (row->has_mean && row->has_prev && row->prev_mean != 0)
    {
      row->has_mom = TRUE;
      row->mom_pct = dg_report_percent_change (row->mean, row->prev_mean);
    }
  if (row->checks > 0)
    {
      row->has_pass_rate = TRUE;
      row->pass_rate = dg_round1 (100.0 * row->checks_passed / row->checks);
    }
}

/* Competition ranks among @siblings (sorted in place), then each one's rows depth first. */
static void
rank_and_emit (GPtrArray *siblings,
               GPtrArray *out)
{
  DgRanking ranking = { 0 };

  g_ptr_array_sort (siblings, compare_siblings);

  for (guint i = 0; i < siblings->len; i++)
    {
      DgUnitRank *row = ((Node *) g_ptr_array_index (siblings, i))->row;

      if (!row->has_mean)
        break;
      row->rank = dg_ranking_next (&ranking, row->mean);
    }

  for (guint i = 0; i < siblings->len; i++)
    {
      Node *node = g_ptr_array_index (siblings, i);

      g_ptr_array_add (out, node->row);
      rank_and_emit (node->children, out);
    }
}

DgUnitReport *
dg_unit_report_build (const char             *month,
                      GPtrArray              *units,
                      const DgDustfallReport *cells,
                      const DgRoadReport     *roads)
{
  DgUnitReport *report;
  g_autoptr(GHashTable) by_id = NULL;      /* unit_id -> Node * */
  g_autoptr(GPtrArray) roots = NULL;
  g_autofree Node *nodes = NULL;

  g_return_val_if_fail (dg_month_is_valid (month), NULL);
  g_return_val_if_fail (units != NULL, NULL);
  g_return_val_if_fail (cells != NULL, NULL);
  g_return_val_if_fail (roads != NULL, NULL);

  nodes = g_new0 (Node, units->len);
  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  roots = g_ptr_array_new ();

  for (guint i = 0; i < units->len; i++)
    {
      const DgUnit *unit = g_ptr_array_index (units, i);
      DgUnitRank *row = g_new0 (DgUnitRank, 1);

      row->unit_id = g_strdup (unit->id);
      row->code = g_strdup (unit->code);
      row->name = g_strdup (unit->name);
      row->mean = NAN;
      row->prev_mean = NAN;
      row->mom_pct = NAN;
      row->pass_rate = NAN;

      nodes[i].unit = unit;
      nodes[i].row = row;
      nodes[i].children = g_ptr_array_new ();
      if (unit->id != NULL)
        g_hash_table_insert (by_id, unit->id, &nodes[i]);
    }

  /* A parent the list does not hold (deleted since, or not yet synced) makes a top unit, so
   * that no unit drops out of the table. */
  for (guint i = 0; i < units->len; i++)
    {
      Node *parent = nodes[i].unit->parent_id != NULL
                       ? g_hash_table_lookup (by_id, nodes[i].unit->parent_id) : NULL;

      if (parent != NULL && parent != &nodes[i])
        {
          nodes[i].row->parent_id = g_strdup (nodes[i].unit->parent_id);
          g_ptr_array_add (parent->children, &nodes[i]);
        }
      else
        g_ptr_array_add (roots, &nodes[i]);
    }

  for (guint i = 0; cells->cells != NULL && i < cells->cells->len; i++)
    {
      const DgCellRank *c = g_ptr_array_index (cells->cells, i);
      Node *node = c->unit_id != NULL ? g_hash_table_lookup (by_id, c->unit_id) : NULL;

      if (node == NULL)
        continue;
      node->row->cells++;
      if (c->has_value)
        {
          node->row->cells_ranked++;
          node->sum += llround (c->value * 10);
          if (c->exceeds)
            node->row->exceeding++;
        }
      if (c->has_prev)
        {
          node->prev_sum += llround (c->prev_value * 10);
          node->n_prev++;
        }
    }

  for (guint i = 0; roads->roads != NULL && i < roads->roads->len; i++)
    {
      const DgRoadRow *r = g_ptr_array_index (roads->roads, i);
      Node *node = r->unit_id != NULL ? g_hash_table_lookup (by_id, r->unit_id) : NULL;

      if (node == NULL)
        continue;
      node->row->checks += r->complete;
      node->row->checks_passed += r->complete_passed;
    }

  for (guint i = 0; i < roots->len; i++)
    total_node (g_ptr_array_index (roots, i), 0);
  /* Units on a cycle (which validation refuses, but stored data might hold) reach no root:
   * each is shown at the top rather than lost. */
  for (guint i = 0; i < units->len; i++)
    {
      if (nodes[i].placed)
        continue;
      g_ptr_array_add (roots, &nodes[i]);
      g_clear_pointer (&nodes[i].row->parent_id, g_free);
      total_node (&nodes[i], 0);
    }

  report = g_new0 (DgUnitReport, 1);
  report->month = g_strdup (month);
  report->units = g_ptr_array_new_full (units->len, unit_rank_free);
  rank_and_emit (roots, report->units);

  for (guint i = 0; i < units->len; i++)
    g_ptr_array_unref (nodes[i].children);

  return report;
}

void
dg_unit_report_free (DgUnitReport *report)
{
  if (report == NULL)
    return;

  g_free (report->month);
  g_clear_pointer (&report->units, g_ptr_array_unref);
  g_free (report);
}

const DgUnitRank *
dg_unit_report_find (const DgUnitReport *report,
                     const char         *unit_id)
{
  g_return_val_if_fail (report != NULL, NULL);

  for (guint i = 0; unit_id != NULL && i < report->units->len; i++)
    {
      const DgUnitRank *row = g_ptr_array_index (report->units, i);

      if (g_strcmp0 (row->unit_id, unit_id) == 0)
        return row;
    }
  return NULL;
}

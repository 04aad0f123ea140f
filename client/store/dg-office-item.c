/* dg-office-item.c */

#define G_LOG_DOMAIN "dg-office-item"

#include "config.h"

#include "dg-office-item.h"

struct _DgOfficeItem
{
  GObject        parent_instance;

  DgMonthReport *report;
  gconstpointer  row;
};

G_DEFINE_FINAL_TYPE (DgOfficeItem, dg_office_item, G_TYPE_OBJECT)

static void
dg_office_item_dispose (GObject *object)
{
  DgOfficeItem *self = (DgOfficeItem *)object;

  g_clear_object (&self->report);

  G_OBJECT_CLASS (dg_office_item_parent_class)->dispose (object);
}

static void
dg_office_item_class_init (DgOfficeItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dg_office_item_dispose;
}

static void
dg_office_item_init (DgOfficeItem *self)
{
}

DgOfficeItem *
dg_office_item_new (DgMonthReport *report,
                    gconstpointer  row)
{
  DgOfficeItem *self;

  g_return_val_if_fail (DG_IS_MONTH_REPORT (report), NULL);
  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (DG_TYPE_OFFICE_ITEM, NULL);
  self->report = g_object_ref (report);
  self->row = row;

  return self;
}

DgMonthReport *
dg_office_item_get_report (DgOfficeItem *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_ITEM (self), NULL);
  return self->report;
}

gconstpointer
dg_office_item_get_row (DgOfficeItem *self)
{
  g_return_val_if_fail (DG_IS_OFFICE_ITEM (self), NULL);
  return self->row;
}

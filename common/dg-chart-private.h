/* dg-chart-private.h: the text and scale helpers dg-chart.c and dg-trend.c share, so every
 * chart sets its labels and picks its ticks the same way. Defined in dg-chart.c.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pango/pangocairo.h>

G_BEGIN_DECLS

#define DG_CHART_FONT_FAMILY "Noto Sans CJK SC"

PangoLayout *dg_chart_create_layout (cairo_t     *cr,
                                     double       size);
void         dg_chart_draw_text     (cairo_t     *cr,
                                     PangoLayout *layout,
                                     const char  *text,
                                     double       x,
                                     double       y,
                                     double       xalign,
                                     double       yalign,
                                     gboolean     vertical);
void         dg_chart_format1       (char        *buf,
                                     double       value);
double       dg_chart_nice_step     (double       range,
                                     int          n_ticks);

G_END_DECLS

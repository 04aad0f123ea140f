/* dg-rule-set.h: effective-dated limits, caps and quotas (design 3.1, 3.2).
 *
 * A tightened cap applies from its effective date without rewriting history: each lookup takes
 * the date it judges. A check is judged by the rules in force on its date, a month by those in
 * force on its first day. Before the earliest rule of a kind, that earliest rule applies; for a
 * kind whose default is built in rather than stored (min_spacing_m), the default does.
 */
#pragma once

#include "dg-model.h"

G_BEGIN_DECLS

typedef struct _DgRuleSet DgRuleSet;

/* The defaults of section 3, effective 2022-01-01: limits main 5, side 10, park 15 g/m²;
 * cap 8 t/(km²·30 d); 6 roads a day; 6 points a check. */
#define DG_DEFAULT_EFFECTIVE_FROM  "2022-01-01"
#define DG_DEFAULT_LIMIT_MAIN      5.0
#define DG_DEFAULT_LIMIT_SIDE      10.0
#define DG_DEFAULT_LIMIT_PARK      15.0
#define DG_DEFAULT_CAP             8.0
#define DG_DEFAULT_QUOTA_ROADS     6
#define DG_DEFAULT_QUOTA_POINTS    6
/* Design 6.2: two points of one surface closer than this by chainage are doubtful. Built in, not
 * stored: a district that wants another spacing adds a min_spacing_m rule with its date. */
#define DG_DEFAULT_MIN_SPACING_M   50.0

DgRuleSet  *dg_rule_set_new            (void);
/* A set holding the default rules, with fixed well-known ids (see dg_rule_set_default_rules()). */
DgRuleSet  *dg_rule_set_new_default    (void);
DgRuleSet  *dg_rule_set_ref            (DgRuleSet *self);
void        dg_rule_set_unref          (DgRuleSet *self);

/* The default rules as new DgRule values, for a new database to store. */
GPtrArray  *dg_rule_set_default_rules  (void);

/* Adds a copy of @rule, replacing any rule with the same id. */
void        dg_rule_set_add            (DgRuleSet    *self,
                                        const DgRule *rule);
void        dg_rule_set_remove         (DgRuleSet    *self,
                                        const char   *rule_id);
guint       dg_rule_set_get_n_rules    (const DgRuleSet *self);

/* Lookups by date (YYYY-MM-DD). When two rules of a kind share a date, the larger id wins, so
 * every side resolves the tie alike. With no rule of the kind at all, the default applies. */
double      dg_rule_set_limit          (const DgRuleSet *self,
                                        DgSurface        surface,
                                        const char      *date);
double      dg_rule_set_cap            (const DgRuleSet *self,
                                        const char      *date);
guint       dg_rule_set_quota_roads    (const DgRuleSet *self,
                                        const char      *date);
guint       dg_rule_set_quota_points   (const DgRuleSet *self,
                                        const char      *date);
/* The min_spacing_m rule in force on @date, in metres (DG_DEFAULT_MIN_SPACING_M without one). */
double      dg_rule_set_min_spacing_m  (const DgRuleSet *self,
                                        const char      *date);
/* The cap that judges @month (YYYY-MM): the one in force on its first day. */
double      dg_rule_set_cap_for_month  (const DgRuleSet *self,
                                        const char      *month);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DgRuleSet, dg_rule_set_unref)

G_END_DECLS

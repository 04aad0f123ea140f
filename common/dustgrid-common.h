/* dustgrid-common.h: everything common/ offers, for the server, the client and the tests. */
#pragma once

#include "dg-enum.h"
#include "dg-error.h"
#include "dg-round.h"
#include "dg-date.h"
#include "dg-model.h"
#include "dg-role.h"
#include "dg-policy.h"
#include "dg-rule-set.h"
#include "dg-road-check-eval.h"
#include "dg-dustfall.h"
#include "dg-report.h"
#include "dg-json.h"
#include "dg-validate.h"
#include "dg-wire.h"
#include "dg-assessment.h"
#include "dg-chart.h"

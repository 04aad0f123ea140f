#include "config.h"

#include "dg-report.h"

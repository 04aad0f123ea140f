#include "config.h"

#include "dg-rule-set.h"

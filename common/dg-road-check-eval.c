#include "config.h"

#include "dg-road-check-eval.h"

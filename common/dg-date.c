#include "config.h"

#include "dg-date.h"

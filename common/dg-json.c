#include "config.h"

#include "dg-json.h"

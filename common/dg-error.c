#include "config.h"

#include "dg-error.h"

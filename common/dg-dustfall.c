#include "config.h"

#include "dg-dustfall.h"

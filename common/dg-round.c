#include "config.h"

#include "dg-round.h"

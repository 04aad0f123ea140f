#include "config.h"

#include "dg-wire.h"

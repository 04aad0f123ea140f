#include "config.h"

#include "dg-model.h"

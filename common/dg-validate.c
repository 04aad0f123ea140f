#include "config.h"

#include "dg-validate.h"

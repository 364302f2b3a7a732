#pragma once
// A store failure said for an operator: what it means and, for the rare
// unexpected case, the database's own words.

#include "shared/store/store_error.h"

#include <QString>

namespace daarion::console {

QString describeStoreError(const store::StoreError &error);

} // namespace daarion::console

#include "console/common/store_error_text.h"

#include <QObject>

namespace daarion::console {

QString describeStoreError(const store::StoreError &error)
{
    using store::StoreErrorKind;
    switch (error.kind) {
    case StoreErrorKind::Unavailable:
        return QObject::tr("The database cannot be reached. %1").arg(error.message);
    case StoreErrorKind::NotFound:
        return QObject::tr("It no longer exists, or was already changed (the view is refreshed).");
    case StoreErrorKind::LastCredential:
        return QObject::tr("This is the user's only passkey: deleting it would lock the account out. "
                           "Disable it instead.");
    case StoreErrorKind::EnrollmentInvalid:
        return QObject::tr("The enrollment link was used, revoked or has expired meanwhile.");
    case StoreErrorKind::Disabled:
        return QObject::tr("The user or passkey is disabled.");
    case StoreErrorKind::InvalidInput:
        return QObject::tr("The database refused the value. %1").arg(error.message);
    case StoreErrorKind::Conflict:
        return QObject::tr("Someone changed it at the same time; try again. %1").arg(error.message);
    default:
        return QObject::tr("The operation failed (%1). %2")
            .arg(store::storeErrorKindName(error.kind), error.message);
    }
}

} // namespace daarion::console

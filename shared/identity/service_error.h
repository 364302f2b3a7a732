#pragma once
// Why the service refused: one of the HTTP API's stable error codes
// ("challenge_invalid", "username_taken", …; ../API.md) and a message for
// people. The identity layer speaks in these so the routes only translate
// to a status; the verifier's and the store's errors map in here, once.

#include "shared/store/store_error.h"
#include "shared/webauthn/errors.h"

#include <QString>

namespace daarion::identity {

struct ServiceError {
    QString code;
    QString message;
};

template <typename T>
using ServiceResult = webauthn::Result<T, ServiceError>;
using ServiceCheck = ServiceResult<webauthn::Ok>;

inline ServiceError serviceError(const QString &code, const QString &message)
{
    return ServiceError{code, message};
}

ServiceError fromVerifier(const webauthn::Error &error);
// Unavailable → "unavailable", UsernameTaken → "username_taken", … A store
// failure the client did not cause becomes "internal_error" (its detail is
// logged, never sent).
ServiceError fromStore(const store::StoreError &error);

} // namespace daarion::identity

#pragma once
// Why the service refused: one ErrorCode of the API's table (error_code.h)
// with, optionally, a message for people that replaces the table's (only
// text we wrote about the request, e.g. which field is wrong), developer
// detail for the log (what the verifier or the database found; never sent),
// and extra members of the error body. The identity layer speaks in these;
// the verifier's and the store's errors map in here, once.

#include "shared/identity/error_code.h"
#include "shared/store/store_error.h"
#include "shared/webauthn/errors.h"

#include <QJsonObject>

#include <QString>

namespace daarion::identity {

struct ServiceError {
    ErrorCode code = ErrorCode::InternalError;
    QString message{};   // for the client; empty: the table's message
    QString detail{};    // for the log only
    QJsonObject extra{}; // more members of the body: credential_id and rp_id, usable_at, …

    QString clientMessage() const { return message.isEmpty() ? defaultMessage(code) : message; }
    ServiceError &withDetail(const QString &text) &
    {
        detail = text;
        return *this;
    }
    ServiceError &&withDetail(const QString &text) &&
    {
        detail = text;
        return std::move(*this);
    }
};

template <typename T>
using ServiceResult = webauthn::Result<T, ServiceError>;
using ServiceCheck = ServiceResult<webauthn::Ok>;

// `message` goes to the client; leave it empty for the table's.
inline ServiceError serviceError(ErrorCode code, const QString &message = {})
{
    return ServiceError{code, message, {}, {}};
}

// The verifier's code; its message becomes detail (logged, not sent).
ServiceError fromVerifier(const webauthn::Error &error);
// Unavailable → unavailable, UsernameTaken → username_taken, …; a store
// failure the client did not cause becomes internal_error. The store's
// message is detail.
ServiceError fromStore(const store::StoreError &error);

} // namespace daarion::identity

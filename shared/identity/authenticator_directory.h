#pragma once
// Names and icons of the authenticator models of some passkeys, for whoever
// shows passkeys (the API's Passkey JSON, the console): the imported MDS
// entries (one query for all of them) and the bundled passkey-provider list.

#include "shared/identity/service_error.h"
#include "shared/metadata/authenticator_info.h"
#include "shared/store/passkey_repository.h"

#include <QByteArray>
#include <QHash>
#include <QList>

namespace daarion::store
{
class Database;
}

namespace daarion::identity
{

// By AAGUID bytes; AAGUIDs nobody knows are absent.
using AuthenticatorNames = QHash<QByteArray, metadata::AuthenticatorInfo>;

ServiceResult<AuthenticatorNames> describeAuthenticators(store::Database &database,
                                                         const QList<QByteArray> &aaguids);
ServiceResult<AuthenticatorNames>
describeAuthenticators(store::Database &database, const QList<store::PasskeyRecord> &passkeys);

} // namespace daarion::identity

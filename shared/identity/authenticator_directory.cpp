#include "shared/identity/authenticator_directory.h"

#include "shared/store/metadata_repository.h"

namespace daarion::identity
{

ServiceResult<AuthenticatorNames> describeAuthenticators(store::Database &database,
                                                         const QList<QByteArray> &aaguids)
{
    auto entries = store::MetadataRepository(database).describe(aaguids);
    if (!entries)
        return fromStore(entries.error());
    AuthenticatorNames names;
    for (const QByteArray &aaguid : aaguids) {
        if (names.contains(aaguid))
            continue;
        const store::MetadataEntryRecord entry = entries->value(aaguid);
        if (auto info = metadata::describeAuthenticator(metadata::aaguidFromBytes(aaguid),
                                                        entry.description, entry.icon))
            names.insert(aaguid, *info);
    }
    return names;
}

ServiceResult<AuthenticatorNames>
describeAuthenticators(store::Database &database, const QList<store::PasskeyRecord> &passkeys)
{
    QList<QByteArray> aaguids;
    for (const store::PasskeyRecord &passkey : passkeys)
        aaguids.append(passkey.aaguid);
    return describeAuthenticators(database, aaguids);
}

} // namespace daarion::identity

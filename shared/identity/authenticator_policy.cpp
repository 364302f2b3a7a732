#include "shared/identity/authenticator_policy.h"

#include "shared/store/metadata_repository.h"

namespace daarion::identity
{

AuthenticatorPolicy::AuthenticatorPolicy(const config::Settings &settings)
    : m_policy(settings.attestationPolicy),
      m_allowed(settings.allowedAaguids.begin(), settings.allowedAaguids.end())
{
}

ServiceResult<AdmittedCredential>
AuthenticatorPolicy::verifyRegistration(store::Database &database,
                                        const webauthn::RegistrationResponse &response,
                                        webauthn::RegistrationPolicy policy) const
{
    auto verified = webauthn::verifyRegistration(response, policy);
    if (!verified)
        return fromVerifier(verified.error());

    AdmittedCredential admitted{std::move(verified).value(), std::nullopt};
    const QUuid aaguid = metadata::aaguidFromBytes(admitted.credential.aaguid);
    std::optional<store::MetadataEntryRecord> entry;
    if (!aaguid.isNull()) {
        auto found = store::MetadataRepository(database).findEntry(admitted.credential.aaguid);
        if (!found)
            return fromStore(found.error());
        entry = std::move(found).value();
    }
    if (entry && entry->compromised())
        return serviceError(
            QStringLiteral("authenticator_revoked"),
            QStringLiteral("This authenticator model is no longer trusted (its FIDO metadata "
                           "status is %1); use another passkey provider or security key.")
                .arg(entry->status));
    if (m_policy == config::AttestationPolicy::AllowList && !m_allowed.contains(aaguid))
        return serviceError(QStringLiteral("forbidden"),
                            QStringLiteral("This authenticator model is not accepted here."));
    admitted.authenticator = metadata::describeAuthenticator(
        aaguid, entry ? entry->description : QString(), entry ? entry->icon : QString());
    return admitted;
}

QString AuthenticatorPolicy::defaultDeviceName(
    const std::optional<metadata::AuthenticatorInfo> &authenticator)
{
    return authenticator ? authenticator->name.left(64) : QStringLiteral("Passkey");
}

} // namespace daarion::identity

#include "shared/identity/authenticator_policy.h"

#include "shared/store/metadata_repository.h"
#include "shared/webauthn/attestation/trust_anchors.h"

namespace daarion::identity
{

namespace
{

// One registration's look at the metadata of its model: read once (by the
// verifier's per-AAGUID trust hook, or after verification), then reused.
class ModelLookup
{
public:
    explicit ModelLookup(store::Database &database) : m_database(database) {}

    const std::optional<store::MetadataEntryRecord> &entry(const QByteArray &aaguid)
    {
        if (m_looked && aaguid == m_aaguid)
            return m_entry;
        m_looked = true;
        m_aaguid = aaguid;
        m_entry.reset();
        m_anchors.reset();
        if (metadata::aaguidFromBytes(aaguid).isNull())
            return m_entry;
        auto found = store::MetadataRepository(m_database).findEntry(aaguid);
        if (!found) {
            m_failure = found.error();
            return m_entry;
        }
        m_entry = std::move(found).value();
        return m_entry;
    }

    // The model's MDS attestationRootCertificates, as anchors for every format.
    const webauthn::TrustAnchors *anchors(const QByteArray &aaguid)
    {
        const auto &model = entry(aaguid);
        if (!model || model->attestationRoots.isEmpty())
            return nullptr;
        if (!m_anchors) {
            m_anchors.emplace();
            for (const QByteArray &der : model->attestationRoots)
                m_anchors->addRoot(der);
        }
        return &*m_anchors;
    }

    const std::optional<store::StoreError> &failure() const { return m_failure; }

private:
    store::Database &m_database;
    bool m_looked = false;
    QByteArray m_aaguid;
    std::optional<store::MetadataEntryRecord> m_entry;
    std::optional<webauthn::TrustAnchors> m_anchors;
    std::optional<store::StoreError> m_failure;
};

} // namespace

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
    ModelLookup lookup(database);
    // The model's own roots count for that AAGUID only, besides ATTESTATION_ROOTS.
    policy.aaguidTrustAnchors = [&lookup](const QByteArray &aaguid) {
        return lookup.anchors(aaguid);
    };
    auto verified = webauthn::verifyRegistration(response, policy);
    if (lookup.failure()) // the verdict may rest on roots that could not be read
        return fromStore(*lookup.failure());
    if (!verified)
        return fromVerifier(verified.error());

    AdmittedCredential admitted{std::move(verified).value(), std::nullopt};
    const QUuid aaguid = metadata::aaguidFromBytes(admitted.credential.aaguid);
    const std::optional<store::MetadataEntryRecord> entry =
        lookup.entry(admitted.credential.aaguid);
    if (lookup.failure())
        return fromStore(*lookup.failure());
    if (entry && entry->compromised())
        return serviceError(ErrorCode::AuthenticatorRevoked)
            .withDetail(QStringLiteral("AAGUID %1: FIDO metadata status %2")
                            .arg(aaguid.toString(QUuid::WithoutBraces), entry->status));
    if (m_policy == config::AttestationPolicy::AllowList && !m_allowed.contains(aaguid))
        return serviceError(ErrorCode::Forbidden,
                            QStringLiteral("This authenticator model is not accepted here."))
            .withDetail(QStringLiteral("AAGUID %1 is not in ALLOWED_AAGUIDS")
                            .arg(aaguid.toString(QUuid::WithoutBraces)));
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

#pragma once
// What registration asks of an authenticator model beyond WebAuthn itself,
// from the imported FIDO metadata and ATTESTATION_POLICY:
//  - a model whose latest MDS status is one of the five compromising ones is
//    refused (403 authenticator_revoked);
//  - ATTESTATION_POLICY=allow-list accepts only the models of ALLOWED_AAGUIDS
//    (403 forbidden), and like =trusted needs an attestation that chains to a
//    root (the verifier refuses it otherwise: attestation_invalid);
//  - the model's MDS attestationRootCertificates are trust anchors for its
//    own AAGUID only, besides ATTESTATION_ROOTS;
//  - the new passkey learns its model's name and icons.
// Reads the database on the calling thread, per registration: a metadata
// import on any replica counts from the next registration on.

#include "shared/config/settings.h"
#include "shared/identity/service_error.h"
#include "shared/metadata/authenticator_info.h"
#include "shared/webauthn/registration.h"

#include <QSet>
#include <QUuid>

#include <optional>

namespace daarion::store
{
class Database;
}

namespace daarion::identity
{

struct AdmittedCredential {
    webauthn::RegisteredCredential credential;
    std::optional<metadata::AuthenticatorInfo> authenticator; // name and icons, when known
};

class AuthenticatorPolicy
{
public:
    explicit AuthenticatorPolicy(const config::Settings &settings);

    // webauthn::verifyRegistration with this model's metadata, then the
    // model's admission. `policy` is the ceremony's (challenge, origins, …).
    ServiceResult<AdmittedCredential>
    verifyRegistration(store::Database &database, const webauthn::RegistrationResponse &response,
                       webauthn::RegistrationPolicy policy) const;

    // A passkey's name when the person gave none: its model's, else "Passkey".
    static QString
    defaultDeviceName(const std::optional<metadata::AuthenticatorInfo> &authenticator);

private:
    config::AttestationPolicy m_policy;
    QSet<QUuid> m_allowed;
};

} // namespace daarion::identity

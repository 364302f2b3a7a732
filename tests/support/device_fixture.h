#pragma once
// A captured response of a real authenticator (tests/data/devices/*.json):
// the relying party's settings when it was captured, the registration and/or
// assertion as the browser sent them, and the verdict the established
// verifiers agree on. Both the library suite and the CLI suite read them here.

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace daarion::testing
{

struct ExpectedVerdict {
    bool valid = true;
    QString error; // machine code when rejected ("attestation_invalid", ...)
    // Registration only, when valid:
    QString fmt;
    QString attestationType;     // "none", "self", "basic", "attca", "anonca"
    QString aaguid;              // 8-4-4-4-12 lower-case hex
    QString credentialId;        // base64url
    std::optional<bool> trusted; // set when the fixture names its attestation roots
};

struct DeviceCeremony {
    QString challenge;    // base64url, as the RP issued it
    QJsonObject response; // RegistrationResponseJSON / AuthenticationResponseJSON
    ExpectedVerdict expected;
};

struct DeviceFixture {
    QString name; // the file name without .json
    QString device;
    QString family;
    QString rpId;
    QString origin;
    QDateTime verificationTime; // invalid: judge at the time of the run
    QList<QByteArray> rootsPem;
    std::optional<DeviceCeremony> registration;
    std::optional<DeviceCeremony> authentication;
    // For an assertion without a registration in the fixture: the stored record.
    QByteArray publicKeyCose;
    quint32 signCount = 0;
    bool requireUserVerification = false;
};

// $DAARION_TEST_DATA/devices, or empty when the variable is unset.
QString deviceFixtureDirectory();

// Every fixture, sorted by name. Throws std::runtime_error on a file that
// does not parse, so a broken fixture fails the suite instead of vanishing.
QList<DeviceFixture> loadDeviceFixtures();

} // namespace daarion::testing

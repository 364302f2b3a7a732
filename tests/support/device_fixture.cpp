#include "tests/support/device_fixture.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <stdexcept>

namespace daarion::testing
{

namespace
{

QString text(const QJsonObject &object, const char *member)
{
    return object.value(QLatin1StringView(member)).toString();
}

ExpectedVerdict expectedVerdict(const QJsonObject &json)
{
    ExpectedVerdict verdict;
    verdict.valid = text(json, "verdict") == QLatin1StringView("valid");
    verdict.error = text(json, "error");
    verdict.fmt = text(json, "fmt");
    verdict.attestationType = text(json, "attestation_type");
    verdict.aaguid = text(json, "aaguid");
    verdict.credentialId = text(json, "credential_id");
    if (json.value(QLatin1StringView("trusted")).isBool())
        verdict.trusted = json.value(QLatin1StringView("trusted")).toBool();
    return verdict;
}

std::optional<DeviceCeremony> ceremony(const QJsonObject &fixture, const char *name)
{
    const QJsonObject json = fixture.value(QLatin1StringView(name)).toObject();
    if (json.isEmpty())
        return std::nullopt;
    const QJsonObject expected = fixture.value(QLatin1StringView("expected")).toObject();
    if (!expected.value(QLatin1StringView(name)).isObject())
        throw std::runtime_error(std::string("no expected verdict for ") + name);
    return DeviceCeremony{text(json, "challenge"),
                          json.value(QLatin1StringView("response")).toObject(),
                          expectedVerdict(expected.value(QLatin1StringView(name)).toObject())};
}

DeviceFixture parseFixture(const QString &name, const QJsonObject &json)
{
    DeviceFixture fixture;
    fixture.name = name;
    fixture.device = text(json, "device");
    fixture.family = text(json, "family");
    fixture.rpId = text(json, "rp_id");
    fixture.origin = text(json, "origin");
    const QJsonValue time = json.value(QLatin1StringView("verification_time"));
    if (time.isString()) {
        fixture.verificationTime = QDateTime::fromString(time.toString(), Qt::ISODateWithMs);
        if (!fixture.verificationTime.isValid())
            throw std::runtime_error("bad verification_time");
    }
    for (const QJsonValue &pem : json.value(QLatin1StringView("attestation_roots_pem")).toArray())
        fixture.rootsPem.append(pem.toString().toLatin1());
    fixture.registration = ceremony(json, "registration");
    fixture.authentication = ceremony(json, "authentication");
    const QJsonObject authentication = json.value(QLatin1StringView("authentication")).toObject();
    fixture.publicKeyCose = QByteArray::fromBase64(text(authentication, "public_key").toLatin1(),
                                                   QByteArray::Base64UrlEncoding);
    fixture.signCount = quint32(authentication.value(QLatin1StringView("sign_count")).toInteger());
    fixture.requireUserVerification =
        authentication.value(QLatin1StringView("require_user_verification")).toBool();
    if (fixture.rpId.isEmpty() || fixture.origin.isEmpty() ||
        (!fixture.registration && !fixture.authentication))
        throw std::runtime_error("fixture lacks rp_id, origin or a ceremony");
    if (fixture.authentication && !fixture.registration && fixture.publicKeyCose.isEmpty())
        throw std::runtime_error("an assertion without its registration needs public_key");
    return fixture;
}

} // namespace

QString deviceFixtureDirectory()
{
    const QByteArray data = qgetenv("DAARION_TEST_DATA");
    return data.isEmpty() ? QString() : QString::fromLocal8Bit(data) + QStringLiteral("/devices");
}

QList<DeviceFixture> loadDeviceFixtures()
{
    QList<DeviceFixture> fixtures;
    const QDir directory(deviceFixtureDirectory());
    for (const QString &file :
         directory.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        QFile in(directory.filePath(file));
        if (!in.open(QIODevice::ReadOnly))
            throw std::runtime_error("cannot read " + file.toStdString());
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(in.readAll(), &error);
        if (error.error != QJsonParseError::NoError || !document.isObject())
            throw std::runtime_error(file.toStdString() + " is not a JSON object");
        try {
            fixtures.append(parseFixture(file.chopped(5), document.object()));
        } catch (const std::runtime_error &broken) {
            throw std::runtime_error(file.toStdString() + ": " + broken.what());
        }
    }
    return fixtures;
}

} // namespace daarion::testing

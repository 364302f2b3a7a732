// `daarion-authd verify registration|assertion …`: the offline verifier an
// operator points at a captured response from a real device. It reads one
// RegistrationResponseJSON or AuthenticationResponseJSON on stdin, runs the
// same library the service runs, and prints one JSON verdict on stdout.
// Exit 0 valid, 1 rejected, 2 usage.
//
// --roots DIR: an attestation of a format for which DIR holds roots (DIR/*.pem
// for every format, DIR/<fmt>/*.pem for one) must chain to one of them, or it
// is refused; other formats, and none and self attestation, are accepted as
// untrusted. Without --roots every verified attestation is accepted as
// untrusted. --at judges certificates at another instant (a capture's time).
#include "server/cli/commands.h"

#include "shared/webauthn/attestation/trust_anchors.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/cose_key.h"
#include "shared/webauthn/response_json.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUuid>

#include <cstdio>
#include <optional>

namespace daarion::server
{

namespace
{

using namespace daarion::webauthn;

constexpr int kExitValid = 0;
constexpr int kExitRejected = 1;
constexpr int kExitUsage = 2;

// A response is a few kilobytes; the largest attestation object is bounded at 64 KiB.
constexpr qint64 kMaxInputLength = 1024 * 1024;

const char kUsage[] =
    "usage: daarion-authd verify registration --rp-id ID --origin O [--origin O2 ...]\n"
    "           [--top-origin T ...] --challenge B64URL [--roots DIR] [--at RFC3339] "
    "[--require-uv]\n"
    "       daarion-authd verify assertion --rp-id ID --origin O [--origin O2 ...]\n"
    "           [--top-origin T ...] --challenge B64URL --public-key B64URL_COSE\n"
    "           [--sign-count N] [--user-handle B64URL] [--require-uv]\n"
    "Reads the response JSON on stdin and prints one JSON verdict.\n"
    "--roots DIR: attestations of a format DIR holds roots for must chain to one.\n"
    "Without --user-handle an assertion's userHandle is accepted and reported.\n"
    "Exit status: 0 valid, 1 rejected, 2 usage.\n";

struct UsageError {
    QString message;
};

int usage(const QString &message)
{
    std::fprintf(stderr, "daarion-authd verify: %s\n%s", qPrintable(message), kUsage);
    return kExitUsage;
}

void printVerdict(const QJsonObject &verdict)
{
    const QByteArray text = QJsonDocument(verdict).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    std::fflush(stdout);
}

int reject(QJsonObject verdict, const QString &code, const QString &message)
{
    verdict.insert(QStringLiteral("ok"), false);
    verdict.insert(QStringLiteral("error"), code);
    verdict.insert(QStringLiteral("message"), message);
    printVerdict(verdict);
    return kExitRejected;
}

QJsonObject flagsJson(quint8 flags)
{
    return {{QStringLiteral("up"), bool(flags & flag::UserPresent)},
            {QStringLiteral("uv"), bool(flags & flag::UserVerified)},
            {QStringLiteral("be"), bool(flags & flag::BackupEligible)},
            {QStringLiteral("bs"), bool(flags & flag::BackupState)},
            {QStringLiteral("at"), bool(flags & flag::AttestedCredentialData)},
            {QStringLiteral("ed"), bool(flags & flag::ExtensionData)}};
}

// The members every verdict has, null until known, so consumers see one shape.
QJsonObject emptyVerdict(const QStringList &members)
{
    QJsonObject verdict{{QStringLiteral("ok"), false},
                        {QStringLiteral("error"), QJsonValue::Null},
                        {QStringLiteral("message"), QJsonValue::Null}};
    for (const QString &member : members)
        verdict.insert(member, QJsonValue::Null);
    return verdict;
}

// Reads stdin (bounded) as a JSON object; a broken input is a rejected response.
std::optional<QJsonObject> readResponse(QJsonObject &verdict, int &exitCode)
{
    QFile input;
    if (!input.open(stdin, QIODevice::ReadOnly)) {
        exitCode = usage(QStringLiteral("cannot read stdin"));
        return std::nullopt;
    }
    const QByteArray text = input.read(kMaxInputLength + 1);
    if (text.size() > kMaxInputLength) {
        exitCode = reject(
            verdict, QStringLiteral("invalid_request"),
            QStringLiteral("the response on stdin is larger than %1 bytes").arg(kMaxInputLength));
        return std::nullopt;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        exitCode = reject(verdict, QStringLiteral("invalid_json"),
                          error.error != QJsonParseError::NoError
                              ? QStringLiteral("stdin is not JSON: %1 at offset %2")
                                    .arg(error.errorString())
                                    .arg(error.offset)
                              : QStringLiteral("stdin is not a JSON object"));
        return std::nullopt;
    }
    return document.object();
}

// The options both ceremonies share.
struct CeremonyOptions {
    QString rpId;
    QStringList origins;
    QStringList topOrigins;
    QByteArray challenge;
    bool requireUv = false;
};

Result<CeremonyOptions, UsageError> ceremonyOptions(const QCommandLineParser &parser)
{
    CeremonyOptions options;
    options.rpId = parser.value(QStringLiteral("rp-id"));
    options.origins = parser.values(QStringLiteral("origin"));
    options.topOrigins = parser.values(QStringLiteral("top-origin"));
    options.requireUv = parser.isSet(QStringLiteral("require-uv"));
    if (options.rpId.isEmpty())
        return UsageError{QStringLiteral("--rp-id is required")};
    if (options.origins.isEmpty())
        return UsageError{QStringLiteral("at least one --origin is required")};
    const auto challenge = decodeBase64Url(parser.value(QStringLiteral("challenge")).toLatin1());
    if (!challenge || challenge->isEmpty())
        return UsageError{
            QStringLiteral("--challenge must be the issued challenge in unpadded base64url")};
    options.challenge = *challenge;
    return options;
}

// RFC 3339 needs an explicit offset; a bare local time would depend on the machine.
std::optional<QDateTime> parseInstant(const QString &text)
{
    static const QRegularExpression rfc3339(QStringLiteral(
        R"(^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$)"));
    if (!rfc3339.match(text).hasMatch())
        return std::nullopt;
    QString normalized = text;
    normalized[10] = u'T';
    const QDateTime instant = QDateTime::fromString(normalized.toUpper(), Qt::ISODateWithMs);
    if (!instant.isValid())
        return std::nullopt;
    return instant.toUTC();
}

int verifyRegistrationCommand(const QCommandLineParser &parser, const CeremonyOptions &options)
{
    RegistrationPolicy policy;
    policy.challenge = options.challenge;
    policy.rpId = options.rpId;
    policy.allowedOrigins = options.origins;
    policy.allowedTopOrigins = options.topOrigins;
    policy.requireUserVerification = options.requireUv;

    TrustAnchors anchors;
    if (parser.isSet(QStringLiteral("roots"))) {
        const QString directory = parser.value(QStringLiteral("roots"));
        if (Check loaded = anchors.loadDirectory(directory); !loaded)
            return usage(QStringLiteral("--roots %1: %2").arg(directory, loaded.error().message));
        if (anchors.isEmpty())
            return usage(QStringLiteral("--roots %1 holds no PEM certificates").arg(directory));
        policy.trustAnchors = &anchors;
        policy.requireChainWhereRootsGiven = true;
    }
    if (parser.isSet(QStringLiteral("at"))) {
        const auto instant = parseInstant(parser.value(QStringLiteral("at")));
        if (!instant)
            return usage(QStringLiteral(
                "--at must be an RFC 3339 time with an offset, e.g. 2024-05-01T12:00:00Z"));
        policy.verificationTime = *instant;
    }

    QJsonObject verdict = emptyVerdict(
        {QStringLiteral("credential_id"), QStringLiteral("alg"), QStringLiteral("public_key"),
         QStringLiteral("aaguid"), QStringLiteral("fmt"), QStringLiteral("attestation_type"),
         QStringLiteral("trusted"), QStringLiteral("sign_count"), QStringLiteral("flags")});
    int exitCode = kExitRejected;
    const auto json = readResponse(verdict, exitCode);
    if (!json)
        return exitCode;
    Result<RegistrationResponse> response = registrationResponseFromJson(*json);
    if (!response)
        return reject(verdict, errorCodeName(response.error().code), response.error().message);
    Result<RegisteredCredential> credential = verifyRegistration(*response, policy);
    if (!credential)
        return reject(verdict, errorCodeName(credential.error().code), credential.error().message);

    verdict.insert(QStringLiteral("ok"), true);
    verdict.insert(QStringLiteral("credential_id"),
                   QString::fromLatin1(encodeBase64Url(credential->credentialId)));
    verdict.insert(QStringLiteral("alg"), qint64(credential->alg));
    verdict.insert(QStringLiteral("public_key"),
                   QString::fromLatin1(encodeBase64Url(credential->publicKeyCose)));
    verdict.insert(QStringLiteral("aaguid"),
                   QUuid::fromRfc4122(credential->aaguid).toString(QUuid::WithoutBraces));
    verdict.insert(QStringLiteral("fmt"), credential->fmt);
    verdict.insert(QStringLiteral("attestation_type"),
                   attestationTypeName(credential->attestationType));
    verdict.insert(QStringLiteral("trusted"), credential->trusted);
    verdict.insert(QStringLiteral("sign_count"), qint64(credential->signCount));
    verdict.insert(QStringLiteral("flags"), flagsJson(credential->flags));
    printVerdict(verdict);
    return kExitValid;
}

int verifyAssertionCommand(const QCommandLineParser &parser, const CeremonyOptions &options)
{
    AssertionPolicy policy;
    policy.challenge = options.challenge;
    policy.rpId = options.rpId;
    policy.allowedOrigins = options.origins;
    policy.allowedTopOrigins = options.topOrigins;
    policy.requireUserVerification = options.requireUv;

    const auto publicKey = decodeBase64Url(parser.value(QStringLiteral("public-key")).toLatin1());
    if (!publicKey || publicKey->isEmpty())
        return usage(
            QStringLiteral("--public-key must be the credential's COSE key in unpadded base64url"));
    if (Result<CoseKey> key = parseCoseKey(*publicKey); !key)
        return usage(QStringLiteral("--public-key: %1").arg(key.error().message));
    policy.publicKeyCose = *publicKey;
    if (parser.isSet(QStringLiteral("sign-count"))) {
        bool ok = false;
        const uint count = parser.value(QStringLiteral("sign-count")).toUInt(&ok);
        if (!ok)
            return usage(QStringLiteral("--sign-count must be the stored counter, 0..4294967295"));
        policy.storedSignCount = count;
    }
    if (parser.isSet(QStringLiteral("user-handle"))) {
        const auto handle = decodeBase64Url(parser.value(QStringLiteral("user-handle")).toLatin1());
        if (!handle || handle->isEmpty() || handle->size() > kMaxUserHandleLength)
            return usage(QStringLiteral("--user-handle must be 1..64 bytes in unpadded base64url"));
        policy.userHandle = *handle;
    }

    QJsonObject verdict =
        emptyVerdict({QStringLiteral("sign_count"), QStringLiteral("flags"),
                      QStringLiteral("user_verified"), QStringLiteral("user_handle")});
    int exitCode = kExitRejected;
    const auto json = readResponse(verdict, exitCode);
    if (!json)
        return exitCode;
    Result<AssertionResponse> response = assertionResponseFromJson(*json);
    if (!response)
        return reject(verdict, errorCodeName(response.error().code), response.error().message);
    // Offline there is no credential store: the key given is the record the
    // response must match, so its own rawId names it; and without
    // --user-handle the owner is unknown, so the userHandle it carries is
    // taken as the owner's and reported (WebAuthn §7.2 step 6 is the caller's).
    policy.credentialId = response->rawId;
    if (!policy.userHandle)
        policy.userHandle = response->userHandle;
    Result<AssertionVerdict> assertion = verifyAssertion(*response, policy);
    if (!assertion)
        return reject(verdict, errorCodeName(assertion.error().code), assertion.error().message);

    verdict.insert(QStringLiteral("ok"), true);
    verdict.insert(QStringLiteral("sign_count"), qint64(assertion->signCount));
    verdict.insert(QStringLiteral("flags"), flagsJson(assertion->flags));
    verdict.insert(QStringLiteral("user_verified"), assertion->userVerified);
    if (response->userHandle)
        verdict.insert(QStringLiteral("user_handle"),
                       QString::fromLatin1(encodeBase64Url(*response->userHandle)));
    printVerdict(verdict);
    return kExitValid;
}

} // namespace

int runVerifyCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show usage."));
    parser.addOption(help);
    parser.addOptions({
        {QStringLiteral("rp-id"), QStringLiteral("Relying party ID."), QStringLiteral("ID")},
        {QStringLiteral("origin"), QStringLiteral("Allowed origin (repeatable)."),
         QStringLiteral("O")},
        {QStringLiteral("top-origin"),
         QStringLiteral("Allowed top origin when embedded (repeatable)."), QStringLiteral("T")},
        {QStringLiteral("challenge"), QStringLiteral("The issued challenge."),
         QStringLiteral("B64URL")},
        {QStringLiteral("require-uv"), QStringLiteral("Require user verification.")},
        {QStringLiteral("roots"), QStringLiteral("Directory of PEM attestation roots."),
         QStringLiteral("DIR")},
        {QStringLiteral("at"), QStringLiteral("Verification time (RFC 3339)."),
         QStringLiteral("RFC3339")},
        {QStringLiteral("public-key"), QStringLiteral("Credential public key (COSE)."),
         QStringLiteral("B64URL_COSE")},
        {QStringLiteral("sign-count"), QStringLiteral("Stored signature counter."),
         QStringLiteral("N")},
        {QStringLiteral("user-handle"), QStringLiteral("The owner's user handle."),
         QStringLiteral("B64URL")},
    });
    parser.addPositionalArgument(QStringLiteral("ceremony"),
                                 QStringLiteral("registration or assertion"));
    // arguments[0] is "verify", standing where parse() expects the program name.
    if (!parser.parse(arguments))
        return usage(parser.errorText());
    if (parser.isSet(help)) {
        std::fputs(kUsage, stdout);
        return kExitValid;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usage(QStringLiteral("name exactly one ceremony: registration or assertion"));
    const QString ceremony = positional.first();
    const bool registration = ceremony == QLatin1StringView("registration");
    if (!registration && ceremony != QLatin1StringView("assertion"))
        return usage(QStringLiteral("unknown ceremony \"%1\"").arg(ceremony));

    // Flags of the other ceremony are mistakes, not something to ignore silently.
    const QStringList onlyRegistration{QStringLiteral("roots"), QStringLiteral("at")};
    const QStringList onlyAssertion{QStringLiteral("public-key"), QStringLiteral("sign-count"),
                                    QStringLiteral("user-handle")};
    for (const QString &name : registration ? onlyAssertion : onlyRegistration) {
        if (parser.isSet(name))
            return usage(QStringLiteral("--%1 does not apply to %2").arg(name, ceremony));
    }
    if (!registration && !parser.isSet(QStringLiteral("public-key")))
        return usage(QStringLiteral("--public-key is required"));
    // Single-valued options given twice are ambiguous.
    for (const char *name :
         {"rp-id", "challenge", "roots", "at", "public-key", "sign-count", "user-handle"}) {
        if (parser.values(QLatin1StringView(name)).size() > 1)
            return usage(QStringLiteral("--%1 may be given once").arg(QLatin1StringView(name)));
    }

    auto options = ceremonyOptions(parser);
    if (!options)
        return usage(options.error().message);
    return registration ? verifyRegistrationCommand(parser, *options)
                        : verifyAssertionCommand(parser, *options);
}

} // namespace daarion::server

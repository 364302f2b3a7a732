#include "shared/identity/secret_token.h"

#include "shared/webauthn/bytes.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace daarion::identity {

namespace {
constexpr int kSecretBytes = 32;
constexpr QLatin1StringView kApiKeyPrefix("dk_");
constexpr QLatin1StringView kEnrollmentTokenPrefix("de_");

IssuedSecret issue(const QString &prefix)
{
    const QString text =
        prefix + QString::fromLatin1(webauthn::encodeBase64Url(randomBytes(kSecretBytes)));
    return {text, hashPresentedSecret(text)};
}
} // namespace

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    // Running without entropy would issue guessable secrets: better to stop.
    if (RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), count) != 1)
        throw std::runtime_error("RAND_bytes failed");
    return bytes;
}

IssuedSecret issueSessionToken() { return issue(QString()); }

IssuedSecret issueApiKey() { return issue(kApiKeyPrefix); }

IssuedSecret issueEnrollmentToken()
{
    return issue(kEnrollmentTokenPrefix);
}

QByteArray hashPresentedSecret(const QString &presented)
{
    return webauthn::sha256(presented.toUtf8());
}

bool looksLikeApiKey(const QString &presented) { return presented.startsWith(kApiKeyPrefix); }

bool isWellFormedEnrollmentToken(const QString &presented)
{
    // 32 bytes are 43 unpadded base64url characters.
    constexpr qsizetype kLength = 3 + 43;
    if (presented.size() != kLength || !presented.startsWith(kEnrollmentTokenPrefix))
        return false;
    for (qsizetype i = kEnrollmentTokenPrefix.size(); i < kLength; ++i) {
        const char16_t c = presented.at(i).unicode();
        const bool base64Url = (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') ||
                               (c >= u'0' && c <= u'9') || c == u'-' || c == u'_';
        if (!base64Url)
            return false;
    }
    return true;
}

} // namespace daarion::identity

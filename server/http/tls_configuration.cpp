#include "server/http/tls_configuration.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace daarion::server {

std::optional<QSslConfiguration> loadTlsConfiguration(const config::Settings &settings, QString *error)
{
    if (!settings.tlsEnabled())
        return std::nullopt;
    if (!QSslSocket::supportsSsl()) {
        *error = QStringLiteral("TLS_CERT: this Qt has no TLS backend");
        return std::nullopt;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(settings.tlsCertificateFile, QSsl::Pem);
    if (chain.isEmpty()) {
        *error = QStringLiteral("TLS_CERT: no PEM certificate in %1").arg(settings.tlsCertificateFile);
        return std::nullopt;
    }
    QFile keyFile(settings.tlsKeyFile);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("TLS_KEY: cannot read %1").arg(settings.tlsKeyFile);
        return std::nullopt;
    }
    const QByteArray pem = keyFile.readAll();
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa, QSsl::Dsa}) {
        key = QSslKey(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull()) {
        *error = QStringLiteral("TLS_KEY: no unencrypted PEM private key (EC or RSA) in %1").arg(settings.tlsKeyFile);
        return std::nullopt;
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // clients are not asked for certificates
    return configuration;
}

} // namespace daarion::server

#include "wire/TlsConfig.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QStringList>

namespace rpcbench {

namespace {

bool readFile(const QString& path, const QString& what, QByteArray* out, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1 %2: %3").arg(what, path, file.errorString().toLower());
        return false;
    }
    *out = file.readAll();
    return true;
}

bool loadCertificates(const QString& path, const QString& what, QList<QSslCertificate>* out, QString* error)
{
    QByteArray pem;
    if (!readFile(path, what, &pem, error))
        return false;
    *out = QSslCertificate::fromData(pem, QSsl::Pem);
    if (out->isEmpty()) {
        *error = QStringLiteral("%1 %2 holds no PEM certificate").arg(what, path);
        return false;
    }
    return true;
}

// The PEM does not say the key type in a way QSslKey reads by itself: try each.
bool loadKey(const QString& path, const QString& what, QSslKey* out, QString* error)
{
    QByteArray pem;
    if (!readFile(path, what, &pem, error))
        return false;
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull()) {
            *out = key;
            return true;
        }
    }
    *error = QStringLiteral("%1 %2 holds no unencrypted PEM private key").arg(what, path);
    return false;
}

QString names(const QSslCertificate& cert)
{
    QStringList list;
    const auto alternatives = cert.subjectAlternativeNames();
    for (auto it = alternatives.begin(); it != alternatives.end(); ++it)
        list += it.value();
    if (list.isEmpty())
        list = cert.subjectInfo(QSslCertificate::CommonName);
    list.removeDuplicates();
    return list.isEmpty() ? QStringLiteral("no names") : list.join(QStringLiteral(", "));
}

QString nameOf(const QSslCertificate& cert, bool issuer)
{
    const QString text = issuer ? cert.issuerDisplayName() : cert.subjectDisplayName();
    return text.isEmpty() ? QStringLiteral("?") : QStringLiteral("CN=") + text;
}

// The host part of "host:port" / "[::1]:port".
QString hostOf(const QString& peer)
{
    const int colon = peer.lastIndexOf(u':');
    QString host = colon > 0 ? peer.left(colon) : peer;
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    return host;
}

QString describeOne(const QSslError& e, const QString& peer)
{
    const QSslCertificate cert = e.certificate();
    switch (e.error()) {
    case QSslError::CertificateExpired:
        return QStringLiteral("the certificate has expired (valid until %1)")
            .arg(cert.expiryDate().toUTC().toString(Qt::ISODate));
    case QSslError::CertificateNotYetValid:
        return QStringLiteral("the certificate is not valid yet (valid from %1)")
            .arg(cert.effectiveDate().toUTC().toString(Qt::ISODate));
    case QSslError::HostNameMismatch:
        return QStringLiteral("host name mismatch: the certificate is for %1, not %2")
            .arg(names(cert), hostOf(peer));
    case QSslError::SelfSignedCertificate:
        return QStringLiteral("the certificate is self-signed");
    case QSslError::SelfSignedCertificateInChain:
        return QStringLiteral("the certificate chain ends in a self-signed certificate that is not trusted "
                              "(unknown CA)");
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
        return QStringLiteral("the certificate is signed by an unknown CA (add it with --cacert)");
    case QSslError::CertificateRevoked:
        return QStringLiteral("the certificate has been revoked");
    case QSslError::NoPeerCertificate:
        return QStringLiteral("the peer sent no certificate");
    default:
        return e.errorString().toLower();
    }
}

} // namespace

QSslConfiguration clientTlsConfiguration(const ConnectOptions& options, QString* error)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration(); // the system CA store
    QString err;
    QList<QSslCertificate> added;
    for (const QString& path : options.caCertificates) {
        QList<QSslCertificate> cas;
        if (!loadCertificates(path, QStringLiteral("CA certificate file"), &cas, &err)) {
            *error = err;
            return {};
        }
        added += cas;
    }
    // Setting CAs turns Qt's on-demand loading of the system store off: put it in explicitly.
    if (!added.isEmpty())
        config.setCaCertificates(QSslConfiguration::systemCaCertificates() + added);
    if (options.insecure)
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
    if (!options.clientCertificate.isEmpty() || !options.clientKey.isEmpty()) {
        if (options.clientCertificate.isEmpty() || options.clientKey.isEmpty()) {
            *error = QStringLiteral("a client certificate needs both --cert and --key");
            return {};
        }
        QList<QSslCertificate> chain;
        QSslKey key;
        if (!loadCertificates(options.clientCertificate, QStringLiteral("client certificate file"), &chain,
                              &err) ||
            !loadKey(options.clientKey, QStringLiteral("client key file"), &key, &err)) {
            *error = err;
            return {};
        }
        config.setLocalCertificateChain(chain);
        config.setPrivateKey(key);
    }
    return config;
}

bool serverTlsConfiguration(const QString& certFile, const QString& keyFile, QSslConfiguration* out,
                            QString* error)
{
    if (certFile.isEmpty()) {
        *error = QStringLiteral("tls certificate file missing (--tls-cert)");
        return false;
    }
    if (keyFile.isEmpty()) {
        *error = QStringLiteral("tls key file missing (--tls-key)");
        return false;
    }
    QList<QSslCertificate> chain;
    QSslKey key;
    if (!loadCertificates(certFile, QStringLiteral("tls certificate file"), &chain, error) ||
        !loadKey(keyFile, QStringLiteral("tls key file"), &key, error))
        return false;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    // Client certificates are asked for, not required: a server for testing accepts anyone.
    config.setPeerVerifyMode(QSslSocket::QueryPeer);
    *out = config;
    return true;
}

QString describeTlsErrors(const QList<QSslError>& errors, const QString& peer)
{
    QStringList reasons;
    QSslCertificate cert;
    for (const QSslError& e : errors) {
        const QString reason = describeOne(e, peer);
        if (!reasons.contains(reason))
            reasons += reason;
        if (cert.isNull())
            cert = e.certificate();
    }
    if (reasons.isEmpty())
        reasons += QStringLiteral("certificate verification failed");
    QString line = reasons.join(QStringLiteral("; "));
    if (!cert.isNull())
        line += QStringLiteral(" (subject %1, issuer %2)").arg(nameOf(cert, false), nameOf(cert, true));
    return describeTlsFailure(line, peer);
}

QString describeTlsFailure(const QString& reason, const QString& peer)
{
    QString oneLine = reason;
    oneLine.replace(u'\n', u' ');
    return QStringLiteral("TLS handshake with %1 failed: %2").arg(peer, oneLine);
}

} // namespace rpcbench

#pragma once
// TLS settings and TLS error texts shared by every TLS transport (TlsChannel, the WebSocket
// channel for wss://, the server's TLS listeners). Free of sockets: configurations are built
// from ConnectOptions and PEM files, errors are described from QSslError lists.

#include "wire/ConnectOptions.h"

#include <QList>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>

namespace rpcbench {

// The client's configuration: the system CA store plus every --cacert file, no verification
// when insecure, the client certificate and key from --cert/--key. A file that cannot be read
// or holds no usable PEM gives a null configuration (isNull()) and a one-line *error naming
// the file.
QSslConfiguration clientTlsConfiguration(const ConnectOptions& options, QString* error);

// A server's configuration from a PEM certificate (chain) and an unencrypted PEM key. False
// with a one-line *error ("tls certificate file missing", "cannot read tls key file /x: ...").
bool serverTlsConfiguration(const QString& certFile, const QString& keyFile, QSslConfiguration* out,
                            QString* error);

// One line for failed verification: "TLS handshake with 127.0.0.1:8443 failed: the certificate
// is self-signed (subject CN=foo, issuer CN=foo)". peer is "host:port"; the host name is used
// to say which names a mismatching certificate is for.
QString describeTlsErrors(const QList<QSslError>& errors, const QString& peer);

// One line for a handshake that failed without a verification error (the peer speaks no TLS,
// a protocol alert): "TLS handshake with 127.0.0.1:8443 failed: <reason>".
QString describeTlsFailure(const QString& reason, const QString& peer);

} // namespace rpcbench

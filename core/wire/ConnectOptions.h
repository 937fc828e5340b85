#pragma once
// How to talk to a target beyond its address: HTTP headers and authentication (HTTP(S), the
// SSE stream and the WebSocket handshake), TLS trust and client certificates, MCP's
// Streamable HTTP event stream, and the client's reply size limit. Part of every Endpoint, so
// a target's settings travel with it (GUI target, history, workspace, command line).
//
// Secrets (bearer token, password, secret-looking header values) are never printed or logged:
// describe() and the masked helpers show "••••" unless the caller asks to reveal them.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace rpcbench {

using HttpHeaderList = QList<QPair<QByteArray, QByteArray>>;

struct ConnectOptions
{
    static constexpr qint64 kDefaultMaxReplyBytes = 64LL * 1024 * 1024;

    HttpHeaderList headers;     // -H 'Name: value', in order; never overwritten by ours
    QString bearerToken;        // --bearer TOKEN: "Authorization: Bearer TOKEN"
    QString basicUser;          // --user NAME:PASSWORD: "Authorization: Basic base64(...)"
    QStringList caCertificates; // --cacert FILE (PEM), trusted in addition to the system store
    bool insecure = false;      // --insecure: no certificate verification (warned about)
    QString clientCertificate;  // --cert FILE (PEM)
    QString clientKey;          // --key FILE (PEM, unencrypted)
    bool sse = false;           // --sse: MCP Streamable HTTP, also open the GET event stream
    qint64 maxReplyBytes = kDefaultMaxReplyBytes; // --max-reply-bytes: one incoming message

    // The headers to send with each HTTP request or WebSocket handshake: the user's, then an
    // Authorization header from bearerToken/basicUser unless the user set one. rpcbench's own
    // headers (Host, Content-Type, Accept, ...) are added by the writer only for names not in
    // this list.
    HttpHeaderList requestHeaders() const;
    bool hasHeader(QByteArrayView name) const; // case-insensitive, over requestHeaders()

    // Parses "Name: value" (-H); false with *error for a line without a colon or a bad name.
    static bool parseHeader(const QString& line, QPair<QByteArray, QByteArray>* out, QString* error);
    // Header names whose values are secrets: Authorization, Proxy-Authorization, Cookie,
    // Set-Cookie, and any name containing "token", "secret", "password", "api-key" or "apikey".
    static bool isSecretHeader(QByteArrayView name);
    // "Name: value", the value replaced by "••••" for secret headers unless reveal.
    static QString headerText(const QPair<QByteArray, QByteArray>& header, bool reveal = false);

    bool hasSecrets() const; // a token, a password or a secret header is set
    bool usesTls() const { return !caCertificates.isEmpty() || insecure || !clientCertificate.isEmpty(); }

    friend bool operator==(const ConnectOptions&, const ConnectOptions&) = default;
};

} // namespace rpcbench

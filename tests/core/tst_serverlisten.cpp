// RpcServer on several endpoints at once (ListenSpec): tcp, tcp+lsp, unix, https together,
// port 0 resolved, all-or-nothing start with errors naming the URL, Unix socket files (stale
// ones replaced, others refused), listeners added and removed while running, and one channel
// served with a fixed framing (serve --stdio).

#include "ListenFixture.h"
#include "TestCerts.h"

#include "wire/LocalChannel.h"

#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <sys/socket.h>

using namespace rpcbench;

class tst_ServerListen : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void severalAtOnce();
    void badUrls_data();
    void badUrls();
    void startFailures_data();
    void startFailures();
    void staleSocketReplaced();
    void addAndRemoveWhileRunning();
    void oldStartStillWorks();
    void serveChannel();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<TestCerts> m_certs;
};

void tst_ServerListen::initTestCase()
{
    m_certs = std::make_unique<TestCerts>();
    QVERIFY2(m_certs->ok(), qPrintable(m_certs->error()));
}

void tst_ServerListen::severalAtOnce()
{
    const QString sock = m_dir.filePath(QStringLiteral("many.sock"));
    ListenFixture f;
    QSignalSpy changed(f.server.get(), &RpcServer::listenersChanged);
    QVERIFY2(f.start({ListenFixture::spec(QStringLiteral("tcp://127.0.0.1:0")),
                      ListenFixture::spec(QStringLiteral("unix:") + sock),
                      ListenFixture::spec(QStringLiteral("https://127.0.0.1:0"), m_certs->serverCert(),
                                          m_certs->serverKey()),
                      ListenFixture::spec(QStringLiteral("tcp+lsp://127.0.0.1:0"))}),
             qPrintable(f.server->errorString()));
    QCOMPARE(changed.size(), 1);
    const QList<Endpoint> eps = f.server->listeningEndpoints();
    QCOMPARE(eps.size(), 4);
    QCOMPARE(eps[0].scheme(), QStringLiteral("tcp"));
    QCOMPARE(eps[1].toString(), QStringLiteral("unix:") + sock);
    QCOMPARE(eps[2].scheme(), QStringLiteral("https"));
    QCOMPARE(eps[3].scheme(), QStringLiteral("tcp+lsp"));
    for (const Endpoint& ep : eps)
        QVERIFY2(ep.carrier == Carrier::Unix || ep.port != 0, qPrintable(ep.toString()));
    QCOMPARE(f.server->port(), eps[0].port); // address()/port(): the first TCP listener
    QCOMPARE(f.server->address(), QHostAddress(QHostAddress::LocalHost));

    // The sniffed tcp:// port also answers HTTP; every listener answers.
    Endpoint http = eps[0];
    http.transport = Transport::Http;
    Endpoint https = eps[2];
    https.options.caCertificates = {m_certs->caCert()};
    for (const Endpoint& ep : {eps[0], http, eps[1], https, eps[3]}) {
        const CallResult r = callEcho(ep);
        QVERIFY2(r.ok(), qPrintable(ep.toString() + QStringLiteral(": ") + r.describe()));
    }
    QCOMPARE(f.server->stats().totalConnections.value(), 5u); // counted across listeners
}

void tst_ServerListen::badUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("word");
    QTest::newRow("scheme") << "udp://127.0.0.1:1"
                            << "unsupported scheme";
    QTest::newRow("process") << "exec:cat"
                             << "cannot listen on a process";
    QTest::newRow("host name") << "tcp://example.com:0"
                               << "not an IP address";
    QTest::newRow("no port") << "tcp://127.0.0.1"
                             << "port";
    QTest::newRow("empty path") << "unix:"
                                << "missing socket path";
}

void tst_ServerListen::badUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, word);
    QString error;
    QVERIFY(!ListenSpec::parse(url, &error));
    QVERIFY2(error.contains(url) && error.contains(word), qPrintable(error));
}

void tst_ServerListen::startFailures_data()
{
    QTest::addColumn<QString>("url"); // the second listener, after a good tcp one
    QTest::addColumn<QString>("cert");
    QTest::addColumn<QString>("words");
    QTest::newRow("no certificate") << "https://127.0.0.1:0"
                                    << ""
                                    << "cannot listen on https://127.0.0.1:0/: tls "
                                       "certificate file missing";
    QTest::newRow("missing certificate file") << "tcp+tls://127.0.0.1:0"
                                              << "/nonexistent.pem"
                                              << "cannot read tls certificate file /nonexistent.pem";
    QTest::newRow("address in use") << "tcp://127.0.0.1:{port}"
                                    << ""
                                    << "in use";
    QTest::newRow("not a socket") << "unix:{file}"
                                  << ""
                                  << "exists and is not a socket";
    QTest::newRow("live socket") << "unix:{sock}"
                                 << ""
                                 << "address in use";
}

void tst_ServerListen::startFailures()
{
    QFETCH(QString, url);
    QFETCH(QString, cert);
    QFETCH(QString, words);
    QTcpServer busy;
    QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
    const QString plainFile = m_certs->writeFile(QStringLiteral("plain.txt"), "not a socket");
    QLocalServer live;
    const QString liveSock = m_dir.filePath(QStringLiteral("live.sock"));
    QVERIFY(live.listen(liveSock));
    url.replace(QStringLiteral("{port}"), QString::number(busy.serverPort()))
        .replace(QStringLiteral("{file}"), plainFile)
        .replace(QStringLiteral("{sock}"), liveSock);

    ListenFixture f;
    ListenSpec second = ListenFixture::spec(url, cert, cert.isEmpty() ? QString() : m_certs->serverKey());
    QVERIFY2(second.endpoint.isValid() || second.endpoint.port == 0, qPrintable(url));
    QVERIFY(!f.start({ListenFixture::spec(QStringLiteral("tcp://127.0.0.1:0")), second}));
    const QString error = f.server->errorString();
    QVERIFY2(error.startsWith(QStringLiteral("cannot listen on ") + second.endpoint.toString() + u':'),
             qPrintable(error));
    QVERIFY2(error.contains(words, Qt::CaseInsensitive), qPrintable(error));
    QVERIFY2(!error.contains(u'\n'), qPrintable(error));
    // All or nothing.
    QVERIFY(!f.server->isListening());
    QVERIFY(f.server->listeningEndpoints().isEmpty());
    QVERIFY(QFile::exists(plainFile));
    QVERIFY(QFile::exists(liveSock));
}

void tst_ServerListen::staleSocketReplaced()
{
    const QString path = m_dir.filePath(QStringLiteral("stale.sock"));
    {
        // A server that died without removing its socket file.
        QLocalServer old;
        QVERIFY(old.listen(path));
        QVERIFY(QFile::rename(path, path + QStringLiteral(".keep")));
    }
    QVERIFY(QFile::rename(path + QStringLiteral(".keep"), path));
    ListenFixture f;
    QVERIFY2(f.start({ListenFixture::spec(QStringLiteral("unix:") + path)}),
             qPrintable(f.server->errorString()));
    QVERIFY(callEcho(f.endpoint()).ok());
}

void tst_ServerListen::addAndRemoveWhileRunning()
{
    ListenFixture f;
    QString error;
    QVERIFY(!f.server->addListener(ListenFixture::spec(QStringLiteral("tcp://127.0.0.1:0")), &error));
    QVERIFY2(error.contains(QStringLiteral("not running")), qPrintable(error));

    QVERIFY(f.start({ListenFixture::spec(QStringLiteral("tcp://127.0.0.1:0"))}));
    QSignalSpy changed(f.server.get(), &RpcServer::listenersChanged);
    const QString sock = m_dir.filePath(QStringLiteral("added.sock"));
    QVERIFY2(f.server->addListener(ListenFixture::spec(QStringLiteral("unix:") + sock), &error),
             qPrintable(error));
    QVERIFY2(f.server->addListener(ListenFixture::spec(QStringLiteral("tcp+tls://127.0.0.1:0"),
                                                       m_certs->serverCert(), m_certs->serverKey()),
                                   &error),
             qPrintable(error));
    QCOMPARE(changed.size(), 2);
    QCOMPARE(f.server->listeningEndpoints().size(), 3);
    QVERIFY(callEcho(f.endpoint(1)).ok());
    Endpoint tls = f.endpoint(2);
    tls.options.caCertificates = {m_certs->caCert()};
    QVERIFY(callEcho(tls).ok());

    // A failing add changes nothing.
    QVERIFY(!f.server->addListener(ListenFixture::spec(QStringLiteral("unix:") + sock), &error));
    QVERIFY2(error.contains(QStringLiteral("unix:") + sock) && error.contains(QStringLiteral("in use")),
             qPrintable(error));
    QCOMPARE(f.server->listeningEndpoints().size(), 3);

    QVERIFY(!f.server->removeListener(QStringLiteral("tcp://127.0.0.1:1")));
    QVERIFY(f.server->removeListener(QStringLiteral("unix:") + sock));
    QCOMPARE(changed.size(), 3);
    QCOMPARE(f.server->listeningEndpoints().size(), 2);
    QVERIFY(!QFile::exists(sock));
    const CallResult gone = callEcho(*Endpoint::parse(QStringLiteral("unix:") + sock));
    QVERIFY2(gone.transportError.contains(QStringLiteral("no such socket")), qPrintable(gone.describe()));
    // The first TCP listener removed: port() moves on to the next one.
    const quint16 tlsPort = f.endpoint(1).port;
    QVERIFY(f.server->removeListener(f.endpoint(0).toString()));
    QCOMPARE(f.server->port(), tlsPort);
    QVERIFY(callEcho(tls).ok());
}

void tst_ServerListen::oldStartStillWorks()
{
    ListenFixture f;
    QVERIFY(f.server->start(QHostAddress::LocalHost, 0));
    QVERIFY(f.server->port() != 0);
    QCOMPARE(f.server->listeningEndpoints().size(), 1);
    QCOMPARE(f.endpoint().toString(), QStringLiteral("tcp://127.0.0.1:%1").arg(f.server->port()));
    QVERIFY(callEcho(f.endpoint()).ok());
}

// serve --stdio: one channel, fixed framing, channelFinished() when it closes. A socketpair
// stands in for stdin/stdout.
void tst_ServerListen::serveChannel()
{
    int fds[2];
    QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    ListenFixture f;
    QSignalSpy finished(f.server.get(), &RpcServer::channelFinished);
    const int serverFd = fds[0];
    f.server->serveChannel(
        [serverFd](QObject* parent) -> ByteChannel* {
            auto* socket = new QLocalSocket;
            socket->setSocketDescriptor(serverFd);
            return new LocalChannel(socket, QStringLiteral("stdio"), parent);
        },
        Transport::Lsp);
    QVERIFY(f.server->isListening());
    QVERIFY(f.server->listeningEndpoints().isEmpty());

    QLocalSocket peer;
    QVERIFY(peer.setSocketDescriptor(fds[1]));
    const QByteArray body = R"({"jsonrpc":"2.0","id":1,"method":"echo","params":["lsp"]})";
    peer.write("Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray reply;
    QTRY_VERIFY((reply += peer.readAll()).contains("\"result\":\"lsp\""));
    QVERIFY2(reply.startsWith("Content-Length: "), reply.constData());
    QCOMPARE(finished.size(), 0);
    peer.disconnectFromServer();
    QVERIFY(finished.wait());
}

QTEST_GUILESS_MAIN(tst_ServerListen)
#include "tst_serverlisten.moc"

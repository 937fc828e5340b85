// How much memory RpcClient needs for a big reply: a ~100 MB reply (--max-reply-bytes raised to
// 256 MiB) from a server on 127.0.0.1 must not make the client's peak resident memory grow by
// more than 4x the reply. The client runs in a child process (this executable re-invoked with
// --child) so the peak is its own, not the test server's. A memory bound, not a timing one.

#include "client/RpcClient.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <cstdio>

using namespace rpcbench;

namespace {

constexpr qint64 kReplyTarget = 100'000'000;
constexpr qint64 kLimit = 256LL * 1024 * 1024;

// A /proc/self/status field in KiB (VmRSS: now, VmHWM: the peak so far).
qint64 statusKiB(const char* field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qstrlen(field) + 1).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// The result member of the reply: one big string, or many 1000-byte strings.
QByteArray buildResult(const QString& shape)
{
    QByteArray out;
    out.reserve(kReplyTarget + 4096);
    if (shape == "string") {
        out.append('"');
        out.append(QByteArray(kReplyTarget, 'x'));
        out.append('"');
        return out;
    }
    const QByteArray item = '"' + QByteArray(1000, 'y') + '"';
    out.append('[');
    while (out.size() < kReplyTarget) {
        if (out.size() > 1)
            out.append(',');
        out.append(item);
    }
    out.append(']');
    return out;
}

// The client side: one call to `url`, then the figures on stdout as one line:
// "<rss before KiB> <peak KiB> <reply bytes> <status>".
int runChild(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    Endpoint ep = *Endpoint::parse(QString::fromUtf8(argv[2]));
    ep.options.maxReplyBytes = kLimit;
    const bool traffic = argc > 3 && qstrcmp(argv[3], "traffic") == 0;
    RpcClient client(ep, Dialect::JsonRpc2);
    auto bus = std::make_shared<TrafficBus>();
    bus->setEnabled(traffic); // as `rpcbench call --verbose`
    client.setTrafficBus(bus);
    CallResult result;
    QObject::connect(&client, &RpcClient::finished, &app, [&](quint64, const CallResult& r) {
        result = r;
        app.quit();
    });
    // Connected and idle first, so the baseline includes the sockets and the event loop.
    client.connectToServer();
    QObject::connect(&client, &RpcClient::stateChanged, &app, [&](ClientState s) {
        if (s != ClientState::Connected)
            return;
        std::printf("%lld ", statusKiB("VmRSS:"));
        client.call(QStringLiteral("big"), QJsonValue::Undefined, 120'000);
    });
    app.exec();
    const qint64 size = result.ok() ? result.replySize : -1;
    std::printf("%lld %lld %s\n", statusKiB("VmHWM:"), size, qPrintable(result.describe().left(100)));
    std::fflush(stdout);
    return result.ok() ? 0 : 1;
}

} // namespace

class tst_ClientMemory : public QObject
{
    Q_OBJECT
private slots:
    void peakForBigReply_data();
    void peakForBigReply();
};

void tst_ClientMemory::peakForBigReply_data()
{
    QTest::addColumn<QString>("shape");
    QTest::addColumn<bool>("traffic");
    QTest::addColumn<bool>("lsp"); // Content-Length framing instead of the JSON stream
    QTest::newRow("one 100 MB string") << "string" << false << false;
    QTest::newRow("one 100 MB string, traffic log on") << "string" << true << false;
    QTest::newRow("100k strings of 1000 bytes") << "strings" << false << false;
    QTest::newRow("one 100 MB string, Content-Length framing") << "string" << false << true;
}

void tst_ClientMemory::peakForBigReply()
{
    QFETCH(QString, shape);
    QFETCH(bool, traffic);
    QFETCH(bool, lsp);

    const QByteArray result = buildResult(shape);
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QByteArray request;
    connect(&server, &QTcpServer::newConnection, this, [&] {
        QTcpSocket* s = server.nextPendingConnection();
        connect(s, &QTcpSocket::readyRead, s, [s, &request, &result, lsp] {
            request += s->readAll();
            const qsizetype bodyStart = request.indexOf("\r\n\r\n");
            if (lsp ? bodyStart < 0 || !request.endsWith('}') : !request.endsWith('\n'))
                return;
            const QJsonValue id =
                QJsonDocument::fromJson(lsp ? request.mid(bodyStart + 4) : request).object().value("id");
            const QByteArray head =
                R"({"jsonrpc":"2.0","id":)" + QByteArray::number(id.toInteger()) + R"(,"result":)";
            if (lsp)
                s->write("Content-Length: " + QByteArray::number(head.size() + result.size() + 1) +
                         "\r\n\r\n");
            s->write(head);
            s->write(result);
            s->write(lsp ? "}" : "}\n");
        });
    });

    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // Under AddressSanitizer (.ci/run's second stage) freed blocks wait in a quarantine, so the
    // peak would count every copy ever made; without quarantine it counts what is live, as in
    // a normal build. (The option is ignored when the sanitizer is not linked in.)
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString asan = env.value(QStringLiteral("ASAN_OPTIONS"));
    env.insert(QStringLiteral("ASAN_OPTIONS"),
               (asan.isEmpty() ? QString() : asan + QLatin1Char(':')) +
                   QStringLiteral("quarantine_size_mb=0:thread_local_quarantine_size_kb=0"));
    child.setProcessEnvironment(env);
    const QString scheme = lsp ? QStringLiteral("tcp+lsp") : QStringLiteral("tcp");
    QStringList args{"--child", QStringLiteral("%1://127.0.0.1:%2").arg(scheme).arg(server.serverPort())};
    if (traffic)
        args << "traffic";
    child.start(QCoreApplication::applicationFilePath(), args);
    QSignalSpy done(&child, &QProcess::finished);
    QVERIFY(done.wait(120'000));
    const QList<QByteArray> figures = child.readAllStandardOutput().trimmed().split(' ');
    QVERIFY2(figures.size() >= 3, child.readAllStandardOutput().constData());
    const qint64 beforeKiB = figures.at(0).toLongLong();
    const qint64 peakKiB = figures.at(1).toLongLong();
    const qint64 replyBytes = figures.at(2).toLongLong();
    QVERIFY2(child.exitCode() == 0, figures.mid(3).join(' ').constData());
    QVERIFY(replyBytes > kReplyTarget);

    const double growth = double(peakKiB - beforeKiB) * 1024.0;
    const double ratio = growth / double(replyBytes);
    qInfo("reply %.1f MB: rss before %.1f MB, peak %.1f MB, growth %.1f MB = %.2fx the reply",
          double(replyBytes) / 1e6, double(beforeKiB) / 1024.0, double(peakKiB) / 1024.0, growth / 1e6,
          ratio);
    QVERIFY2(ratio < 4.0, qPrintable(QStringLiteral("peak growth %1x the reply").arg(ratio, 0, 'f', 2)));
}

int main(int argc, char** argv)
{
    if (argc > 2 && qstrcmp(argv[1], "--child") == 0)
        return runChild(argc, argv);
    QCoreApplication app(argc, argv);
    tst_ClientMemory test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_clientmemory.moc"

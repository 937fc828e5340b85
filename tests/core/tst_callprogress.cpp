// Progress for a call in flight, against a server on 127.0.0.1 that reports progress every
// 100 ms for 1 s and only then replies: with a 300 ms timeout the call times out, unless its
// request says timeoutResetsOnProgress; progress() reports the values in the LSP ($/progress,
// workDoneToken) and MCP (notifications/progress, _meta.progressToken) shapes. Progress for a
// token no call named is only incoming.

#include "FakeRpcServer.h"
#include "client/RpcClient.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace rpcbench;

namespace {

constexpr int kTicks = 10;
constexpr int kTickMs = 100;

QJsonObject progressMessage(bool lsp, const QJsonValue& token, int tick)
{
    if (lsp) {
        const QString kind = tick == 0 ? "begin" : tick == kTicks - 1 ? "end" : "report";
        QJsonObject value{{"kind", kind}, {"message", QStringLiteral("step %1").arg(tick)}};
        if (tick == 0)
            value.insert("title", "Indexing");
        if (kind != "end")
            value.insert("percentage", tick * 10);
        return {{"jsonrpc", "2.0"},
                {"method", "$/progress"},
                {"params", QJsonObject{{"token", token}, {"value", value}}}};
    }
    return {{"jsonrpc", "2.0"},
            {"method", "notifications/progress"},
            {"params", QJsonObject{{"progressToken", token},
                                   {"progress", tick + 1},
                                   {"total", kTicks},
                                   {"message", QStringLiteral("step %1").arg(tick)}}}};
}

} // namespace

class tst_CallProgress : public QObject
{
    Q_OBJECT
private slots:
    void progressKeepsTheCallAlive_data();
    void progressKeepsTheCallAlive();
};

void tst_CallProgress::progressKeepsTheCallAlive_data()
{
    QTest::addColumn<bool>("lsp");
    QTest::addColumn<bool>("resets");
    QTest::newRow("lsp, resets") << true << true;
    QTest::newRow("lsp, plain timeout") << true << false;
    QTest::newRow("mcp, resets") << false << true;
    QTest::newRow("mcp, plain timeout") << false << false;
}

void tst_CallProgress::progressKeepsTheCallAlive()
{
    QFETCH(bool, lsp);
    QFETCH(bool, resets);
    FakeRpcServer server;
    QVERIFY(server.listen());
    QTimer ticker;
    int tick = 0;
    FakeRpcServer::Message call;
    server.onMessage = [&](const FakeRpcServer::Message& m) {
        call = m;
        const QJsonObject params = m.object().value("params").toObject();
        const QJsonValue token = lsp ? params.value("workDoneToken") : params["_meta"]["progressToken"];
        // Progress for a token nobody named first: incoming only.
        server.reply(m, progressMessage(lsp, "someone-else", 0));
        QObject::connect(&ticker, &QTimer::timeout, &server, [&, token] {
            if (tick < kTicks) {
                server.reply(call, progressMessage(lsp, token, tick++));
                return;
            }
            ticker.stop();
            server.reply(call,
                         QJsonObject{{"jsonrpc", "2.0"}, {"id", call.object()["id"]}, {"result", "built"}});
        });
        ticker.start(kTickMs);
    };
    RpcClient client(*Endpoint::parse(server.url()), Dialect::JsonRpc2);
    QSignalSpy finished(&client, &RpcClient::finished);
    QSignalSpy progress(&client, &RpcClient::progress);
    QSignalSpy incoming(&client, &RpcClient::incoming);
    CallRequest request;
    request.method = "build";
    request.params = lsp ? QJsonValue(QJsonObject{{"workDoneToken", "wd-1"}})
                         : QJsonValue(QJsonObject{{"_meta", QJsonObject{{"progressToken", 42}}}});
    request.timeoutMs = 300;
    request.timeoutResetsOnProgress = resets;
    const quint64 id = client.call(request);
    QVERIFY(finished.wait(5000));
    const auto r = finished.first().at(1).value<CallResult>();
    if (!resets) {
        QCOMPARE(toString(r.status), toString(CallStatus::Timeout));
        QVERIFY(!progress.isEmpty()); // reported, only not keeping it alive
        QVERIFY(progress.size() < kTicks);
        return;
    }
    QVERIFY2(r.ok(), qPrintable(r.describe()));
    QCOMPARE(r.result, QJsonValue("built"));
    QCOMPARE(progress.size(), kTicks); // not the foreign token's
    QCOMPARE(incoming.size(), kTicks + 1);
    for (const QList<QVariant>& p : std::as_const(progress))
        QCOMPARE(p.at(0).toULongLong(), id);
    const auto first = progress.first().at(1).value<CallProgress>();
    const auto middle = progress.at(4).at(1).value<CallProgress>();
    const auto last = progress.last().at(1).value<CallProgress>();
    if (lsp) {
        QCOMPARE(first.message, QStringLiteral("Indexing: step 0"));
        QCOMPARE(first.progress, 0.0);
        QCOMPARE(middle.progress, 40.0);
        QCOMPARE(middle.total, 100.0);
        QVERIFY(!middle.done);
        QVERIFY(last.done);
        QCOMPARE(last.params["token"], QJsonValue("wd-1"));
    } else {
        QCOMPARE(middle.progress, 5.0);
        QCOMPARE(middle.total, 10.0);
        QCOMPARE(middle.message, QStringLiteral("step 4"));
        QVERIFY(!middle.done);
        QVERIFY(last.done);
        QCOMPARE(last.params["progressToken"], QJsonValue(42));
    }
}

QTEST_GUILESS_MAIN(tst_CallProgress)
#include "tst_callprogress.moc"

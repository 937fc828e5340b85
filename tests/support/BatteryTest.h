#pragma once
// Base class of the bad-input battery (tst_badinput, tst_badpeers): one BatteryServer for all
// cases, started once, checked after every case (alive, answers a fresh `add`, memory within
// budget) and stopped cleanly at the end. Derived tests only add their cases as private slots.
//
// AUTOMOC only looks at a test's own sources, so a test deriving from this class ends with
// `#include "moc_BatteryTest.cpp"` (after its own .moc include).

#include "BatteryServer.h"

#include <QObject>
#include <QTest>

#include <utility>

namespace rpcbench::test {

class BatteryTest : public QObject
{
    Q_OBJECT
public:
    // openFiles: the RLIMIT_NOFILE the cases need (the server inherits it); 0 keeps the limit.
    explicit BatteryTest(rlim_t openFiles = 0) : m_openFiles(openFiles) {}

protected:
    // Data rows "<name>, FIN" and "<name>, RST" with columns `bytes` and `abortive`: the peer
    // sends the bytes, then closes (FIN) or resets (RST) the connection.
    static void addLeavingRows(const QList<std::pair<const char*, QByteArray>>& cases)
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("abortive");
        for (const auto& [name, bytes] : cases) {
            QTest::addRow("%s, FIN", name) << bytes << false;
            QTest::addRow("%s, RST", name) << bytes << true;
        }
    }

    // `times` peers one after the other: connect, send `bytes`, leave as addLeavingRows says.
    bool sendAndLeave(const QByteArray& bytes, bool abortive, int times)
    {
        for (int i = 0; i < times; ++i) {
            SocketProbe peer;
            if (!peer.connectTo(m_server.port()))
                return false;
            peer.send(bytes);
            if (abortive)
                peer.socket().abort();
            else
                peer.socket().disconnectFromHost();
        }
        return true;
    }

    BatteryServer m_server;

private slots:
    void initTestCase()
    {
        if (m_openFiles > 0)
            QVERIFY2(ensureFileLimit(m_openFiles),
                     qPrintable(QStringLiteral("cannot raise RLIMIT_NOFILE to %1").arg(m_openFiles)));
        QByteArray failure;
        QVERIFY2(m_server.start(&failure), failure.constData());
    }

    // After every case: the server is alive, answers a fresh call, and its memory is bounded.
    void cleanup()
    {
        QByteArray failure;
        QVERIFY2(m_server.healthy(&failure), failure.constData());
    }

    void cleanupTestCase()
    {
        QByteArray failure;
        QVERIFY2(m_server.stop(&failure), failure.constData());
    }

private:
    rlim_t m_openFiles;
};

} // namespace rpcbench::test

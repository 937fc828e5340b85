// The typed settings registry: defaults, round trips through a real INI file, bad stored
// values falling back to defaults, the history cap, and the GUI's own default port (5001, not
// `serve`'s 5000) without overriding a port stored before.

#include "window/Settings.h"

#include <QJsonObject>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace rpcbench;

class TestSettings : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void defaults();
    void roundTripAcrossInstances();
    void badValuesFallBack_data();
    void badValuesFallBack();
    void historyIsCapped();
    void storedPortIsKept_data();
    void storedPortIsKept();
    void autosaveLivesNextToTheIniFile();

private:
    QString file() const { return m_dir->filePath(QStringLiteral("settings.ini")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSettings::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSettings::defaults()
{
    Settings s(file());
    QCOMPARE(s.serverPort(), quint16(5001));
    QCOMPARE(s.bindAddress(), QStringLiteral("127.0.0.1"));
    QCOMPARE(s.lastUrl(), QString());
    QCOMPARE(s.lastDialect(), QStringLiteral("2.0"));
    QCOMPARE(s.logCapacity(), 100'000);
    QVERIFY(s.callHistory().isEmpty());
    QVERIFY(s.windowGeometry().isEmpty());
    QVERIFY(s.splitterState(QStringLiteral("x")).isEmpty());
    QCOMPARE(s.lastWorkspace(), QString());
    QVERIFY(s.reopenLastWorkspace());
    QCOMPARE(s.autosaveSource(), QString());
}

void TestSettings::roundTripAcrossInstances()
{
    const QJsonArray history{QJsonObject{{QStringLiteral("method"), QStringLiteral("add")},
                                         {QStringLiteral("params"), QJsonArray{1, 2, 3}}}};
    {
        Settings s(file());
        s.setServerPort(0);
        s.setBindAddress(QStringLiteral("::1"));
        s.setLastUrl(QStringLiteral("http://127.0.0.1:8080/rpc"));
        s.setLastDialect(QStringLiteral("classic"));
        s.setLogCapacity(5000);
        s.setWindowGeometry(QByteArray("\x01\x02geometry", 10));
        s.setWindowState(QByteArray("state"));
        s.setSplitterState(QStringLiteral("logSplitter"), QByteArray("split"));
        s.setCallHistory(history);
        s.setLastWorkspace(QStringLiteral("/tmp/mock.rpcbench.json"));
        s.setReopenLastWorkspace(false);
        s.setAutosaveSource(QStringLiteral("/tmp/other.rpcbench.json"));
        s.sync();
    }
    Settings s(file());
    QCOMPARE(s.fileName(), file());
    QCOMPARE(s.serverPort(), quint16(0));
    QCOMPARE(s.bindAddress(), QStringLiteral("::1"));
    QCOMPARE(s.lastUrl(), QStringLiteral("http://127.0.0.1:8080/rpc"));
    QCOMPARE(s.lastDialect(), QStringLiteral("classic"));
    QCOMPARE(s.logCapacity(), 5000);
    QCOMPARE(s.windowGeometry(), QByteArray("\x01\x02geometry", 10));
    QCOMPARE(s.windowState(), QByteArray("state"));
    QCOMPARE(s.splitterState(QStringLiteral("logSplitter")), QByteArray("split"));
    QCOMPARE(s.callHistory(), history);
    QCOMPARE(s.lastWorkspace(), QStringLiteral("/tmp/mock.rpcbench.json"));
    QVERIFY(!s.reopenLastWorkspace());
    QCOMPARE(s.autosaveSource(), QStringLiteral("/tmp/other.rpcbench.json"));
}

void TestSettings::badValuesFallBack_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QVariant>("stored");
    QTest::newRow("port not a number") << QStringLiteral("server/port") << QVariant(QStringLiteral("http"));
    QTest::newRow("port too large") << QStringLiteral("server/port") << QVariant(70000);
    QTest::newRow("capacity zero") << QStringLiteral("log/capacity") << QVariant(0);
    QTest::newRow("capacity absurd") << QStringLiteral("log/capacity") << QVariant(QStringLiteral("1e12"));
    QTest::newRow("unknown dialect") << QStringLiteral("client/dialect") << QVariant(QStringLiteral("3.0"));
    QTest::newRow("history not JSON")
        << QStringLiteral("client/history") << QVariant(QStringLiteral("[{broken"));
}

void TestSettings::badValuesFallBack()
{
    QFETCH(QString, key);
    QFETCH(QVariant, stored);
    {
        QSettings raw(file(), QSettings::IniFormat);
        raw.setValue(key, stored);
    }
    Settings s(file());
    QCOMPARE(s.serverPort(), quint16(5001));
    QCOMPARE(s.logCapacity(), 100'000);
    QCOMPARE(s.lastDialect(), QStringLiteral("2.0"));
    QVERIFY(s.callHistory().isEmpty());
}

void TestSettings::historyIsCapped()
{
    QJsonArray history;
    for (int i = 0; i < Settings::maxHistory() + 25; ++i)
        history.append(QJsonObject{{QStringLiteral("method"), QStringLiteral("m%1").arg(i)}});
    Settings s(file());
    s.setCallHistory(history);
    const QJsonArray stored = s.callHistory();
    QCOMPARE(stored.size(), Settings::maxHistory());
    QCOMPARE(stored.last().toObject().value(QStringLiteral("method")).toString(),
             QStringLiteral("m%1").arg(Settings::maxHistory() + 24)); // the newest are kept
}

void TestSettings::storedPortIsKept_data()
{
    QTest::addColumn<int>("stored");
    QTest::newRow("the old default") << 5000;
    QTest::newRow("any free") << 0;
    QTest::newRow("a chosen one") << 8545;
}

void TestSettings::storedPortIsKept()
{
    QFETCH(int, stored);
    {
        QSettings raw(file(), QSettings::IniFormat);
        raw.setValue(QStringLiteral("server/port"), stored);
    }
    QCOMPARE(Settings(file()).serverPort(), quint16(stored));
}

void TestSettings::autosaveLivesNextToTheIniFile()
{
    Settings s(file());
    QCOMPARE(s.autosavePath(), m_dir->filePath(QStringLiteral("settings.autosave.rpcbench.json")));
}

QTEST_MAIN(TestSettings)
#include "tst_settings.moc"

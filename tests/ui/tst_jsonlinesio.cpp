// Log files: JSON Lines round trip (exact bytes, non-UTF-8 payloads included), errors that
// name the bad line, cancellation, and the threaded LogFileJob with progress.

#include "UiTestEvents.h"
#include "log/LogFileJob.h"
#include "traffic/JsonLinesIo.h"

#include <QBuffer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace rpcbench;
using uitest::makeEvent;

namespace {

std::vector<TrafficEvent> variety()
{
    std::vector<TrafficEvent> events = uitest::requests(3);
    TrafficEvent binary = makeEvent(Side::Client, Direction::In, MessageKind::Invalid, 4, {});
    binary.raw = QByteArray("\xff\xfe{garbage\x00\x01", 11);
    TrafficEvent unicode =
        makeEvent(Side::Client, Direction::Out, MessageKind::Request, 4, "\"x\"", QStringLiteral("échо"));
    unicode.raw = R"({"method":"échо","params":["✓",9007199254740993],"id":"x"})";
    TrafficEvent reply =
        makeEvent(Side::Server, Direction::Out, MessageKind::Error, 1, "2", {}, 1'700'000'000'000'123, 456);
    reply.summary.faulted = true;
    TrafficEvent batch = makeEvent(Side::Server, Direction::In, MessageKind::Batch, 2, {});
    batch.summary.batchSize = 3;
    batch.transport = Transport::Http;
    // A reply after its call timed out: exported and imported as late.
    TrafficEvent late = makeEvent(Side::Client, Direction::In, MessageKind::Response, 4, "\"x\"", {},
                                  1'700'000'000'000'456, 9000);
    late.late = true;
    events.insert(events.end(), {binary, unicode, reply, batch, late});
    return events;
}

void compareEvents(const std::vector<TrafficEvent>& a, const std::vector<TrafficEvent>& b)
{
    QCOMPARE(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(b[i].raw, a[i].raw);
        QCOMPARE(b[i].timestampUs, a[i].timestampUs);
        QCOMPARE(b[i].connectionId, a[i].connectionId);
        QCOMPARE(b[i].peer, a[i].peer);
        QCOMPARE(toString(b[i].side), toString(a[i].side));
        QCOMPARE(toString(b[i].direction), toString(a[i].direction));
        QCOMPARE(toString(b[i].transport), toString(a[i].transport));
        QCOMPARE(b[i].latencyUs, a[i].latencyUs);
        QCOMPARE(toString(b[i].summary.kind), toString(a[i].summary.kind));
        QCOMPARE(b[i].summary.method, a[i].summary.method);
        QCOMPARE(b[i].summary.idJson, a[i].summary.idJson);
        QCOMPARE(b[i].summary.batchSize, a[i].summary.batchSize);
        QCOMPARE(b[i].summary.errorCode, a[i].summary.errorCode);
        QCOMPARE(b[i].summary.faulted, a[i].summary.faulted);
        QCOMPARE(b[i].late, a[i].late);
    }
}

QByteArray encoded(const std::vector<TrafficEvent>& events)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QString error;
    if (!JsonLinesIo::write(buffer, events, {}, &error))
        qFatal("write failed: %s", qPrintable(error));
    return buffer.data();
}

} // namespace

class TestJsonLinesIo : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip();
    void blankLinesAreSkipped();
    void brokenLineIsNamed_data();
    void brokenLineIsNamed();
    void cancelStops();
    void progressIsReported();
    void jobExportThenImport();
    void jobImportOfBrokenFileFails();
    void jobExportToBadPathFails();
};

void TestJsonLinesIo::roundTrip()
{
    const std::vector<TrafficEvent> events = variety();
    QByteArray bytes = encoded(events);
    QCOMPARE(bytes.count('\n'), qsizetype(events.size()));
    QBuffer in(&bytes);
    in.open(QIODevice::ReadOnly);
    QString error;
    const auto back = JsonLinesIo::read(in, {}, &error);
    QVERIFY2(back, qPrintable(error));
    compareEvents(events, *back);
    QVERIFY(!QTest::currentTestFailed());
}

void TestJsonLinesIo::blankLinesAreSkipped()
{
    QByteArray bytes = "\n" + encoded(uitest::requests(2)) + "\n  \n";
    QBuffer in(&bytes);
    in.open(QIODevice::ReadOnly);
    QString error;
    const auto back = JsonLinesIo::read(in, {}, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->size(), size_t(2));
}

void TestJsonLinesIo::brokenLineIsNamed_data()
{
    const QByteArray good = encoded(uitest::requests(1));
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not JSON") << good + good + "{\"t\": 1, oops\n"
                              << QStringLiteral("line 3: not valid JSON");
    QTest::newRow("not an object") << good + "[1,2]\n" << QStringLiteral("line 2: expected a JSON object");
    QTest::newRow("missing side")
        << QByteArray(
               R"({"t":1,"dir":"in","transport":"json","dialect":"2.0","kind":"request","raw":"{}"})") +
               "\n"
        << QStringLiteral("line 1: ");
    QTest::newRow("truncated last line")
        << good + good.left(good.size() / 2) << QStringLiteral("line 2: not valid JSON");
}

void TestJsonLinesIo::brokenLineIsNamed()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, expected);
    QBuffer in(&file);
    in.open(QIODevice::ReadOnly);
    QString error;
    QVERIFY(!JsonLinesIo::read(in, {}, &error));
    QVERIFY2(error.startsWith(expected), qPrintable(error));
}

void TestJsonLinesIo::cancelStops()
{
    std::atomic<bool> cancel{true};
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    QString error = QStringLiteral("unchanged");
    QVERIFY(!JsonLinesIo::write(out, uitest::requests(10), {nullptr, &cancel}, &error));
    QVERIFY(error.isEmpty());
    QByteArray bytes = encoded(uitest::requests(10));
    QBuffer in(&bytes);
    in.open(QIODevice::ReadOnly);
    QVERIFY(!JsonLinesIo::read(in, {nullptr, &cancel}, &error));
    QVERIFY(error.isEmpty());
}

void TestJsonLinesIo::progressIsReported()
{
    qint64 lastDone = 0;
    qint64 lastTotal = 0;
    int calls = 0;
    const JsonLinesIo::Progress progress{[&](qint64 done, qint64 total) {
        QVERIFY(done >= lastDone);
        lastDone = done;
        lastTotal = total;
        ++calls;
    }};
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    QString error;
    QVERIFY(JsonLinesIo::write(out, uitest::requests(20), progress, &error));
    QCOMPARE(calls, 20);
    QCOMPARE(lastDone, lastTotal);
}

void TestJsonLinesIo::jobExportThenImport()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("log.jsonl"));
    std::vector<TrafficEvent> events = uitest::requests(2000);
    LogFileJob* out = LogFileJob::startExport(path, events, this);
    QSignalSpy exported(out, &LogFileJob::finished);
    QSignalSpy progress(out, &LogFileJob::progress);
    QVERIFY(exported.wait(10'000));
    QCOMPARE(exported.at(0).at(0).toBool(), true);
    QVERIFY(progress.count() >= 1);
    QVERIFY(progress.count() <= 101); // only when the percentage changes
    QCOMPARE(progress.last().at(0).toInt(), 100);
    QCOMPARE(out->itemCount(), 2000);

    LogFileJob* in = LogFileJob::startImport(path, this);
    QSignalSpy imported(in, &LogFileJob::finished);
    QVERIFY(imported.wait(10'000));
    QCOMPARE(imported.at(0).at(0).toBool(), true);
    compareEvents(events, in->takeEvents());
    QVERIFY(!QTest::currentTestFailed());
}

void TestJsonLinesIo::jobImportOfBrokenFileFails()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(encoded(uitest::requests(4)) + "this is not json\n" + encoded(uitest::requests(1)));
    file.close();
    LogFileJob* job = LogFileJob::startImport(path, this);
    QSignalSpy finished(job, &LogFileJob::finished);
    QVERIFY(finished.wait(10'000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY2(finished.at(0).at(1).toString().startsWith(QStringLiteral("line 5:")),
             qPrintable(finished.at(0).at(1).toString()));
    QVERIFY(job->takeEvents().empty());
}

void TestJsonLinesIo::jobExportToBadPathFails()
{
    LogFileJob* job =
        LogFileJob::startExport(QStringLiteral("/nonexistent-dir/x/log.jsonl"), uitest::requests(3), this);
    QSignalSpy finished(job, &LogFileJob::finished);
    QVERIFY(finished.wait(10'000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY(finished.at(0).at(1).toString().contains(QStringLiteral("/nonexistent-dir/x/log.jsonl")));
}

QTEST_MAIN(TestJsonLinesIo)
#include "tst_jsonlinesio.moc"

// Lines a launched process wrote to its standard error, in the traffic log: rows of their own
// kind ("stderr" in the Kind column, the line where a message shows its method), with their own
// tint, never errors, never paired with a request, found by the text filter, and described as
// such in the details pane.

#include "UiTestEvents.h"
#include "log/LogFilterModel.h"
#include "log/MessageDetailsView.h"
#include "log/TrafficLogModel.h"
#include "widgets/Palette.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QTest>

using namespace rpcbench;
using uitest::makeEvent;

namespace {

TrafficEvent stderrEvent(quint64 conn, const QByteArray& line)
{
    TrafficEvent e;
    e.kind = TrafficEvent::Kind::Stderr;
    e.timestampUs = 1'700'000'000'000'500;
    e.connectionId = conn;
    e.peer = QStringLiteral("exec+lsp:clangd --log=error");
    e.side = Side::Client;
    e.direction = Direction::In;
    e.transport = Transport::Lsp;
    e.raw = line;
    return e;
}

// A client call on connection 1, a stderr line in between, then the reply.
std::vector<TrafficEvent> callWithStderr()
{
    return {
        makeEvent(Side::Client, Direction::Out, MessageKind::Request, 1, "1", QStringLiteral("initialize")),
        stderrEvent(1, "  I[12:00:00] clangd version 14  "),
        makeEvent(Side::Client, Direction::In, MessageKind::Response, 1, "1")};
}

} // namespace

class TestStderrLogRows : public QObject
{
    Q_OBJECT
private slots:
    void stderrRowDisplay_data();
    void stderrRowDisplay();
    void notAnErrorAndNotPaired();
    void filterFindsStderrRows_data();
    void filterFindsStderrRows();
    void detailsSayWhatTheRowIs();
};

void TestStderrLogRows::stderrRowDisplay_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("text");
    QTest::newRow("kind") << int(TrafficLogModel::KindColumn) << "stderr";
    QTest::newRow("method shows the line")
        << int(TrafficLogModel::MethodColumn) << "I[12:00:00] clangd version 14";
    QTest::newRow("no id") << int(TrafficLogModel::IdColumn) << "";
    QTest::newRow("no dialect") << int(TrafficLogModel::DialectColumn) << "";
    QTest::newRow("no latency") << int(TrafficLogModel::LatencyColumn) << "";
    QTest::newRow("peer") << int(TrafficLogModel::PeerColumn) << "#1 exec+lsp:clangd --log=error";
    QTest::newRow("direction") << int(TrafficLogModel::DirectionColumn) << "← in";
}

void TestStderrLogRows::stderrRowDisplay()
{
    QFETCH(int, column);
    QFETCH(QString, text);
    TrafficLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(callWithStderr());
    QCOMPARE(model.rowCount(), 3);
    const QModelIndex cell = model.index(1, column);
    QCOMPARE(cell.data().toString(), text);
    QCOMPARE(cell.data(Qt::BackgroundRole).value<QColor>(), Palette::stderrTint());
    QVERIFY(cell.data(Qt::ToolTipRole).toString().contains(QStringLiteral("standard error")));
    // The message rows around it are unchanged.
    QCOMPARE(model.index(0, TrafficLogModel::KindColumn).data().toString(), QStringLiteral("request"));
    QVERIFY(model.index(0, column).data(Qt::BackgroundRole).value<QColor>() != Palette::stderrTint());
}

// A stderr row is not a failed message, and the reply still pairs with its request across it.
void TestStderrLogRows::notAnErrorAndNotPaired()
{
    TrafficLogModel model;
    model.append(callWithStderr());
    QCOMPARE(model.index(1, 0).data(TrafficLogModel::ErrorRole).toBool(), false);
    QVERIFY(!model.record(1).isError());
    QCOMPARE(model.pairedRow(1), -1);
    QCOMPARE(model.pairedRow(2), 0);
    QCOMPARE(model.pairedRow(0), 2);
}

void TestStderrLogRows::filterFindsStderrRows_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("errorsOnly");
    QTest::addColumn<QList<int>>("rows");
    QTest::newRow("by kind") << "stderr" << false << QList<int>{1};
    QTest::newRow("by line text") << "clangd version" << false << QList<int>{1};
    QTest::newRow("errors only hides it") << "" << true << QList<int>{};
    QTest::newRow("all") << "" << false << QList<int>{0, 1, 2};
}

void TestStderrLogRows::filterFindsStderrRows()
{
    QFETCH(QString, text);
    QFETCH(bool, errorsOnly);
    QFETCH(QList<int>, rows);
    TrafficLogModel model;
    model.append(callWithStderr());
    LogFilterModel filter;
    filter.setLogModel(&model);
    filter.setText(text);
    filter.setErrorsOnly(errorsOnly);
    QList<int> shown;
    for (int r = 0; r < filter.rowCount(); ++r)
        shown << filter.mapToSource(filter.index(r, 0)).row();
    QCOMPARE(shown, rows);
}

void TestStderrLogRows::detailsSayWhatTheRowIs()
{
    TrafficLogModel model;
    model.append(callWithStderr());
    MessageDetailsView view;
    view.showRecord(&model.record(1), false);
    const QString summary = view.summaryLabel()->text();
    QVERIFY2(summary.startsWith(QStringLiteral("<b>stderr</b>")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("standard error of the launched process")), qPrintable(summary));
}

QTEST_MAIN(TestStderrLogRows)
#include "tst_stderrlogrows.moc"

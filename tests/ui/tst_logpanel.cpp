// The log panel: follows new rows only when the user was at the bottom, keeps the user's
// place otherwise, shows the selected message's bytes and jumps between request and reply.

#include "LogFilterModel.h"
#include "LogPanel.h"
#include "MessageDetailsView.h"
#include "PayloadView.h"
#include "TrafficLogModel.h"
#include "UiTestEvents.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

using namespace rpcbench;
using uitest::makeEvent;

class TestLogPanel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void fixedRowHeight();
    void followsOnlyAtTheBottom();
    void detailsShowTheExactBytes();
    void jumpBetweenRequestAndReply();
    void capacityAndCopy();

private:
    std::unique_ptr<LogPanel> m_panel;
};

void TestLogPanel::init()
{
    m_panel = std::make_unique<LogPanel>(std::make_shared<TrafficBus>(), 1000);
    m_panel->resize(900, 500);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void TestLogPanel::cleanup()
{
    m_panel.reset();
}

void TestLogPanel::fixedRowHeight()
{
    QCOMPARE(m_panel->view()->verticalHeader()->sectionResizeMode(0), QHeaderView::Fixed);
}

void TestLogPanel::followsOnlyAtTheBottom()
{
    TrafficLogModel* log = m_panel->model();
    QScrollBar* bar = m_panel->view()->verticalScrollBar();
    log->append(uitest::requests(200));
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum()); // following from the start
    log->append(uitest::requests(50, 1000));
    QTRY_COMPARE(bar->value(), bar->maximum());
    QVERIFY(m_panel->isFollowing());

    bar->setValue(10); // the user scrolls up to read
    QVERIFY(!m_panel->isFollowing());
    log->append(uitest::requests(50, 2000));
    QTRY_VERIFY(bar->maximum() >= 250);
    QTest::qWait(250); // several auto-scroll ticks must pass without moving the view
    QCOMPARE(bar->value(), 10);

    // Rows evicted above the viewport do not slide what the user reads.
    const QModelIndex top = m_panel->view()->indexAt(QPoint(5, 5));
    const QByteArray readingId =
        log->record(m_panel->filterModel()->mapToSource(top).row()).event.summary.idJson;
    log->setCapacity(300); // 50 of 350 evicted
    log->append(uitest::requests(3, 3000));
    const QModelIndex after = m_panel->view()->indexAt(QPoint(5, 5));
    QCOMPARE(log->record(m_panel->filterModel()->mapToSource(after).row()).event.summary.idJson, readingId);

    bar->setValue(bar->maximum()); // back at the bottom: following again
    QVERIFY(m_panel->isFollowing());
    log->append(uitest::requests(40, 4000));
    QTRY_COMPARE(bar->value(), bar->maximum());
}

void TestLogPanel::detailsShowTheExactBytes()
{
    TrafficLogModel* log = m_panel->model();
    TrafficEvent e =
        makeEvent(Side::Client, Direction::Out, MessageKind::Request, 3, "1", QStringLiteral("echo"));
    e.raw = R"({"jsonrpc":"2.0","method":"echo","params":[1.0e+2],"id":1})";
    log->append({e});
    m_panel->selectSourceRow(0);
    MessageDetailsView* details = m_panel->details();
    QCOMPARE(details->rawView()->text(), QString::fromUtf8(e.raw));
    QVERIFY(details->prettyView()->text().contains(QStringLiteral("1.0e+2"))); // the number as sent
    QVERIFY(details->hexView()->text().startsWith(QStringLiteral("00000000  7b 22 6a 73")));
}

void TestLogPanel::jumpBetweenRequestAndReply()
{
    TrafficLogModel* log = m_panel->model();
    log->append({makeEvent(Side::Server, Direction::In, MessageKind::Request, 1, "1", QStringLiteral("add")),
                 makeEvent(Side::Server, Direction::In, MessageKind::Request, 1, "2", QStringLiteral("add")),
                 makeEvent(Side::Server, Direction::Out, MessageKind::Response, 1, "1")});
    const auto currentRow = [this] {
        return m_panel->filterModel()->mapToSource(m_panel->view()->currentIndex()).row();
    };
    m_panel->selectSourceRow(2);
    QVERIFY(m_panel->jumpToPartner());
    QCOMPARE(currentRow(), 0);
    QVERIFY(m_panel->jumpToPartner());
    QCOMPARE(currentRow(), 2);
    m_panel->selectSourceRow(1); // no reply yet
    QVERIFY(!m_panel->jumpToPartner());
    QCOMPARE(currentRow(), 1);
    // A partner hidden by the filter is reported, not silently skipped.
    m_panel->filterModel()->setSide(Side::Server);
    m_panel->selectSourceRow(2);
    m_panel->filterModel()->setText(QStringLiteral("result"));
    QVERIFY(!m_panel->jumpToPartner());
}

void TestLogPanel::capacityAndCopy()
{
    TrafficLogModel* log = m_panel->model();
    log->append(uitest::requests(1500));
    QCOMPARE(log->rowCount(), 1000);
    auto* spin = m_panel->findChild<QSpinBox*>(QStringLiteral("logCapacitySpin"));
    QSignalSpy changed(m_panel.get(), &LogPanel::capacityChanged);
    spin->setValue(1200);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(log->capacity(), 1200);
    log->append(uitest::requests(500, 5000));
    QCOMPARE(log->rowCount(), 1200);
    QCOMPARE(log->evictedCount(), quint64(800));

    m_panel->selectSourceRow(0);
    m_panel->view()->setFocus();
    QTest::keyClick(m_panel->view(), Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text().toUtf8(), log->record(0).event.raw);
}

QTEST_MAIN(TestLogPanel)
#include "tst_logpanel.moc"

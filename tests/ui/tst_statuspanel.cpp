// The status bar's fields: an icon beside plain text (no "●"/"○" code points, which the stock
// fonts draw as empty boxes), and long texts elided with the full text in a tooltip, so the
// status bar never makes the window wider than 1024 pixels.

#include "UiTestEvents.h"
#include "log/TrafficLogModel.h"
#include "widgets/ElidedLabel.h"
#include "widgets/StatusIcons.h"
#include "window/BenchSession.h"
#include "window/StatusPanel.h"

#include <QLabel>
#include <QMainWindow>
#include <QStatusBar>
#include <QTest>

using namespace rpcbench;

// The icons live in the static ui library: register them as the main window does.
static void initResources()
{
    Q_INIT_RESOURCE(resources);
}

class TestStatusPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { initResources(); }
    void fieldsFitA1024Window_data();
    void fieldsFitA1024Window();
};

namespace {
bool hasSymbols(const QString& text)
{
    for (const QChar c : text) {
        if (c.unicode() >= 0x2190) // arrows, geometric shapes, emoji
            return true;
    }
    return false;
}

QString describe(const ElidedLabel* field)
{
    return QStringLiteral("%1 '%2': %3 of %4 px, tooltip '%5'")
        .arg(field->objectName(), field->fullText())
        .arg(field->width())
        .arg(field->sizeHint().width())
        .arg(field->toolTip());
}
} // namespace

void TestStatusPanel::fieldsFitA1024Window_data()
{
    QTest::addColumn<bool>("serving");
    QTest::addColumn<bool>("paused");
    QTest::newRow("stopped") << false << false;
    QTest::newRow("listening, busy log") << true << true;
}

void TestStatusPanel::fieldsFitA1024Window()
{
    QFETCH(bool, serving);
    QFETCH(bool, paused);
    BenchSession session;
    TrafficLogModel log;
    log.setCapacity(1000);
    log.append(uitest::requests(123'456)); // large counts: "122,456 evicted"
    log.setPaused(paused);
    log.append(uitest::requests(999, 200'000));
    QMainWindow window;
    window.setCentralWidget(new QWidget);
    // A long temporary message shares the bar with the permanent fields.
    window.statusBar()->showMessage(QString(200, QLatin1Char('x')));
    auto* panel = new StatusPanel(&session, &log, window.statusBar());
    if (serving) {
        QString error;
        QVERIFY2(session.startServer(QStringLiteral("127.0.0.1"), 0, &error), qPrintable(error));
    }
    panel->refresh();
    window.resize(1024, 640);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QVERIFY2(window.minimumSizeHint().width() <= 1024,
             qPrintable(QString::number(window.minimumSizeHint().width())));
    QTRY_COMPARE(window.width(), 1024);
    const QList<ElidedLabel*> fields = window.statusBar()->findChildren<ElidedLabel*>();
    QCOMPARE(fields.size(), 4);
    // At 1024 there is room for every field in full: eliding is for narrower windows.
    for (const ElidedLabel* field : fields) {
        QVERIFY(!hasSymbols(field->fullText()));
        if (field->isVisible())
            QTRY_VERIFY2(!field->isElided(), qPrintable(describe(field)));
    }

    window.resize(300, 300); // far narrower: the fields elide instead of pushing
    QTRY_COMPARE(window.width(), 300);
    int elided = 0;
    for (const ElidedLabel* field : fields) {
        if (!field->isVisible())
            continue;
        QVERIFY2(field->width() > 0, qPrintable(describe(field)));
        if (field->isElided()) {
            ++elided;
            QVERIFY2(field->toolTip().contains(field->fullText()), qPrintable(describe(field)));
        }
    }
    QVERIFY(elided > 0);

    auto* server = window.statusBar()->findChild<ElidedLabel*>(QStringLiteral("statusServer"));
    auto* icon = window.statusBar()->findChild<QLabel*>(QStringLiteral("statusServerIcon"));
    QVERIFY(server && icon);
    QCOMPARE(server->fullText(), panel->serverText());
    QVERIFY(panel->serverText().startsWith(serving ? QStringLiteral("Listening on 127.0.0.1:")
                                                   : QStringLiteral("Server stopped")));
    QVERIFY(!icon->pixmap().isNull());
    QCOMPARE(icon->property("statusIcon").toString(),
             StatusIcons::path(serving ? StatusIcon::Connected : StatusIcon::Disconnected));
    QVERIFY(panel->logText().contains(QStringLiteral("evicted")));
    if (serving) {
        session.stopServer();
        QTRY_VERIFY(panel->serverText().startsWith(QStringLiteral("Server stopped")));
        QCOMPARE(icon->property("statusIcon").toString(), StatusIcons::path(StatusIcon::Disconnected));
        QVERIFY(!icon->pixmap().isNull());
    }
}

QTEST_MAIN(TestStatusPanel)
#include "tst_statuspanel.moc"

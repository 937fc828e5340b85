// The incoming view as a user drives it: a held request answered with a result or an error,
// rejected, or refused while its JSON does not parse, read-only once it ended; selecting a
// subscription group lists only its events; a progress bar for the call in flight; every
// control reachable with Tab in reading order; small enough for a laptop window. Against a
// real server: tst_clientpanelincoming.

#include "client/HeldRequestEditor.h"
#include "client/HeldRequestsModel.h"
#include "client/IncomingFilterModel.h"
#include "client/IncomingModel.h"
#include "client/IncomingPanel.h"
#include "client/ResponseView.h"
#include "client/SubscriptionGroupsModel.h"

#include "FocusChain.h"
#include "ServerMessages.h"

#include <QCheckBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace rpcbench;

namespace {

using test::subscriptionEvent;

QByteArray request(int id, const QString& method)
{
    return test::serverRequest(id, method);
}

} // namespace

class TestIncomingPanel : public QObject
{
    Q_OBJECT
private slots:
    void answerHeldWithResult();
    void answerHeldWithError();
    void invalidJsonRefused_data();
    void invalidJsonRefused();
    void reject();
    void endedHoldIsReadOnly();
    void groupSelectionFilters();
    void progressBar();
    void keyboardReachesEverything();
    void smallEnoughForALaptopWindow();
};

void TestIncomingPanel::answerHeldWithResult()
{
    IncomingPanel panel;
    QSignalSpy answers(&panel, &IncomingPanel::answerRequested);
    panel.addIncoming(1, request(5, QStringLiteral("workspace/configuration")));
    panel.addHeld(11, 1, request(5, QStringLiteral("workspace/configuration")));
    QCOMPARE(panel.detailTabs()->currentIndex(), 2); // the held request is shown at once
    HeldRequestEditor* editor = panel.heldEditor();
    QCOMPARE(editor->holdId(), quint64(11));
    editor->resultEdit()->setPlainText(QStringLiteral("[{\"tabSize\": 4}]"));
    QTest::mouseClick(editor->sendButton(), Qt::LeftButton);
    QCOMPARE(answers.count(), 1);
    QCOMPARE(answers.first().at(0).toULongLong(), quint64(11));
    const auto answer = answers.first().at(1).value<RpcResult>();
    QVERIFY(answer.ok);
    QCOMPARE(answer.value, QJsonValue(QJsonArray{QJsonObject{{"tabSize", 4}}}));
    panel.endHold(11, QStringLiteral("answered"));
    QCOMPARE(panel.model()->message(0).answer, AnswerState::Answered);
    // The answer the client sent is shown beside the request.
    QVERIFY(panel.model()->message(0).answerPayload.contains("tabSize"));
    QCOMPARE(panel.held()->waitingCount(), 0);
}

void TestIncomingPanel::answerHeldWithError()
{
    IncomingPanel panel;
    QSignalSpy answers(&panel, &IncomingPanel::answerRequested);
    panel.addHeld(3, 1, request(8, QStringLiteral("sampling/createMessage")));
    HeldRequestEditor* editor = panel.heldEditor();
    editor->errorRadio()->setChecked(true);
    editor->codeSpin()->setValue(-32042);
    editor->messageEdit()->setText(QStringLiteral("no model here"));
    editor->dataEdit()->setPlainText(QStringLiteral("{\"retry\": false}"));
    QVERIFY(editor->send());
    const auto answer = answers.first().at(1).value<RpcResult>();
    QVERIFY(!answer.ok);
    QCOMPARE(answer.error.code, -32042);
    QCOMPARE(answer.error.message, QStringLiteral("no model here"));
    QCOMPARE(answer.error.data, QJsonValue(QJsonObject{{"retry", false}}));
}

void TestIncomingPanel::invalidJsonRefused_data()
{
    QTest::addColumn<bool>("asError");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("problemStart");
    QTest::newRow("result") << false << "{\"a\": "
                            << "Result: ";
    QTest::newRow("error data") << true << "[1, 2"
                                << "Error data: ";
}

void TestIncomingPanel::invalidJsonRefused()
{
    QFETCH(bool, asError);
    QFETCH(QString, text);
    QFETCH(QString, problemStart);
    IncomingPanel panel;
    QSignalSpy answers(&panel, &IncomingPanel::answerRequested);
    panel.addHeld(4, 1, request(9, QStringLiteral("ask")));
    HeldRequestEditor* editor = panel.heldEditor();
    editor->errorRadio()->setChecked(asError);
    (asError ? editor->dataEdit() : editor->resultEdit())->setPlainText(text);
    QVERIFY(!editor->send());
    QCOMPARE(answers.count(), 0);
    QVERIFY2(editor->problem().startsWith(problemStart), qPrintable(editor->problem()));
    QVERIFY(!editor->problem().contains(QLatin1Char('\n')));
    // Fixing the text clears the refusal, and Send goes through.
    (asError ? editor->dataEdit() : editor->resultEdit())->setPlainText(QStringLiteral("null"));
    QVERIFY(editor->problem().isEmpty());
    QVERIFY(editor->send());
    QCOMPARE(answers.count(), 1);
}

void TestIncomingPanel::reject()
{
    IncomingPanel panel;
    QSignalSpy rejects(&panel, &IncomingPanel::rejectRequested);
    QSignalSpy answers(&panel, &IncomingPanel::answerRequested);
    panel.addHeld(6, 1, request(2, QStringLiteral("elicitation/create")));
    QTest::mouseClick(panel.heldEditor()->rejectButton(), Qt::LeftButton);
    QCOMPARE(rejects.count(), 1);
    QCOMPARE(rejects.first().first().toULongLong(), quint64(6));
    QCOMPARE(answers.count(), 0);
}

void TestIncomingPanel::endedHoldIsReadOnly()
{
    IncomingPanel panel;
    panel.addHeld(7, 1, request(2, QStringLiteral("ask")));
    QVERIFY(panel.heldEditor()->sendButton()->isEnabled());
    panel.endHold(7, QStringLiteral("timed out"));
    QVERIFY(!panel.heldEditor()->sendButton()->isEnabled());
    QVERIFY(!panel.heldEditor()->rejectButton()->isEnabled());
    QVERIFY(panel.heldEditor()->problem().contains(QStringLiteral("timed out")));
    QCOMPARE(panel.held()->index(0, HeldRequestsModel::StateColumn).data().toString(),
             QStringLiteral("timed out"));
}

void TestIncomingPanel::groupSelectionFilters()
{
    IncomingPanel panel;
    QSignalSpy counts(&panel, &IncomingPanel::countsChanged);
    for (int i = 0; i < 3; ++i)
        panel.addIncoming(1, subscriptionEvent(QStringLiteral("0xa"), i));
    panel.addIncoming(1, subscriptionEvent(QStringLiteral("0xb"), 9));
    QTRY_COMPARE(panel.model()->rowCount(), 4);
    QCOMPARE(counts.last().at(0).toInt(), 4);
    QCOMPARE(panel.groups()->rowCount(), 2);
    panel.groupsView()->selectRow(panel.groups()->rowOf(QStringLiteral("0xa")));
    QCOMPARE(panel.messagesView()->model()->rowCount(), 3);
    QCOMPARE(panel.findChild<QLabel*>(QStringLiteral("incomingCountLabel"))->text(),
             QStringLiteral("3 of 4 messages"));
    panel.groupsView()->clearSelection();
    QCOMPARE(panel.messagesView()->model()->rowCount(), 4);
    // A pointer typed by the user regroups.
    panel.groupByEdit()->setText(QStringLiteral("/params/result"));
    emit panel.groupByEdit()->editingFinished();
    QCOMPARE(panel.groups()->rowCount(), 4);
    panel.groupByEdit()->setText(QStringLiteral("params/result")); // not a pointer: refused
    emit panel.groupByEdit()->editingFinished();
    QCOMPARE(panel.groupBy(), QStringLiteral("/params/result"));
    panel.clear();
    QCOMPARE(panel.model()->rowCount(), 0);
    QCOMPARE(panel.groups()->rowCount(), 0);
}

void TestIncomingPanel::progressBar()
{
    ResponseView view;
    view.showPending(QStringLiteral("Calling tools/call…"));
    CallProgress p;
    p.progress = 30;
    p.total = 120;
    p.message = QStringLiteral("step 3");
    view.showProgress(p);
    QVERIFY(!view.progressBar()->isHidden());
    QCOMPARE(view.progressBar()->maximum(), 1000);
    QCOMPARE(view.progressBar()->value(), 250);
    QCOMPARE(view.progressText(), QStringLiteral("step 3"));
    p.total = -1; // unknown total: busy
    view.showProgress(p);
    QCOMPARE(view.progressBar()->maximum(), 0);
    CallResult done;
    done.status = CallStatus::Ok;
    view.showResult(done);
    QVERIFY(view.progressBar()->isHidden());
    view.showProgress(p); // a straggler after the end changes nothing
    QVERIFY(view.progressBar()->isHidden());
}

void TestIncomingPanel::keyboardReachesEverything()
{
    IncomingPanel panel;
    panel.resize(700, 700);
    panel.addIncoming(1, request(5, QStringLiteral("ask")));
    panel.addHeld(11, 1, request(5, QStringLiteral("ask")));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const uitest::FocusWalk walk = uitest::walkTabChain(panel.filterEdit());
    QVERIFY2(!walk.stuck, qPrintable(uitest::describe(walk.chain)));
    QVERIFY2(uitest::invisibleStop(walk.chain).isEmpty(), qPrintable(uitest::invisibleStop(walk.chain)));
    HeldRequestEditor* editor = panel.heldEditor();
    const QList<QWidget*> order{panel.filterEdit(),          panel.groupByEdit(),    panel.holdCheck(),
                                panel.clientMethodsButton(), panel.messagesView(),   panel.heldView(),
                                editor->resultEdit(),        editor->rejectButton(), editor->sendButton()};
    qsizetype last = -1;
    for (QWidget* w : order) {
        const qsizetype at = uitest::positionIn(walk.chain, w);
        QVERIFY2(at > last,
                 qPrintable(uitest::describe(w) + QStringLiteral(" in ") + uitest::describe(walk.chain)));
        last = at;
    }
}

void TestIncomingPanel::smallEnoughForALaptopWindow()
{
    // In a 1024x640 window the client tabs get about 480 x 350 pixels beside the composer and
    // the server dock (tst_windowlayout): the panel, a request held, must fit in them.
    IncomingPanel panel;
    panel.addIncoming(1, subscriptionEvent(QStringLiteral("0xa"), 1));
    panel.addHeld(11, 1, request(5, QStringLiteral("ask")));
    panel.model()->flush();
    QStringList parts;
    for (QWidget* w : panel.findChildren<QWidget*>())
        if (w->minimumSizeHint().height() > 120)
            parts << QStringLiteral("%1 %2").arg(uitest::describe(w)).arg(w->minimumSizeHint().height());
    QVERIFY2(
        panel.minimumSizeHint().height() <= 280,
        qPrintable(QString::number(panel.minimumSizeHint().height()) + QLatin1Char(' ') + parts.join(", ")));
    QVERIFY2(panel.minimumSizeHint().width() <= 360,
             qPrintable(QString::number(panel.minimumSizeHint().width())));
}

QTEST_MAIN(TestIncomingPanel)
#include "tst_incomingpanel.moc"

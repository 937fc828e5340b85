// Payload display: rendered only when visible, truncated beyond the limit with "Show all",
// and the three renderings of the same bytes.

#include "widgets/PayloadView.h"

#include <QPlainTextEdit>
#include <QPushButton>
#include <QTest>

using namespace rpcbench;

class TestPayloadView : public QObject
{
    Q_OBJECT
private slots:
    void rendersLazily();
    void truncatesWithShowAll_data();
    void truncatesWithShowAll();
};

void TestPayloadView::rendersLazily()
{
    PayloadView view(PayloadView::Mode::Pretty);
    view.setPayload(R"({"a":1})");
    QVERIFY(view.editor()->toPlainText().isEmpty()); // hidden: nothing formatted yet
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.editor()->toPlainText(), QStringLiteral("{\n  \"a\": 1\n}"));
}

void TestPayloadView::truncatesWithShowAll_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("pretty") << int(PayloadView::Mode::Pretty);
    QTest::newRow("raw") << int(PayloadView::Mode::Raw);
    QTest::newRow("hex") << int(PayloadView::Mode::Hex);
}

void TestPayloadView::truncatesWithShowAll()
{
    QFETCH(int, mode);
    PayloadView view{PayloadView::Mode(mode)};
    view.setDisplayLimit(1024);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QByteArray big = "[\"" + QByteArray(100'000, 'x') + "\"]";
    view.setPayload(big);
    auto* showAll = view.findChild<QPushButton*>(QStringLiteral("showAllButton"));
    QVERIFY(view.isTruncated());
    QVERIFY(showAll->isVisible());
    const qsizetype shortLength = view.text().size();
    QVERIFY(shortLength < 10'000);
    QTest::mouseClick(showAll, Qt::LeftButton);
    QVERIFY(!view.isTruncated());
    QVERIFY(!showAll->isVisible());
    QVERIFY(view.text().size() > 100'000);
    view.setPayload("[1]"); // a new payload starts truncated-aware again
    QVERIFY(!view.isTruncated());
}

QTEST_MAIN(TestPayloadView)
#include "tst_payloadview.moc"

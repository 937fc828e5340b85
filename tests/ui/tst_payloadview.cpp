// Payload display: rendered only when visible, truncated beyond the limit with "Show all",
// the three renderings of the same bytes, and multi-megabyte payloads formatted off the GUI
// thread into a text that can still be scrolled to its end.

#include "widgets/PayloadView.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QThreadPool>

using namespace rpcbench;

class TestPayloadView : public QObject
{
    Q_OBJECT
private slots:
    void rendersLazily();
    void truncatesWithShowAll_data();
    void truncatesWithShowAll();
    void breaksOnlyLongLines_data();
    void breaksOnlyLongLines();
    void largePayloadFormatsOffTheGuiThread_data();
    void largePayloadFormatsOffTheGuiThread();
    void newerPayloadSupersedesOlder();
};

namespace {
// A 5 MB reply whose result is one long string: one line of millions of characters.
QByteArray bigReply(char fill, qsizetype size = 5 * 1024 * 1024)
{
    return R"({"jsonrpc":"2.0","result":")" + QByteArray(size, fill) + R"(","id":1})";
}
} // namespace

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

void TestPayloadView::breaksOnlyLongLines_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("maxLine");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("broken");
    QTest::newRow("short lines untouched") << "ab\ncd" << 4 << "ab\ncd" << false;
    QTest::newRow("exactly the limit") << "abcd\nef" << 4 << "abcd\nef" << false;
    QTest::newRow("one long line") << "abcdefghij" << 4 << "abcd\nefgh\nij" << true;
    QTest::newRow("long line among short") << "x\nabcdefgh\ny" << 4 << "x\nabcd\nefgh\ny" << true;
    QTest::newRow("empty") << "" << 4 << "" << false;
}

void TestPayloadView::breaksOnlyLongLines()
{
    QFETCH(QString, text);
    QFETCH(int, maxLine);
    QFETCH(QString, expected);
    QFETCH(bool, broken);
    bool wasBroken = !broken;
    QCOMPARE(PayloadFormatter::breakLongLines(text, maxLine, &wasBroken), expected);
    QCOMPARE(wasBroken, broken);
}

void TestPayloadView::largePayloadFormatsOffTheGuiThread_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("minLines");
    QTest::newRow("pretty") << int(PayloadView::Mode::Pretty) << 500;
    QTest::newRow("raw") << int(PayloadView::Mode::Raw) << 500;
    QTest::newRow("hex") << int(PayloadView::Mode::Hex) << 300'000;
}

void TestPayloadView::largePayloadFormatsOffTheGuiThread()
{
    QFETCH(int, mode);
    QFETCH(int, minLines);
    PayloadView view{PayloadView::Mode(mode)};
    view.resize(600, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QByteArray reply = bigReply('x');
    view.setPayload(reply);
    QVERIFY(view.isTruncated()); // the first 256 KiB, at once
    QSignalSpy rendered(&view, &PayloadView::rendered);
    view.showAll();
    // showAll() returned without formatting 5 MB: a placeholder is shown meanwhile, the text
    // arrives later through the event loop.
    QVERIFY(view.isFormatting());
    QVERIFY2(view.editor()->toPlainText().startsWith(QStringLiteral("formatting")),
             qPrintable(view.editor()->toPlainText().left(80)));
    QCOMPARE(rendered.count(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(rendered.count(), 1, 60'000);
    QVERIFY(!view.isFormatting());
    QVERIFY(!view.isTruncated());
    QTextDocument* doc = view.editor()->document();
    QVERIFY2(doc->characterCount() > reply.size(), qPrintable(QString::number(doc->characterCount())));
    QVERIFY2(doc->blockCount() >= minLines, qPrintable(QString::number(doc->blockCount())));
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next())
        QVERIFY(b.length() <= PayloadFormatter::MaxLineChars + 1);
    // Ctrl+End reaches the end, and the view scrolls there.
    QTest::keyClick(view.editor(), Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(view.editor()->textCursor().position(), doc->characterCount() - 1);
    QVERIFY(view.editor()->verticalScrollBar()->maximum() > 0);
    QTRY_VERIFY(view.editor()->verticalScrollBar()->value() > 0);
    QTRY_VERIFY(view.editor()->viewport()->rect().contains(view.editor()->cursorRect()));
    if (PayloadView::Mode(mode) != PayloadView::Mode::Hex) { // hex lines are short
        QTRY_VERIFY(view.editor()->horizontalScrollBar()->maximum() > 0);
        auto* note = view.findChild<QLabel*>(QStringLiteral("payloadNote"));
        QVERIFY(note->isVisible());
        QVERIFY(note->text().contains(QStringLiteral("broken for display")));
    }
}

void TestPayloadView::newerPayloadSupersedesOlder()
{
    PayloadView view{PayloadView::Mode::Raw};
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy rendered(&view, &PayloadView::rendered);
    view.setPayload(bigReply('a', 3 * 1024 * 1024));
    view.showAll();
    QVERIFY(view.isFormatting());
    view.setPayload(bigReply('b', 3 * 1024 * 1024)); // its first 256 KiB render at once
    rendered.clear();
    view.showAll();
    QTRY_VERIFY_WITH_TIMEOUT(!view.isFormatting(), 60'000);
    // Whatever the older job was doing, it has finished now and its result must not land.
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QCOMPARE(rendered.count(), 1);
    QVERIFY(view.editor()->toPlainText().contains(QStringLiteral("bbbb")));
    QVERIFY(!view.editor()->toPlainText().contains(QStringLiteral("aaaa")));
    // A small payload replaces a pending large one at once.
    view.setPayload(bigReply('c', 3 * 1024 * 1024));
    view.showAll();
    QVERIFY(view.isFormatting());
    view.setPayload("[1]");
    QVERIFY(!view.isFormatting());
    QCOMPARE(view.text(), QStringLiteral("[1]"));
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QCOMPARE(view.text(), QStringLiteral("[1]"));
}

QTEST_MAIN(TestPayloadView)
#include "tst_payloadview.moc"

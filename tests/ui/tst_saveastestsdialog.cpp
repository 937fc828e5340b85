// "Save as tests…" from the traffic log: the dialog checks the ignored pointers line by line,
// previews how many calls it saves, and OK adds them to the window's collections (a real
// CollectionStore) under the chosen collection and folder.

#include "collections/CollectionStore.h"
#include "log/SaveAsTestsDialog.h"
#include "proxy/TestsFromTraffic.h"
#include "traffic/SummarizeMessage.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace rpcbench;

namespace {

TrafficEvent message(Direction direction, const QByteArray& json)
{
    TrafficEvent e;
    e.side = Side::Server;
    e.direction = direction;
    e.connectionId = 1;
    e.raw = json;
    e.summary = summarizeMessage(json);
    return e;
}

// Two answered calls (one with a volatile timestamp) and one request without a reply.
std::vector<TrafficEvent> recorded()
{
    return {message(Direction::In, R"({"jsonrpc":"2.0","id":1,"method":"now"})"),
            message(Direction::Out, R"({"jsonrpc":"2.0","id":1,"result":{"time":17,"zone":"UTC"}})"),
            message(Direction::In, R"({"jsonrpc":"2.0","id":2,"method":"add","params":[1,2]})"),
            message(Direction::Out, R"({"jsonrpc":"2.0","id":2,"result":3})"),
            message(Direction::In, R"({"jsonrpc":"2.0","id":3,"method":"slow"})")};
}

QPushButton* okOf(SaveAsTestsDialog* dialog)
{
    return dialog->buttons()->button(QDialogButtonBox::Ok);
}

} // namespace

class TestSaveAsTestsDialog : public QObject
{
    Q_OBJECT
private slots:
    void offersExistingCollections();
    void invalidPointerDisablesSave_data();
    void invalidPointerDisablesSave();
    void emptyCollectionNameDisablesSave();
    void nothingToSave();
    void saveAddsTheCallsToTheStore();
    void cancelAddsNothing();
};

void TestSaveAsTestsDialog::offersExistingCollections()
{
    CollectionStore store;
    auto* fresh = new SaveAsTestsDialog(&store, recorded());
    QCOMPARE(fresh->collectionCombo()->currentText(), SaveAsTestsDialog::defaultCollectionName());
    delete fresh;
    store.addCollection(QStringLiteral("Smoke"));
    store.addCollection(QStringLiteral("Nightly"));
    auto* dialog = new SaveAsTestsDialog(&store, recorded());
    QCOMPARE(dialog->collectionCombo()->count(), 2);
    QCOMPARE(dialog->collectionCombo()->itemText(1), QStringLiteral("Nightly"));
    QVERIFY(dialog->collectionCombo()->isEditable());
    QVERIFY(dialog->previewLabel()->text().startsWith(QStringLiteral("2 calls will be saved")));
    QVERIFY2(dialog->previewLabel()->text().contains(QStringLiteral("1 request had no recorded reply")),
             qPrintable(dialog->previewLabel()->text()));
    QVERIFY(okOf(dialog)->isEnabled());
    delete dialog;
}

void TestSaveAsTestsDialog::invalidPointerDisablesSave_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error"); // in the preview
    QTest::newRow("no slash") << "/time\ntime"
                              << "Line 2: invalid JSON Pointer 'time'";
    QTest::newRow("bad escape") << "/a~2"
                                << "Line 1: invalid JSON Pointer '/a~2'";
    QTest::newRow("blank lines are skipped") << "\n\n/ok\n"
                                             << "";
}

void TestSaveAsTestsDialog::invalidPointerDisablesSave()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    CollectionStore store;
    QPointer<SaveAsTestsDialog> dialog = new SaveAsTestsDialog(&store, recorded());
    dialog->open();
    dialog->ignoreEdit()->setPlainText(text);
    QCOMPARE(okOf(dialog)->isEnabled(), error.isEmpty());
    if (!error.isEmpty()) {
        QVERIFY2(dialog->previewLabel()->text().startsWith(error),
                 qPrintable(dialog->previewLabel()->text()));
        QVERIFY(dialog->calls().isEmpty());
        dialog->accept(); // OK by keyboard or a stale click saves nothing
        QVERIFY(store.collections().isEmpty());
        QVERIFY(dialog->isVisible());
    }
    dialog->ignoreEdit()->setPlainText(QStringLiteral(" /time \n"));
    QVERIFY(okOf(dialog)->isEnabled());
    QCOMPARE(dialog->calls().size(), 2);
    QCOMPARE(dialog->calls().first().assertions.size(), 2); // /time exists, /zone equals
    delete dialog;
}

void TestSaveAsTestsDialog::emptyCollectionNameDisablesSave()
{
    CollectionStore store;
    auto* dialog = new SaveAsTestsDialog(&store, recorded());
    dialog->collectionCombo()->setEditText(QStringLiteral("  "));
    QVERIFY(!okOf(dialog)->isEnabled());
    QVERIFY(dialog->previewLabel()->text().contains(QStringLiteral("Name the collection")));
    dialog->collectionCombo()->setEditText(QStringLiteral("Mine"));
    QVERIFY(okOf(dialog)->isEnabled());
    delete dialog;
}

void TestSaveAsTestsDialog::nothingToSave()
{
    CollectionStore store;
    std::vector<TrafficEvent> rows = recorded();
    auto* dialog = new SaveAsTestsDialog(&store, {rows.back()});
    QVERIFY(!okOf(dialog)->isEnabled());
    QVERIFY2(dialog->previewLabel()->text().startsWith(QStringLiteral("Nothing to save: 1 request had no")),
             qPrintable(dialog->previewLabel()->text()));
    delete dialog;
}

// OK (a real click) adds each call to the store under collection/folder and closes the dialog,
// which deletes itself; the calls are exactly what the core makes of the rows.
void TestSaveAsTestsDialog::saveAddsTheCallsToTheStore()
{
    CollectionStore store;
    store.addCollection(QStringLiteral("Smoke"));
    store.addCollection(QStringLiteral("Nightly"));
    QSignalSpy changed(&store, &CollectionStore::changed);
    QPointer<SaveAsTestsDialog> dialog = new SaveAsTestsDialog(&store, recorded());
    QSignalSpy saved(dialog.data(), &SaveAsTestsDialog::saved);
    dialog->open();
    dialog->collectionCombo()->setCurrentIndex(1);
    dialog->folderEdit()->setText(QStringLiteral("from log/today"));
    dialog->ignoreEdit()->setPlainText(QStringLiteral("/time"));
    QTest::mouseClick(okOf(dialog), Qt::LeftButton);
    QCOMPARE(saved.count(), 1);
    QCOMPARE(saved.at(0).at(0).toInt(), 2);
    QCOMPARE(saved.at(0).at(1).toString(), QStringLiteral("Nightly"));
    QCOMPARE(changed.count(), 2);
    QTRY_VERIFY(dialog.isNull()); // WA_DeleteOnClose

    QCOMPARE(store.collections().size(), 2);
    QVERIFY(store.collections().at(0).items.isEmpty());
    const CollectionItem* folder = store.item({1, {0, 0}});
    QVERIFY(folder);
    QVERIFY(folder->isFolder);
    QCOMPARE(folder->folder, QStringLiteral("today"));
    QCOMPARE(store.item({1, {0}})->folder, QStringLiteral("from log"));
    const QList<SavedCall> expected = savedCallsFromTraffic(recorded(), {QStringLiteral("/time")});
    QCOMPARE(folder->items.size(), expected.size());
    for (int i = 0; i < expected.size(); ++i)
        QCOMPARE(folder->items.at(i).call, expected.at(i));
    QCOMPARE(folder->items.at(0).call.method, QStringLiteral("now"));
    QCOMPARE(folder->items.at(1).call.assertions.first().expected, QJsonValue(3));
}

void TestSaveAsTestsDialog::cancelAddsNothing()
{
    CollectionStore store;
    QPointer<SaveAsTestsDialog> dialog = new SaveAsTestsDialog(&store, recorded());
    dialog->open();
    QTest::mouseClick(dialog->buttons()->button(QDialogButtonBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(dialog.isNull());
    QVERIFY(store.collections().isEmpty());
}

QTEST_MAIN(TestSaveAsTestsDialog)
#include "tst_saveastestsdialog.moc"

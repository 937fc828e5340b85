#pragma once
// "Save as tests…" from the traffic log: the selected calls become saved calls of a collection,
// each asserting its recorded reply (proxy/TestsFromTraffic.h), with volatile fields ignored by
// JSON Pointer. Non-modal (open()), deletes itself when closed.

#include "collection/SavedCall.h"
#include "traffic/TrafficEvent.h"

#include <QDialog>

#include <optional>
#include <vector>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace rpcbench {

class CollectionStore;

class SaveAsTestsDialog : public QDialog
{
    Q_OBJECT
public:
    // The collection a fresh workspace's first tests go to.
    static QString defaultCollectionName() { return QStringLiteral("Recorded"); }

    // `rows`: what LogPanel::selectedCallRows() gives (calls with their replies, in log order).
    SaveAsTestsDialog(CollectionStore* store, std::vector<TrafficEvent> rows, QWidget* parent = nullptr);

    QComboBox* collectionCombo() const { return m_collection; }
    QLineEdit* folderEdit() const { return m_folder; }
    QPlainTextEdit* ignoreEdit() const { return m_ignore; }
    QLabel* previewLabel() const { return m_preview; }
    QDialogButtonBox* buttons() const { return m_buttons; }

    // The calls OK would save, with the pointers as typed now (empty while one is invalid).
    const QList<SavedCall>& calls() const { return m_calls; }

public slots:
    void accept() override;

signals:
    // After OK: `count` calls were added to collection `name`.
    void saved(int count, const QString& name);

private:
    void refresh();
    // The non-empty lines of the ignore box; nullopt with *error naming the bad line.
    std::optional<QStringList> ignorePointers(QString* error) const;

    CollectionStore* m_store;
    std::vector<TrafficEvent> m_rows;
    QList<SavedCall> m_calls;
    QComboBox* m_collection;
    QLineEdit* m_folder;
    QPlainTextEdit* m_ignore;
    QLabel* m_preview;
    QDialogButtonBox* m_buttons;
};

} // namespace rpcbench
